import { createLogger, usesMockDatabase } from '@coachwire/config';
import { generateMockPlans, tradingDayOnOrAfter } from '@coachwire/core';
import { openCoachwire } from '@coachwire/runtime';
import type { Command } from 'commander';
import { type GlobalOptions, loadCliConfig } from '../cli-config.js';
import { CliError, type CliIo, EXIT_USAGE } from '../cli-io.js';
import { refuseNonCoachwireDatabase, usesPostgres } from '../open-target.js';

/** `coachwire mock [--days N]`: realistic plans for every coach, written through PlanService like the bot's. */
export function registerMockCommand(program: Command, io: CliIo): void {
  program
    .command('mock')
    .description(
      'Fill the mock database (./data/mock/ unless DATABASE_PATH, DATABASE_URL or database: in the config file names one) with mock plans for every coach on NYSE trading days.',
    )
    .option(
      '--days <n>',
      'how many calendar days back from the trading day the mock posts for (today, or the next trading day on ' +
        'a weekend or market holiday)',
      '7',
    )
    .action(async (options: { days: string }) => {
      const days = Number(options.days);
      if (!/^\d+$/.test(options.days) || days < 1 || days > 3650)
        throw new CliError(
          `--days must be a whole number from 1 to 3650, got '${options.days}'.`,
          'e.g. --days 30.',
          EXIT_USAGE,
        );
      const mockAskedFor = loadCliConfig(program.opts<GlobalOptions>(), io).mock.enabled;
      // Mock mode's defaults: mock plans go to the mock database unless a path is set explicitly.
      const config = loadCliConfig(program.opts<GlobalOptions>(), io, { mock: { enabled: true } });
      // The CLI reports through its own output; the runtime's log lines would only get in the way.
      const logger = createLogger({ config: { ...config.logging, level: 'silent' }, name: 'cli' });
      // As every other command: the old Python system's file or another program's is bad input (exit 2).
      if (!usesPostgres(config)) refuseNonCoachwireDatabase(config.database.path);
      const coachwire = await openCoachwire(config, { logger });
      try {
        const service = coachwire.services.plans;
        // Mock plans mixed into a database of real ones could never be told apart again.
        if (
          !mockAskedFor &&
          !usesMockDatabase(config, io.cwd) &&
          (await service.holdsPlansFromOutsideMock())
        ) {
          throw new CliError(
            `${coachwire.store.location} holds plans that are not the mock's; mock plans would be mixed into them. Nothing was written.`,
            "unset DATABASE_PATH / DATABASE_URL (database: in the config file) to fill mock mode's own database " +
              '(./data/mock/), or set MOCK_MODE=true to add mock plans to this database anyway.',
          );
        }
        const plans = generateMockPlans({
          coaches: service.coaches,
          endDate: tradingDayOnOrAfter(service.today()),
          days,
        });
        let added = 0;
        for (const mock of plans) {
          // Existing plans are left alone, so running it twice does not turn real plans into mock edits.
          if (await service.find(mock.coach, mock.tradingDate)) continue;
          const actor = mock.author;
          const charts = mock.charts.map((chart) => ({
            // .invalid never resolves: a mock link cannot be mistaken for a real chart.
            url: `https://charts.example.invalid/mock/${chart.filename}`,
            filename: chart.filename,
            contentType: 'image/png',
            width: chart.width,
            height: chart.height,
          }));
          const { plan } = await service.post(actor, {
            coach: mock.coach,
            tradingDate: mock.tradingDate,
            text: mock.text,
            charts,
          });
          for (const text of mock.edits) await service.edit(actor, { planId: plan.id }, { text });
          added++;
        }
        io.stdout(
          `Added ${added} mock plan(s) to ${coachwire.store.location} (${plans.length - added} already there).\n`,
        );
      } finally {
        await coachwire.close();
      }
    });
}
