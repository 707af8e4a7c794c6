/** What the pruner needs: one prune run over the event log, resolving with the rows deleted. */
export type PruneEventLog = (now: Date) => Promise<number>;

const HOUR_MS = 3_600_000;

/**
 * Prunes the event log when the API starts and every hour after, so the log (and a replay's reach) stays
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
