/** Tracks commands being handled so shutdown can stop taking new ones and wait for the rest. */
export class InFlightCommands {
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  /** False once shutdown has begun. */
  get accepting(): boolean {
    return !this.closed;
  }

  /** How many commands (and refusals) are being handled right now. */
  get size(): number {
    return this.running.size;
  }

  /**
   * Runs `task` unless shutting down; returns false when it was refused. A refused command runs `refuse`
   * instead (telling the member nothing was done), tracked like a command so shutdown waits for that answer.
   * Neither may reject (handlers catch).
   */
  run(task: () => Promise<void>, refuse?: () => Promise<void>): boolean {
    if (this.closed) {
      if (refuse) this.track(refuse);
      return false;
    }
    this.track(task);
    return true;
  }

  /**
   * Refuses new commands and resolves when every running one has finished, or when `deadline` resolves first
   * (a handler stuck on Discord or the network must not keep the process alive). Resolves to how many were
   * still running: 0 when all finished.
   */
  async drain(deadline: Promise<unknown> = new Promise(() => {})): Promise<number> {
    this.closed = true;
    let expired = false;
    const over = deadline.then(() => {
      expired = true;
    });
    while (this.running.size > 0 && !expired)
      await Promise.race([Promise.allSettled([...this.running]), over]);
    return this.running.size;
  }

  private track(task: () => Promise<void>): void {
    const promise: Promise<void> = task()
      .catch(() => {})
      .finally(() => this.running.delete(promise));
    this.running.add(promise);
  }
}
