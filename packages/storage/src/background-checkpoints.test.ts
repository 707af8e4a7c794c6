import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BACKSTOP_AUTOCHECKPOINT_PAGES } from './background-checkpoints.js';
import { type CoachwireDatabase, openDatabase } from './database.js';
import { tempDir } from './test-support/temp-database.js';

let dir: string;
let remove: () => void;
let handle: CoachwireDatabase | undefined;
beforeEach(() => {
  ({ dir, remove } = tempDir());
});
afterEach(() => {
  handle?.close();
  remove();
});

/** Commits about 100 pages: well below SQLite's own 1000-page auto-checkpoint. */
function writeSomePages(database: CoachwireDatabase): void {
  database.sqlite.exec('CREATE TABLE filler (body TEXT NOT NULL)');
  const insert = database.sqlite.prepare('INSERT INTO filler (body) VALUES (?)');
  database.sqlite.transaction(() => {
    for (let row = 0; row < 100; row += 1) insert.run('x'.repeat(3000));
  })();
}

const databaseFileBytes = (database: CoachwireDatabase) => statSync(database.path).size;

describe('background checkpoints', () => {
  it('copy committed pages into the database file while the writer does nothing', async () => {
    handle = openDatabase({ path: join(dir, 'coachwire.sqlite'), backgroundCheckpoints: true });
    expect(handle.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(BACKSTOP_AUTOCHECKPOINT_PAGES);
    const before = databaseFileBytes(handle);
    writeSomePages(handle);
    const database = handle;
    await vi.waitFor(() => expect(databaseFileBytes(database)).toBeGreaterThan(before + 100 * 3000), {
      timeout: 10_000,
      interval: 20,
    });
    expect(database.sqlite.prepare('SELECT count(*) AS rows FROM filler').get()).toEqual({ rows: 100 });
  });

  it('are off by default: the pages stay in the WAL until the writer checkpoints', () => {
    handle = openDatabase({ path: join(dir, 'coachwire.sqlite') });
    expect(handle.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    const before = databaseFileBytes(handle);
    writeSomePages(handle);
    expect(databaseFileBytes(handle)).toBe(before);
    handle.sqlite.pragma('wal_checkpoint(PASSIVE)');
    expect(databaseFileBytes(handle)).toBeGreaterThan(before + 100 * 3000);
  });

  it('never start on a read-only connection', () => {
    openDatabase({ path: join(dir, 'coachwire.sqlite') }).close();
    handle = openDatabase({
      path: join(dir, 'coachwire.sqlite'),
      readonly: true,
      backgroundCheckpoints: true,
    });
    expect(handle.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });
});
