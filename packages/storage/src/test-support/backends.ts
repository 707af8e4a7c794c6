import { join } from 'node:path';
import { openSqliteStore } from '../sqlite-store.js';
import type { CoachwireStore } from '../store.js';
import { tempDir } from './temp-database.js';

/** A fresh, migrated store of one backend; `dispose()` closes it and removes what it created. */
export interface OpenedTestStore {
  readonly store: CoachwireStore;
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
    try {
      const store = await openSqliteStore({ path: join(dir, 'coachwire.sqlite') });
      return {
        store,
        dispose: async () => {
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
