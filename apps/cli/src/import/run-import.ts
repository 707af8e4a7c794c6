import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type CoachwireConfig, coachesFromConfig } from '@coachwire/config';
import { ConflictError } from '@coachwire/core';
import {
  backupDatabase,
  type CoachwireDatabase,
  importLegacyPlans,
  type LegacyImportPlan,
  LegacyImportVerificationError,
  openDatabase,
  planLegacyImport,
} from '@coachwire/storage';
import { CliError, type CliIo } from '../cli-io.js';
import { openMigratedDatabase } from '../open-target.js';
import type { LegacyReading } from './legacy-reading.js';
import { type LegacyFormat, readLegacySource } from './read-legacy-source.js';

export interface ImportOptions {
  readonly dryRun?: boolean;
  readonly skipInvalid?: boolean;
  readonly format?: LegacyFormat;
  /** Where the pre-import backup goes; defaults to `<database>.before-import-<time>`. */
  readonly backup?: string;
}

/** `coachwire import`: validate every row, back up, write in one verified transaction, report. */
export async function runImport(
  config: CoachwireConfig,
  sourcePath: string,
  options: ImportOptions,
  io: CliIo,
): Promise<void> {
  const source = resolve(io.cwd, sourcePath);
  const reading = readLegacySource(source, coachesFromConfig(config), options.format);
  io.stdout(
    `Read ${source} (${reading.format}): ${reading.plans.length} plan(s) valid, ${reading.invalid.length} invalid row(s).\n`,
  );
  for (const row of reading.invalid) io.stdout(`  invalid ${row.source}: ${row.problems.join('; ')}\n`);

  if (options.dryRun) return dryRun(config, reading, options, io);
  if (reading.invalid.length > 0 && !options.skipInvalid)
    throw new CliError(
      `Nothing was written: ${reading.invalid.length} row(s) of the source are invalid (listed above).`,
      'correct those rows in the source, or rerun with --skip-invalid to import the valid ones and leave those out.',
    );

  const handle = await openMigratedDatabase(config.database.path);
  try {
    const preview = planLegacyImport(handle, reading.plans);
    if (preview.toInsert.length === 0 && preview.conflicts.length === 0) {
      io.stdout(`Nothing to import: all ${preview.alreadyImported.length} plan(s) were imported before.\n`);
      return;
    }
    const backup = resolve(io.cwd, options.backup ?? `${handle.path}.before-import-${fileStamp()}`);
    if (existsSync(backup)) throw new CliError(`${backup} already exists.`, 'choose another --backup file.');
    await backupDatabase(handle, backup);
    io.stdout(`Backed up ${handle.path} to ${backup}.\n`);
    writeImport(handle, reading, options, backup, io);
  } finally {
    handle.close();
  }
}

function writeImport(
  handle: CoachwireDatabase,
  reading: LegacyReading,
  options: ImportOptions,
  backup: string,
  io: CliIo,
): void {
  try {
    const result = importLegacyPlans(handle, reading.plans, { skipConflicts: options.skipInvalid === true });
    const { plans, charts, revisions, events } = result.written;
    io.stdout(
      [
        `Imported ${plans} plan(s), ${charts} chart(s), ${revisions} revision(s); wrote ${events} plan.created event(s).`,
        `Verified: every imported text, chart and revision equals its source, and the row counts add up.`,
        `Already imported before (left alone): ${result.alreadyImported.length}.`,
        ...result.conflicts.map((conflict) => `Skipped ${conflict.plan.source}: ${conflict.reason}.`),
        ...(reading.invalid.length > 0
          ? [`Skipped ${reading.invalid.length} invalid row(s) (--skip-invalid).`]
          : []),
        '',
      ].join('\n'),
    );
  } catch (error) {
    if (error instanceof LegacyImportVerificationError) {
      for (const mismatch of error.mismatches) io.stdout(`  mismatch: ${mismatch}\n`);
      throw new CliError(
        `${error.message} The database is exactly as before.`,
        `nothing to undo; report the mismatches above. A copy from before the import is at ${backup}.`,
      );
    }
    if (error instanceof ConflictError)
      throw new CliError(
        error.message,
        'delete the conflicting plans first, or rerun with --skip-invalid to leave those source rows out.',
      );
    throw error;
  }
}

async function dryRun(
  config: CoachwireConfig,
  reading: LegacyReading,
  options: ImportOptions,
  io: CliIo,
): Promise<void> {
  // A missing target is previewed against an empty, freshly migrated scratch file, so the dry run writes nothing.
  const scratch = existsSync(config.database.path)
    ? undefined
    : mkdtempSync(join(tmpdir(), 'coachwire-dry-run-'));
  const handle = scratch
    ? await openMigratedDatabase(join(scratch, 'preview.db'))
    : openDatabase({ path: config.database.path, readonly: true });
  let preview: LegacyImportPlan;
  try {
    preview = planLegacyImport(handle, reading.plans);
  } finally {
    handle.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
  const charts = preview.toInsert.reduce((total, plan) => total + plan.charts.length, 0);
  const revisions = preview.toInsert.reduce((total, plan) => total + plan.revisions.length, 0);
  const deleted = preview.toInsert.filter((plan) => plan.deletedAt !== null).length;
  io.stdout(
    [
      `Dry run, nothing written. The import would add ${preview.toInsert.length} plan(s) (${deleted} deleted), ${charts} chart(s), ${revisions} revision(s).`,
      `Already imported before: ${preview.alreadyImported.length}.`,
      ...preview.conflicts.map((conflict) => `Conflict ${conflict.plan.source}: ${conflict.reason}.`),
      '',
    ].join('\n'),
  );
  if ((reading.invalid.length > 0 || preview.conflicts.length > 0) && !options.skipInvalid)
    throw new CliError(
      'A real run would stop before writing because of the invalid or conflicting rows above.',
      'correct them, or add --skip-invalid to leave them out.',
    );
}

function fileStamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
}
