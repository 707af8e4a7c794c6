export interface FailureOptions {
  /** The status answered (default 500: Discord's own outages answer 500, 502 or 503). */
  status?: number;
  /** Only requests whose route template equals this fail, e.g. 'POST /channels/:channelId/messages'. */
  route?: string;
}

interface PendingFailure {
  remaining: number;
  status: number;
  route: string | undefined;
}

/** Answers chosen upcoming REST requests with an error status, as Discord does during an outage. */
export class FailureInjector {
  private readonly pending: PendingFailure[] = [];

  add(count: number, options: FailureOptions): void {
    this.pending.push({ remaining: count, status: options.status ?? 500, route: options.route });
  }

  /** If this request should fail, consumes one and returns its status and body. */
  take(route: string): { status: number; body: unknown } | null {
    const rule = this.pending.find((candidate) => candidate.route === undefined || candidate.route === route);
    if (!rule) return null;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.pending.splice(this.pending.indexOf(rule), 1);
    return { status: rule.status, body: { message: `${rule.status}: Emulated failure`, code: 0 } };
  }
}
