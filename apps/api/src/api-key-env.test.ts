import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@coachwire/config';
import { openCoachwire } from '@coachwire/runtime';
import pino from 'pino';
import { describe, expect, it, onTestFinished } from 'vitest';
import { buildApp } from './app.js';
import { sha256Hex } from './test-support/api-fixture.js';

describe('an API key from API_KEY_SHA256 alone (no YAML file)', () => {
  it('lets a write through with that key, and refuses another', async () => {
    const key = 'cw_env_only_key_5c1d8e';
    const dir = mkdtempSync(join(tmpdir(), 'coachwire-api-env-key-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const config = loadConfig({
      argv: [],
      cwd: dir,
      env: { API_KEY_SHA256: sha256Hex(key).toUpperCase(), LOG_LEVEL: 'silent', LOG_FILE: '' },
      overrides: { api: { max_event_loop_delay_ms: 0 } },
    });
    const logger = pino({ level: 'silent' });
    const coachwire = await openCoachwire(config, { logger });
    const app = await buildApp({ config, coachwire, logger });
    const post = (bearer: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/plans',
        headers: { authorization: `Bearer ${bearer}` },
        payload: { coach: 'd', text: 'from an env-configured key' },
      });
    try {
      expect(config.api.keys.map((entry) => entry.name)).toEqual(['env']);
      expect((await post(key)).statusCode).toBe(201);
      expect((await post('cw_some_other_key_000000')).statusCode).toBe(401);
    } finally {
      await app.close();
      await coachwire.close();
    }
  });
});
