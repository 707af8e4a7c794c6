import type Database from 'better-sqlite3';
import { MIGRATIONS_TABLE } from './migrate.js';

/** The old Python system's table: a file with it and no migrations of ours is that system's database. */
const LEGACY_PLANS_TABLE = 'coach_plans';

/**
 * Whether the open file is the old Python system's database (its `coach_plans` table and none of our
 * migrations). Only reads the schema, so it changes nothing; a file that is not a database throws.
 */
export function isOldPythonDatabase(sqlite: Database.Database): boolean {
  const tables = new Set(
    sqlite.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[],
  );
  return tables.has(LEGACY_PLANS_TABLE) && !tables.has(MIGRATIONS_TABLE);
}

/** Why the old system's file is refused, and the way in. */
export function oldPythonDatabaseReason(path: string): string {
  return (
    `it is the old Python system's database (table ${LEGACY_PLANS_TABLE}), which Coachwire does not change: ` +
    `point DATABASE_PATH at a new file and import this one with \`coachwire import ${path}\``
  );
}

/**
 * The tables of another program's database: a file with tables and none of our migrations that is not the
 * old Python system's (a wrong DATABASE_PATH). Migrating it would add Coachwire's tables among its own.
 * Empty (a new file) when the file has no tables or is ours.
 */
export function foreignTables(sqlite: Database.Database): string[] {
  const tables = sqlite
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
  return tables.includes(MIGRATIONS_TABLE) ? [] : tables;
}

/** Why another program's file is refused. */
export function foreignDatabaseReason(tables: readonly string[]): string {
  const shown = tables.slice(0, 5).join(', ') + (tables.length > 5 ? ', …' : '');
  return (
    `it holds another program's tables (${shown}) and none of Coachwire's, so Coachwire does not change it: ` +
    'point DATABASE_PATH at the Coachwire database, or at a new file'
  );
}
