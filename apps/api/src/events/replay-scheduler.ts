/**
 * Shares the event loop between every replay of the process: each turn of the loop runs at most
 * `stepsPerTurn` replay steps (one batch read and written each), first come first served, and lets I/O and
 * other requests run in between. However many replays are open, a turn's replay work stays bounded.
 */
export class ReplayScheduler {
  private readonly waiting: (() => void)[] = [];
  private scheduled = false;

  constructor(private readonly stepsPerTurn: number) {}

  /** Resolves when the caller may run its next step (in a later turn of the event loop). */
  nextStep(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      for (const resolve of this.waiting.splice(0, this.stepsPerTurn)) resolve();
      if (this.waiting.length > 0) this.schedule();
    });
  }
}
