import {
  cpmmLogInvariant,
  type MarketResolution,
  pricingOf,
  probabilitiesOf,
  SHARE_UNIT,
} from '@coachwire/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LEDGER_BACKENDS, type LedgerBackend } from '../test-support/ledger-backends.js';
import { type LedgerWorld, ledgerWorld } from '../test-support/ledger-world.js';
import { admin, codeOf, GUILD } from '../test-support/market-world.js';
import { LedgerModel, type ModelMarket } from './ledger-model.js';

// Model-based test: random sequences of grant, daily, create, buy, sell, resolve, cancel, unresolve and
// sweep run against the real ledger (SQLite and PostgreSQL, one suite) and the reference model; every invariant
// is checked after every step. Replay a failure with MODEL_SEED=<seed printed below>; MODEL_RUNS sets the runs.
const seed = process.env.MODEL_SEED ? Number(process.env.MODEL_SEED) : Date.now() % 2 ** 31;
const USERS = ['u1', 'u2', 'u3', 'u4'];

interface Real {
  world: LedgerWorld;
  keys: number;
  history: { key: string; at: number; run: () => Promise<unknown>; result: unknown }[];
}

const actor = (id: string) => ({ id, name: id });

/** A request's reply, or the code it was refused with. */
async function attempt<T>(
  request: Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; code: string | undefined }> {
  try {
    return { ok: true, value: await request };
  } catch (error) {
    return { ok: false, code: (error as { code?: string }).code };
  }
}

async function expectSame(model: LedgerModel, real: Real): Promise<void> {
  const { world } = real;
  await world.assertLedger();
  for (const [user, balance] of model.balances) {
    expect(await world.balance(actor(user)), `balance of ${user}`).toBe(balance);
  }
  for (const market of model.markets.values()) {
    const stored = await world.markets.get(GUILD, market.id);
    expect(stored.status, `status of market ${market.id}`).toBe(market.status);
    const probabilities = probabilitiesOf(pricingOf(stored));
    expect(Math.abs(probabilities.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-9);
    for (const p of probabilities) expect(p > 0 && p < 1).toBe(true);
    if (stored.mechanism === 'cpmm' && market.logK !== null) {
      const logK = cpmmLogInvariant(pricingOf(stored));
      expect(logK).toBeGreaterThanOrEqual(market.logK);
      market.logK = logK;
    }
    // Each position settled once: what the settlement paid equals what the positions record.
    const payouts = await world.rows<{ user: string; paid: number }>(
      'SELECT user_id AS "user", sum(payout) AS paid FROM positions WHERE market_id = ? GROUP BY user_id',
      market.id,
    );
    for (const row of payouts) {
      const expected = market.status === 'open' ? 0 : (market.positionPaid.get(row.user) ?? 0);
      expect(Number(row.paid), `payout of ${row.user} in market ${market.id}`).toBe(expected);
    }
  }
}

/** Runs `request` under a fresh key, remembering it so a later step can replay the key. */
async function keyed<T>(real: Real, request: (key: string) => Promise<T>): Promise<T> {
  const key = `k${++real.keys}`;
  const result = await request(key);
  real.history.push({ key, at: real.world.now().getTime(), run: () => request(key), result });
  return result;
}

type Command = fc.AsyncCommand<LedgerModel, Real>;
const command = (name: string, body: (model: LedgerModel, real: Real) => Promise<void>): Command => ({
  check: () => true,
  run: async (model, real) => {
    await body(model, real);
    await expectSame(model, real);
  },
  toString: () => name,
});

const user = fc.constantFrom(...USERS);
const anyMarket = (model: LedgerModel, pick: number): ModelMarket | undefined => {
  const list = [...model.markets.values()];
  return list.length === 0 ? undefined : list[pick % list.length];
};

const commands = [
  fc.tuple(user, fc.integer({ min: 1, max: 3000 })).map(([to, amount]) =>
    command(`grant(${to}, ${amount})`, async (model, real) => {
      await keyed(real, (key) => real.world.points.grant(admin, real.world.ctx(key), to, amount, 'model'));
      model.credit(to, amount);
    }),
  ),
  user.map((who) =>
    command(`daily(${who})`, async (model, real) => {
      const today = new Date(model.now - 5 * 3_600_000).toISOString().slice(0, 10);
      const outcome = await codeOf(
        keyed(real, (key) => real.world.points.claimDaily(actor(who), real.world.ctx(key))),
      );
      model.open(who);
      if (model.lastDaily.get(who) === today) expect(outcome).toBe('CONFLICT');
      else {
        expect(outcome).toBe('resolved');
        model.credit(who, 100);
        model.lastDaily.set(who, today);
      }
    }),
  ),
  fc
    .tuple(
      fc.constantFrom('admin', ...USERS),
      fc.constantFrom('cpmm', 'lmsr', 'pool') as fc.Arbitrary<'cpmm' | 'lmsr' | 'pool'>,
      fc.integer({ min: 100, max: 600 }),
      fc.integer({ min: 2, max: 4 }),
      fc.integer({ min: 1, max: 72 }),
    )
    .map(([creator, mechanism, subsidy, optionCount, hours]) =>
      command(`create(${creator}, ${mechanism}, ${subsidy})`, async (model, real) => {
        const who = creator === 'admin' ? admin : actor(creator);
        const count = mechanism === 'cpmm' ? 2 : optionCount;
        const closesAt = model.now + hours * 3_600_000;
        const request = real.world.markets.create(who, real.world.ctx(), {
          question: `Question ${model.nextMarketId}?`,
          mechanism,
          options: Array.from({ length: count }, (_, index) => `Option ${index}`),
          closesAt: new Date(closesAt).toISOString(),
          subsidy,
        });
        const paidByHouse = creator === 'admin';
        const cost = mechanism === 'pool' || paidByHouse ? 0 : subsidy;
        if (!paidByHouse && model.open(creator) < cost) {
          expect(await codeOf(request)).toBe('INSUFFICIENT_BALANCE');
          return;
        }
        const market = await request;
        expect(market.id).toBe(model.nextMarketId++);
        if (!paidByHouse) model.credit(creator, -cost);
        model.markets.set(market.id, {
          id: market.id,
          mechanism,
          creator: who.id,
          paidByHouse,
          closesAt,
          status: 'open',
          settledAt: null,
          optionCount: count,
          positions: new Map(),
          received: new Map(),
          positionPaid: new Map(),
          logK: mechanism === 'cpmm' ? cpmmLogInvariant(pricingOf(market)) : null,
        });
      }),
    ),
  fc.tuple(user, fc.nat(), fc.nat(), fc.integer({ min: 1, max: 1500 })).map(([who, pick, option, points]) =>
    command(`buy(${who}, #${pick}, ${option}, ${points})`, async (model, real) => {
      const market = anyMarket(model, pick);
      if (!market) return;
      const index = option % market.optionCount;
      const balance = model.open(who);
      const request = keyed(real, (key) =>
        real.world.markets.buy(actor(who), real.world.ctx(key), {
          marketId: market.id,
          option: index,
          points,
        }),
      );
      if (model.phase(market) !== 'open') return void expect(await codeOf(request)).toBe('MARKET_CLOSED');
      if (points > balance) return void expect(await codeOf(request)).toBe('INSUFFICIENT_BALANCE');
      const outcome = await attempt(request);
      if (!outcome.ok) {
        // Only a trade that would push an AMM's price to the float limit may be refused here.
        expect(outcome.code).toBe('VALIDATION');
        expect(market.mechanism).not.toBe('pool');
        return;
      }
      model.credit(who, -points);
      const position = model.position(market, who, index);
      position.shares += outcome.value.shares;
      position.invested += points;
    }),
  ),
  fc.tuple(fc.nat(), fc.double({ min: 0.05, max: 1, noNaN: true })).map(([pick, fraction]) =>
    command(`sell(#${pick}, ${fraction.toFixed(2)})`, async (model, real) => {
      // Pick among the open AMM positions that hold shares, so sells happen often enough to matter.
      const held = [...model.markets.values()]
        .filter((m) => m.mechanism !== 'pool' && model.phase(m) === 'open')
        .flatMap((m) =>
          [...m.positions.entries()].filter(([, p]) => p.shares > 0).map(([key, p]) => ({ m, key, p })),
        );
      const choice = held[pick % Math.max(1, held.length)];
      if (!choice) return;
      const [who, optionText] = choice.key.split(':') as [string, string];
      const index = Number(optionText);
      const shares = Math.max(1, Math.floor(choice.p.shares * fraction));
      const outcome = await attempt(
        keyed(real, (key) =>
          real.world.markets.sell(actor(who), real.world.ctx(key), {
            marketId: choice.m.id,
            option: index,
            shares,
          }),
        ),
      );
      if (!outcome.ok) return void expect(outcome.code).toBe('VALIDATION');
      model.credit(who, outcome.value.points);
      choice.p.shares -= shares;
      choice.p.takenOut += outcome.value.points;
    }),
  ),
  fc.tuple(fc.nat(), fc.nat(), fc.boolean()).map(([pick, option, mkt]) =>
    command(`resolve(#${pick}, ${mkt ? 'MKT' : option})`, async (model, real) => {
      const market = anyMarket(model, pick);
      if (!market) return;
      const resolution: MarketResolution =
        mkt && market.mechanism === 'cpmm'
          ? { kind: 'probability', probability: 370_000_000 }
          : { kind: 'option', option: option % market.optionCount };
      const stored = await real.world.markets.get(GUILD, market.id);
      const request = keyed(real, (key) =>
        real.world.markets.resolve(admin, real.world.ctx(key), market.id, resolution),
      );
      if (market.status !== 'open') return void expect(await codeOf(request)).toBe('CONFLICT');
      const result = await request;
      let perUser: Map<string, number>;
      if (resolution.kind === 'probability') {
        perUser = new Map();
        for (const [key, position] of market.positions) {
          const [who, index] = key.split(':') as [string, string];
          const q = BigInt(resolution.probability);
          const worth =
            index === '0' ? BigInt(position.shares) * q : BigInt(position.shares) * (1_000_000_000n - q);
          perUser.set(who, (perUser.get(who) ?? 0) + Number(worth / (BigInt(SHARE_UNIT) * 1_000_000_000n)));
        }
      } else perUser = model.resolutionPayouts(market, resolution.option, stored.escrow);
      market.positionPaid = new Map(perUser);
      if (!market.paidByHouse && result.lpReturn > 0)
        perUser.set(market.creator, (perUser.get(market.creator) ?? 0) + result.lpReturn);
      expect(result.paidToTraders + (market.paidByHouse ? 0 : result.lpReturn)).toBe(
        [...perUser.values()].reduce((a, b) => a + b, 0),
      );
      model.pay(market, perUser);
      market.status = 'resolved';
      market.settledAt = model.now;
      // Settling early closes the market at once.
      market.closesAt = Math.min(market.closesAt, model.now);
    }),
  ),
  fc.nat().map((pick) =>
    command(`cancel(#${pick})`, async (model, real) => {
      const market = anyMarket(model, pick);
      if (!market) return;
      const stored = await real.world.markets.get(GUILD, market.id);
      const request = keyed(real, (key) =>
        real.world.markets.cancel(admin, real.world.ctx(key), market.id, 'model'),
      );
      if (market.status !== 'open') return void expect(await codeOf(request)).toBe('CONFLICT');
      const result = await request;
      market.closesAt = Math.min(market.closesAt, model.now);
      const { perUser, paid } = model.cancellationRefunds(market, stored.escrow);
      expect(result.paidToTraders).toBe(paid);
      market.positionPaid = new Map(perUser);
      if (!market.paidByHouse && result.lpReturn > 0)
        perUser.set(market.creator, (perUser.get(market.creator) ?? 0) + result.lpReturn);
      model.pay(market, perUser);
      market.status = 'cancelled';
      market.settledAt = model.now;
    }),
  ),
  fc.nat().map((pick) =>
    command(`unresolve(#${pick})`, async (model, real) => {
      const market = anyMarket(model, pick);
      if (!market) return;
      const request = keyed(real, (key) =>
        real.world.markets.unresolve(admin, real.world.ctx(key), market.id, 'model'),
      );
      if (market.status !== 'resolved' || model.now - market.settledAt! > 48 * 3_600_000) {
        return void expect(await codeOf(request)).toBe('CONFLICT');
      }
      await request;
      for (const [who, amount] of market.received) model.credit(who, -Math.min(amount, model.open(who)));
      market.received = new Map();
      market.positionPaid = new Map();
      market.status = 'open';
      market.settledAt = null;
    }),
  ),
  fc.integer({ min: 1, max: 24 * 9 }).map((hours) =>
    command(`advance ${hours}h and sweep`, async (model, real) => {
      model.now += hours * 3_600_000;
      real.world.advanceHours(hours);
      const stale = [...model.markets.values()].filter(
        (m) => m.status === 'open' && model.now >= m.closesAt + 7 * 86_400_000,
      );
      const escrows = new Map<number, number>();
      for (const market of stale)
        escrows.set(market.id, (await real.world.markets.get(GUILD, market.id)).escrow);
      const { cancelled } = await real.world.markets.sweep();
      expect(cancelled.sort((a, b) => a - b)).toEqual(stale.map((m) => m.id).sort((a, b) => a - b));
      for (const market of stale) {
        const { perUser } = model.cancellationRefunds(market, escrows.get(market.id)!);
        market.positionPaid = new Map(perUser);
        const lp = await lpReturnOf(real, market.id);
        if (!market.paidByHouse && lp > 0)
          perUser.set(market.creator, (perUser.get(market.creator) ?? 0) + lp);
        model.pay(market, perUser);
        market.status = 'cancelled';
        market.settledAt = model.now;
      }
    }),
  ),
  fc.tuple(fc.nat(), fc.boolean()).map(([pick, same]) =>
    command(`replay key #${pick} (${same ? 'same' : 'different'} request)`, async (_model, real) => {
      const entry = real.history[pick % Math.max(1, real.history.length)];
      // Keys are kept 7 days; the sweep may forget older ones, after which a key is free again.
      if (!entry || real.world.now().getTime() - entry.at >= 7 * 86_400_000) return;
      if (same) expect(await entry.run()).toEqual(entry.result);
      else {
        const other = real.world.points.grant(admin, real.world.ctx(entry.key), 'u1', 1, 'different');
        expect(await codeOf(other)).toBe('CONFLICT');
      }
    }),
  ),
];

// Trading is most of what happens in a guild, so buys and sells come up more often than settlements.
const [grant, daily, create, buy, sell, ...rest] = commands;
const weighted = [grant!, daily!, create!, create!, buy!, buy!, buy!, buy!, sell!, sell!, ...rest];

async function lpReturnOf(real: Real, marketId: number): Promise<number> {
  const [row] = await real.world.rows<{ n: number }>(
    "SELECT coalesce(sum(amount), 0) AS n FROM transfers WHERE market_id = ? AND kind = 'lp_return' AND settlement = (SELECT settlements FROM markets WHERE id = ?)",
    marketId,
    marketId,
  );
  return Number(row?.n ?? 0);
}

// PostgreSQL runs cost a fresh database each, so it gets fewer by default (MODEL_RUNS sets both).
const runsOn = (backend: LedgerBackend) =>
  Number(process.env.MODEL_RUNS ?? (backend.name === 'postgres' ? 6 : 25));

describe.each(LEDGER_BACKENDS)('the ledger on $name', (backend) => {
  it(`keeps every ledger invariant and matches the reference model (seed ${seed})`, async () => {
    console.log(`model-based ledger test on ${backend.name}: seed=${seed} (replay with MODEL_SEED=${seed})`);
    await fc.assert(
      fc.asyncProperty(fc.commands(weighted, { maxCommands: 50, size: 'max' }), async (steps) => {
        const world = await ledgerWorld(backend);
        try {
          await fc.asyncModelRun(
            () => ({ model: new LedgerModel(), real: { world, keys: 0, history: [] } }),
            steps,
          );
        } finally {
          await world.dispose();
        }
      }),
      { seed, numRuns: runsOn(backend) },
    );
  }, 300_000);
});
