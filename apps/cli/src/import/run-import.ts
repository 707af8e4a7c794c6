import { resolve } from 'node:path';
import { type CoachwireConfig, coachesFromConfig } from '@coachwire/config';
import { ConflictError } from '@coachwire/core';
import { type LegacyImportPlan, LegacyImportVerificationError } from '@coachwire/storage';
import { CliError, type CliIo } from '../cli-io.js';
import { type ImportTarget, openDryRunTarget, openImportTarget } from './import-target.js';
import type { LegacyReading } from './legacy-reading.js';
import { type LegacyFormat, readLegacySource } from './read-legacy-source.js';

export interface ImportOptions {
  readonly dryRun?: boolean;
  readonly skipInvalid?: boolean;
  readonly format?: LegacyFormat;
  /**
   * Where the pre-import backup goes; defaults to `<database>.before-import-<time>` (SQLite) or
   * `coachwire-before-import-<time>.dump` (PostgreSQL, with pg_dump).
   */
  readonly backup?: string;
}

const CONFLICT_FIX =
  'delete the conflicting plans first, or rerun with --skip-invalid to leave those source rows out.';

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
  // Said as such: "all 0 plan(s) were imported before" read as if an earlier run had taken them.
  if (reading.plans.length === 0 && reading.invalid.length === 0) {
    io.stdout(`Nothing to import: ${source} holds no plans. Nothing was written.\n`);
    return;
  }

  if (options.dryRun) return dryRun(config, reading, options, io);
  if (reading.invalid.length > 0 && !options.skipInvalid)
    throw new CliError(
      `Nothing was written: ${reading.invalid.length} row(s) of the source are invalid (listed above).`,
      'correct those rows in the source, or rerun with --skip-invalid to import the valid ones and leave those out.',
    );
  // --skip-invalid left nothing: said as such, without creating or migrating the target for it.
  if (reading.plans.length === 0) {
    io.stdout(
      `Nothing to import: none of the ${reading.invalid.length} row(s) of ${source} is valid (listed above). Nothing was written.\n`,
    );
    return;
  }

  const target = await openImportTarget(config, io);
  try {
    const preview = await target.preview(reading.plans);
    // Refused before the backup: a refused import leaves nothing behind, not even a copy.
    if (preview.conflicts.length > 0 && !options.skipInvalid) {
      for (const conflict of preview.conflicts)
        io.stdout(`  conflict ${conflict.plan.source}: ${conflict.reason}\n`);
      throw new CliError(
        `Nothing was written: ${preview.conflicts.length} plan(s) of the source conflict with plans already in the database (listed above).`,
        CONFLICT_FIX,
      );
    }
    if (preview.toInsert.length === 0) {
      io.stdout(
        [
          `Nothing to import: ${preview.conflicts.length === 0 ? 'all ' : ''}${preview.alreadyImported.length} plan(s) were imported before.`,
          ...preview.conflicts.map((conflict) => `Skipped ${conflict.plan.source}: ${conflict.reason}.`),
          '',
        ].join('\n'),
      );
      return;
    }
    const backup = await target.backup(options.backup, fileStamp());
    if (backup) io.stdout(`Backed up ${target.location} to ${backup}.\n`);
    await writeImport(target, reading, options, backup, io);
  } finally {
    await target.close();
  }
}

async function writeImport(
  target: ImportTarget,
  reading: LegacyReading,
  options: ImportOptions,
  backup: string | null,
  io: CliIo,
): Promise<void> {
  try {
    const result = await target.write(reading.plans, { skipConflicts: options.skipInvalid === true });
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
        `nothing to undo; report the mismatches above.${backup ? ` A copy from before the import is at ${backup}.` : ''}`,
      );
    }
    // A plan that came to conflict after the preview (posted meanwhile): the transaction wrote nothing.
    if (error instanceof ConflictError) throw new CliError(error.message, CONFLICT_FIX);
    throw error;
  }
}

async function dryRun(
  config: CoachwireConfig,
  reading: LegacyReading,
  options: ImportOptions,
  io: CliIo,
): Promise<void> {
  const target = await openDryRunTarget(config, io);
  let preview: LegacyImportPlan;
  try {
    preview = await target.preview(reading.plans);
  } finally {
    await target.close();
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
