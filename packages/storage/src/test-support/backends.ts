import { join } from 'node:path';
import { openPostgresStore } from '../postgres/pg-store.js';
import { openSqliteStore } from '../sqlite-store.js';
import type { CoachwireStore } from '../store.js';
import { createTestPgDatabase } from './pg-test-database.js';
import { tempDir } from './temp-database.js';

/** A fresh, migrated store of one backend; `dispose()` closes it and removes what it created. */
export interface OpenedTestStore {
  readonly store: CoachwireStore;
  /** Opens a second store on the same database, as another process would; `dispose()` closes it too. */
  openAnother(): Promise<CoachwireStore>;
  dispose(): Promise<void>;
}

/** One backend the parameterized suites run against. */
export interface StoreBackend {
  readonly name: 'sqlite' | 'postgres';
  open(): Promise<OpenedTestStore>;
}

const sqlite: StoreBackend = {
  name: 'sqlite',
  async open() {
    const { dir, remove } = tempDir();
    const path = join(dir, 'coachwire.sqlite');
    try {
      const store = await openSqliteStore({ path });
      const others: CoachwireStore[] = [];
      return {
        store,
        openAnother: async () => {
          const other = await openSqliteStore({ path });
          others.push(other);
          return other;
        },
        dispose: async () => {
          for (const other of others) await other.close();
          await store.close();
          remove();
        },
      };
    } catch (error) {
      remove();
      throw error;
    }
  },
};

/** A fresh database on the throwaway cluster the vitest run started (pg-global-setup.ts); dropped on dispose. */
const postgres: StoreBackend = {
  name: 'postgres',
  async open() {
    const database = await createTestPgDatabase();
    try {
      const store = await openPostgresStore({ url: database.url, poolSize: 4 });
      const others: CoachwireStore[] = [];
      return {
        store,
        openAnother: async () => {
          const other = await openPostgresStore({ url: database.url, poolSize: 4 });
          others.push(other);
          return other;
        },
        dispose: async () => {
          for (const other of others) await other.close();
          await store.close();
          await database.drop();
        },
      };
    } catch (error) {
      await database.drop();
      throw error;
    }
  },
};

/**
 * Every backend, for `describe.each(STORE_BACKENDS)('... on $name', ...)`: a suite written against the
 * store's ports runs once per entry, so a second backend is added by appending it here.
 */
export const STORE_BACKENDS: readonly StoreBackend[] = [sqlite, postgres];
