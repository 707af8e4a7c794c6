import type { CoachwireConfig } from '@coachwire/config';
import type { Plan } from '@coachwire/core';
import type { ChartArchivePort, ChartStore } from '@coachwire/storage';
import { ChartArchiver } from './chart-archiver.js';

/** How often charts whose download failed are tried again. */
const RETRY_SWEEP_MS = 5 * 60_000;

interface HookLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** The bot's chart archiving: the hook run after each saved plan, plus a periodic retry of failed downloads. */
export interface ChartArchiving {
  readonly archiver: ChartArchiver;
  /** Archives a saved plan's charts; resolves to notes about refused charts for the user. */
  onPlanSaved(plan: Plan): Promise<string[]>;
  /** Stops the retry timer and waits for downloads under way. */
  stop(): Promise<void>;
}

/** Sets up chart archiving from `config.charts`; `extraAllowedHosts` adds the emulator's CDN in mock mode. */
export function startChartArchiving(options: {
  readonly config: CoachwireConfig;
  /** The runtime's chart rows and chart files. */
  readonly archive: ChartArchivePort;
  readonly store: ChartStore;
  readonly logger: HookLogger;
  readonly extraAllowedHosts?: readonly string[];
}): ChartArchiving {
  const { charts } = options.config;
  const archiver = new ChartArchiver({
    store: options.store,
    archive: options.archive,
    download: {
      allowedHosts: [...charts.allowed_hosts, ...(options.extraAllowedHosts ?? [])],
      maxBytes: charts.max_bytes,
      timeoutMs: charts.download_timeout_seconds * 1000,
    },
    attemptsPerRun: 1 + charts.download_retries,
    logger: options.logger,
  });
  const sweep = setInterval(() => {
    archiver
      .retryPending()
      .catch((error: unknown) => options.logger.error({ err: error }, 'chart retry sweep failed'));
  }, RETRY_SWEEP_MS);
  sweep.unref();
  return {
    archiver,
    onPlanSaved: async (plan) => {
      const outcome = await archiver.archivePlan(plan);
      return outcome.refused.map(
        (chart) =>
          `⚠️ Chart \`${chart.filename}\` was not archived: ${chart.reason}. The plan itself is saved.`,
      );
    },
    stop: async () => {
      clearInterval(sweep);
      await archiver.idle();
    },
  };
}
