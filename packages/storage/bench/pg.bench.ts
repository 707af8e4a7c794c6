// PostgreSQL beside SQLite at the storage level: bets and plan reads through the same ports, in one run, with
// the statements (round trips) each operation sends. Run with `pnpm --filter @coachwire/storage bench:pg`.
// Figures are reported, never asserted; the ledger check runs at the end on both backends.
//
// PostgreSQL is a throwaway cluster with its durable defaults (fsync, synchronous_commit on), as SQLite's
// commits are durable. BENCH_PG_DIAG=1 adds diagnostic PostgreSQL variants that must never ship:
// `sync off` (synchronous_commit=off: COMMIT no longer waits for the WAL flush) and `no event lock` (the
// event log's advisory lock taken shared, so it never waits, breaking id-order visibility), to see what bounds a bet.
// BENCH_BETS (default 600) sets the bets per case; BENCH_CONCURRENCY (default 16) the callers at once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MarketService, type MarketServiceOptions, PointsService } from '@coachwire/core';
import pg from 'pg';
import { openPostgresStore } from '../src/postgres/pg-store.js';
import { openSqliteStore } from '../src/sqlite-store.js';
import type { CoachwireStore } from '../src/store.js';
import { createTestPgDatabase } from '../src/test-support/pg-test-database.js';
import { startPgCluster } from '../src/test-support/testing.js';
import { percentile } from './market-bench-support.js';

const GUILD = 'bench';
const MARKETS = 20;
const PLANS = 500;
const BETS = Number(process.env.BENCH_BETS ?? 600);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const POOL_SIZE = 10;
const DIAGNOSTICS = process.env.BENCH_PG_DIAG === '1';
const admin = { id: 'admin', name: 'admin', hasAdminPermission: true };
const options: MarketServiceOptions = { timezone: 'America/New_York', settings: { maxBet: 10_000 } };

// Every statement any pooled client sends (drizzle's included) is one round trip to the server.
let statements = 0;
let dropEventLock = false;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function counted(this: pg.Client, ...args: unknown[]) {
  statements += 1;
  const first = args[0] as string | { text?: string };
  const text = typeof first === 'string' ? first : first?.text;
  if (dropEventLock && text?.includes('pg_advisory_xact_lock(')) {
    // A shared lock never waits for another shared one: the events are appended without serializing.
    const shared = text.replace('pg_advisory_xact_lock(', 'pg_advisory_xact_lock_shared(');
    args[0] = typeof first === 'string' ? shared : { ...first, text: shared };
  }
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

const slug = (name: string) => name.replaceAll(' ', '-');

interface Row {
  readonly backend: string;
  readonly operation: string;
  readonly ops: number;
  readonly 'ops/s': number;
  readonly 'p50 ms': string;
  readonly 'p99 ms': string;
  readonly 'CPU µs/op': string;
  readonly 'stmts/op': string;
}

/** Runs `count` calls of `work(index)`, `parallel` at a time, timing each call. */
async function timed(
  backend: string,
  operation: string,
  count: number,
  parallel: number,
  work: (index: number) => Promise<unknown>,
): Promise<Row> {
  const samples: bigint[] = [];
  let next = 0;
  const sentBefore = statements;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let index = next++; index < count; index = next++) {
        const before = process.hrtime.bigint();
        await work(index);
        samples.push(process.hrtime.bigint() - before);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  const sorted = samples.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    backend,
    operation,
    ops: count,
    'ops/s': Math.round(count / seconds),
    'p50 ms': (percentile(sorted, 0.5) / 1000).toFixed(2),
    'p99 ms': (percentile(sorted, 0.99) / 1000).toFixed(2),
    'CPU µs/op': ((used.user + used.system) / count).toFixed(0),
    'stmts/op': backend === 'sqlite' ? '' : ((statements - sentBefore) / count).toFixed(1),
  };
}

/** Markets, funded bettors and plans, written through the ports so both backends hold the same rows. */
async function seed(store: CoachwireStore, markets: MarketService, points: PointsService) {
  let keys = 0;
  const ctx = () => ({ guildId: GUILD, idempotencyKey: `setup-${++keys}` });
  const closesAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const ids: number[] = [];
  for (let index = 0; index < MARKETS; index++) {
    const mechanism = index % 3 === 0 ? 'pool' : 'cpmm';
    const market = await markets.create(admin, ctx(), {
      question: `Bench ${index}?`,
      mechanism,
      closesAt,
      subsidy: 100_000,
    });
    ids.push(market.id);
  }
  for (let user = 0; user < 100; user += 1) await points.grant(admin, ctx(), `u${user}`, 1_000_000, 'bench');
  for (let index = 0; index < PLANS; index++) {
    await store.plans.insert({
      coach: ['d', 'i', 's', 'n'][index % 4]!,
      tradingDate: `2026-${String(1 + (index % 12)).padStart(2, '0')}-${String(1 + Math.floor(index / 12)).padStart(2, '0')}`,
      text: `Plan ${index}: watch ES 5000 support, NQ 18000 resistance; size down into CPI.`,
      author: { id: '100000000000000001', name: 'coach' },
      guildId: GUILD,
      channelId: '900000000000000002',
      channelName: 'trading-plans',
      sourceMessageId: String(800000000000000000n + BigInt(index)),
      charts: index % 2 === 0 ? [{ url: `https://cdn.example/${index}.png`, filename: `${index}.png` }] : [],
      createdAt: '2026-01-01T12:00:00.000Z',
    });
  }
  return ids;
}

async function runCases(backend: string, store: CoachwireStore): Promise<Row[]> {
  const markets = new MarketService(store.ledger, options);
  const points = new PointsService(store.ledger, options);
  const ids = await seed(store, markets, points);
  const planIds = (await store.plans.list({ limit: PLANS })).map((plan) => plan.id);
  const rows: Row[] = [];
  let bet = 0;
  const buy = (user: string, marketId: number) =>
    markets.buy(
      { id: user, name: user },
      { guildId: GUILD, idempotencyKey: `${slug(backend)}-bet-${++bet}` },
      { marketId, option: bet % 2, points: 1 + (bet % 5) },
    );
  const market = (index: number) => ids[index % ids.length]!;
  rows.push(await timed(backend, 'bet, one at a time', BETS, 1, (i) => buy(`u${i % 100}`, market(i))));
  rows.push(
    await timed(backend, `bets, ${CONCURRENCY} at once, ${MARKETS} markets`, BETS, CONCURRENCY, (i) =>
      buy(`u${i % 100}`, market(i)),
    ),
  );
  rows.push(
    await timed(backend, `bets, ${CONCURRENCY} at once, one market`, BETS, CONCURRENCY, (i) =>
      buy(`u${i % 100}`, ids[1]!),
    ),
  );
  // A new bettor's first bet also mints the starting balance from the house account.
  rows.push(
    await timed(backend, `first bets, ${CONCURRENCY} at once`, BETS, CONCURRENCY, (i) =>
      buy(`${slug(backend)}-new-${i}`, market(i)),
    ),
  );
  const planId = (i: number) => planIds[(i * 7919) % planIds.length]!;
  rows.push(await timed(backend, 'plan read, one at a time', 2000, 1, (i) => store.plans.getById(planId(i))));
  rows.push(
    await timed(backend, `plan reads, ${CONCURRENCY} at once`, 4000, CONCURRENCY, (i) =>
      store.plans.getById(planId(i)),
    ),
  );
  rows.push(
    await timed(backend, `latest event id, ${CONCURRENCY} at once`, 4000, CONCURRENCY, () =>
      store.eventLog.latestEventId(),
    ),
  );
  rows.push(
    await timed(backend, `market read, ${CONCURRENCY} at once`, 2000, CONCURRENCY, (i) =>
      store.marketReads.marketById(market(i)),
    ),
  );
  const report = await store.checkLedger();
  console.log(`${backend}: ledger check ${report.ok ? 'ok' : `VIOLATIONS ${report.violations.join('; ')}`}`);
  if (!report.ok) process.exitCode = 1;
  return rows;
}

const dir = mkdtempSync(join(tmpdir(), 'coachwire-pg-bench-'));
const cluster = await startPgCluster({ durable: true });
process.env.COACHWIRE_TEST_PG_URL = cluster.adminUrl;
try {
  const rows: Row[] = [];
  const sqlite = await openSqliteStore({ path: join(dir, 'bench.sqlite') });
  try {
    rows.push(...(await runCases('sqlite', sqlite)));
  } finally {
    await sqlite.close();
  }
  const variants = [
    { name: 'postgres', url: (url: string) => url, noLock: false },
    ...(DIAGNOSTICS
      ? [
          {
            name: 'pg sync off',
            url: (url: string) => `${url}?options=${encodeURIComponent('-c synchronous_commit=off')}`,
            noLock: false,
          },
          { name: 'pg no ev lock', url: (url: string) => url, noLock: true },
        ]
      : []),
  ];
  for (const variant of variants) {
    const database = await createTestPgDatabase();
    const store = await openPostgresStore({ url: variant.url(database.url), poolSize: POOL_SIZE });
    dropEventLock = variant.noLock;
    try {
      rows.push(...(await runCases(variant.name, store)));
    } finally {
      dropEventLock = false;
      await store.close();
      await database.drop();
    }
  }
  console.log(`Node ${process.version}; pool ${POOL_SIZE}; stmts/op counts every statement sent`);
  console.table(rows);
} finally {
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
}
