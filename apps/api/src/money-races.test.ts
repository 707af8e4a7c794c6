import { type ChildProcess, execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { openDatabase, openPostgres } from '@coachwire/storage';
import { createTestPgDatabase, type TestPgDatabase } from '@coachwire/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  killAll,
  postJson as post,
  startApiProcess,
  writeApiProcessConfig,
} from './test-support/api-process.js';

/**
 * Money under real concurrency: two API processes over one database (a SQLite file, or PostgreSQL), with
 * bets, sells, grants, first bets, resolutions, unresolves, cancels and duplicated idempotency keys racing on
 * the same market. After each scenario `coachwire db check` must pass, and the ledger must hold exactly what
 * the HTTP answers said: every 201 once, nothing of a refusal.
 */
const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CLI_MAIN = join(REPO_ROOT, 'apps/cli/src/main.ts');
const TSX = createRequire(join(REPO_ROOT, 'package.json')).resolve('tsx');
const GUILD = '900000000000000077';
const STARTING = 1000;

type Answer = Awaited<ReturnType<typeof post>>;
type Backend = 'sqlite' | 'postgres';

interface Harness {
  readonly ports: readonly [number, number];
  query<T>(sql: string): Promise<T[]>;
  dbCheck(): Promise<{ code: number; stdout: string; stderr: string }>;
}

const run = promisify(execFile);

describe.each<Backend>(['sqlite', 'postgres'])('money races between two API processes on %s', (backend) => {
  const running: ChildProcess[] = [];
  let dir = '';
  let database: TestPgDatabase | undefined;
  let harness: Harness;
  let closeQuery: () => Promise<void> = async () => {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `coachwire-money-races-${backend}-`));
    const dbPath = join(dir, 'plans.db');
    const configPath = writeApiProcessConfig(
      dir,
      backend === 'sqlite' ? `{ path: "${dbPath}" }` : '{ pool_size: 4 }',
    );
    let env: Record<string, string> = {};
    if (backend === 'postgres') {
      database = await createTestPgDatabase();
      env = { DATABASE_URL: database.url };
    }
    const [first, second] = await Promise.all([
      startApiProcess({ configPath, env, running }),
      startApiProcess({ configPath, env, running }),
    ]);
    let query: Harness['query'];
    if (backend === 'sqlite') {
      const handle = openDatabase({ path: dbPath });
      query = async <T>(sql: string) => handle.sqlite.prepare(sql).all() as T[];
      closeQuery = async () => handle.close();
    } else {
      const handle = await openPostgres({ url: database!.url, poolSize: 1 });
      query = async <T>(sql: string) => (await handle.pool.query(sql)).rows as T[];
      closeQuery = () => handle.close();
    }
    const cliEnv = {
      PATH: process.env.PATH ?? '',
      LOG_FILE: '',
      TZ: 'UTC',
      ...(backend === 'sqlite' ? { DATABASE_PATH: dbPath } : { DATABASE_URL: database!.url }),
    };
    harness = {
      ports: [first.port, second.port],
      query,
      dbCheck: async () => {
        try {
          const { stdout, stderr } = await run(
            process.execPath,
            ['--conditions=@coachwire/source', '--import', TSX, CLI_MAIN, 'db', 'check'],
            { cwd: dir, env: cliEnv },
          );
          return { code: 0, stdout, stderr };
        } catch (error) {
          const failed = error as { code: number; stdout: string; stderr: string };
          return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
        }
      },
    };
  }, 120_000);

  afterAll(async () => {
    killAll(running);
    await closeQuery();
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  let creators = 100;
  async function createMarket(key: string, closesAt = new Date(Date.now() + 86_400_000).toISOString()) {
    creators += 1;
    const created = await post(harness.ports[0], '/api/v1/markets', key, {
      guild_id: GUILD,
      user_id: String(creators),
      question: `Races ${key}?`,
      mechanism: 'cpmm',
      closes_at: closesAt,
      subsidy: 1000,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.id as number;
  }

  async function expectDbCheckPasses() {
    const check = await harness.dbCheck();
    expect(check.code, `${check.stdout}\n${check.stderr}`).toBe(0);
    expect(check.stdout).toContain('Ledger: ok');
  }

  /** Sum and count of transfers of `kind` on `marketId`. */
  async function transfersOf(marketId: number, kind: string) {
    const [row] = await harness.query<{ n: number | string; total: number | string | null }>(
      `SELECT count(*) AS n, sum(amount) AS total FROM transfers WHERE market_id = ${marketId} AND kind = '${kind}'`,
    );
    return { n: Number(row!.n), total: Number(row!.total ?? 0) };
  }

  async function tradesOf(marketId: number) {
    const rows = await harness.query<{ id: number | string; side: string; points: number | string }>(
      `SELECT id, side, points FROM trades WHERE market_id = ${marketId} ORDER BY id`,
    );
    return rows.map((row) => ({ id: Number(row.id), side: row.side, points: Number(row.points) }));
  }

  function expectOnlyRefusals(answers: readonly Answer[], allowed: readonly number[]) {
    for (const answer of answers) {
      if (answer.status === 201 || answer.status === 200) continue;
      expect(allowed, JSON.stringify(answer.body)).toContain(answer.status);
    }
  }

  /** Every created trade appears once, and trades hold exactly the 201s' amounts. */
  async function expectTradesMatch(marketId: number, bets: readonly Answer[], sells: readonly Answer[]) {
    const okBets = bets.filter((answer) => answer.status === 201);
    const okSells = sells.filter((answer) => answer.status === 201);
    const betIds = okBets.map((answer) => (answer.body.bet as { id: number }).id);
    const sellIds = okSells.map((answer) => (answer.body.sell as { id: number }).id);
    const trades = await tradesOf(marketId);
    expect(new Set(betIds).size).toBe(betIds.length);
    expect(new Set(sellIds).size).toBe(sellIds.length);
    expect(trades.filter((trade) => trade.side === 'buy').map((trade) => trade.id)).toEqual(
      [...betIds].sort((a, b) => a - b),
    );
    expect(trades.filter((trade) => trade.side === 'sell').map((trade) => trade.id)).toEqual(
      [...sellIds].sort((a, b) => a - b),
    );
    const betPoints = okBets.reduce((sum, answer) => sum + (answer.body.bet as { amount: number }).amount, 0);
    const sellPoints = okSells.reduce(
      (sum, answer) => sum + (answer.body.sell as { amount: number }).amount,
      0,
    );
    expect(await transfersOf(marketId, 'bet')).toEqual({ n: okBets.length, total: betPoints });
    expect(await transfersOf(marketId, 'sell')).toEqual({ n: okSells.length, total: sellPoints });
  }

  /** Sends bets in rounds (each awaiting the last), alternating processes, until `done` settles; every answer. */
  async function betWhile(
    marketId: number,
    done: Promise<unknown>,
    prefix: string,
    users: readonly string[],
  ): Promise<Answer[]> {
    let finished = false;
    void done.finally(() => {
      finished = true;
    });
    const answers: Answer[] = [];
    let round = 0;
    // At least a few rounds after the settlement chain ends, so late bets meet the final state.
    let after = 0;
    while (after < 2 && round < 200) {
      if (finished) after += 1;
      const batch = users.map((user, index) =>
        post(
          harness.ports[(round + index) % 2]!,
          `/api/v1/markets/${marketId}/bets`,
          `${prefix}-${round}-${user}`,
          { user_id: user, option: (round + index) % 3 === 0 ? 'no' : 'yes', amount: 5 + (index % 4) },
        ),
      );
      answers.push(...(await Promise.all(batch)));
      round += 1;
    }
    return answers;
  }

  /** Each user bets once, on alternate processes, before a race starts: holders on both sides. */
  async function seedHolders(
    path: string,
    users: readonly string[],
    tag: string,
    betOf: (index: number) => { option: string; amount: number },
  ): Promise<Answer[]> {
    const seed = await Promise.all(
      users.map((user, index) =>
        post(harness.ports[index % 2]!, `${path}/bets`, `${tag}-seed-${user}`, {
          user_id: user,
          ...betOf(index),
        }),
      ),
    );
    expect(seed.map((answer) => answer.status)).toEqual(users.map(() => 201));
    return seed;
  }

  it('bets racing resolve, unresolve and a second resolve: no bet after a settlement, each paid once', async () => {
    const marketId = await createMarket(`${backend}-resolve`);
    const users = ['201', '202', '203', '204', '205', '206'];
    const [first, second] = harness.ports;
    const path = `/api/v1/markets/${marketId}`;
    // Holders on both sides before the settlements start.
    const seed = await seedHolders(path, users, 'resolve', (index) => ({
      option: index % 2 === 0 ? 'yes' : 'no',
      amount: 50,
    }));
    const settlement = (async () => {
      const resolved = await post(first, `${path}/resolve`, 'r1', { user_id: '100', outcome: 'yes' });
      const unresolved = await post(second, `${path}/unresolve`, 'u1', { user_id: '100', reason: 'oops' });
      const again = await post(first, `${path}/resolve`, 'r2', { user_id: '100', outcome: 'no' });
      return [resolved, unresolved, again];
    })();
    const bets = await betWhile(marketId, settlement, 'resolve-bet', users);
    const steps = await settlement;
    expect(steps.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expectOnlyRefusals(bets, [409]);
    await expectTradesMatch(marketId, [...seed, ...bets], []);
    // Two settlements, one reversed: the final one pays exactly the escrow.
    const payouts = await transfersOf(marketId, 'payout');
    const reversals = await transfersOf(marketId, 'reversal');
    expect(reversals.total).toBeGreaterThan(0);
    expect(payouts.n).toBeGreaterThan(0);
    // The market closed when it was first resolved: no trade it settles is dated after that.
    const [market] = await harness.query<{ closes_at: string; settled_at: string }>(
      `SELECT closes_at, settled_at FROM markets WHERE id = ${marketId}`,
    );
    const late = await harness.query<{ id: number; created_at: string }>(
      `SELECT id, created_at FROM trades WHERE market_id = ${marketId} AND created_at >= '${market!.closes_at}'`,
    );
    const order = await harness.query<{ id: number; kind: string; created_at: string }>(
      `SELECT id, kind, created_at FROM transfers WHERE market_id = ${marketId} ORDER BY id`,
    );
    expect(late, JSON.stringify({ market, late, order })).toEqual([]);
    await expectDbCheckPasses();
  }, 120_000);

  it('bets and sells racing a cancel: refunds cover each net stake once', async () => {
    const marketId = await createMarket(`${backend}-cancel`);
    const users = ['301', '302', '303', '304'];
    const [first, second] = harness.ports;
    const path = `/api/v1/markets/${marketId}`;
    // Each user holds shares to sell.
    const seed = await seedHolders(path, users, 'cancel', () => ({ option: 'yes', amount: 100 }));
    const sells: Answer[] = [];
    const cancel = (async () => {
      // Two sells per user at once, one on each process, each of 60% of the holding: one must be refused.
      const sold = await Promise.all(
        seed.flatMap((answer, index) => {
          const shares = Math.floor((answer.body.position_shares as number) * 0.6 * 1e6) / 1e6;
          return [first, second].map((port, which) =>
            post(port, `${path}/sells`, `cancel-sell-${index}-${which}`, {
              user_id: users[index]!,
              option: 'yes',
              shares,
            }),
          );
        }),
      );
      sells.push(...sold);
      return Promise.all([
        post(first, `${path}/cancel`, 'c1', { user_id: '100', reason: 'race' }),
        post(second, `${path}/cancel`, 'c2', { user_id: '100', reason: 'race' }),
      ]);
    })();
    const bets = await betWhile(marketId, cancel, 'cancel-bet', users);
    const cancels = await cancel;
    expect(cancels.map((answer) => answer.status).sort()).toEqual([200, 409]);
    for (let index = 0; index < users.length; index += 1) {
      const pair = sells.slice(index * 2, index * 2 + 2).map((answer) => answer.status);
      expect(pair.filter((status) => status === 201).length, JSON.stringify(sells)).toBe(1);
    }
    expectOnlyRefusals([...bets, ...sells], [400, 409, 422]);
    await expectTradesMatch(marketId, [...seed, ...bets], sells);
    const positions = await harness.query<{ shares: number | string }>(
      `SELECT shares FROM positions WHERE market_id = ${marketId}`,
    );
    for (const position of positions) expect(Number(position.shares)).toBeGreaterThanOrEqual(0);
    expect((await transfersOf(marketId, 'refund')).n).toBeGreaterThan(0);
    await expectDbCheckPasses();
  }, 120_000);

  it('bets in flight while the close time passes: none accepted after it, none dated after it', async () => {
    const closesAt = new Date(Date.now() + 1500).toISOString();
    const marketId = await createMarket(`${backend}-close`, closesAt);
    const users = ['501', '502', '503'];
    const answers: Answer[][] = [];
    // Rounds of bets, each waiting for the one before, until two whole rounds in a row are refused.
    for (let round = 0, closedRounds = 0; closedRounds < 2 && round < 400; round += 1) {
      const batch = await Promise.all(
        users.map((user, index) =>
          post(
            harness.ports[(round + index) % 2]!,
            `/api/v1/markets/${marketId}/bets`,
            `close-${round}-${user}`,
            {
              user_id: user,
              option: index === 0 ? 'no' : 'yes',
              amount: 1,
            },
          ),
        ),
      );
      answers.push(batch);
      closedRounds = batch.every((answer) => answer.status === 409) ? closedRounds + 1 : 0;
    }
    const flat = answers.flat();
    expect(flat.filter((answer) => answer.status === 201).length).toBeGreaterThan(0);
    for (const answer of flat) {
      if (answer.status !== 201) expect(answer.body.code, JSON.stringify(answer.body)).toBe('MARKET_CLOSED');
    }
    // Once a round was refused whole, no later round was accepted.
    const firstClosed = answers.findIndex((batch) => batch.every((answer) => answer.status === 409));
    expect(
      answers
        .slice(firstClosed)
        .flat()
        .every((answer) => answer.status === 409),
    ).toBe(true);
    await expectTradesMatch(marketId, flat, []);
    const late = await harness.query<{ id: number }>(
      `SELECT id FROM trades WHERE market_id = ${marketId} AND created_at >= '${closesAt}'`,
    );
    expect(late).toEqual([]);
    const resolved = await post(harness.ports[1], `/api/v1/markets/${marketId}/resolve`, 'close-resolve', {
      user_id: '100',
      outcome: 'no',
    });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    await expectDbCheckPasses();
  }, 120_000);

  it('first bets from both processes, grants racing bets, and the same key on both processes at once', async () => {
    const marketId = await createMarket(`${backend}-grants`);
    const [first, second] = harness.ports;
    const path = `/api/v1/markets/${marketId}`;
    const newcomers = ['401', '402', '403', '404', '405', '406'];
    // A newcomer's first bet, on both processes at once with different keys: one account, one starting mint.
    const firstBets = await Promise.all(
      newcomers.flatMap((user) => [
        post(first, `${path}/bets`, `first-${user}-a`, { user_id: user, option: 'yes', amount: 600 }),
        post(second, `${path}/bets`, `first-${user}-b`, { user_id: user, option: 'no', amount: 600 }),
        post(
          first === second ? first : second,
          `/api/v1/guilds/${GUILD}/users/${user}/grants`,
          `grant-${user}`,
          {
            amount: 50,
            reason: 'race',
          },
        ),
      ]),
    );
    // One account opened once (1000 points), plus 50 granted: two bets of 600 never both fit, one always does.
    for (let index = 0; index < newcomers.length; index += 1) {
      const [a, b, grant] = firstBets.slice(index * 3, index * 3 + 3) as [Answer, Answer, Answer];
      expect(grant.status, JSON.stringify(grant.body)).toBe(201);
      expect([a.status, b.status].sort(), JSON.stringify([a.body, b.body])).toEqual([201, 409]);
    }
    // The same key to both processes at the same instant, for every kind of write.
    const sameKey = await Promise.all([
      ...newcomers.flatMap((user) => {
        const body = { user_id: user, option: 'yes', amount: 20 };
        return [first, second].map((port) => post(port, `${path}/bets`, `dup-bet-${user}`, body));
      }),
      ...newcomers.flatMap((user) =>
        [first, second].map((port) =>
          post(port, `/api/v1/guilds/${GUILD}/users/${user}/grants`, `dup-grant-${user}`, {
            amount: 7,
            reason: 'dup',
          }),
        ),
      ),
    ]);
    for (let index = 0; index < sameKey.length; index += 2) {
      const [a, b] = [sameKey[index]!, sameKey[index + 1]!];
      expect([a.status, b.status], JSON.stringify([a.body, b.body])).toEqual([201, 201]);
      // A replay answers the first effect again (the market beside it is read afresh).
      expect({ ...a.body, market: null }).toEqual({ ...b.body, market: null });
    }
    // A newcomer's refused first bet (its account is opened only to be dropped) racing a good one.
    const opening = await Promise.all([
      post(first, `${path}/bets`, 'open-407-a', { user_id: '407', option: 'yes', amount: 1500 }),
      post(second, `${path}/bets`, 'open-407-b', { user_id: '407', option: 'yes', amount: 10 }),
    ]);
    expect(opening.map((answer) => answer.status)).toEqual([409, 201]);
    expect(opening[1].body.balance).toBe(STARTING - 10);
    // The same key with a different request at the same instant: one effect, the other a conflict.
    const differing = await Promise.all(
      [first, second].map((port, which) =>
        post(port, `${path}/bets`, 'dup-differing', { user_id: '401', option: 'yes', amount: 3 + which }),
      ),
    );
    expect(differing.map((answer) => answer.status).sort(), JSON.stringify(differing)).toEqual([201, 409]);
    const allBets = [
      ...differing,
      ...opening,
      ...firstBets.filter((_, index) => index % 3 !== 2),
      ...sameKey.slice(0, 12).filter((_, i) => i % 2 === 0),
    ];
    expectOnlyRefusals(allBets, [409]);
    await expectTradesMatch(marketId, allBets, []);
    const balances = await harness.query<{ user_id: string; balance: number | string }>(
      `SELECT user_id, balance FROM accounts WHERE guild_id = '${GUILD}' AND user_id IN (${newcomers.map((u) => `'${u}'`).join(', ')}) ORDER BY user_id`,
    );
    const differingPoints = (
      differing.find((answer) => answer.status === 201)!.body.bet as { amount: number }
    ).amount;
    expect(balances.map((row) => Number(row.balance))).toEqual(
      newcomers.map((user) => STARTING + 50 + 7 - 600 - 20 - (user === '401' ? differingPoints : 0)),
    );
    const resolveKey = await Promise.all(
      [first, second].map((port) =>
        post(port, `${path}/resolve`, 'dup-resolve', { user_id: '100', outcome: 'yes' }),
      ),
    );
    expect(resolveKey.map((answer) => answer.status)).toEqual([200, 200]);
    // Every newcomer and 407 hold YES.
    expect((await transfersOf(marketId, 'payout')).n).toBe(newcomers.length + 1);
    await expectDbCheckPasses();
  }, 120_000);
});
