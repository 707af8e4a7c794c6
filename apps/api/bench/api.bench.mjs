// Benchmark of the built API (dist/main.js) against a bare Fastify server; prints req/s and latency.
// Run after a build: `pnpm --filter @coachwire/api bench`. Figures are reported, never asserted.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addDays } from '@coachwire/core';
import { migrateDatabase, openDatabase, SqlitePlanRepository } from '@coachwire/storage';
import autocannon from 'autocannon';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const BARE = fileURLToPath(new URL('./bare-server.mjs', import.meta.url));
const PLANS = 10_000;
const COACHES = ['d', 'i', 's', 'n'];
const LATEST_DATE = '2026-11-20';
const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 32;

if (!existsSync(MAIN)) {
  console.error('dist/main.js is missing: run `pnpm --filter @coachwire/api build` first.');
  process.exit(1);
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

async function seedDatabase(path) {
  const handle = openDatabase({ path });
  await migrateDatabase(handle);
  const repository = new SqlitePlanRepository(handle);
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
  handle.close();
  return performance.now() - started;
}

function startProcess(args, readyText) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const ready = new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk;
      if (readyText && output.includes(readyText)) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited with ${code} before ready:\n${output}`)));
  });
  ready.catch(() => {}); // exiting after the benchmark is expected; waiters still see a failed start
  return { child, ready, output: () => output };
}

async function waitForHttp(url) {
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url} never answered`);
}

function run(url, headers = {}) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: CONNECTIONS, duration: DURATION_SECONDS, headers }, (error, result) =>
      error ? reject(error) : resolve(result),
    );
  });
}

const dir = mkdtempSync(join(tmpdir(), 'coachwire-api-bench-'));
const children = [];
try {
  const dbPath = join(dir, 'plans.db');
  const seedMs = await seedDatabase(dbPath);
  console.log(`Seeded ${PLANS} plans in ${(seedMs / 1000).toFixed(1)} s.`);
  const configPath = join(dir, 'config.yaml');
  writeFileSync(
    configPath,
    [
      `database: { path: ${JSON.stringify(dbPath)} }`,
      "logging: { level: warn, file: '' }",
      'rate_limits: { api_per_ip: { max: 1000000000, window_seconds: 60 } }',
      '',
    ].join('\n'),
  );

  const apiPort = await freePort();
  const barePort = await freePort();
  const api = startProcess([MAIN, '--config', configPath, '--port', String(apiPort), '--host', '127.0.0.1']);
  children.push(api.child);
  const bare = startProcess([BARE, String(barePort)], 'ready');
  children.push(bare.child);
  await Promise.all([waitForHttp(`http://127.0.0.1:${apiPort}/health/live`), bare.ready]);

  const apiBase = `http://127.0.0.1:${apiPort}`;
  const legacyUrl = `${apiBase}/api/coach-plans/?coach=d&date=${LATEST_DATE}`;
  const legacy = await fetch(legacyUrl);
  const etag = legacy.headers.get('etag');
  const cases = [
    { name: 'legacy plan GET', url: legacyUrl },
    { name: '/api/coach-plans/all', url: `${apiBase}/api/coach-plans/all?date=${LATEST_DATE}` },
    { name: 'v1 list page (50)', url: `${apiBase}/api/v1/plans?coach=d&limit=50` },
    { name: '304 revalidation', url: legacyUrl, headers: { 'if-none-match': etag } },
  ];
  const rows = [];
  for (const benchCase of cases) {
    const sample = await fetch(benchCase.url, { headers: benchCase.headers ?? {} });
    const size = (await sample.text()).length;
    const bareUrl = `http://127.0.0.1:${barePort}/?size=${Math.max(size, 20)}`;
    await run(bareUrl); // warm-up of both sides is cheap and makes the first case fair
    await run(benchCase.url, benchCase.headers);
    const bareResult = await run(bareUrl);
    const apiResult = await run(benchCase.url, benchCase.headers);
    // autocannon counts 304 as non-2xx; for the revalidation case that is the expected answer.
    const non2xx = sample.status === 304 ? 0 : apiResult.non2xx;
    rows.push({
      case: benchCase.name,
      status: sample.status,
      body_bytes: size,
      api_rps: Math.round(apiResult.requests.average),
      bare_rps: Math.round(bareResult.requests.average),
      ratio: `${((apiResult.requests.average / bareResult.requests.average) * 100).toFixed(1)} %`,
      api_p50_ms: apiResult.latency.p50,
      api_p99_ms: apiResult.latency.p99,
      bare_p99_ms: bareResult.latency.p99,
      errors: apiResult.errors + apiResult.timeouts + non2xx,
    });
  }
  console.log(`\n${CONNECTIONS} connections, ${DURATION_SECONDS} s per run, Node ${process.version}`);
  console.table(rows);
} finally {
  for (const child of children) child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
