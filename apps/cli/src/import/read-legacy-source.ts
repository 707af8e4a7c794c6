import { isUtf8 } from 'node:buffer';
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { type Coach, StorageUnavailableError, ValidationError } from '@coachwire/core';
import { readLegacySqlite } from '@coachwire/storage';
import { CliError, EXIT_USAGE } from '../cli-io.js';
import { NOT_A_SOURCE_FIX, plansFromLegacyJson } from './legacy-json-source.js';
import type { LegacyReading } from './legacy-reading.js';
import { plansFromLegacySqlite } from './legacy-sqlite-source.js';

export type LegacyFormat = 'sqlite' | 'json';

const SQLITE_MAGIC = 'SQLite format 3\0';

/** Which of the two old forms a file is, from its first bytes. */
export function detectLegacyFormat(path: string): LegacyFormat {
  const head = Buffer.alloc(SQLITE_MAGIC.length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  return head.toString('latin1') === SQLITE_MAGIC ? 'sqlite' : 'json';
}

/** Reads a legacy source (the old SQLite file or the JSON dump) into importable plans and invalid rows. */
export function readLegacySource(
  path: string,
  coaches: readonly Coach[],
  format?: LegacyFormat,
): LegacyReading {
  if (!existsSync(path))
    throw new CliError(
      `No file at ${path}.`,
      'give the path of the old coach_plans.db or of the JSON dump.',
      EXIT_USAGE,
    );
  if (statSync(path).isDirectory())
    throw new CliError(
      `${path} is a directory.`,
      'give the path of the old coach_plans.db or of the JSON dump, not of the directory that holds it.',
      EXIT_USAGE,
    );
  const kind = format ?? detectLegacyFormat(path);
  if (kind === 'sqlite') return plansFromLegacySqlite(readOldSqlite(path), coaches);
  const bytes = readFileSync(path);
  // Decoding other bytes as UTF-8 would import replacement characters in place of the text.
  if (!isUtf8(bytes))
    throw new CliError(
      `${path} is not UTF-8 text (it was saved in another encoding, such as Windows-1252).`,
      `convert it to UTF-8 and import the converted file, e.g. \`iconv -f windows-1252 -t utf-8 ${path} > dump-utf8.json\`.`,
      EXIT_USAGE,
    );
  let dump: unknown;
  try {
    // Less a byte-order mark, which Windows editors put first when saving UTF-8.
    dump = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new CliError(
      `${path} is neither a SQLite database nor valid JSON (${(error as Error).message}).`,
      NOT_A_SOURCE_FIX,
      EXIT_USAGE,
    );
  }
  return plansFromLegacyJson(path, dump, coaches);
}

/** The old SQLite file's rows; a file that is not that database is bad input with its fix, not a crash. */
function readOldSqlite(path: string) {
  try {
    return readLegacySqlite(path);
  } catch (error) {
    if (error instanceof StorageUnavailableError && /^SQLITE_(BUSY|LOCKED)/.test(causeCode(error)))
      throw new CliError(
        error.message,
        'stop the old Python bot (or close the program that has the file open, such as a sqlite3 shell), then run the import again.',
      );
    if (!(error instanceof ValidationError)) throw error;
    throw new CliError(
      error.message,
      'give the old system’s coach_plans.db (the file with the coach_plans table) or its JSON dump; Coachwire’s own database (DATABASE_PATH) is where the import writes, not a source.',
      EXIT_USAGE,
    );
  }
}

function causeCode(error: Error): string {
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : '';
}
