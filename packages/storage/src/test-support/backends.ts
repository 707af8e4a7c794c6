import { join } from 'node:path';
import { openSqliteStore } from '../sqlite-store.js';
import type { CoachwireStore } from '../store.js';
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

/**
 * Every backend, for `describe.each(STORE_BACKENDS)('... on $name', ...)`: a suite written against the
 * store's ports runs once per entry, so a second backend is added by appending it here.
 */
export const STORE_BACKENDS: readonly StoreBackend[] = [sqlite];
