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

  it('keeps a plan with its author through a rotation: add the new key, then remove the old', async () => {
    const oldKey = 'cw_env_old_key_7a21b0';
    const newKey = 'cw_env_new_key_3f9e44';
    const dir = mkdtempSync(join(tmpdir(), 'coachwire-api-env-rotation-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const logger = pino({ level: 'silent' });
    // One database, three deployments of it: the old key, both keys, the new key.
    const serve = async (digests: string) => {
      const config = loadConfig({
        argv: [],
        cwd: dir,
        env: { API_KEY_SHA256: digests, LOG_LEVEL: 'silent', LOG_FILE: '' },
        overrides: { api: { max_event_loop_delay_ms: 0 } },
      });
      const coachwire = await openCoachwire(config, { logger });
      const app = await buildApp({ config, coachwire, logger });
      onTestFinished(async () => {
        await app.close();
        await coachwire.close();
      });
      return app;
    };
    const write = (
      app: Awaited<ReturnType<typeof serve>>,
      bearer: string,
      method: 'POST' | 'PATCH',
      url: string,
      text: string,
    ) =>
      app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${bearer}` },
        payload: { coach: 'd', text },
      });

    const before = await serve(sha256Hex(oldKey));
    const posted = await write(before, oldKey, 'POST', '/api/v1/plans', 'posted with the old key');
    expect(posted.statusCode).toBe(201);
    const planUrl = `/api/v1/plans/${posted.json().id}`;
    await before.close();

    const during = await serve(`${sha256Hex(oldKey)},${sha256Hex(newKey)}`);
    expect((await write(during, oldKey, 'PATCH', planUrl, 'edited with the old key')).statusCode).toBe(200);
    expect((await write(during, newKey, 'PATCH', planUrl, 'edited with the new key')).statusCode).toBe(200);
    await during.close();

    const after = await serve(sha256Hex(newKey));
    const edited = await write(after, newKey, 'PATCH', planUrl, 'edited after the rotation');
    expect(edited.statusCode).toBe(200);
    expect(edited.json().author).toMatchObject({ id: 'api-key:env' });
    expect((await write(after, oldKey, 'PATCH', planUrl, 'the removed key')).statusCode).toBe(401);
  });
});
