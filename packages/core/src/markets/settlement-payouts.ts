import { largestRemainderSplit, PROBABILITY_UNIT, SHARE_UNIT } from '../shared/fixed-point.js';
import type { Market, MarketResolution, Position } from './market-types.js';
import { poolSettlement } from './mechanisms/parimutuel.js';

/** How a settlement divides the escrow. payouts + lpReturn + dust = escrow, exactly. */
export interface SettlementPlan {
  /** Points for each position, in the order of the positions given. */
  readonly payouts: readonly number[];
  /** Points back to whoever paid the subsidy. */
  readonly lpReturn: number;
  /** Rounding remainders, for the guild's rounding account. */
  readonly dust: number;
}

const UNIT = BigInt(SHARE_UNIT);
const P_UNIT = BigInt(PROBABILITY_UNIT);

/** The payouts of a resolution. Traders receive floor; the liquidity provider gets the maker's side. */
export function resolutionPlan(
  market: Market,
  positions: readonly Position[],
  resolution: MarketResolution,
): SettlementPlan {
  const escrow = market.escrow;
  let payouts: number[];
  let lpReturn: number;
  if (market.mechanism === 'pool') {
    if (resolution.kind !== 'option') throw new Error('a pool resolves to an option');
    const winning = positions.map((p) => (p.option === resolution.option ? p.shares / SHARE_UNIT : 0));
    const split = poolSettlement(
      escrow,
      winning,
      positions.map((p) => p.invested),
    );
    payouts = split.refunds ?? split.winners;
    lpReturn = 0;
  } else if (resolution.kind === 'probability') {
    // MKT at q: a YES share pays q and a NO share 1 − q (cpmm only; option 0 is YES).
    const q = BigInt(resolution.probability);
    const worth = (yes: bigint, no: bigint) => Number((yes * q + no * (P_UNIT - q)) / (UNIT * P_UNIT));
    payouts = positions.map((p) =>
      p.option === 0 ? worth(BigInt(p.shares), 0n) : worth(0n, BigInt(p.shares)),
    );
    const [y, n] = market.options.map((option) => BigInt(option.pool)) as [bigint, bigint];
    lpReturn = market.mechanism === 'cpmm' ? worth(y, n) : 0;
  } else {
    payouts = positions.map((p) => (p.option === resolution.option ? Math.floor(p.shares / SHARE_UNIT) : 0));
    if (market.mechanism === 'cpmm') {
      // The maker's own shares of the winning side go to the liquidity provider.
      lpReturn = Math.floor(market.options[resolution.option]!.pool / SHARE_UNIT);
    } else {
      // lmsr: the escrow covers q_w; what it holds beyond is the maker's.
      const winningShares = positions
        .filter((p) => p.option === resolution.option)
        .reduce((sum, p) => sum + p.shares, 0);
      lpReturn = escrow - Math.ceil(winningShares / SHARE_UNIT);
    }
  }
  return finish(escrow, payouts, lpReturn);
}

/**
 * The refunds of a cancellation: each trader's net stake (put in minus taken out, when positive), reduced pro
 * rata if the escrow cannot cover them all; the liquidity provider gets what is left, never below 0. A
 * trader's refund is spread over their positions in proportion to what each cost.
 */
export function cancellationPlan(market: Market, positions: readonly Position[]): SettlementPlan {
  const escrow = market.escrow;
  const byUser = new Map<string, number[]>();
  positions.forEach((position, index) => {
    const list = byUser.get(position.userId);
    if (list) list.push(index);
    else byUser.set(position.userId, [index]);
  });
  const users = [...byUser.keys()];
  const netStakes = users.map((user) => {
    const net = byUser
      .get(user)!
      .reduce((sum, i) => sum + positions[i]!.invested - positions[i]!.takenOut, 0);
    return Math.max(0, net);
  });
  const owed = netStakes.reduce((sum, stake) => sum + stake, 0);
  const refunds =
    owed <= escrow
      ? netStakes
      : netStakes.map((stake) => Number((BigInt(stake) * BigInt(escrow)) / BigInt(owed)));
  const payouts = positions.map(() => 0);
  users.forEach((user, u) => {
    const indexes = byUser.get(user)!;
    const parts = largestRemainderSplit(
      refunds[u]!,
      indexes.map((i) => Math.max(1, positions[i]!.invested)),
    );
    indexes.forEach((i, k) => {
      payouts[i] = parts[k]!;
    });
  });
  const paid = refunds.reduce((sum, refund) => sum + refund, 0);
  const lpReturn = market.mechanism === 'pool' ? 0 : Math.max(0, escrow - paid);
  return finish(escrow, payouts, lpReturn);
}

function finish(escrow: number, payouts: number[], lpReturn: number): SettlementPlan {
  const paid = payouts.reduce((sum, payout) => sum + payout, 0);
  const dust = escrow - paid - lpReturn;
  if (dust < 0 || lpReturn < 0) {
    throw new Error(`settlement exceeds escrow: escrow ${escrow}, paid ${paid}, lp ${lpReturn}`);
  }
  return { payouts, lpReturn, dust };
}
