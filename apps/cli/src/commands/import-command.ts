import { type Command, Option } from 'commander';
import { type GlobalOptions, loadCliConfig } from '../cli-config.js';
import type { CliIo } from '../cli-io.js';
import type { LegacyFormat } from '../import/read-legacy-source.js';
import { runImport } from '../import/run-import.js';

/** `coachwire import <source> [--dry-run] [--skip-invalid] [--format sqlite|json] [--backup FILE]`. */
export function registerImportCommand(program: Command, io: CliIo): void {
  program
    .command('import')
    .description(
      'Move the Python system’s data in: its SQLite file (coach_plans.db) or the JSON dump of the first version.',
    )
    .argument('<source>', 'the old SQLite file or the JSON dump')
    .option('--dry-run', 'report what would be imported and write nothing')
    .option('--skip-invalid', 'import the valid rows and leave out invalid or conflicting ones (listed)')
    .addOption(
      new Option('--format <format>', 'force the source format (default: detected)').choices([
        'sqlite',
        'json',
      ]),
    )
    .option('--backup <file>', 'where to write the backup taken before importing')
    .action(
      async (
        source: string,
        options: { dryRun?: boolean; skipInvalid?: boolean; format?: LegacyFormat; backup?: string },
      ) => {
        const config = loadCliConfig(program.opts<GlobalOptions>(), io);
        await runImport(
          config,
          source,
          {
            dryRun: options.dryRun === true,
            skipInvalid: options.skipInvalid === true,
            ...(options.format ? { format: options.format } : {}),
            ...(options.backup ? { backup: options.backup } : {}),
          },
          io,
        );
      },
    );
}
