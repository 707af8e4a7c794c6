import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CoachwireConfig, loadConfig } from '@coachwire/config';
import { createTestPgDatabase, type TestPgDatabase } from '@coachwire/storage/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCoachwire } from './open-coachwire.js';
import { StartupError } from './startup-checks.js';

let dir: string;
let database: TestPgDatabase;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'coachwire-runtime-pg-'));
  database = await createTestPgDatabase();
});

afterEach(async () => {
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

function configFor(url: string): CoachwireConfig {
  return loadConfig({
    env: { DATABASE_URL: url, DATABASE_POOL_SIZE: '3' },
    argv: [],
    cwd: dir,
    // A database path nobody could create: with a URL set it must not be touched.
    overrides: {
      database: { path: '/proc/coachwire/never.db' },
      logging: { level: 'silent', file: '' },
      admins: { user_ids: ['900'], role_ids: [] },
    },
  });
}

describe('openCoachwire with database.url (PostgreSQL)', () => {
  it('stores plans and points in PostgreSQL, not in the SQLite file', async () => {
    const coachwire = await openCoachwire(configFor(database.url));
    try {
      expect(coachwire.store.kind).toBe('postgres');
      expect(coachwire.store.location).not.toContain(new URL(database.url).password);
      await coachwire.services.plans.post({ id: '1', name: 'olly' }, { coach: 'd', text: 'SPY above 510' });
      await coachwire.services.points.grant(
        { id: '900', name: 'ada' },
        { guildId: '42', idempotencyKey: 'welcome-7' },
        '7',
        250,
        'welcome',
      );
      expect((await coachwire.services.points.balance('42', '7')).balance).toBeGreaterThanOrEqual(250);
      expect(await coachwire.store.countPlans()).toBe(1);
      const report = await coachwire.store.checkLedger();
      expect(report.ok).toBe(true);
    } finally {
      await coachwire.close();
    }
    // A second process (here: a second open) sees what the first wrote.
    const again = await openCoachwire(configFor(database.url));
    try {
      expect(await again.store.countPlans()).toBe(1);
    } finally {
      await again.close();
    }
  });

  it('refuses an unreachable server with the fix, naming the host but never the password', async () => {
    const url = new URL(database.url);
    url.port = '1';
    const failure = await openCoachwire(configFor(url.toString())).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StartupError);
    const printed = `${(failure as StartupError).message}\n${(failure as StartupError).fix}`;
    expect(printed).toContain('127.0.0.1:1');
    expect(printed).toContain('DATABASE_URL');
    expect(printed).not.toContain(url.password);
  });

  it('refuses a URL whose password needed percent-encoding with the URL fix, showing none of the password', async () => {
    // The / and # end the user info early: read as written, the host would be "Hx7" and the database "Yq3".
    const url = new URL(database.url);
    const raw = `postgres://${url.username}:p@Hx7/Yq3#Zk9@${url.host}${url.pathname}`;
    const failure = await openCoachwire(configFor(raw)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StartupError);
    const { message, fix } = failure as StartupError;
    expect(message).toContain('must be percent-encoded');
    expect(fix).toContain('percent-encoding');
    expect(fix).not.toContain('server must be running');
    for (const piece of ['Hx7', 'Yq3', 'Zk9']) expect(`${message}\n${fix}`).not.toContain(piece);
  });
});
