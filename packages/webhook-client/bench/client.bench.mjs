// Benchmark of @coachwire/webhook-client (built dist): the cache-hit path, and the miss path against a
// local HTTP server compared with undici `request` called directly. Prints figures; asserts nothing.
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';

const built = new URL('../dist/index.js', import.meta.url);
if (!existsSync(built)) {
  console.error(
    'Not built: packages/webhook-client/dist/index.js.\nFix: run `pnpm --filter @coachwire/webhook-client build` (or `pnpm build`) first.',
  );
  process.exit(1);
}
// Imported once the build is known to be there, so a missing build gets the message above.
const { createClient } = await import(built.href);

const serverScript = fileURLToPath(new URL('./legacy-plan-server.mjs', import.meta.url));

function percentile(sorted, fraction) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

/** Starts the plan server in a child process so it does not share this event loop. */
function startServer() {
  return new Promise((resolve, reject) => {
    const child = fork(serverScript, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (message) => resolve({ baseUrl: message.baseUrl, stop: () => child.kill() }));
    child.once('error', reject);
  });
}

async function benchCacheHits(baseUrl) {
  const client = createClient({ baseUrl });
  await client.fetchCoachPlan('d', '2026-11-20');
  const batchSize = 1000;
  const batches = 3000;
  // Warm-up so the JIT has optimised the hit path before measuring.
  for (let i = 0; i < 200_000; i += 1) await client.fetchCoachPlan('d', '2026-11-20');
  const perCallNs = new Float64Array(batches);
  const start = process.hrtime.bigint();
  for (let batch = 0; batch < batches; batch += 1) {
    const batchStart = process.hrtime.bigint();
    for (let i = 0; i < batchSize; i += 1) await client.fetchCoachPlan('d', '2026-11-20');
    perCallNs[batch] = Number(process.hrtime.bigint() - batchStart) / batchSize;
  }
  const elapsedNs = Number(process.hrtime.bigint() - start);
  const metrics = client.getMetrics();
  await client.close();
  const sorted = Array.from(perCallNs).sort((a, b) => a - b);
  return {
    calls: batches * batchSize,
    hitsPerSecond: Math.round((batches * batchSize * 1e9) / elapsedNs),
    p50Ns: percentile(sorted, 0.5),
    p99Ns: percentile(sorted, 0.99),
    hitRate: metrics.cacheHitRate,
  };
}

/** Runs `total` calls of `call(i)` with `concurrency` workers; returns requests per second. */
async function throughput(total, concurrency, call) {
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const i = next;
      next += 1;
      await call(i);
    }
  };
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const cpu = process.cpuUsage(cpuStart);
  dateOffset += total;
  return {
    rps: Math.round((total * 1e9) / Number(process.hrtime.bigint() - start)),
    cpuMicrosPerRequest: (cpu.user + cpu.system) / total,
  };
}

const coaches = ['d', 'i', 's', 'n'];
const dayMs = 86_400_000;
let dateOffset = 0;
/** A date no earlier run used, so neither side can be answered by coalescing. */
function uniqueDate(i) {
  return new Date((dateOffset + i) * dayMs).toISOString().slice(0, 10);
}

async function benchMisses(baseUrl, total, concurrency) {
  const client = createClient({ baseUrl, cache: false, retries: 0 });
  const agent = new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 });
  const direct = async (i) => {
    const { body } = await request(
      `${baseUrl}/api/coach-plans/?coach=${coaches[i % 4]}&date=${uniqueDate(i)}`,
      {
        dispatcher: agent,
        headers: { accept: 'application/json' },
      },
    );
    const plan = await body.json();
    if (typeof plan.plan !== 'string') throw new Error('bad answer');
  };
  const viaClient = async (i) => {
    const plan = await client.fetchCoachPlan(coaches[i % 4], uniqueDate(i));
    if (plan.error !== undefined) throw new Error(plan.error);
  };
  // Warm both connection pools, then alternate runs so drift affects both sides alike.
  await throughput(2000, concurrency, direct);
  await throughput(2000, concurrency, viaClient);
  const directRuns = [];
  const clientRuns = [];
  for (let round = 0; round < rounds; round += 1) {
    directRuns.push(await throughput(total, concurrency, direct));
    clientRuns.push(await throughput(total, concurrency, viaClient));
  }
  await client.close();
  await agent.close();
  return { direct: summarize(directRuns), client: summarize(clientRuns) };
}

const rounds = 5;
function summarize(runs) {
  const middle = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return {
    rps: middle(runs.map((run) => run.rps)),
    runs: runs.map((run) => run.rps),
    cpuMicros: middle(runs.map((run) => run.cpuMicrosPerRequest)),
  };
}

const server = await startServer();
try {
  const hits = await benchCacheHits(server.baseUrl);
  console.log('cache-hit path (fetchCoachPlan, awaited one after another)');
  console.log(
    `  ${hits.calls} calls: ${hits.hitsPerSecond.toLocaleString('en')} hits/s, hit rate ${hits.hitRate.toFixed(4)}`,
  );
  console.log(
    `  per-call latency over batches of 1000 calls: p50 ${hits.p50Ns.toFixed(0)} ns, p99 ${hits.p99Ns.toFixed(0)} ns`,
  );
  const concurrency = 32;
  const misses = await benchMisses(server.baseUrl, 20_000, concurrency);
  console.log(
    `miss path (cache disabled, unique keys, concurrency ${concurrency}, median of ${rounds} alternating runs of 20000)`,
  );
  for (const [label, side] of [
    ['undici request directly', misses.direct],
    ['webhook-client         ', misses.client],
  ]) {
    console.log(
      `  ${label}: ${side.rps.toLocaleString('en')} req/s (runs ${side.runs.join(', ')}), ` +
        `${side.cpuMicros.toFixed(1)} µs CPU per request in this process`,
    );
  }
  console.log(
    `  client / direct: ${((misses.client.rps / misses.direct.rps) * 100).toFixed(1)} % of the throughput, ` +
      `${((misses.client.cpuMicros / misses.direct.cpuMicros) * 100).toFixed(1)} % of the CPU per request`,
  );
} finally {
  server.stop();
}
