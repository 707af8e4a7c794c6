/** Tracks commands being handled so shutdown can stop taking new ones and wait for the rest. */
export class InFlightCommands {
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  /** False once shutdown has begun. */
  get accepting(): boolean {
    return !this.closed;
  }

  /** How many commands are being handled right now. */
  get size(): number {
    return this.running.size;
  }

  /** Runs `task` unless shutting down; returns false when it was refused. `task` must not reject (handlers catch). */
  run(task: () => Promise<void>): boolean {
    if (this.closed) return false;
    const promise: Promise<void> = task()
      .catch(() => {})
      .finally(() => this.running.delete(promise));
    this.running.add(promise);
    return true;
  }

  /** Refuses new commands and resolves when every running one has finished. */
  async drain(): Promise<void> {
    this.closed = true;
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
