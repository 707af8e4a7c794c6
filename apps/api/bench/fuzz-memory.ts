// Memory under fuzz: sends FUZZ_REQUESTS (default 100,000) random requests (the fuzz test's own generator)
// to one API instance and prints its memory every FUZZ_EVERY (default 10,000): RSS, and the heap after a
// full garbage collection, which is what the process really holds. Reported, never asserted.
// Run: pnpm --filter @coachwire/api bench:memory   (tsx, source build, --expose-gc)
import fc from 'fast-check';
import { createApiFixture, DISCORD_ALICE } from '../src/test-support/api-fixture.js';
import { fuzzedRequest } from '../src/test-support/fuzz-requests.js';

const TOTAL = Number(process.env.FUZZ_REQUESTS ?? 100_000);
const EVERY = Number(process.env.FUZZ_EVERY ?? 10_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error('Run with --expose-gc (the bench:memory script does).');
  process.exit(1);
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
function sample(sent: number): void {
  gc!();
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  console.log(
    `${String(sent).padStart(7)} requests  rss ${mb(rss).padStart(6)} MB  heap after gc ${mb(heapUsed).padStart(6)} MB  external ${mb(external)} MB  buffers ${mb(arrayBuffers)} MB`,
  );
}

const fixture = await createApiFixture({
  overrides: { rate_limits: { api_per_ip: { max: 10_000_000, window_seconds: 60 } } },
});
await fixture.bot.plans.post(DISCORD_ALICE, { coach: 'd', text: 'seed plan' });
const statuses = new Map<number, number>();
sample(0);
let sent = 0;
// A fixed seed per block keeps runs comparable; a new block each time keeps the inputs varied.
for (let block = 0; sent < TOTAL; block++) {
  const requests = fc.sample(fuzzedRequest, { numRuns: Math.min(EVERY, TOTAL - sent), seed: block });
  for (const { path: _path, ...request } of requests) {
    const response = await fixture.app.inject(request);
    statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
  }
  sent += requests.length;
  sample(sent);
}
console.log('statuses:', Object.fromEntries([...statuses].sort(([a], [b]) => a - b)));
await fixture.close();
