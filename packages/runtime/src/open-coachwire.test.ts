import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CoachwireConfig, type DeepPartial, loadConfig } from '@coachwire/config';
import type { Clock } from '@coachwire/core';
import { committedMigrations, MIGRATIONS_FOLDER, migrateDatabase, openDatabase } from '@coachwire/storage';
import { afterEach, describe, expect, it } from 'vitest';
import { openCoachwire } from './open-coachwire.js';
import { SCHEMA_TOO_NEW_FIX } from './open-store.js';
import { StartupError } from './startup-checks.js';

let dir: string;
let now = Date.parse('2026-11-20T15:00:00Z');
const clock: Clock = { now: () => now };

function configWith(overrides: DeepPartial<CoachwireConfig> = {}): CoachwireConfig {
  dir = mkdtempSync(join(tmpdir(), 'coachwire-runtime-'));
  return loadConfig({
    env: {},
    argv: [],
    cwd: dir,
    overrides: {
      database: { path: join(dir, 'data', 'plans.db') },
      logging: { level: 'silent', file: '' },
      ...overrides,
    },
  });
}

afterEach(() => {
  now = Date.parse('2026-11-20T15:00:00Z');
  rmSync(dir, { recursive: true, force: true });
});

describe('openCoachwire', () => {
  it('opens a migrated database whose services follow every configured rule', async () => {
    const config = configWith({
      admins: { user_ids: ['900'], role_ids: [] },
      discord: { edit_window_minutes: 5, max_chart_attachments: 1 },
      coaches: [
        { id: 'd', name: 'Coach D', role_ids: [], user_ids: [] },
        { id: 'r', name: 'Coach R', role_ids: ['555'], user_ids: [] },
      ],
    });
    const coachwire = await openCoachwire(config, { clock });
    try {
      const plans = coachwire.services.plans;
      expect(plans.isAdmin({ id: '900', name: 'ada' })).toBe(true);
      // Coach role restrictions hold.
      await expect(plans.post({ id: '1', name: 'olly' }, { coach: 'r', text: 'x' })).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      const chart = (filename: string) => ({
        url: `https://cdn.discordapp.com/${filename}`,
        filename,
        contentType: 'image/png',
      });
      // The chart limit holds.
      await expect(
        plans.post(
          { id: '1', name: 'olly' },
          { coach: 'd', text: 'SPY', charts: [chart('a.png'), chart('b.png')] },
        ),
      ).rejects.toMatchObject({ code: 'VALIDATION' });
      await plans.post(
        { id: '1', name: 'olly' },
        { coach: 'd', text: 'SPY', charts: [chart('a.png')], sourceMessageId: '77' },
      );
      // The edit window holds: six minutes later an edit of the source message no longer applies.
      now += 6 * 60_000;
      expect(await plans.editFromSourceMessage({ id: '1', name: 'olly' }, '77', 'late')).toBeNull();
      expect(await coachwire.repositories.plans.latestEventId()).toBeGreaterThan(0);
    } finally {
      await coachwire.close();
      await coachwire.close();
    }
  });

  it('refuses a database path that is a directory with a fix, leaving nothing open', async () => {
    const config = configWith();
    const { mkdirSync } = await import('node:fs');
    mkdirSync(config.database.path, { recursive: true });
    const failure = await openCoachwire(config).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StartupError);
    expect((failure as StartupError).fix).toContain('database.path');
  });

  it('names the backup as the fix when the file cannot be migrated, leaving nothing open', async () => {
    const config = configWith();
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'data'));
    // Ours by its migrations table, but damaged: a `plans` table the first migration cannot create.
    const damaged = openDatabase({ path: config.database.path });
    damaged.sqlite.exec(
      'CREATE TABLE __drizzle_migrations (id INTEGER PRIMARY KEY, hash TEXT NOT NULL, created_at NUMERIC); CREATE TABLE plans (something_else TEXT)',
    );
    damaged.close();
    const failure = await openCoachwire(config).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StartupError);
    expect((failure as StartupError).message).toContain(config.database.path);
    expect((failure as StartupError).fix).toContain('Restore the file from a backup');
  });

  it('refuses a database a newer release migrated, naming the way back as the fix', async () => {
    const config = configWith();
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'data'));
    const newer = openDatabase({ path: config.database.path });
    await migrateDatabase(newer);
    newer.sqlite
      .prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)')
      .run('a-newer-release', committedMigrations(MIGRATIONS_FOLDER).newest + 1);
    newer.close();
    const failure = await openCoachwire(config).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StartupError);
    expect((failure as StartupError).message).toContain('was migrated by a newer Coachwire release');
    expect((failure as StartupError).fix).toBe(SCHEMA_TOO_NEW_FIX);
  });

  it("refuses another program's database without changing it, instead of adding its tables", async () => {
    const config = configWith();
    const { mkdirSync, readFileSync, readdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'data'));
    const foreign = openDatabase({ path: config.database.path });
    foreign.sqlite.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('not ours')");
    foreign.close();
    const before = readFileSync(config.database.path);
    const failure = await openCoachwire(config).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StartupError);
    expect((failure as StartupError).message).toContain("it holds another program's tables (notes)");
    expect((failure as StartupError).fix).toContain(
      "for another program's database, point it at the Coachwire one",
    );
    expect(readFileSync(config.database.path).equals(before)).toBe(true);
    expect(readdirSync(join(dir, 'data'))).toEqual(['plans.db']);
  });

  it("refuses the old Python system's file without changing it, naming the import as the fix", async () => {
    const config = configWith();
    const { mkdirSync, readFileSync, readdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'data'));
    const python = openDatabase({ path: config.database.path });
    python.sqlite.exec('CREATE TABLE coach_plans (id INTEGER PRIMARY KEY, coach TEXT, date TEXT, plan TEXT)');
    python.close();
    const before = readFileSync(config.database.path);
    const failure = await openCoachwire(config).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StartupError);
    expect((failure as StartupError).message).toContain(`coachwire import ${config.database.path}`);
    expect((failure as StartupError).fix).toContain('coachwire import');
    expect(readFileSync(config.database.path).equals(before)).toBe(true);
    expect(readdirSync(join(dir, 'data'))).toEqual(['plans.db']);
  });

  it('refuses a database directory it cannot create, naming it', async () => {
    const config = configWith();
    const blocker = join(dir, 'data');
    writeFileSync(blocker, 'a file where the directory should be');
    const failure = await openCoachwire(config).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StartupError);
    expect((failure as StartupError).message).toContain(`database directory ${blocker}`);
  });
});
