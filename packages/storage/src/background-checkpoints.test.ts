import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BACKSTOP_AUTOCHECKPOINT_PAGES,
  CATCH_UP_PAGES,
  CHECKPOINT_INTERVAL_MS,
  nextCheckpointDelay,
} from './background-checkpoints.js';
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

describe("the worker's next checkpoint pass", () => {
  const next = (log: number, checkpointed: number, previousLog: number) =>
    nextCheckpointDelay({ log, checkpointed }, previousLog, CHECKPOINT_INTERVAL_MS, CATCH_UP_PAGES);
  const large = CATCH_UP_PAGES + 500;

  it('comes at once while a large WAL keeps growing and the last pass copied every frame it saw', () => {
    expect(next(large, large, large - 100)).toBe(0);
    expect(next(CATCH_UP_PAGES, CATCH_UP_PAGES, 0)).toBe(0);
  });

  it('waits the interval while the WAL is small', () => {
    expect(next(CATCH_UP_PAGES - 1, CATCH_UP_PAGES - 1, 10)).toBe(CHECKPOINT_INTERVAL_MS);
  });

  it('waits the interval once nothing was committed since the pass before: the next write starts the WAL over', () => {
    expect(next(large, large, large)).toBe(CHECKPOINT_INTERVAL_MS);
  });

  it('waits the interval when a reader kept frames from being copied, instead of spinning', () => {
    expect(next(large, large - 300, large - 600)).toBe(CHECKPOINT_INTERVAL_MS);
  });

  it("waits the interval when another connection's checkpoint was running", () => {
    expect(next(-1, -1, large)).toBe(CHECKPOINT_INTERVAL_MS);
  });
});
