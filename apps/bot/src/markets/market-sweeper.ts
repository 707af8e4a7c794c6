import type { Logger } from '@coachwire/config';
import type { MarketBoard } from './market-board.js';

/** What one sweep did. */
export interface SweepOutcome {
  readonly closed: number;
  readonly announced: number;
}

/**
 * Runs the market board's sweep at start-up and every interval; a sweep never overlaps the previous one (a
 * call while one runs waits for it and then runs again, so nothing seen after it started is missed).
 */
export class MarketSweeper {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<SweepOutcome> | null = null;

  constructor(
    private readonly board: MarketBoard,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    void this.runNow();
    this.#timer = setInterval(() => void this.runNow(), this.intervalMs);
    this.#timer.unref();
  }

  /** Sweeps now (after any sweep in progress). */
  async runNow(): Promise<SweepOutcome> {
    const previous = this.#running;
    const run = (async () => {
      if (previous) await previous.catch(() => undefined);
      try {
        const outcome = await this.board.sweep();
        if (outcome.closed > 0 || outcome.announced > 0) this.logger.info(outcome, 'market sweep');
        return outcome;
      } catch (error) {
        this.logger.error({ err: error }, 'market sweep failed');
        return { closed: 0, announced: 0 };
      }
    })();
    this.#running = run;
    void run.finally(() => {
      if (this.#running === run) this.#running = null;
    });
    return run;
  }

  /** Stops the timer and waits for a sweep in progress. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running?.catch(() => undefined);
  }
}
