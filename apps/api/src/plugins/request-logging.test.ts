import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeLogger, createLogger } from '@coachwire/config';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createApiFixture, REPORTER_KEY, TRADER_KEY } from '../test-support/api-fixture.js';

describe('request logging', () => {
  it('logs each request once with route, status and duration, and never an Authorization value or key', async () => {
    const logDir = mkdtempSync(join(tmpdir(), 'coachwire-api-logs-'));
    onTestFinished(() => rmSync(logDir, { recursive: true, force: true }));
    const logger = createLogger({
      config: { level: 'info', file: join(logDir, 'api.log'), max_size_mb: 10, backup_count: 1 },
      name: 'api',
      stdout: false,
    });
    const fixture = await createApiFixture({ logger });
    try {
      const wrongKey = 'cw_wrong_key_should_never_be_logged_91d2';
      await fixture.app.inject({
        url: '/api/v1/coaches',
        headers: { authorization: `Bearer ${TRADER_KEY}` },
      });
      await fixture.app.inject({ url: '/api/v1/coaches', headers: { authorization: `Bearer ${wrongKey}` } });
      await fixture.app.inject({
        method: 'POST',
        url: '/api/v1/plans',
        headers: { authorization: `Bearer ${REPORTER_KEY}`, 'x-request-id': 'trace-write-1' },
        payload: { coach: 'd', text: 'logged plan' },
      });
      await fixture.app.inject({
        method: 'POST',
        url: '/api/v1/plans',
        headers: { authorization: `Bearer ${wrongKey}` },
        payload: { coach: 'd', text: 'x' },
      });
    } finally {
      await fixture.close();
      await closeLogger(logger);
    }
    const text = readdirSync(logDir)
      .map((file) => readFileSync(join(logDir, file), 'utf8'))
      .join('');
    const lines = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const requests = lines.filter((line) => line.msg === 'request');
    expect(requests).toHaveLength(4);
    const write = requests.find((line) => line.reqId === 'trace-write-1');
    expect(write).toMatchObject({ method: 'POST', route: '/api/v1/plans', status: 201, api_key: 'reporter' });
    expect(typeof write.duration_ms).toBe('number');
    for (const secret of [TRADER_KEY, REPORTER_KEY, 'cw_wrong_key_should_never_be_logged_91d2', 'Bearer']) {
      expect(text).not.toContain(secret);
    }
    for (const hash of fixture.config.api.keys.map((key) => key.sha256)) expect(text).not.toContain(hash);
  });
});
