import { existsSync, statSync } from 'node:fs';
import { collectUnreferencedCharts, FsChartStore, verifyChartStore } from '@coachwire/storage';
import type { Command } from 'commander';
import { type GlobalOptions, loadCliConfig } from '../cli-config.js';
import { CliError, type CliIo, decimalOption, EXIT_FAILURE, EXIT_USAGE } from '../cli-io.js';
import { openExistingStore } from '../open-target.js';

/** `coachwire charts gc | verify`: housekeeping of the archived chart files under `charts.dir`. */
export function registerChartsCommands(program: Command, io: CliIo): void {
  const charts = program.command('charts').description('Maintain the archived chart images (charts.dir).');
  const globals = () => program.opts<GlobalOptions>();

  charts
    .command('gc')
    .description('Remove chart files that no live plan references, once older than the grace period.')
    .option('--grace-hours <hours>', 'keep unreferenced files younger than this', '24')
    .option('--dry-run', 'list what would be removed without removing it')
    .action(async (options: { graceHours: string; dryRun?: boolean }) => {
      // Decimal hours only: '' (an unset shell variable) read as 0 would remove every unreferenced file at once.
      const graceHours = decimalOption(options.graceHours);
      if (!Number.isFinite(graceHours) || graceHours < 0)
        throw new CliError(
          `--grace-hours must be a number of hours ≥ 0, not '${options.graceHours}'.`,
          'e.g. --grace-hours 24',
          EXIT_USAGE,
        );
      const config = loadCliConfig(globals(), io);
      refuseChartsFile(config.charts.dir);
      const store = await openExistingStore(config);
      try {
        const referenced = await store.charts.referencedHashes();
        const report = await collectUnreferencedCharts({
          store: new FsChartStore(config.charts.dir),
          referenced,
          graceMs: graceHours * 3_600_000,
          now: new Date(),
          dryRun: options.dryRun === true,
        }).catch((error: unknown) => {
          throw chartsDirectoryError(error, config.charts.dir);
        });
        const verb = options.dryRun ? 'Would remove' : 'Removed';
        io.stdout(
          `${verb} ${report.removed.length} of ${report.scanned} chart file(s) in ${config.charts.dir}; ` +
            `kept ${report.keptReferenced} referenced and ${report.keptRecent} younger than ${graceHours} h.\n`,
        );
        for (const sha256 of report.removed) io.stdout(`  ${sha256}\n`);
      } finally {
        await store.close();
      }
    });

  charts
    .command('verify')
    .description('Re-hash every archived chart file and report corrupt or missing ones.')
    .action(async () => {
      const config = loadCliConfig(globals(), io);
      refuseChartsFile(config.charts.dir);
      const store = await openExistingStore(config);
      try {
        const referenced = await store.charts.referencedHashes({ includeDeletedPlans: true });
        const report = await verifyChartStore(new FsChartStore(config.charts.dir), referenced).catch(
          (error: unknown) => {
            throw chartsDirectoryError(error, config.charts.dir);
          },
        );
        for (const entry of report.corrupt)
          io.stdout(`corrupt: ${entry.sha256} (its bytes now hash to ${entry.actual})\n`);
        for (const sha256 of report.missing) io.stdout(`missing: ${sha256}\n`);
        if (report.corrupt.length > 0 || report.missing.length > 0) {
          throw new CliError(
            `${report.corrupt.length} corrupt and ${report.missing.length} missing chart file(s) of ${report.checked} checked.`,
            'restore charts.dir from a backup; charts whose files are lost still show their original links.',
            EXIT_FAILURE,
          );
        }
        io.stdout(`All ${report.checked} chart file(s) in ${config.charts.dir} match their hashes.\n`);
      } finally {
        await store.close();
      }
    });
}

/** A file where charts.dir should be: every chart would read as missing (verify) or none as present (gc). */
function refuseChartsFile(dir: string): void {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw chartsDirectoryError({ code: 'ENOTDIR' }, dir);
}

/**
 * A failure to read charts.dir as the operator can act on it: a file where the directory should be, or one
 * this user may not read (whose charts would otherwise be reported missing, with "restore from a backup").
 */
function chartsDirectoryError(error: unknown, dir: string): unknown {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOTDIR')
    return new CliError(
      `charts.dir ${dir} is not a directory.`,
      'point charts.dir (env CHARTS_DIR) at the directory the apps keep the chart files in.',
    );
  if (code === 'EACCES' || code === 'EPERM')
    return new CliError(
      `Cannot read the chart files in ${dir}: ${(error as Error).message}.`,
      'run this as the user the apps run as, or give this user read access to charts.dir (env CHARTS_DIR).',
    );
  return error;
}
