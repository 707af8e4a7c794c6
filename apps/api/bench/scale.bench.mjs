// Scaling out, measured: bets/s and plan reads/s with p99 for (a) one API instance on SQLite, (b) one on
// PostgreSQL, (c) two on one PostgreSQL database with the load split across both. Figures are reported,
// never asserted. Run after a build: `pnpm --filter @coachwire/api bench:scale` (also part of `bench`).
//
// Fairness: every configuration runs the built API (dist/main.js) as child processes with the same config,
// over the same seed (plans and markets, written through the runtime so both backends get the same rows).
// PostgreSQL is a throwaway cluster started for this run with its durable defaults (fsync and synchronous
// commit on), as SQLite's commits are durable. The load generator (autocannon) runs in this process with the
// same total connections everywhere; in (c) half of them go to each instance, and the p99 shown is the worse
// of the two instances'. On a machine shared with other work the figures move from run to run: compare the
// rows of one run, not runs.
//
// Environment: BENCH_SECONDS (per case, default 8), BENCH_WARMUP_SECONDS (default 2), BENCH_CONNECTIONS
// (default 32), BENCH_CASES (comma-separated substrings of configuration names: sqlite, postgres x1,
// postgres x2), BENCH_COUNT=1 (also report each API process's CPU and the statements it runs per request, on
// either backend, counted by bench/count-statements.mjs preloaded into the API processes).
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@coachwire/config';
import { addDays } from '@coachwire/core';
import { openCoachwire } from '@coachwire/runtime';
import { createTestPgDatabase, startPgCluster } from '@coachwire/storage/testing';
import autocannon from 'autocannon';
import pino from 'pino';
import { freePort, requireBuild, startProcess, waitForHttp } from './bench-support.mjs';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const COUNTER = fileURLToPath(new URL('./count-statements.mjs', import.meta.url));
const COUNT = process.env.BENCH_COUNT === '1';
const PLANS = 2_000;
const MARKETS = 60;
const COACHES = ['d', 'i', 's', 'n'];
const LATEST_DATE = '2026-11-20';
const GUILD = '900000000000000001';
const BENCH_KEY = 'cw_bench_key_9e1f';
/** Bettors rotate over this many users, so no one runs out of points during a run. */
const BETTORS = 20_000;
const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const CASE_FILTER = (process.env.BENCH_CASES ?? '').split(',').filter((part) => part.trim() !== '');

requireBuild(MAIN);

const configFor = (dir, database) =>
  loadConfig({
    env: {},
    argv: [],
    cwd: dir,
    overrides: { database, logging: { level: 'warn', file: '' }, charts: { dir: join(dir, 'charts') } },
  });

/** Plans and markets written through the runtime: the same rows whichever backend `database` names. */
async function seed(dir, database) {
  const coachwire = await openCoachwire(configFor(dir, database), { logger: pino({ level: 'warn' }) });
  try {
    for (let index = 0; index < PLANS; index++) {
      const coach = COACHES[index % COACHES.length];
      const tradingDate = addDays(LATEST_DATE, -Math.floor(index / COACHES.length));
      await coachwire.store.plans.insert({
        coach,
        tradingDate,
        text: `Plan ${index} for coach ${coach}: watch ES 5000 support, NQ 18000 resistance; size down into CPI.`,
        author: { id: String(100000000000000000n + BigInt(index % 25)), name: `coach-${index % 25}` },
        guildId: GUILD,
        channelId: '900000000000000002',
        channelName: 'trading-plans',
        sourceMessageId: String(800000000000000000n + BigInt(index)),
        charts: [],
        createdAt: `${tradingDate}T12:00:00.000Z`,
      });
    }
    // Markets opened by an admin (the house pays the subsidy), closing far in the future.
    const admin = { id: 'bench-admin', name: 'bench', hasAdminPermission: true };
    for (let index = 0; index < MARKETS; index++) {
      await coachwire.services.markets.create(
        admin,
        { guildId: GUILD, idempotencyKey: `bench-market-${index}` },
        {
          question: `Bench market ${index}: will SPY close above ${600 + index}?`,
          mechanism: index % 3 === 0 ? 'pool' : 'cpmm',
          closesAt: new Date(Date.now() + 300 * 86_400_000).toISOString(),
          subsidy: 1_000_000,
        },
      );
    }
  } finally {
    await coachwire.close();
  }
}

function writeConfig(dir, database) {
  const path = join(dir, `config-${randomUUID()}.yaml`);
  writeFileSync(
    path,
    [
      `database: ${JSON.stringify(database)}`,
      `charts: { dir: ${JSON.stringify(join(dir, 'charts'))} }`,
      "logging: { level: warn, file: '' }",
      `api: { keys: [{ name: bench, sha256: "${createHash('sha256').update(BENCH_KEY).digest('hex')}" }] }`,
      'rate_limits:',
      '  api_per_ip: { max: 1000000000, window_seconds: 60 }',
      '  api_per_key: { max: 1000000000, window_seconds: 60 }',
      '',
    ].join('\n'),
  );
  return path;
}

/** Starts the built API as an operator would; resolves once /health/live answers. */
async function startApi(configPath) {
  const port = await freePort();
  const server = startProcess(
    [
      ...(COUNT ? ['--import', COUNTER] : []),
      MAIN,
      '--config',
      configPath,
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
    ],
    { env: { PATH: process.env.PATH ?? '' } },
  );
  const { child } = server;
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/health/live`, server);
  return {
    base,
    /** CPU seconds (user + system) the process has used, from /proc (Linux). */
    cpuSeconds() {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    /** Statements run so far, on either backend (BENCH_COUNT=1). */
    async statements() {
      const seen = server.output().length;
      child.kill('SIGUSR2');
      for (let attempt = 0; attempt < 100; attempt++) {
        const match = /statements=(\d+)/.exec(server.output().slice(seen));
        if (match) return Number(match[1]);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return Number.NaN;
    },
    stop: server.stop,
  };
}

const pick = (count) => 1 + Math.floor(Math.random() * count);
const authorization = { authorization: `Bearer ${BENCH_KEY}` };

/** The two workloads: a plan by a random id (mostly past the response cache), and a bet with a fresh key. */
const workloads = {
  'plan reads': (base) => ({
    url: `${base}/api/v1/plans/1`,
    headers: authorization,
    requests: [
      { method: 'GET', setupRequest: (request) => ({ ...request, path: `/api/v1/plans/${pick(PLANS)}` }) },
    ],
  }),
  bets: (base) => ({
    url: `${base}/api/v1/markets/1/bets`,
    headers: { ...authorization, 'content-type': 'application/json' },
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const bettor = Math.floor(Math.random() * BETTORS);
          const body = JSON.stringify({ user_id: `b${bettor}`, option: bettor % 2, amount: 1 });
          return {
            ...request,
            path: `/api/v1/markets/${pick(MARKETS)}/bets`,
            headers: { ...request.headers, 'idempotency-key': randomUUID() },
            body,
          };
        },
      },
    ],
  }),
};

const run = (options, connections, duration) =>
  new Promise((resolve, reject) => {
    autocannon({ ...options, connections, duration }, (error, result) =>
      error ? reject(error) : resolve(result),
    );
  });

/** Runs `workload` against every instance at once, the connections split evenly. */
async function measure(instances, workload, duration) {
  const share = Math.max(1, Math.floor(CONNECTIONS / instances.length));
  const counters = async () => (COUNT ? Promise.all(instances.map((instance) => instance.statements())) : []);
  const cpu = () => instances.reduce((sum, instance) => sum + instance.cpuSeconds(), 0);
  const statementsBefore = await counters();
  const cpuBefore = cpu();
  const results = await Promise.all(
    instances.map((instance) => run(workload(instance.base), share, duration)),
  );
  const cpuUsed = cpu() - cpuBefore;
  const statementsAfter = await counters();
  const requests = results.reduce((sum, result) => sum + result.requests.total, 0);
  const sent = statementsAfter.reduce((sum, after, index) => sum + after - statementsBefore[index], 0);
  return {
    apiCpuMsPerRequest: (cpuUsed * 1000) / Math.max(1, requests),
    statementsPerRequest: COUNT ? sent / Math.max(1, requests) : undefined,
    rps: results.reduce((sum, result) => sum + result.requests.average, 0),
    p50: Math.max(...results.map((result) => result.latency.p50)),
    p99: Math.max(...results.map((result) => result.latency.p99)),
    failed: results.reduce((sum, result) => sum + result.errors + result.timeouts + result.non2xx, 0),
  };
}

const loadAverage = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

const dir = mkdtempSync(join(tmpdir(), 'coachwire-scale-bench-'));
let cluster;
const running = [];
try {
  const configurations = [
    { name: 'sqlite x1', instances: 1, backend: 'sqlite' },
    { name: 'postgres x1', instances: 1, backend: 'postgres' },
    { name: 'postgres x2', instances: 2, backend: 'postgres' },
  ].filter((config) => CASE_FILTER.length === 0 || CASE_FILTER.some((part) => config.name.includes(part)));

  if (configurations.some((config) => config.backend === 'postgres')) {
    cluster = await startPgCluster({ durable: true });
    // Where createTestPgDatabase finds the cluster outside vitest.
    process.env.COACHWIRE_TEST_PG_URL = cluster.adminUrl;
  }
  console.log(
    `${CONNECTIONS} connections in total, ${DURATION_SECONDS} s per case after ${WARMUP_SECONDS} s of warm-up, ` +
      `Node ${process.version}; load average ${loadAverage()}`,
  );

  const rows = [];
  for (const configuration of configurations) {
    // Each configuration starts from its own database with the same seed.
    const database =
      configuration.backend === 'postgres'
        ? { url: (await createTestPgDatabase()).url }
        : { path: join(dir, `plans-${configuration.instances}.db`) };
    const seeding = performance.now();
    await seed(dir, database);
    console.log(
      `${configuration.name}: seeded ${PLANS} plans and ${MARKETS} markets in ${((performance.now() - seeding) / 1000).toFixed(1)} s.`,
    );
    const configPath = writeConfig(dir, database);
    const instances = [];
    for (let index = 0; index < configuration.instances; index++) {
      const instance = await startApi(configPath);
      instances.push(instance);
      running.push(instance);
    }
    for (const [workloadName, workload] of Object.entries(workloads)) {
      await measure(instances, workload, WARMUP_SECONDS);
      const result = await measure(instances, workload, DURATION_SECONDS);
      rows.push({
        configuration: configuration.name,
        workload: workloadName,
        req_per_s: Math.round(result.rps),
        p50_ms: result.p50,
        p99_ms: result.p99,
        failed: result.failed,
        ...(COUNT
          ? {
              api_cpu_ms_per_req: result.apiCpuMsPerRequest.toFixed(2),
              stmts_per_req: result.statementsPerRequest.toFixed(1),
            }
          : {}),
      });
    }
    await Promise.all(instances.map((instance) => instance.stop()));
    running.length = 0;
  }
  console.log(`Load average after: ${loadAverage()} (figures from a busy machine are not comparable).`);
  console.table(rows);
  console.log(
    'p50/p99: the worse of the instances (postgres x2); failed: errors, timeouts and non-2xx answers.',
  );
} finally {
  await Promise.all(running.map((instance) => instance.stop()));
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
}
