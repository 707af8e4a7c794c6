import { isUtf8 } from 'node:buffer';
import type Database from 'better-sqlite3';

/**
 * The rows of `table` whose `column` is stored as text whose bytes are not UTF-8, with those bytes. Reading
 * them as text would hide this: the driver decodes with replacement characters, so the bytes are read as blobs.
 */
export function textNotUtf8(
  sqlite: Database.Database,
  table: string,
  column: string,
): { rowid: number; bytes: Buffer }[] {
  const rows = sqlite
    .prepare(
      `SELECT rowid AS rowid, CAST("${column}" AS BLOB) AS bytes FROM "${table}" WHERE typeof("${column}") = 'text'`,
    )
    .iterate() as IterableIterator<{ rowid: number; bytes: Buffer }>;
  const bad: { rowid: number; bytes: Buffer }[] = [];
  for (const row of rows) if (!isUtf8(row.bytes)) bad.push(row);
  return bad;
}
