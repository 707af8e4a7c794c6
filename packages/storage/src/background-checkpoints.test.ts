import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BACKSTOP_AUTOCHECKPOINT_PAGES,
  CATCH_UP_PAGES,
  CHECKPOINT_INTERVAL_MS,
  IDLE_CHECKPOINT_INTERVAL_MS,
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
  const intervals = {
    busyMs: CHECKPOINT_INTERVAL_MS,
    idleMs: IDLE_CHECKPOINT_INTERVAL_MS,
    catchUpPages: CATCH_UP_PAGES,
  };
  const next = (
    log: number,
    checkpointed: number,
    previousLog: number,
    previousDelay = CHECKPOINT_INTERVAL_MS,
  ) => nextCheckpointDelay({ log, checkpointed }, previousLog, previousDelay, intervals);
  const large = CATCH_UP_PAGES + 500;

  it('comes at once while a large WAL keeps growing and the last pass copied every frame it saw', () => {
    expect(next(large, large, large - 100)).toBe(0);
    expect(next(CATCH_UP_PAGES, CATCH_UP_PAGES, 0)).toBe(0);
  });

  it('waits the interval while the WAL is small', () => {
    expect(next(CATCH_UP_PAGES - 1, CATCH_UP_PAGES - 1, 10)).toBe(CHECKPOINT_INTERVAL_MS);
  });

  it('waits twice as long at each pass while nothing is written, up to the idle interval', () => {
    let delay = CHECKPOINT_INTERVAL_MS;
    const waits: number[] = [];
    for (let pass = 0; pass < 7; pass++) {
      delay = next(12, 12, 12, delay);
      waits.push(delay);
    }
    expect(waits).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
    expect(IDLE_CHECKPOINT_INTERVAL_MS).toBe(1000);
    // A large WAL that nobody writes to any more (the next write starts it over) is idle too.
    expect(next(large, large, large)).toBe(2 * CHECKPOINT_INTERVAL_MS);
    // An empty WAL: nothing written since it started over.
    expect(next(0, 0, 0, 400)).toBe(800);
  });

  it('goes back to the interval at the first pass that finds a commit', () => {
    expect(next(15, 15, 12, IDLE_CHECKPOINT_INTERVAL_MS)).toBe(CHECKPOINT_INTERVAL_MS);
    expect(next(large, large, 12, IDLE_CHECKPOINT_INTERVAL_MS)).toBe(0);
  });

  it('waits the interval when a reader kept frames from being copied, instead of spinning or idling', () => {
    expect(next(large, large - 300, large - 600)).toBe(CHECKPOINT_INTERVAL_MS);
    expect(next(large, large - 300, large, IDLE_CHECKPOINT_INTERVAL_MS)).toBe(CHECKPOINT_INTERVAL_MS);
  });

  it("waits the interval when another connection's checkpoint was running", () => {
    expect(next(-1, -1, large)).toBe(CHECKPOINT_INTERVAL_MS);
    expect(next(-1, -1, -1, IDLE_CHECKPOINT_INTERVAL_MS)).toBe(CHECKPOINT_INTERVAL_MS);
  });
});
