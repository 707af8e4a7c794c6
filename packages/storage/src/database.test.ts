import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StorageUnavailableError } from '@coachwire/core';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureWritableDirectory, openDatabase } from './database.js';
import { migrateDatabase } from './migrate.js';
import { SqlitePlanRepository } from './plans/sqlite-plan-repository.js';
import { planDraft, tempDir } from './test-support/temp-database.js';

let dir: string;
let remove: () => void;
beforeEach(() => {
  ({ dir, remove } = tempDir());
});
afterEach(() => remove());

function openError(path: string, options: { readonly?: boolean } = {}): StorageUnavailableError {
  try {
    openDatabase({ path, ...options }).close();
  } catch (error) {
    return error as StorageUnavailableError;
  }
  throw new Error(`opening ${path} unexpectedly succeeded`);
}

describe('openDatabase', () => {
  it('creates missing directories and sets WAL, busy timeout, foreign keys, synchronous NORMAL and temp_store MEMORY', () => {
    const handle = openDatabase({ path: join(dir, 'nested', 'deeper', 'coachwire.sqlite') });
    expect(handle.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(handle.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(handle.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(handle.sqlite.pragma('synchronous', { simple: true })).toBe(1);
    // 2 = MEMORY: a savepoint's journal never goes through a temporary file.
    expect(handle.sqlite.pragma('temp_store', { simple: true })).toBe(2);
    handle.close();
  });

  it("refuses the old Python system's database, naming the import, and leaves the file byte for byte as it was", () => {
    const path = join(dir, 'coach_plans.db');
    // As the Python system left it: a rollback-journal file with its coach_plans table.
    const python = new Database(path);
    python.exec(
      "CREATE TABLE coach_plans (id INTEGER PRIMARY KEY, coach TEXT, date TEXT, plan TEXT); INSERT INTO coach_plans VALUES (1, 'd', '2024-01-15', 'Long SPY');",
    );
    python.close();
    const digest = () => createHash('sha256').update(readFileSync(path)).digest('hex');
    const before = digest();
    const error = openError(path);
    expect(error.code).toBe('STORAGE_UNAVAILABLE');
    expect(error.message).toContain(`old Python system's database`);
    expect(error.message).toContain(`coachwire import ${path}`);
    expect(digest()).toBe(before);
    expect(readdirSync(dir)).toEqual(['coach_plans.db']);
    // Reading it (as the import does) is still allowed.
    const readOnly = openDatabase({ path, readonly: true });
    expect(readOnly.sqlite.prepare('SELECT count(*) FROM coach_plans').pluck().get()).toBe(1);
    readOnly.close();
    expect(digest()).toBe(before);
  });

  it('reports STORAGE_UNAVAILABLE naming the path when the parent directory is a file', () => {
    const blocker = join(dir, 'not-a-directory');
    writeFileSync(blocker, 'x');
    const path = join(blocker, 'coachwire.sqlite');
    const error = openError(path);
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect(error.code).toBe('STORAGE_UNAVAILABLE');
    expect(error.message).toContain(path);
    expect(error.message).toContain(`${blocker} is not a directory`);
  });

  it('reports STORAGE_UNAVAILABLE when a directory above the parent is a file', () => {
    const blocker = join(dir, 'file');
    writeFileSync(blocker, 'x');
    const path = join(blocker, 'sub', 'coachwire.sqlite');
    expect(openError(path)).toMatchObject({
      code: 'STORAGE_UNAVAILABLE',
      message: expect.stringContaining(`${path}: ${blocker} is not a directory (ENOTDIR)`),
    });
  });

  it('reports STORAGE_UNAVAILABLE when the path is a directory or not a database', () => {
    expect(openError(dir)).toMatchObject({
      code: 'STORAGE_UNAVAILABLE',
      message: expect.stringContaining(`${dir}: it is a directory; name the database file itself, e.g. `),
    });
    const garbage = join(dir, 'garbage.sqlite');
    writeFileSync(garbage, 'this is not an SQLite database, just some text that is long enough'.repeat(20));
    expect(openError(garbage)).toMatchObject({
      code: 'STORAGE_UNAVAILABLE',
      message: expect.stringMatching(/not a database/),
    });
  });

  it('reports STORAGE_UNAVAILABLE when a read-only open finds no file', () => {
    const missing = join(dir, 'missing.sqlite');
    expect(openError(missing, { readonly: true })).toMatchObject({
      code: 'STORAGE_UNAVAILABLE',
      message: expect.stringContaining(missing),
    });
  });
});

// /proc is a directory no process can create anything in, not even root (who ignores mode bits): every mkdir
// below it answers ENOENT, which once sent Node's recursive mkdir into an endless loop.
describe('directories that cannot be written', () => {
  it('fails at once with ENOENT where no directory can be created', () => {
    const path = '/proc/coachwire/data/coach_plans.db';
    expect(openError(path)).toMatchObject({
      code: 'STORAGE_UNAVAILABLE',
      message: expect.stringContaining(`${path}: /proc/coachwire: ENOENT`),
    });
    expect(() => ensureWritableDirectory('/proc/coachwire/data')).toThrow(
      expect.objectContaining({ code: 'ENOENT', directory: '/proc/coachwire' }),
    );
  });

  it('refuses an existing directory that access() calls writable but where no file can be created', () => {
    expect(() => ensureWritableDirectory('/proc')).toThrow(
      expect.objectContaining({ code: 'ENOENT', directory: '/proc' }),
    );
  });

  it('names a file in the way with ENOTDIR, however deep below it the path goes', () => {
    const blocker = join(dir, 'file');
    writeFileSync(blocker, 'x');
    expect(() => ensureWritableDirectory(join(blocker, 'a', 'b'))).toThrow(
      expect.objectContaining({ code: 'ENOTDIR', directory: blocker }),
    );
  });

  it('creates every missing level of a writable path and leaves no probe file behind', () => {
    const target = join(dir, 'a', 'b', 'c');
    ensureWritableDirectory(target);
    ensureWritableDirectory(target);
    expect(readdirSync(target)).toEqual([]);
  });
});

describe('repository errors', () => {
  it('maps a write to a read-only database to STORAGE_UNAVAILABLE', async () => {
    const path = join(dir, 'coachwire.sqlite');
    const writable = openDatabase({ path });
    await migrateDatabase(writable);
    writable.close();

    const readonly = openDatabase({ path, readonly: true });
    const repository = new SqlitePlanRepository(readonly);
    expect(await repository.getLive('d', '2026-03-02')).toBeNull();
    await expect(repository.insert(planDraft())).rejects.toMatchObject({
      code: 'STORAGE_UNAVAILABLE',
      message: expect.stringContaining(`${path}: attempt to write a readonly database`),
    });
    readonly.close();
  });

  it('maps SQLITE_BUSY, when another connection holds the write lock, to STORAGE_UNAVAILABLE', async () => {
    const path = join(dir, 'coachwire.sqlite');
    const handle = openDatabase({ path });
    await migrateDatabase(handle);
    const other = openDatabase({ path });
    other.sqlite.exec('BEGIN IMMEDIATE');
    handle.sqlite.pragma('busy_timeout = 10');
    await expect(new SqlitePlanRepository(handle).insert(planDraft())).rejects.toMatchObject({
      code: 'STORAGE_UNAVAILABLE',
      message: expect.stringContaining('locked'),
    });
    other.sqlite.exec('ROLLBACK');
    other.close();
    handle.close();
  });

  it('maps calls on an unmigrated or closed database to STORAGE_UNAVAILABLE, not a raw driver error', async () => {
    const handle = openDatabase({ path: join(dir, 'empty.sqlite') });
    const repository = new SqlitePlanRepository(handle);
    await expect(repository.getById(1)).rejects.toBeInstanceOf(StorageUnavailableError);
    handle.close();
    await expect(repository.list({ limit: 10 })).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
  });

  it('never puts plan text or SQL parameters in the error message', async () => {
    const handle = openDatabase({ path: join(dir, 'coachwire.sqlite') });
    await migrateDatabase(handle);
    handle.sqlite.exec(
      "CREATE TRIGGER fail BEFORE INSERT ON plans BEGIN SELECT RAISE(ABORT, 'refused'); END",
    );
    const error = await new SqlitePlanRepository(handle)
      .insert(planDraft({ text: 'secret-plan-text' }))
      .catch((e) => e);
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect(error.message).toContain('refused');
    expect(error.message).not.toContain('secret-plan-text');
    expect(String(error.cause?.message)).not.toContain('secret-plan-text');
    handle.close();
  });
});
