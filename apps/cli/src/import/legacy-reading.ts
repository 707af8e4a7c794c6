import type { LegacyPlan } from '@coachwire/storage';

/** A source row that cannot be imported, and why (one phrase per problem). */
export interface InvalidRow {
  readonly source: string;
  readonly problems: readonly string[];
}

/** What was read from a legacy source: the plans that can go in and the rows that cannot. */
export interface LegacyReading {
  readonly format: 'sqlite' | 'json';
  readonly plans: readonly LegacyPlan[];
  readonly invalid: readonly InvalidRow[];
}
