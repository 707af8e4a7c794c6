import type { Market } from '../markets/market-types.js';
import { PROBABILITY_UNIT, SHARE_UNIT } from '../shared/fixed-point.js';

/**
 * A cpmm coach-call market of coach d on plan `planId`, with `yesPool` and `noPool` shares in its pools (P(YES)
 * is noPool / (yesPool + noPool)), resolved as `resolution` (open when null).
 */
export function callMarket(
  id: number,
  yesPool: number,
  noPool: number,
  resolution: Market['resolution'],
  planId = id,
): Market {
  return {
    id,
    guildId: 'g',
    question: 'q',
    description: null,
    mechanism: 'cpmm',
    options: [
      { index: 0, label: 'Yes', pool: yesPool * SHARE_UNIT },
      { index: 1, label: 'No', pool: noPool * SHARE_UNIT },
    ],
    weight: PROBABILITY_UNIT / 2,
    subsidy: 100,
    subsidyPayer: 'house',
    creatorId: 'c',
    creatorName: 'c',
    planId,
    coachId: 'd',
    createdAt: '',
    closesAt: '',
    status: resolution ? 'resolved' : 'open',
    resolution,
    settledAt: null,
    settledBy: null,
    settlements: 1,
    escrow: 0,
  };
}
