// Benchmark of the built API (dist/main.js) against a bare Fastify server; prints req/s and latency.
// Run after a build: `pnpm --filter @coachwire/api bench`. Figures are reported, never asserted.
//
// Fairness: both servers are child processes started with the same Node flags (the reference servers also
// preload the module the API's main.js loads first: KEEP_TICK_OBJECTS_FLAGS), both are warmed up before
// each case, the bare server answers a constant JSON body of the API answer's size, the API logs at warn
// with its rate limits raised, and every case is run BENCH_RUNS times alternating bare/API (ABBA order so a
// drifting machine load hits both sides alike); the table shows medians, and each ratio is the median of
// the ratios of runs made side by side.
//
// A third server, 'standard parts' (bench/components.bench.mjs), is bare Fastify plus every standard part an
// API request passes through (pino's request child with the API's redaction, @fastify/cors,
// @fastify/under-pressure, @fastify/rate-limit, a prom-client histogram), configured as the API configures
// them, answering the same constant body: its ratio is the most the API's ratio can be while it keeps those
// parts, and the gap between the two is the API's own code. It runs in the GET cases that answer 200.
//
// Environment: BENCH_SECONDS (per run, default 3), BENCH_RUNS (default 7), BENCH_WARMUP_SECONDS (default 2),
// BENCH_CASES (comma-separated substrings of case names), BENCH_NODE_FLAGS (extra flags for both servers,
// e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile; profiles are written when the servers stop),
// BENCH_MAIN (another build's main.js, to compare builds), BENCH_BASELINE_MAIN (a second build, e.g. of the
// base commit, run as a third server in the same run and order as the others: its ratio is in the table too).
// The baseline server opens the same database file and stays up beside the API server, so both run their
// background checkpoints on that file whichever one is loaded: compare changes to checkpointing or other
// database settings with separate runs (BENCH_MAIN=<one build>, then the other, alternated), not with this.
// BENCH_BASELINE_OWN_DATABASE=1 gives the baseline a database of its own, seeded by its own storage package: for a
// build from before a schema change (e.g. the commit an issue was filed on), which cannot open this build's file.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import {
  freePort,
  KEEP_TICK_OBJECTS_FLAGS,
  requireBuild,
  startProcess,
  waitForHttp,
} from './bench-support.mjs';

const MAIN = process.env.BENCH_MAIN ?? fileURLToPath(new URL('../dist/main.js', import.meta.url));
const BASELINE_MAIN = process.env.BENCH_BASELINE_MAIN;
const BARE = fileURLToPath(new URL('./bare-server.mjs', import.meta.url));
const COMPONENTS = fileURLToPath(new URL('./components.bench.mjs', import.meta.url));
const PLANS = 10_000;
const COACHES = ['d', 'i', 's', 'n'];
const LATEST_DATE = '2026-11-20';
const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 7));
const CASE_FILTER = (process.env.BENCH_CASES ?? '').split(',').filter((part) => part.trim() !== '');
const NODE_FLAGS = (process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter((flag) => flag !== '');
const CONNECTIONS = 32;
const MARKETS = 60;
const BENCH_KEY = 'cw_bench_key_9e1f';
const GUILD = '900000000000000001';
/**
 * Bettors rotate over this many members, so no one runs out of points during a run. Their accounts are opened
 * when the database is seeded, as in a guild whose members have been seen before: the "POST bet" case
 * measures bets. A member's first bet also opens their account (a grant and its event); the "first bet of a
 * new member" case measures that, with a member never seen before on every request.
 */
const BETTORS = 20_000;

requireBuild(MAIN);
// Imported once the build is known to be there: these resolve to the packages' dist/.
const { addDays } = await import('@coachwire/core');
const { createMarketServices, migrateDatabase, openDatabase, SqlitePlanRepository } = await import(
  '@coachwire/storage'
);
if (BASELINE_MAIN !== undefined && !existsSync(BASELINE_MAIN)) {
  console.error(`BENCH_BASELINE_MAIN ${BASELINE_MAIN} does not exist.`);
  process.exit(1);
}

/**
 * A baseline build from before a schema change cannot open this build's database, so with
 * BENCH_BASELINE_OWN_DATABASE=1 it gets its own file, seeded the same way by its own storage package (plans; and
 * markets when that build has them). Both files then sit on the same disk, each written only by its own server.
 */
const BASELINE_STORAGE =
  BASELINE_MAIN !== undefined && process.env.BENCH_BASELINE_OWN_DATABASE === '1'
    ? await import(
        pathToFileURL(join(dirname(BASELINE_MAIN), '../../../packages/storage/dist/index.js')).href
      )
    : undefined;

async function seedDatabase(
  path,
  storage = { openDatabase, migrateDatabase, SqlitePlanRepository, createMarketServices },
) {
  const handle = storage.openDatabase({ path });
  await storage.migrateDatabase(handle);
  const repository = new storage.SqlitePlanRepository(handle);
  const started = performance.now();
  for (let index = 0; index < PLANS; index++) {
    const coach = COACHES[index % COACHES.length];
    const tradingDate = addDays(LATEST_DATE, -Math.floor(index / COACHES.length));
    await repository.insert({
      coach,
      tradingDate,
      text: `Plan ${index} for coach ${coach}: watch ES 5000 support, NQ 18000 resistance; size down into CPI.`,
      author: { id: String(100000000000000000n + BigInt(index % 25)), name: `coach-${index % 25}` },
      guildId: '900000000000000001',
      channelId: '900000000000000002',
      channelName: 'trading-plans',
      sourceMessageId: String(800000000000000000n + BigInt(index)),
      charts: [
        {
          url: `https://cdn.discordapp.com/attachments/1/${index}/chart.png`,
          filename: 'chart.png',
          contentType: 'image/png',
          size: 123456,
          width: 1280,
          height: 720,
        },
      ],
      createdAt: `${tradingDate}T12:00:00.000Z`,
    });
  }
  if (storage.createMarketServices === undefined) {
    handle.close();
    return performance.now() - started;
  }
  // Markets opened by an admin (the house pays the subsidy), closing far in the future.
  const { markets } = storage.createMarketServices(handle, { timezone: 'America/New_York' });
  const admin = { id: 'bench-admin', name: 'bench', hasAdminPermission: true };
  for (let index = 0; index < MARKETS; index++) {
    await markets.create(
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
  const { points } = storage.createMarketServices(handle, { timezone: 'America/New_York' });
  // In batches: the ledger store commits the operations asked for in one turn of the event loop together.
  for (let first = 0; first < BETTORS; first += 64) {
    const batch = [];
    for (let bettor = first; bettor < Math.min(first + 64, BETTORS); bettor++) {
      batch.push(
        points.openAccount(
          { id: `b${bettor}`, name: `b${bettor}` },
          { guildId: GUILD, idempotencyKey: `bench-open-${bettor}` },
        ),
      );
    }
    await Promise.all(batch);
  }
  handle.close();
  return performance.now() - started;
}

/** Starts a server the same way for both sides: a child process with the same Node flags. */
const startServer = (args) => startProcess([...NODE_FLAGS, ...args]);

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); undefined elsewhere. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/**
 * One autocannon run, plus the server's CPU time per answered request: unlike req/s, that figure hardly
 * moves when other processes compete for the cores, so it is the steadier measure on a shared machine.
 */
async function load(url, headers, duration, server, post) {
  const cpuBefore = server ? cpuSeconds(server.child.pid) : undefined;
  // A POST case builds each request itself: a fresh Idempotency-Key (and bettor) every time.
  const requests = post ? [{ method: 'POST', setupRequest: post }] : undefined;
  const result = await new Promise((resolve, reject) => {
    autocannon(
      { url, connections: CONNECTIONS, duration, headers, ...(requests ? { requests } : {}) },
      (error, output) => (error ? reject(error) : resolve(output)),
    );
  });
  const cpuAfter = server ? cpuSeconds(server.child.pid) : undefined;
  const answered = result.requests.total;
  result.cpuMicrosPerRequest =
    cpuBefore === undefined || cpuAfter === undefined || answered === 0
      ? Number.NaN
      : ((cpuAfter - cpuBefore) * 1e6) / answered;
  return result;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/**
 * A side's figure against bare Fastify's: the median, over runs, of the ratio to the bare run made beside it
 * (ABBA order keeps them adjacent). This machine's speed drifts by a third within a minute, and a ratio of the
 * two sides' separate medians compares runs made at different speeds; a pair's two runs see the same speed.
 */
const pairedRatio = (sideRuns, bareRuns, ratio) =>
  median(sideRuns.map((run, index) => ratio(run, bareRuns[index])));
const rpsRatio = (run, bare) => run.requests.average / bare.requests.average;
const cpuRatio = (run, bare) => bare.cpuMicrosPerRequest / run.cpuMicrosPerRequest;
const percent = (ratio) => `${(ratio * 100).toFixed(1)} %`;

/** Another server's figures beside the API's (the standard parts, the baseline build), against the same bare runs. */
const sideColumns = (prefix, runs, bareRuns) =>
  runs.length === 0
    ? {}
    : {
        [`${prefix}_rps`]: Math.round(median(runs.map((result) => result.requests.average))),
        [`${prefix}_ratio`]: percent(pairedRatio(runs, bareRuns, rpsRatio)),
        [`${prefix}_cpu_us`]: Math.round(median(runs.map((result) => result.cpuMicrosPerRequest))),
        [`${prefix}_cpu_ratio`]: percent(pairedRatio(runs, bareRuns, cpuRatio)),
        [`${prefix}_p99_ms`]: median(runs.map((result) => result.latency.p99)),
      };

const loadAverage = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

const dir = mkdtempSync(join(tmpdir(), 'coachwire-api-bench-'));
const servers = [];
try {
  const dbPath = join(dir, 'plans.db');
  const seedMs = await seedDatabase(dbPath);
  console.log(
    `Seeded ${PLANS} plans, ${MARKETS} markets and ${BETTORS} bettors in ${(seedMs / 1000).toFixed(1)} s.`,
  );
  const configText = (databasePath) =>
    [
      `database: { path: ${JSON.stringify(databasePath)} }`,
      "logging: { level: warn, file: '' }",
      `api: { keys: [{ name: bench, sha256: "${createHash('sha256').update(BENCH_KEY).digest('hex')}" }] }`,
      'rate_limits:',
      '  api_per_ip: { max: 1000000000, window_seconds: 60 }',
      '  api_per_key: { max: 1000000000, window_seconds: 60 }',
      '',
    ].join('\n');
  const configPath = join(dir, 'config.yaml');
  writeFileSync(configPath, configText(dbPath));
  let baselineConfigPath = configPath;
  if (BASELINE_STORAGE !== undefined) {
    const baselineDbPath = join(dir, 'baseline.db');
    await seedDatabase(baselineDbPath, BASELINE_STORAGE);
    baselineConfigPath = join(dir, 'baseline.yaml');
    writeFileSync(baselineConfigPath, configText(baselineDbPath));
  }

  const apiPort = await freePort();
  const barePort = await freePort();
  const startApi = (main, port, config = configPath) =>
    startServer([main, '--config', config, '--port', String(port), '--host', '127.0.0.1']);
  const api = startApi(MAIN, apiPort);
  servers.push(api);
  // The reference servers load what the API's main.js loads first (see KEEP_TICK_OBJECTS_FLAGS).
  const bare = startServer([...KEEP_TICK_OBJECTS_FLAGS, BARE, String(barePort)]);
  servers.push(bare);
  const standardPort = await freePort();
  const standard = startServer([
    ...KEEP_TICK_OBJECTS_FLAGS,
    COMPONENTS,
    'standard parts',
    String(standardPort),
  ]);
  servers.push(standard);
  const apiBase = `http://127.0.0.1:${apiPort}`;
  const baselinePort = BASELINE_MAIN === undefined ? undefined : await freePort();
  const baseline =
    baselinePort === undefined ? undefined : startApi(BASELINE_MAIN, baselinePort, baselineConfigPath);
  if (baseline) servers.push(baseline);
  await Promise.all([
    waitForHttp(`${apiBase}/health/live`, api),
    waitForHttp(`http://127.0.0.1:${barePort}/`, bare),
    waitForHttp(`http://127.0.0.1:${standardPort}/plan`, standard),
    ...(baseline ? [waitForHttp(`http://127.0.0.1:${baselinePort}/health/live`, baseline)] : []),
  ]);

  // Shared by every server of the run (they share the database), so each request's member is new to it.
  let newMembers = 0;
  const legacyUrl = `${apiBase}/api/coach-plans/?coach=d&date=${LATEST_DATE}`;
  const legacy = await fetch(legacyUrl);
  const etag = legacy.headers.get('etag');
  const cases = [
    { name: 'legacy plan GET', url: legacyUrl },
    { name: '/api/coach-plans/all', url: `${apiBase}/api/coach-plans/all?date=${LATEST_DATE}` },
    { name: 'v1 list page (50)', url: `${apiBase}/api/v1/plans?coach=d&limit=50` },
    { name: '304 revalidation', url: legacyUrl, headers: { 'if-none-match': etag } },
    { name: 'market GET', url: `${apiBase}/api/v1/markets/2` },
    { name: 'market list page (50)', url: `${apiBase}/api/v1/markets?guild_id=${GUILD}&limit=50` },
    {
      name: 'POST bet (fresh key)',
      url: `${apiBase}/api/v1/markets/2/bets`,
      headers: { authorization: `Bearer ${BENCH_KEY}`, 'content-type': 'application/json' },
      post: (request) => {
        const bettor = Math.floor(Math.random() * BETTORS);
        const body = JSON.stringify({ user_id: `b${bettor}`, option: bettor % 2, amount: 1 });
        return { ...request, headers: { ...request.headers, 'idempotency-key': randomUUID() }, body };
      },
    },
    {
      name: 'POST bet (first bet of a new member)',
      url: `${apiBase}/api/v1/markets/2/bets`,
      headers: { authorization: `Bearer ${BENCH_KEY}`, 'content-type': 'application/json' },
      post: (request) => {
        newMembers += 1;
        const body = JSON.stringify({ user_id: `new${newMembers}`, option: newMembers % 2, amount: 1 });
        return { ...request, headers: { ...request.headers, 'idempotency-key': randomUUID() }, body };
      },
    },
  ].filter(
    (benchCase) => CASE_FILTER.length === 0 || CASE_FILTER.some((part) => benchCase.name.includes(part)),
  );

  console.log(
    `${CONNECTIONS} connections, ${RUNS} x ${DURATION_SECONDS} s per side and case (medians), ` +
      `Node ${process.version}${NODE_FLAGS.length > 0 ? ` ${NODE_FLAGS.join(' ')}` : ''}; load average ${loadAverage()}`,
  );
  const rows = [];
  const runs = [];
  for (const benchCase of cases) {
    const headers = benchCase.headers ?? {};
    const first = benchCase.post?.({ headers });
    const sample = await fetch(benchCase.url, {
      headers: first?.headers ?? headers,
      ...(first ? { method: 'POST', body: first.body } : {}),
    });
    const size = (await sample.text()).length;
    // The bare body has the API body's size (20 bytes at least: the 304 case compares with a tiny body).
    const bareUrl = `http://127.0.0.1:${barePort}/?size=${Math.max(size, 20)}`;
    // The standard parts answer the same body, for the reads that answer one.
    const standardUrl =
      benchCase.post === undefined && sample.status === 200
        ? `http://127.0.0.1:${standardPort}/plan?size=${size}`
        : undefined;
    // The same case on the baseline build: its own port, same path, headers and POST bodies (its ETags may differ).
    const baselineUrl = baseline ? benchCase.url.replace(apiBase, `http://127.0.0.1:${baselinePort}`) : '';
    const baselineHeaders = { ...headers };
    if (baseline && headers['if-none-match'] !== undefined) {
      baselineHeaders['if-none-match'] = (await fetch(baselineUrl)).headers.get('etag');
    }
    const apiRuns = [];
    const bareRuns = [];
    const baselineRuns = [];
    const standardRuns = [];
    const sides = [
      (duration) => load(bareUrl, {}, duration, bare).then((result) => bareRuns.push(result)),
      ...(standardUrl
        ? [
            (duration) =>
              load(standardUrl, {}, duration, standard).then((result) => standardRuns.push(result)),
          ]
        : []),
      (duration) =>
        load(benchCase.url, headers, duration, api, benchCase.post).then((result) => apiRuns.push(result)),
      ...(baseline
        ? [
            (duration) =>
              load(baselineUrl, baselineHeaders, duration, baseline, benchCase.post).then((result) =>
                baselineRuns.push(result),
              ),
          ]
        : []),
    ];
    for (const side of sides) await side(WARMUP_SECONDS);
    for (const side of [bareRuns, apiRuns, baselineRuns, standardRuns]) side.length = 0;
    for (let index = 0; index < RUNS; index++) {
      // Forwards, then backwards: a drifting machine load hits every side alike.
      for (const side of index % 2 === 0 ? sides : [...sides].reverse()) await side(DURATION_SECONDS);
    }
    const apiRps = median(apiRuns.map((result) => result.requests.average));
    const bareRps = median(bareRuns.map((result) => result.requests.average));
    const apiCpu = median(apiRuns.map((result) => result.cpuMicrosPerRequest));
    const bareCpu = median(bareRuns.map((result) => result.cpuMicrosPerRequest));
    // autocannon counts 304 as non-2xx; for the revalidation case that is the expected answer.
    const unexpected = (result) =>
      result.errors + result.timeouts + (sample.status === 304 ? 0 : result.non2xx);
    rows.push({
      case: benchCase.name,
      status: sample.status,
      body_bytes: size,
      api_rps: Math.round(apiRps),
      bare_rps: Math.round(bareRps),
      ratio: percent(pairedRatio(apiRuns, bareRuns, rpsRatio)),
      api_p50_ms: median(apiRuns.map((result) => result.latency.p50)),
      api_p99_ms: median(apiRuns.map((result) => result.latency.p99)),
      bare_p99_ms: median(bareRuns.map((result) => result.latency.p99)),
      api_cpu_us: Math.round(apiCpu),
      bare_cpu_us: Math.round(bareCpu),
      cpu_ratio: percent(pairedRatio(apiRuns, bareRuns, cpuRatio)),
      ...sideColumns('standard', standardRuns, bareRuns),
      ...sideColumns('baseline', baselineRuns, bareRuns),
      errors: apiRuns.reduce((sum, result) => sum + unexpected(result), 0),
    });
    const perRun = (results) => results.map((result) => Math.round(result.requests.average)).join(' ');
    const perRunCpu = (results) => results.map((result) => Math.round(result.cpuMicrosPerRequest)).join(' ');
    const perRunP99 = (results) => results.map((result) => result.latency.p99).join(' ');
    runs.push(
      `${benchCase.name}: api ${perRun(apiRuns)} | bare ${perRun(bareRuns)}` +
        (standardUrl ? ` | standard ${perRun(standardRuns)}` : '') +
        (baseline ? ` | baseline ${perRun(baselineRuns)}` : '') +
        ` req/s; CPU µs/request api ${perRunCpu(apiRuns)} | bare ${perRunCpu(bareRuns)}` +
        (standardUrl ? ` | standard ${perRunCpu(standardRuns)}` : '') +
        (baseline ? ` | baseline ${perRunCpu(baselineRuns)}` : '') +
        `; p99 ms api ${perRunP99(apiRuns)}` +
        (baseline ? ` | baseline ${perRunP99(baselineRuns)}` : ''),
    );
  }
  console.log(`Load average after: ${loadAverage()} (figures from a busy machine are not comparable).`);
  console.table(rows);
  console.log(
    'ratio = API req/s / bare req/s, the median over runs of each run against the bare run beside it.\n' +
      'standard_* = bare Fastify plus the standard parts every API request passes through, as the API\n' +
      'configures them, with none of its code (bench/components.bench.mjs): the ceiling for the API ratio.\n' +
      '*_cpu_us = server CPU time (user + system) per answered request (medians); cpu_ratio = bare / API\n' +
      'CPU per request, paired the same way: the req/s ratio a server-bound run would show.\nEach run:',
  );
  for (const line of runs) console.log(`  ${line}`);
} finally {
  await Promise.all(servers.map((server) => server.stop()));
  rmSync(dir, { recursive: true, force: true });
}
