import { UpcomingRequests } from './upcoming-requests.js';

export interface FailureOptions {
  /** The status answered (default 500: Discord's own outages answer 500, 502 or 503). */
  status?: number;
  /** Only requests whose route template equals this fail, e.g. 'POST /channels/:channelId/messages'. */
  route?: string;
}

/** Answers chosen upcoming REST requests with an error status, as Discord does during an outage. */
export class FailureInjector {
  private readonly upcoming = new UpcomingRequests<number>();

  add(count: number, options: FailureOptions): void {
    this.upcoming.add(count, options.route, options.status ?? 500);
  }

  /** If this request should fail, consumes one and returns its status and body. */
  take(route: string): { status: number; body: unknown } | null {
    const status = this.upcoming.take(route);
    return status === undefined
      ? null
      : { status, body: { message: `${status}: Emulated failure`, code: 0 } };
  }
}
