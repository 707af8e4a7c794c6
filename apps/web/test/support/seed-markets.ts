import { randomUUID } from 'node:crypto';
import type { Market } from '../../src/markets/market-types';
import type { LiveApi } from './live-api';

export const GUILD = '900000000000000001';
export const CREATOR = '100000000000000001';
export const ALICE = '100000000000000002';
export const BOB = '100000000000000003';

/** The markets seeded for the market pages; each is as the API answered after the seeding. */
export interface SeededMarkets {
  /** A coach call on today's plan (cpmm), with two trades. */
  readonly coachCall: Market;
  /** A parimutuel market with three options and two stakes. */
  readonly pool: Market;
  /** A three-option LMSR market without trades. */
  readonly lmsr: Market;
  /** Yesterday's coach call, resolved YES after a bet: gives the coach's scoreboard a call. */
  readonly resolvedCall: Market;
}

async function answered<T>(response: Response, what: string): Promise<T> {
  const body = (await response.json()) as T;
  if (response.status !== 201 && response.status !== 200) {
    throw new Error(`Seeding ${what} failed: ${response.status} ${JSON.stringify(body)}`);
  }
  return body;
}

/**
 * Opens a market through the keyed API, as a Discord member would with /market create; a market on a plan is
 * its coach's call, so the plan's author opens it (only they or an admin may).
 */
export async function openMarket(api: LiveApi, body: Record<string, unknown>): Promise<Market> {
  let opener = { user_id: CREATOR, user_name: 'creator' };
  if (body.plan_id !== undefined) {
    const { author } = await api.get<{ author: { id: string; name: string } }>(
      `/api/v1/plans/${body.plan_id}`,
    );
    opener = { user_id: author.id, user_name: author.name };
  }
  const request = { guild_id: GUILD, ...opener, ...body };
  return answered(await api.post('/api/v1/markets', request, randomUUID()), `market "${body.question}"`);
}

/** Bets through the keyed API; answers the market as it is after the bet. */
export async function bet(
  api: LiveApi,
  marketId: number,
  userId: string,
  option: number | string,
  amount: number,
): Promise<Market> {
  const body = { user_id: userId, option, amount };
  const result = await answered<{ market: Market }>(
    await api.post(`/api/v1/markets/${marketId}/bets`, body, randomUUID()),
    `a bet on market ${marketId}`,
  );
  return result.market;
}

/** Seeds the markets the market pages show: plans are those of coach d today and yesterday. */
export async function seedMarkets(
  api: LiveApi,
  plans: { readonly today: number; readonly yesterday: number },
): Promise<SeededMarkets> {
  const closesAt = new Date(Date.now() + 6 * 3_600_000).toISOString();
  const opened = await openMarket(api, {
    question: "Will Coach D's plan for today work out?",
    mechanism: 'cpmm',
    closes_at: closesAt,
    plan_id: plans.today,
  });
  await bet(api, opened.id, ALICE, 'yes', 60);
  const coachCall = await bet(api, opened.id, BOB, 'no', 20);

  const pot = await openMarket(api, {
    question: 'Where does SPY close on Friday?',
    mechanism: 'pool',
    options: ['Above 600', '590 to 600', 'Below 590'],
    closes_at: new Date(Date.now() + 3 * 86_400_000).toISOString(),
  });
  await bet(api, pot.id, ALICE, 'Above 600', 300);
  const pool = await bet(api, pot.id, BOB, '590 to 600', 100);

  const lmsr = await openMarket(api, {
    question: 'Which sector leads this week?',
    mechanism: 'lmsr',
    options: ['Tech', 'Energy', 'Financials'],
    closes_at: new Date(Date.now() + 2 * 86_400_000).toISOString(),
    subsidy: 200,
  });

  const earlier = await openMarket(api, {
    question: "Did Coach D's plan for yesterday work out?",
    mechanism: 'cpmm',
    closes_at: closesAt,
    plan_id: plans.yesterday,
  });
  await bet(api, earlier.id, ALICE, 'yes', 40);
  const resolved = await answered<Market>(
    await api.post(
      `/api/v1/markets/${earlier.id}/resolve`,
      { user_id: CREATOR, outcome: 'yes' },
      randomUUID(),
    ),
    'the resolution',
  );
  return { coachCall, pool, lmsr, resolvedCall: resolved };
}
