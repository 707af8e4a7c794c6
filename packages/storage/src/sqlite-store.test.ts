import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StorageUnavailableError } from '@coachwire/core';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore, sqliteDatabaseOf } from './sqlite-store.js';
import { StoreOpenError } from './store.js';
import { tempDir } from './test-support/temp-database.js';

const dirs: (() => void)[] = [];
afterEach(() => {
  for (const remove of dirs.splice(0)) remove();
});

function freshDir(): string {
  const { dir, remove } = tempDir();
  dirs.push(remove);
  return dir;
}

describe('openSqliteStore', () => {
  it('creates, migrates and opens the file, and names it as its location', async () => {
    const path = join(freshDir(), 'nested', 'coachwire.sqlite');
    const store = await openSqliteStore({ path });
    try {
      expect(store).toMatchObject({ kind: 'sqlite', location: path });
      expect(sqliteDatabaseOf(store).path).toBe(path);
      expect(await store.countPlans()).toBe(0);
    } finally {
      await store.close();
      await store.close();
    }
  });

  it('refuses a path that is a directory as STORAGE_UNAVAILABLE of the open stage, naming the path', async () => {
    const path = join(freshDir(), 'plans.db');
    mkdirSync(path);
    const failure = await openSqliteStore({ path }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreOpenError);
    expect(failure).toBeInstanceOf(StorageUnavailableError);
    expect(failure).toMatchObject({ stage: 'open', code: 'STORAGE_UNAVAILABLE' });
    expect((failure as Error).message).toContain(path);
  });

  it('refuses a file that is not a database', async () => {
    const path = join(freshDir(), 'plans.db');
    writeFileSync(path, 'not a database, just text that is long enough to be read as a header '.repeat(4));
    const failure = await openSqliteStore({ path }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    expect(failure).toMatchObject({ stage: 'open' });
  });
});
