import type { MarketService } from '@coachwire/core';

/**
 * Runs the market sweep (auto-cancel of markets left unresolved, idempotency-key retention) on an interval.
 * The bot runs it too: the sweep is idempotent and each cancel is its own transaction, so two at once are safe.
 */
export class MarketSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly markets: Pick<MarketService, 'sweep'>,
    private readonly intervalMs: number,
    private readonly report: (outcome: { cancelled: number[] } | { error: unknown }) => void,
  ) {}

  start(): void {
    if (this.intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.sweepNow(), this.intervalMs);
    this.timer.unref();
  }

  /** One sweep now (unless one is running); never rejects. */
  sweepNow(): Promise<void> {
    this.running ??= this.markets
      .sweep()
      .then(
        (result) => this.report({ cancelled: result.cancelled }),
        (error: unknown) => this.report({ error }),
      )
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
