import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import type { Coach } from '@coachwire/core';
import { readLegacySqlite } from '@coachwire/storage';
import { CliError, EXIT_USAGE } from '../cli-io.js';
import { plansFromLegacyJson } from './legacy-json-source.js';
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
  const kind = format ?? detectLegacyFormat(path);
  if (kind === 'sqlite') return plansFromLegacySqlite(readLegacySqlite(path), coaches);
  let dump: unknown;
  try {
    dump = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CliError(
      `${path} is neither a SQLite database nor valid JSON (${(error as Error).message}).`,
      'give the old coach_plans.db, or the JSON dump of the first version (an object keyed coach_<letter>_<date>).',
      EXIT_USAGE,
    );
  }
  return plansFromLegacyJson(dump, coaches);
}
