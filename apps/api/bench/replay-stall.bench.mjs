// /health latency while event replays are abandoned: starts the built API (dist/main.js) over a database of
// BENCH_EVENTS (default 30,000) events, then BENCH_ROUNDS (default 5) times sends BENCH_REPLAYS (default 100)
// `GET /api/v1/events` with `Last-Event-ID: 1`, each dropped as soon as its headers arrive, while /health is
// asked continuously. Prints /health p50/p99/max per case. Reported, never asserted.
// Cases: `baseline` (the same bursts as plain GET /api/v1/coaches: what that many requests cost anyway),
// `replay_max=default` (the replay is refused with a resync event) and `replay_max=all` (each replay
// would read the whole log, the worst case the batching must absorb). Run after a build:
//   pnpm --filter @coachwire/api bench:replay
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, requireBuild } from './bench-support.mjs';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const EVENTS = Number(process.env.BENCH_EVENTS ?? 30_000);
const REPLAYS = Number(process.env.BENCH_REPLAYS ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

requireBuild(MAIN);
// Imported once the build is known to be there: it resolves to the package's dist/.
const { migrateDatabase, openDatabase } = await import('@coachwire/storage');

async function seed(path) {
  const handle = openDatabase({ path });
  await migrateDatabase(handle);
  const insert = handle.sqlite.prepare(
    "INSERT INTO events (domain, type, plan_id, payload, occurred_at) VALUES ('plan', 'plan.updated', ?, ?, ?)",
  );
  const now = new Date().toISOString();
  handle.sqlite.transaction(() => {
    for (let id = 1; id <= EVENTS; id++) {
      const payload = {
        id,
        coach: 'd',
        tradingDate: '2026-11-20',
        authorId: '1',
        authorName: 'a',
        editedAt: now,
        deletedAt: null,
      };
      insert.run(id, JSON.stringify(payload), now);
    }
  })();
  handle.close();
}

function startApi(dir, port, replayMax) {
  const config = join(dir, `config-${replayMax}.yaml`);
  writeFileSync(
    config,
    [
      'api:',
      '  max_sse_streams: 1000',
      '  max_event_loop_delay_ms: 0',
      ...(replayMax === undefined ? [] : [`  event_replay_max: ${replayMax}`]),
      'rate_limits:',
      '  api_per_ip: { max: 10000000, window_seconds: 60 }',
      '',
    ].join('\n'),
  );
  const child = spawn(process.execPath, [MAIN, '--config', config], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      DATABASE_PATH: join(dir, 'events.db'),
      API_HOST: '127.0.0.1',
      API_PORT: String(port),
      LOG_LEVEL: 'warn',
      LOG_FILE: '',
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return child;
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });
function timedHealth(port) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/health', agent }, (response) => {
      response.resume();
      response.on('end', () => resolve(performance.now() - started));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The same burst of connections as plain reads, for comparison: what 100 requests at once cost anyway. */
function plainRead(port) {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/api/v1/coaches' }, (response) => {
      response.resume();
      response.on('end', resolve);
    });
    req.on('error', () => resolve());
    req.end();
  });
}

function abandonedReplay(port) {
  return new Promise((resolve) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path: '/api/v1/events',
      headers: { 'last-event-id': '1' },
    });
    req.on('response', (response) => {
      response.destroy();
      resolve();
    });
    req.on('error', () => resolve());
    req.end();
  });
}

async function waitUntilUp(port) {
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      await timedHealth(port);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error('the API did not start');
}

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function runCase(
  dir,
  label,
  replayMax,
  burst = abandonedReplay,
  burstName = `${REPLAYS} abandoned replays`,
) {
  const port = await freePort();
  const api = startApi(dir, port, replayMax);
  const exited = new Promise((resolve) => api.once('exit', resolve));
  try {
    await waitUntilUp(port);
    for (let warm = 0; warm < 50; warm++) await timedHealth(port);
    const quiet = [];
    for (let index = 0; index < 200; index++) quiet.push(await timedHealth(port));
    const loaded = [];
    for (let round = 0; round < ROUNDS; round++) {
      let replaying = true;
      const replays = Promise.all(Array.from({ length: REPLAYS }, () => burst(port))).then(() => {
        replaying = false;
      });
      // Keep asking /health (4 at a time) while the replays are sent and dropped, and a little after.
      const probes = Array.from({ length: 4 }, async () => {
        while (replaying) loaded.push(await timedHealth(port));
        for (let tail = 0; tail < 10; tail++) loaded.push(await timedHealth(port));
      });
      await Promise.all([replays, ...probes]);
    }
    const show = (name, samples) => {
      const sorted = [...samples].sort((a, b) => a - b);
      const f = (ms) => `${ms.toFixed(1)} ms`;
      console.log(
        `${label.padEnd(22)} ${name.padEnd(28)} n=${String(sorted.length).padStart(5)}  p50 ${f(percentile(sorted, 50))}  p99 ${f(percentile(sorted, 99))}  max ${f(sorted.at(-1))}`,
      );
    };
    show('quiet', quiet);
    show(burstName, loaded);
  } finally {
    api.kill('SIGINT');
    await exited;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'coachwire-replay-bench-'));
try {
  await seed(join(dir, 'events.db'));
  console.log(
    `/health latency, ${EVENTS} events, ${ROUNDS} rounds of ${REPLAYS} replays from Last-Event-ID 1:`,
  );
  await runCase(dir, 'baseline', undefined, plainRead, `${REPLAYS} plain reads at once`);
  await runCase(dir, 'replay_max=default', undefined);
  await runCase(dir, 'replay_max=all', EVENTS * 2);
} finally {
  agent.destroy();
  rmSync(dir, { recursive: true, force: true });
}
