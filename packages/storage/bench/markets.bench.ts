// Markets benchmark: bets per second and per-bet latency at the service layer (one BEGIN IMMEDIATE
// transaction each), and pure quotes per second. Run with `pnpm --filter @coachwire/storage bench`.
// Figures are reported, never asserted; the ledger check runs at the end. The file is opened as the API and
// the bot open it, with background checkpoints; BENCH_BACKGROUND_CHECKPOINTS=0 measures without them.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { quoteBuy } from '@coachwire/core';
import { checkLedger, createMarketServices, migrateDatabase, openDatabase } from '../src/index.js';
import { sequentialBets, summary, type Timing } from './market-bench-support.js';

const GUILD = 'bench';
const admin = { id: 'admin', name: 'admin', hasAdminPermission: true };
const dir = mkdtempSync(join(tmpdir(), 'coachwire-market-bench-'));
const path = join(dir, 'markets.sqlite');
const backgroundCheckpoints = process.env.BENCH_BACKGROUND_CHECKPOINTS !== '0';
const handle = openDatabase({ path, backgroundCheckpoints });
let keys = 0;
const ctx = () => ({ guildId: GUILD, idempotencyKey: `setup-${++keys}` });
try {
  await migrateDatabase(handle);
  const { markets, points } = createMarketServices(handle, {
    timezone: 'America/New_York',
    settings: { maxBet: 10_000 },
  });
  const closesAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const market = await markets.create(admin, ctx(), {
    question: 'Bench?',
    mechanism: 'cpmm',
    closesAt,
    subsidy: 100_000,
  });
  const lmsr = await markets.create(admin, ctx(), {
    question: 'Bench 5?',
    mechanism: 'lmsr',
    options: ['A', 'B', 'C', 'D', 'E'],
    closesAt,
    subsidy: 100_000,
  });
  for (const prefix of ['s', 'c', 'w', 'p']) {
    for (let user = 0; user < 100; user += 1)
      await points.grant(admin, ctx(), `${prefix}${user}`, 1_000_000, 'bench');
  }
  const results: Timing[] = [];

  results.push(
    await sequentialBets(markets, GUILD, market.id, {
      count: 10_000,
      users: 100,
      prefix: 's',
      name: 'bets one after another',
    }),
  );

  // 100 async bettors at once in one process: each awaits its own bets; latency is call to reply.
  {
    const perBettor = 50;
    const samples: bigint[] = [];
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: 100 }, async (_, bettor) => {
        for (let index = 0; index < perBettor; index += 1) {
          const before = process.hrtime.bigint();
          await markets.buy(
            { id: `c${bettor}`, name: 'c' },
            { guildId: GUILD, idempotencyKey: `c-${bettor}-${index}` },
            {
              marketId: market.id,
              option: (bettor + index) % 2,
              points: 1 + (index % 5),
            },
          );
          samples.push(process.hrtime.bigint() - before);
        }
      }),
    );
    const used = process.cpuUsage(cpu);
    results.push({
      name: '100 concurrent async bettors',
      ops: samples.length,
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
      samples,
      cpuMicros: used.user + used.system,
    });
  }

  // Two OS processes betting on the same market at once.
  {
    const count = 5000;
    const worker = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--conditions=@coachwire/source',
        fileURLToPath(new URL('./market-bench-worker.ts', import.meta.url)),
        path,
        String(market.id),
        String(count),
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    let stdout = '';
    worker.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    while (!stdout.startsWith('ready\n')) await once(worker.stdout, 'data');
    const exited = once(worker, 'exit');
    const started = process.hrtime.bigint();
    worker.stdin.end('go\n');
    const mine = await sequentialBets(markets, GUILD, market.id, {
      count,
      users: 100,
      prefix: 'p',
      name: 'two processes: this process',
    });
    await exited;
    const wall = Number(process.hrtime.bigint() - started) / 1e9;
    const other = JSON.parse(stdout.split('\n')[1]!) as {
      seconds: number;
      cpuMicros: number;
      samples: string[];
    };
    results.push(mine, {
      name: 'two processes: the other process',
      ops: count,
      seconds: other.seconds,
      samples: other.samples.map(BigInt),
      cpuMicros: other.cpuMicros,
    });
    results.push({
      name: 'two processes: both together',
      ops: 2 * count,
      seconds: wall,
      samples: [...mine.samples, ...other.samples.map(BigInt)],
    });
  }

  // Pure quotes: the mechanism alone, no I/O.
  for (const target of [await markets.get(GUILD, market.id), await markets.get(GUILD, lmsr.id)]) {
    const count = 200_000;
    const samples: bigint[] = new Array(count);
    const started = process.hrtime.bigint();
    for (let index = 0; index < count; index += 1) {
      const before = process.hrtime.bigint();
      quoteBuy(target, index % target.options.length, 1 + (index % 1000));
      samples[index] = process.hrtime.bigint() - before;
    }
    results.push({
      name: `pure quote (${target.mechanism}, ${target.options.length} options)`,
      ops: count,
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
      samples,
    });
  }
  {
    const count = 20_000;
    const samples: bigint[] = new Array(count);
    const started = process.hrtime.bigint();
    for (let index = 0; index < count; index += 1) {
      const before = process.hrtime.bigint();
      await markets.quoteBuy(GUILD, market.id, index % 2, 1 + (index % 1000));
      samples[index] = process.hrtime.bigint() - before;
    }
    results.push({
      name: 'service quote (reads the market)',
      ops: count,
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
      samples,
    });
  }

  // The leaderboard sums every member's transfers (all time, then this month): one query, whatever the size.
  const members = (
    handle.sqlite.prepare("SELECT count(*) AS n FROM accounts WHERE kind = 'user'").get() as {
      n: number;
    }
  ).n;
  const transfers = (handle.sqlite.prepare('SELECT count(*) AS n FROM transfers').get() as { n: number }).n;
  for (const month of [undefined, new Date().toISOString().slice(0, 7)]) {
    const count = 20;
    const samples: bigint[] = new Array(count);
    const started = process.hrtime.bigint();
    for (let index = 0; index < count; index += 1) {
      const before = process.hrtime.bigint();
      await points.leaderboard(GUILD, month === undefined ? {} : { month });
      samples[index] = process.hrtime.bigint() - before;
    }
    results.push({
      name: `leaderboard, ${month === undefined ? 'all time' : 'a month'} (${members} members, ${transfers} transfers)`,
      ops: count,
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
      samples,
    });
  }

  console.table(results.map(summary));
  const report = checkLedger(handle);
  console.log(`ledger check after the benchmark: ${report.ok ? 'ok' : 'VIOLATIONS'}`);
  for (const line of [...report.checked, ...report.violations]) console.log(`  ${line}`);
  if (!report.ok) process.exitCode = 1;
} finally {
  handle.close();
  rmSync(dir, { recursive: true, force: true });
}
