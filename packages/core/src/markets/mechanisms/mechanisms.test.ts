import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { largestRemainderSplit, PROBABILITY_UNIT, SHARE_UNIT } from '../../shared/fixed-point.js';
import { cpmmInitialPools, cpmmLogInvariant } from './cpmm.js';
import { lmsrCost } from './lmsr.js';
import { initialPools, priceBuy, priceSell, probabilitiesOf, withinProbabilityBounds } from './mechanism.js';
import { poolSettlement } from './parimutuel.js';
import type { Mechanism, PricingState } from './pricing-state.js';

const amount = fc.integer({ min: 1, max: 10_000 });
const subsidy = fc.integer({ min: 100, max: 100_000 });

/** A market of the mechanism after a random history of buys, so properties hold away from the start too. */
function marketAfter(mechanism: Mechanism) {
  return fc
    .record({
      subsidy,
      optionCount: mechanism === 'cpmm' ? fc.constant(2) : fc.integer({ min: 2, max: 10 }),
      weight: fc.integer({ min: 0.01 * PROBABILITY_UNIT, max: 0.99 * PROBABILITY_UNIT }),
      history: fc.array(fc.tuple(fc.nat(), amount), { maxLength: 20 }),
    })
    .map(({ subsidy: paid, optionCount, weight, history }) => {
      const isPool = mechanism === 'pool';
      let state: PricingState = {
        mechanism,
        pools: initialPools(mechanism, isPool ? 0 : paid, optionCount),
        weight: mechanism === 'cpmm' ? weight : 0,
        subsidy: isPool ? 0 : paid,
        escrow: isPool ? 0 : paid,
      };
      for (const [option, points] of history) {
        const priced = priceBuy(state, option % optionCount, points);
        const next = { ...state, pools: priced.pools, escrow: priced.escrow };
        // Trading refuses buys that push a price past the bound, so histories never go there either.
        if (withinProbabilityBounds(probabilitiesOf(next))) state = next;
      }
      return state;
    });
}

function expectValidProbabilities(state: PricingState): void {
  const probabilities = probabilitiesOf(state);
  expect(Math.abs(probabilities.reduce((sum, p) => sum + p, 0) - 1)).toBeLessThan(1e-9);
  for (const p of probabilities) {
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1);
  }
}

describe.each(['cpmm', 'lmsr', 'pool'] as const)('the %s mechanism', (mechanism) => {
  it('keeps probabilities strictly between 0 and 1, summing to 1, after any buy', () => {
    fc.assert(
      fc.property(marketAfter(mechanism), fc.nat(), amount, (state, option, points) => {
        const priced = priceBuy(state, option % state.pools.length, points);
        const after = { ...state, pools: priced.pools, escrow: priced.escrow };
        expectValidProbabilities(state);
        fc.pre(withinProbabilityBounds(probabilitiesOf(after)));
        expectValidProbabilities(after);
      }),
    );
  });

  it('gives more shares for more points', () => {
    fc.assert(
      fc.property(marketAfter(mechanism), fc.nat(), amount, amount, (state, option, a, b) => {
        const index = option % state.pools.length;
        const [small, large] = a < b ? [a, b] : [b, a];
        expect(priceBuy(state, index, large).shares).toBeGreaterThanOrEqual(
          priceBuy(state, index, small).shares,
        );
      }),
    );
  });

  it('moves the bought option up, and its cost grows with the shares', () => {
    fc.assert(
      fc.property(marketAfter(mechanism), fc.nat(), amount, (state, option, points) => {
        const index = option % state.pools.length;
        const once = priceBuy(state, index, points);
        const after = { ...state, pools: once.pools, escrow: once.escrow };
        expect(probabilitiesOf(after)[index]!).toBeGreaterThanOrEqual(probabilitiesOf(state)[index]! - 1e-12);
        // The same points buy no more shares at the higher price.
        expect(priceBuy(after, index, points).shares).toBeLessThanOrEqual(once.shares + 1);
      }),
    );
  });

  it('never lets the escrow fall short of what any outcome owes', () => {
    fc.assert(
      fc.property(marketAfter(mechanism), (state) => {
        if (state.mechanism === 'lmsr') {
          expect(state.escrow * SHARE_UNIT).toBeGreaterThanOrEqual(Math.max(...state.pools));
          expect(state.escrow).toBeGreaterThanOrEqual(lmsrCost(state) - 1e-6);
        }
        if (state.mechanism === 'pool') expect(state.escrow).toBe(state.pools.reduce((a, b) => a + b, 0));
      }),
    );
  });
});

describe.each(['cpmm', 'lmsr'] as const)('selling back to the %s maker', (mechanism) => {
  it('never returns more than the shares cost', () => {
    fc.assert(
      fc.property(marketAfter(mechanism), fc.nat(), amount, (state, option, points) => {
        const index = option % state.pools.length;
        const bought = priceBuy(state, index, points);
        const sold = priceSell(
          { ...state, pools: bought.pools, escrow: bought.escrow },
          index,
          bought.shares,
        );
        expect(sold.points).toBeLessThanOrEqual(points);
        expect(sold.points).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('returns more points for more shares', () => {
    fc.assert(
      fc.property(
        marketAfter(mechanism),
        fc.nat(),
        amount,
        fc.double({ min: 0, max: 1, noNaN: true }),
        (state, option, points, fraction) => {
          const index = option % state.pools.length;
          const bought = priceBuy(state, index, points);
          const held = { ...state, pools: bought.pools, escrow: bought.escrow };
          const part = Math.floor(bought.shares * fraction);
          if (part < 1) return;
          expect(priceSell(held, index, bought.shares).points).toBeGreaterThanOrEqual(
            priceSell(held, index, part).points,
          );
        },
      ),
    );
  });
});

describe('cpmm', () => {
  it('never lets the invariant k decrease, on buys or sells', () => {
    fc.assert(
      fc.property(
        marketAfter('cpmm'),
        fc.integer({ min: 0, max: 1 }),
        amount,
        fc.boolean(),
        (state, option, points, sellBack) => {
          const bought = priceBuy(state, option, points);
          const afterBuy = { ...state, pools: bought.pools, escrow: bought.escrow };
          fc.pre(withinProbabilityBounds(probabilitiesOf(afterBuy)));
          expect(cpmmLogInvariant(afterBuy)).toBeGreaterThanOrEqual(cpmmLogInvariant(state));
          if (sellBack && bought.shares > 0) {
            const sold = priceSell(afterBuy, option, bought.shares);
            expect(cpmmLogInvariant({ ...afterBuy, pools: sold.pools })).toBeGreaterThanOrEqual(
              cpmmLogInvariant(afterBuy),
            );
          }
        },
      ),
    );
  });

  it('starts at the chosen probability with both pools equal to the subsidy', () => {
    const state: PricingState = {
      mechanism: 'cpmm',
      pools: cpmmInitialPools(500),
      weight: 0.62 * PROBABILITY_UNIT,
      subsidy: 500,
      escrow: 500,
    };
    expect(state.pools).toEqual([500 * SHARE_UNIT, 500 * SHARE_UNIT]);
    expect(probabilitiesOf(state)[0]).toBeCloseTo(0.62, 12);
  });
});

describe('the parimutuel pool', () => {
  it('pays out exactly the pot, split by largest remainder', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        (stakes, losers) => {
          const pot = stakes.reduce((a, b) => a + b, 0) + losers;
          const { winners, refunds } = poolSettlement(pot, stakes, stakes);
          const paid = (refunds ?? winners).reduce((a, b) => a + b, 0);
          if (refunds) expect(paid).toBe(pot - losers);
          else expect(paid).toBe(pot);
        },
      ),
    );
  });

  it('refunds every stake when nobody picked the winner', () => {
    expect(poolSettlement(300, [0, 0], [100, 200])).toEqual({ winners: [0, 0], refunds: [100, 200] });
  });

  it('splits remainders to the largest fractions first', () => {
    expect(largestRemainderSplit(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(largestRemainderSplit(100, [1, 2])).toEqual([33, 67]);
  });
});
