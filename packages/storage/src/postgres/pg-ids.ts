import { type Column, type SQL, sql } from 'drizzle-orm';

/**
 * `column = id`, comparing the id as a bigint. Id columns are PostgreSQL integers (int4) and a bare parameter
 * takes the column's type, so an id past 2^31-1 (the API and the bot accept ids up to 2^53-1) failed the whole
 * statement as out of range (22003), a 503, where SQLite finds no row. Raw SQL casts its id parameters the same
 * way (`$1::bigint`); an int4 column still uses its index against a bigint.
 */
export function pgIdIs(column: Column, id: number): SQL {
  return sql`${column} = ${id}::bigint`;
}
