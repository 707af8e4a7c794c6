/** What happens to the next `count` REST requests (of one route template, or of any): one rule per injection. */
export class UpcomingRequests<T> {
  private readonly pending: { remaining: number; route: string | undefined; value: T }[] = [];

  add(count: number, route: string | undefined, value: T): void {
    this.pending.push({ remaining: count, route, value });
  }

  /** The first rule that applies to this request, consumed once; undefined when none does. */
  take(route: string): T | undefined {
    const rule = this.pending.find((candidate) => candidate.route === undefined || candidate.route === route);
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.pending.splice(this.pending.indexOf(rule), 1);
    return rule.value;
  }
}
