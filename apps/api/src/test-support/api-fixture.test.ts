import { afterEach, describe, expect, it } from 'vitest';
import { type ApiFixture, createApiFixture, DISCORD_ALICE } from './api-fixture.js';
import { testBackend } from './test-backend.js';

let fixture: ApiFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

describe('the API test fixture', () => {
  it('runs the app and the bot on the backend COACHWIRE_TEST_BACKEND names, sharing one database', async () => {
    fixture = await createApiFixture();
    // Guards the `api-postgres` project against silently testing SQLite again.
    expect(fixture.backend).toBe(testBackend());
    expect(fixture.coachwire.store.kind).toBe(testBackend());
    expect(fixture.bot.store.kind).toBe(testBackend());
    await fixture.bot.plans.post(DISCORD_ALICE, { coach: 'd', text: 'from the bot' });
    expect(await fixture.coachwire.store.countPlans()).toBe(1);
  });

  it('refuses a backend it does not know', () => {
    expect(() => testBackend({ COACHWIRE_TEST_BACKEND: 'mysql' })).toThrow(/sqlite.*postgres/);
    expect(testBackend({})).toBe('sqlite');
  });
});
