import { zonedWallTimeToInstant } from '../shared/zoned-time.js';
import type { UserFlows } from './ledger-port.js';

/** A user's standing: balance and profit and loss from markets (points minted by grants are not profit). */
export interface UserStanding {
  readonly rank: number;
  readonly userId: string;
  readonly balance: number;
  readonly profitAndLoss: number;
}

/** Ranks users by profit and loss over the period, best first; ties by balance, then by user id. */
export function rankStandings(flows: readonly UserFlows[], limit: number): UserStanding[] {
  const sorted = [...flows].sort(
    (a, b) => b.tradingNet - a.tradingNet || b.balance - a.balance || (a.userId < b.userId ? -1 : 1),
  );
  return sorted.slice(0, limit).map((flow, index) => ({
    rank: index + 1,
    userId: flow.userId,
    balance: flow.balance,
    profitAndLoss: flow.tradingNet,
  }));
}

const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The instants bounding a calendar month ("2026-11") in the configured timezone: [from, to). */
export function calendarMonthPeriod(month: string, timezone: string): { from: string; to: string } | null {
  const match = MONTH_PATTERN.exec(month);
  if (!match) return null;
  const year = Number(match[1]);
  const monthNumber = Number(match[2]);
  const first = `${month}-01`;
  const nextFirst =
    monthNumber === 12 ? `${year + 1}-01-01` : `${year}-${String(monthNumber + 1).padStart(2, '0')}-01`;
  return {
    from: zonedWallTimeToInstant(first, '00:00', timezone).toISOString(),
    to: zonedWallTimeToInstant(nextFirst, '00:00', timezone).toISOString(),
  };
}
