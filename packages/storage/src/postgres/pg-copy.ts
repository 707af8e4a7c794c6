import { CoachwireError, ConflictError, ValidationError } from '@coachwire/core';
import { getTableColumns, is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import type { CoachwireDatabase } from '../database.js';
import { integrityCheck } from '../maintenance.js';
import type { MigrationResult } from '../migrate.js';
import type { LedgerReport } from '../points/ledger-report.js';
import { checkLedgerWith } from '../points/pg-ledger-check.js';
import type { PgHandle } from './pg-database.js';
import { PG_UNDEFINED_TABLE, pgErrorCode } from './pg-errors.js';
import { migratePostgres } from './pg-migrate.js';
import * as pgSchema from './pg-schema.js';

/** Rows copied into one table. */
export interface CopiedTable {
  readonly table: string;
  readonly rows: number;
}

/**
 * The source fails the integrity check `db check` runs (damaged pages, orphan rows, text that is not UTF-8);
 * nothing was written. Copied as it is, text that is not UTF-8 would reach PostgreSQL as U+FFFD, unnoticed.
 */
export class SourceIntegrityError extends CoachwireError {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super('VALIDATION', `The SQLite file fails its integrity check: ${problems.join('; ')}.`, {
      details: { problems },
    });
    this.problems = problems;
  }
}

/** Text in one column of the source holding NUL characters (U+0000), which PostgreSQL's text cannot store. */
export interface NulText {
  readonly table: string;
  readonly column: string;
  /** The rows' ids (or SQLite rowids, for a table without an id column), at most a few. */
  readonly rowIds: readonly number[];
  readonly rows: number;
}

/** What `copySqliteToPostgres` did: the target's migrations, every table's row count, and the ledger check. */
export interface CopyReport {
  readonly migrations: MigrationResult;
  /** In the order they were copied (parents before children). */
  readonly tables: readonly CopiedTable[];
  readonly ledger: LedgerReport;
  /** Text whose NUL characters were stored as U+FFFD (only with `replaceNul`). */
  readonly replacedNul: readonly NulText[];
}

/**
 * The source holds NUL characters (U+0000) in its text, which PostgreSQL cannot store; nothing was written.
 * SQLite kept them from before Coachwire refused them.
 */
export class NulTextError extends CoachwireError {
  readonly found: readonly NulText[];
  constructor(found: readonly NulText[]) {
    super(
      'VALIDATION',
      `The SQLite file holds text with NUL characters (U+0000), which PostgreSQL cannot store: ${describeNulText(found)}.`,
      { details: { found } },
    );
    this.found = found;
  }
}

/** `plans.text (id 17), markets.question (ids 5, 9)` */
export function describeNulText(found: readonly NulText[]): string {
  return found
    .map(({ table, column, rowIds, rows }) => {
      const more = rows > rowIds.length ? ` and ${rows - rowIds.length} more` : '';
      return `${table}.${column} (${rowIds.length === 1 && !more ? 'id' : 'ids'} ${rowIds.join(', ')}${more})`;
    })
    .join(', ');
}

/** The copy did not come out equal to its source; it was rolled back and the target is as before. */
export class CopyVerificationError extends CoachwireError {
  readonly mismatches: readonly string[];
  constructor(mismatches: readonly string[]) {
    super(
      'STORAGE_UNAVAILABLE',
      `The copy was rolled back: ${mismatches.length} check(s) failed on it before commit.`,
      { details: { mismatches } },
    );
    this.mismatches = mismatches;
  }
}

/** Rows per INSERT statement; also bounded by PostgreSQL's 65535 parameters per statement. */
const DEFAULT_BATCH_ROWS = 500;
const MAX_PARAMETERS = 60_000;

interface TablePlan {
  readonly name: string;
  readonly columns: readonly { readonly name: string; readonly boolean: boolean; readonly text: boolean }[];
}

/**
 * Every table of the PostgreSQL schema, parents before children (from the schema's foreign keys, so a new
 * table is copied without anyone editing a list here), ties broken by name so the order is stable.
 */
export function tablesInForeignKeyOrder(): TablePlan[] {
  const tables = (Object.values(pgSchema) as unknown[]).filter((value): value is PgTable =>
    is(value, PgTable),
  );
  const parents = new Map<string, Set<string>>();
  const plans = new Map<string, TablePlan>();
  for (const table of tables) {
    const config = getTableConfig(table);
    parents.set(
      config.name,
      new Set(
        config.foreignKeys
          .map((key) => getTableConfig(key.reference().foreignTable).name)
          .filter((parent) => parent !== config.name),
      ),
    );
    plans.set(config.name, {
      name: config.name,
      columns: Object.values(getTableColumns(table)).map((column) => ({
        name: column.name,
        boolean: column.columnType === 'PgBoolean',
        text: column.columnType === 'PgText',
      })),
    });
  }
  const ordered: TablePlan[] = [];
  const placed = new Set<string>();
  while (ordered.length < plans.size) {
    const ready = [...plans.keys()]
      .filter((name) => !placed.has(name) && [...(parents.get(name) ?? [])].every((p) => placed.has(p)))
      .sort();
    if (ready.length === 0) throw new Error('the PostgreSQL schema has a foreign-key cycle');
    for (const name of ready) {
      placed.add(name);
      ordered.push(plans.get(name)!);
    }
  }
  return ordered;
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

/**
 * Copies a whole SQLite installation into an empty PostgreSQL database, ids included.
 *
 * The target is migrated first. Then one transaction locks every table (so an API instance already
 * pointed at the target cannot write in between), refuses a target that holds any row (naming the tables),
 * inserts every table in foreign-key order in batches, moves each identity sequence past the highest id
 * copied (or the next insert would reuse id 1), and compares the row count of every table and the ledger
 * invariants on the copy before it commits. Any failure rolls the whole copy back.
 *
 * The source is read inside one SQLite read transaction, so a bot still writing to it cannot produce a copy
 * from two moments; stop the apps anyway, or their later writes stay behind in the file.
 */
export async function copySqliteToPostgres(
  source: CoachwireDatabase,
  target: PgHandle,
  options: {
    readonly batchRows?: number;
    /**
     * Store each NUL character (U+0000) of the source's text as U+FFFD, listed in the report; without it a
     * source holding one is refused (NulTextError) before anything is written.
     */
    readonly replaceNul?: boolean;
  } = {},
): Promise<CopyReport> {
  const tables = tablesInForeignKeyOrder();
  assertSourceHasColumns(source, tables);
  const integrity = integrityCheck(source);
  if (!integrity.ok) throw new SourceIntegrityError(integrity.messages);
  // Found before the target is touched: PostgreSQL would otherwise fail half-way with its encoding error.
  const nulText = findNulText(source, tables);
  if (nulText.length > 0 && options.replaceNul !== true) throw new NulTextError(nulText);
  const migrations = await migratePostgres(target);
  let client: pg.PoolClient;
  try {
    client = await target.pool.connect();
  } catch (error) {
    throw target.toError('connect to', error);
  }
  let broken = false;
  source.sqlite.exec('BEGIN');
  try {
    await client.query('BEGIN');
    try {
      // EXCLUSIVE still lets others read, but no one else writes until the copy commits or rolls back.
      await client
        .query(`LOCK TABLE ${tables.map((table) => quote(table.name)).join(', ')} IN EXCLUSIVE MODE`)
        .catch((error: unknown) => {
          // The migrations' record says the tables were made, yet one is gone: dropped by hand.
          if (pgErrorCode(error) === PG_UNDEFINED_TABLE)
            throw new ConflictError(
              "The target database records Coachwire's migrations but lacks some of its tables (dropped by hand?), so it cannot be migrated again.",
              error,
            );
          throw error;
        });
      await assertTargetEmpty(client, tables);
      const copied: CopiedTable[] = [];
      for (const table of tables) {
        copied.push({ table: table.name, rows: await copyTable(source, client, table, options.batchRows) });
      }
      await resetIdentitySequences(client);
      const mismatches = await compareCounts(source, client, copied);
      const ledger = await checkLedgerWith(client);
      mismatches.push(...ledger.violations.map((violation) => `ledger: ${violation}`));
      if (mismatches.length > 0) throw new CopyVerificationError(mismatches);
      await client.query('COMMIT');
      return { migrations, tables: copied, ledger, replacedNul: nulText };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw error;
    }
  } catch (error) {
    if (error instanceof CoachwireError) throw error;
    throw target.toError('copy into', error);
  } finally {
    source.sqlite.exec('COMMIT');
    client.release(broken ? true : undefined);
  }
}

/** A source from an older release lacks tables or columns; copying it would silently drop data. */
function assertSourceHasColumns(source: CoachwireDatabase, tables: readonly TablePlan[]): void {
  const missing: string[] = [];
  for (const table of tables) {
    const present = new Set(
      (source.sqlite.prepare(`PRAGMA table_info(${quote(table.name)})`).all() as { name: string }[]).map(
        (column) => column.name,
      ),
    );
    if (present.size === 0) {
      missing.push(`table ${table.name}`);
      continue;
    }
    for (const column of table.columns)
      if (!present.has(column.name)) missing.push(`column ${table.name}.${column.name}`);
  }
  if (missing.length > 0)
    throw new ValidationError(
      `${source.path} is not at the current schema (missing ${missing.join(', ')}); migrate it first.`,
      'from',
    );
}

/** Every text column of the source holding a NUL character, with the first few rows' ids. */
function findNulText(source: CoachwireDatabase, tables: readonly TablePlan[]): NulText[] {
  const found: NulText[] = [];
  for (const table of tables) {
    const key = table.columns.some((column) => column.name === 'id') ? 'id' : 'rowid';
    for (const column of table.columns.filter((c) => c.text)) {
      // As a BLOB: SQLite's text functions stop at a NUL.
      const holding = `FROM ${quote(table.name)} WHERE instr(CAST(${quote(column.name)} AS BLOB), x'00') > 0`;
      const { rows } = source.sqlite.prepare(`SELECT count(*) AS rows ${holding}`).get() as { rows: number };
      if (rows === 0) continue;
      const rowIds = (
        source.sqlite.prepare(`SELECT ${key} AS id ${holding} ORDER BY ${key} LIMIT 5`).all() as {
          id: number;
        }[]
      ).map((row) => row.id);
      found.push({ table: table.name, column: column.name, rowIds, rows });
    }
  }
  return found;
}

async function assertTargetEmpty(client: pg.PoolClient, tables: readonly TablePlan[]): Promise<void> {
  const holding: string[] = [];
  for (const table of tables) {
    const { rows } = await client.query<{ found: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM ${quote(table.name)}) AS found`,
    );
    if (rows[0]?.found) holding.push(table.name);
  }
  if (holding.length > 0)
    throw new ConflictError(
      `The target database already holds rows (in ${holding.join(', ')}); db copy only fills an empty database.`,
    );
}

async function copyTable(
  source: CoachwireDatabase,
  client: pg.PoolClient,
  table: TablePlan,
  batchRows = DEFAULT_BATCH_ROWS,
): Promise<number> {
  const names = table.columns.map((column) => column.name);
  const perBatch = Math.max(1, Math.min(batchRows, Math.floor(MAX_PARAMETERS / names.length)));
  // Keyset paging on rowid keeps the source's insertion (= id) order and never rescans earlier pages.
  const page = source.sqlite
    .prepare(
      `SELECT rowid AS "__rowid", ${names.map(quote).join(', ')} FROM ${quote(table.name)}
       WHERE rowid > ? ORDER BY rowid LIMIT ?`,
    )
    .raw();
  const columnList = names.map(quote).join(', ');
  let after = Number.MIN_SAFE_INTEGER;
  let copied = 0;
  for (;;) {
    const rows = page.all(after, perBatch) as unknown[][];
    if (rows.length === 0) return copied;
    const parameters: unknown[] = [];
    const tuples = rows.map((row) => {
      const placeholders = table.columns.map((column, index) => {
        const value = row[index + 1];
        // SQLite keeps booleans as 0/1; PostgreSQL wants real booleans. NULs are only here with replaceNul.
        parameters.push(
          column.boolean && value !== null
            ? value === 1
            : column.text && typeof value === 'string'
              ? value.replaceAll('\u0000', '\uFFFD')
              : value,
        );
        return `$${parameters.length}`;
      });
      return `(${placeholders.join(', ')})`;
    });
    await client.query(
      `INSERT INTO ${quote(table.name)} (${columnList}) VALUES ${tuples.join(', ')}`,
      parameters,
    );
    copied += rows.length;
    after = rows.at(-1)![0] as number;
  }
}

/** Ids were inserted as they were; without this, the next plan on PostgreSQL would be given id 1 again. */
async function resetIdentitySequences(client: pg.PoolClient): Promise<void> {
  const { rows } = await client.query<{ table: string; column: string }>(
    `SELECT table_name AS table, column_name AS column FROM information_schema.columns
     WHERE table_schema = 'public' AND is_identity = 'YES' ORDER BY table_name`,
  );
  for (const { table, column } of rows) {
    await client.query(
      `SELECT setval(pg_get_serial_sequence($1, $2), coalesce(max(${quote(column)}), 0) + 1, false)
       FROM ${quote(table)}`,
      [quote(table), column],
    );
  }
}

async function compareCounts(
  source: CoachwireDatabase,
  client: pg.PoolClient,
  copied: readonly CopiedTable[],
): Promise<string[]> {
  const mismatches: string[] = [];
  for (const { table, rows } of copied) {
    const inSource = (
      source.sqlite.prepare(`SELECT count(*) AS n FROM ${quote(table)}`).get() as { n: number }
    ).n;
    const { rows: counted } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${quote(table)}`,
    );
    const inTarget = counted[0]?.n ?? 0;
    if (inSource !== inTarget || rows !== inTarget)
      mismatches.push(`${table}: ${inSource} row(s) in the source, ${inTarget} in the copy`);
  }
  return mismatches;
}
