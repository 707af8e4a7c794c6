import { SHARE_UNIT } from '@coachwire/core';

/** What `coachwire db check` verified of the ledger, and every violation found. */
export interface LedgerReport {
  readonly ok: boolean;
  /** One line per check, saying what was checked and how many rows. */
  readonly checked: string[];
  readonly violations: string[];
}

// The rows each dialect's check reads (SQL per dialect; the judgement below exists once).

export interface GuildTotalRow {
  readonly guild: string;
  readonly total: number;
}
export interface BalanceReplayRow {
  readonly key: string;
  readonly guild: string;
  readonly balance: number;
  readonly replayed: number;
}
export interface SettledEscrowRow {
  readonly id: number;
  readonly escrow: number;
}
export interface MismatchedPositionRow {
  readonly market: number;
  readonly user: string;
  readonly option: number;
}
export interface OpenOptionRow {
  readonly id: number;
  readonly mechanism: string;
  readonly option: number;
  readonly pool: number;
  readonly held: number;
  readonly escrow: number;
}

export interface LedgerCheckRows {
  readonly guilds: readonly GuildTotalRow[];
  readonly replay: readonly BalanceReplayRow[];
  readonly settled: readonly SettledEscrowRow[];
  readonly mismatched: readonly MismatchedPositionRow[];
  readonly positionCount: number;
  /** Options of open markets, ordered by market then option. */
  readonly openOptions: readonly OpenOptionRow[];
  /** Accounts that received the starting grant more than once (an account is opened once). */
  readonly repeatedStartingGrants: readonly { key: string; guild: string; grants: number }[];
}

/**
 * Judges the ledger's invariants from the raw rows: each guild's balances sum to 0; every stored balance
 * equals the replay of its transfers; no balance but the house's is negative; a settled market's escrow is 0;
 * positions agree with trades; and each open market's pools are backed by its escrow.
 */
export function ledgerReport(rows: LedgerCheckRows): LedgerReport {
  const checked: string[] = [];
  const violations: string[] = [];
  // A claim is listed as checked only when nothing broke it; what did is listed among the violations.
  const judge = (claim: string, found: readonly string[]) => {
    if (found.length === 0) checked.push(claim);
    violations.push(...found);
  };

  judge(
    `balances sum to 0 in each of ${rows.guilds.length} guild(s)`,
    rows.guilds
      .filter((row) => row.total !== 0)
      .map((row) => `guild ${row.guild}: balances sum to ${row.total}, not 0`),
  );

  const replay: string[] = [];
  for (const row of rows.replay) {
    if (row.balance !== row.replayed) {
      replay.push(
        `account ${row.key} (guild ${row.guild}): stored ${row.balance}, transfers replay to ${row.replayed}`,
      );
    }
    if (row.key !== 'house' && row.balance < 0) {
      replay.push(`account ${row.key} (guild ${row.guild}) is negative: ${row.balance}`);
    }
  }
  judge(
    `${rows.replay.length} stored balance(s) equal the replay of their transfers; none but the house's is negative`,
    replay,
  );

  judge(
    `${rows.settled.length} settled market(s) have an empty escrow`,
    rows.settled
      .filter((row) => row.escrow !== 0)
      .map((row) => `market ${row.id} is settled but its escrow holds ${row.escrow}`),
  );

  judge(
    `${rows.positionCount} position(s) agree with their trades`,
    rows.mismatched.map(
      (row) =>
        `market ${row.market}: position of ${row.user} on option ${row.option} disagrees with its trades`,
    ),
  );

  // A second starting grant mints points that every sum above still balances: only its count shows it.
  judge(
    'every account got the starting grant at most once',
    rows.repeatedStartingGrants.map(
      (row) => `account ${row.key} (guild ${row.guild}) got the starting grant ${row.grants} times`,
    ),
  );

  const open = checkOpenMarkets(rows.openOptions);
  judge(`${open.count} open market(s) are backed by their escrow`, open.violations);
  return { ok: violations.length === 0, checked, violations };
}

/** cpmm: YES shares and NO shares (pool + traders) each equal escrow × unit. lmsr: escrow covers the largest q. pool: escrow = Σ stakes. */
function checkOpenMarkets(rows: readonly OpenOptionRow[]): { count: number; violations: string[] } {
  const byMarket = new Map<number, OpenOptionRow[]>();
  for (const row of rows) byMarket.set(row.id, [...(byMarket.get(row.id) ?? []), row]);
  const violations: string[] = [];
  for (const [id, options] of byMarket) {
    const escrow = options[0]!.escrow;
    const mechanism = options[0]!.mechanism;
    if (mechanism === 'cpmm') {
      for (const option of options) {
        const total = option.pool + option.held;
        if (total !== escrow * SHARE_UNIT)
          violations.push(
            `market ${id}: option ${option.option} has ${total} micro-shares for an escrow of ${escrow}`,
          );
      }
    } else if (mechanism === 'lmsr') {
      for (const option of options) {
        if (option.pool !== option.held)
          violations.push(
            `market ${id}: option ${option.option} q=${option.pool} but traders hold ${option.held}`,
          );
        if (option.pool > escrow * SHARE_UNIT)
          violations.push(`market ${id}: escrow ${escrow} cannot cover option ${option.option}`);
      }
    } else {
      const stakes = options.reduce((sum, option) => sum + option.pool, 0);
      if (stakes !== escrow)
        violations.push(`market ${id}: pools sum to ${stakes} but the escrow holds ${escrow}`);
      for (const option of options) {
        if (option.held !== option.pool * SHARE_UNIT)
          violations.push(`market ${id}: option ${option.option} pool disagrees with stakes`);
      }
    }
  }
  return { count: byMarket.size, violations };
}
