import type { CoachwireConfig, Logger } from '@coachwire/config';
import type { EventLogPruneOptions } from '@coachwire/storage';

/** What the pruner needs: one prune run over the event log, resolving with the rows deleted. */
export type PruneEventLog = (now: Date) => Promise<number>;

const HOUR_MS = 3_600_000;

/**
 * Prunes the event log when its process starts and every hour after, so the log (and a replay's reach) stays
 * bounded. Failures are reported and retried on the next run; the timer never keeps the process alive.
 */
export class EventLogPruner {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly prune: PruneEventLog,
    private readonly now: () => Date,
    private readonly report: (outcome: { deleted: number } | { error: unknown }) => void,
    private readonly intervalMs = HOUR_MS,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.runOnce(), this.intervalMs);
    this.timer.unref();
    void this.runOnce();
  }

  /** Stops the schedule; resolves once a run in progress has finished. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One run now (a run already in progress is joined, not doubled). */
  runOnce(): Promise<void> {
    this.running ??= this.prune(this.now())
      .then(
        (deleted) => this.report({ deleted }),
        (error: unknown) => this.report({ error }),
      )
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}

/**
 * The pruner a process runs (the API and the bot both do, so the log stays bounded whichever runs; a run
 * that finds nothing to delete costs one statement): by the `api.event_log_*` settings, keeping the newest
 * `api.event_replay_max` a replay may need, logging what it did.
 */
export function eventLogPrunerFor(
  config: CoachwireConfig,
  prune: (options: EventLogPruneOptions) => Promise<number>,
  now: () => Date,
  logger: Logger,
): EventLogPruner {
  const { event_replay_max, event_log_max_age_days, event_log_max_events } = config.api;
  return new EventLogPruner(
    (at) =>
      prune({
        maxAgeDays: event_log_max_age_days,
        maxEvents: event_log_max_events,
        keepNewest: event_replay_max,
        now: at,
      }),
    now,
    (outcome) => {
      if ('error' in outcome)
        logger.warn({ err: outcome.error }, 'cannot prune the event log; retrying later');
      else if (outcome.deleted > 0) logger.info({ deleted: outcome.deleted }, 'event log pruned');
    },
  );
}
