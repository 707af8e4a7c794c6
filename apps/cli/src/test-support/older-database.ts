import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MIGRATIONS_FOLDER, openDatabase } from '@coachwire/storage';

/** The committed migrations, oldest first, as drizzle's journal lists them. */
export function committedMigrations(): { tag: string; when: number }[] {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string; when: number }[];
  };
  return journal.entries;
}

/**
 * Writes a database as an older release left it: the first `applied` migrations run and recorded as drizzle's
 * migrator does (before 0002, plan events were still in `plan_events` and there was no `events` table).
 */
export function writeOlderDatabase(path: string, applied: number): void {
  mkdirSync(dirname(path), { recursive: true });
  const older = openDatabase({ path });
  try {
    older.sqlite.exec(
      'CREATE TABLE "__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)',
    );
    for (const { tag, when } of committedMigrations().slice(0, applied)) {
      const sql = readFileSync(join(MIGRATIONS_FOLDER, `${tag}.sql`), 'utf8');
      older.sqlite.exec(sql);
      older.sqlite
        .prepare('INSERT INTO "__drizzle_migrations" (hash, created_at) VALUES (?, ?)')
        .run(createHash('sha256').update(sql).digest('hex'), when);
    }
  } finally {
    older.close();
  }
}
