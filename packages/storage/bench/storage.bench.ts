// Storage benchmark: prints ops/s and per-operation latency percentiles against a 100,000-plan file.
// Run with `pnpm --filter @coachwire/storage bench`. Figures are reported, never asserted. On a busy machine
// the p99 mostly measures the scheduler; the CPU time per operation moves much less.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays, type ChartInput } from '@coachwire/core';
import { migrateDatabase, openDatabase, SqlitePlanRepository } from '../src/index.js';

const PLAN_COUNT = 100_000;
const COACHES = Array.from({ length: 20 }, (_, index) => String.fromCharCode(97 + index));
const DAYS = PLAN_COUNT / COACHES.length;
const FIRST_DATE = '2000-01-01';

interface Result {
  readonly name: string;
  readonly ops: number;
  readonly opsPerSecond: number;
  /** Process CPU time (user + system) per operation: steadier than latency on a shared machine. */
  readonly cpuUs: number;
  readonly p50Us: number;
  readonly p99Us: number;
  readonly maxUs: number;
}

function percentile(sorted: readonly bigint[], fraction: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return Number(sorted[Math.max(0, index)]) / 1000;
}

/** Times `count` sequential calls of `operation`, each with process.hrtime.bigint. */
async function measure(
  name: string,
  count: number,
  operation: (index: number) => Promise<unknown>,
): Promise<Result> {
  for (let index = 0; index < Math.min(200, count); index += 1) await operation(count + index);
  const samples: bigint[] = new Array(count);
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  for (let index = 0; index < count; index += 1) {
    const before = process.hrtime.bigint();
    await operation(index);
    samples[index] = process.hrtime.bigint() - before;
  }
  const elapsedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  samples.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    name,
    ops: count,
    opsPerSecond: count / elapsedSeconds,
    cpuUs: (cpu.user + cpu.system) / count,
    p50Us: percentile(samples, 0.5),
    p99Us: percentile(samples, 0.99),
    maxUs: percentile(samples, 1),
  };
}

function chart(name: string): ChartInput {
  return {
    url: `https://cdn.example.invalid/attachments/${name}`,
    filename: name,
    contentType: 'image/png',
    size: 120_000,
    width: 1600,
    height: 900,
    discordAttachmentId: name,
  };
}

const dir = mkdtempSync(join(tmpdir(), 'coachwire-bench-'));
const handle = openDatabase({ path: join(dir, 'bench.sqlite') });
try {
  await migrateDatabase(handle);
  const loadStarted = process.hrtime.bigint();
  const insertPlan = handle.sqlite.prepare(
    `INSERT INTO plans (coach, trading_date, text, author_id, author_name, guild_id, channel_id, channel_name,
       source_message_id, created_at) VALUES (?, ?, ?, ?, ?, 'guild', 'channel', 'plans', ?, ?)`,
  );
  const insertChart = handle.sqlite.prepare(
    `INSERT INTO charts (plan_id, position, url, filename, content_type, size, width, height)
     VALUES (?, ?, ?, ?, 'image/png', 120000, 1600, 900)`,
  );
  handle.sqlite.transaction(() => {
    for (let day = 0; day < DAYS; day += 1) {
      const tradingDate = addDays(FIRST_DATE, day);
      for (const coach of COACHES) {
        const text = `Plan for ${tradingDate} by coach ${coach}. `.repeat(8);
        const { lastInsertRowid } = insertPlan.run(
          coach,
          tradingDate,
          text,
          `author-${coach}`,
          `Coach ${coach}`,
          `msg-${coach}-${day}`,
          `${tradingDate}T12:00:00.000Z`,
        );
        insertChart.run(lastInsertRowid, 0, `https://cdn.example.invalid/${lastInsertRowid}/a.png`, 'a.png');
        insertChart.run(lastInsertRowid, 1, `https://cdn.example.invalid/${lastInsertRowid}/b.png`, 'b.png');
      }
    }
  })();
  handle.sqlite.exec('ANALYZE');
  const loadSeconds = Number(process.hrtime.bigint() - loadStarted) / 1e9;
  console.log(`loaded ${PLAN_COUNT} plans with ${2 * PLAN_COUNT} charts in ${loadSeconds.toFixed(2)} s`);

  const repository = new SqlitePlanRepository(handle);
  // A fixed-seed generator so every run reads the same keys.
  let seed = 42;
  const random = (limit: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed % limit;
  };
  const results: Result[] = [];
  results.push(
    await measure('get plan by (coach, date)', 20_000, async () => {
      const plan = await repository.getLive(
        COACHES[random(COACHES.length)]!,
        addDays(FIRST_DATE, random(DAYS)),
      );
      if (!plan) throw new Error('benchmark plan missing');
    }),
  );
  results.push(
    await measure('get plan by id', 20_000, async () => {
      if (!(await repository.getById(1 + random(PLAN_COUNT)))) throw new Error('benchmark plan missing');
    }),
  );
  results.push(
    await measure('list a date (20 plans + charts)', 5_000, async () => {
      const plans = await repository.list({ tradingDate: addDays(FIRST_DATE, random(DAYS)), limit: 50 });
      if (plans.length !== COACHES.length) throw new Error('benchmark date incomplete');
    }),
  );
  results.push(await measure('list newest page (limit 50)', 5_000, () => repository.list({ limit: 50 })));
  let newDay = DAYS;
  results.push(
    await measure('insert a plan with two charts', 5_000, async () => {
      newDay += 1;
      await repository.insert({
        coach: 'z',
        tradingDate: addDays(FIRST_DATE, newDay),
        text: 'New plan. '.repeat(20),
        author: { id: 'author-z', name: 'Coach Z' },
        guildId: 'guild',
        channelId: 'channel',
        channelName: 'plans',
        sourceMessageId: `msg-z-${newDay}`,
        charts: [chart(`z-${newDay}-a.png`), chart(`z-${newDay}-b.png`)],
        createdAt: new Date().toISOString(),
      });
    }),
  );
  results.push(
    await measure('edit a plan (text only)', 5_000, async (index) => {
      await repository.update(1 + random(PLAN_COUNT), {
        text: `Edited ${index}. `.repeat(20),
        editor: { id: 'admin', name: 'Admin' },
        editedAt: new Date().toISOString(),
      });
    }),
  );

  console.log('');
  console.table(
    results.map((result) => ({
      operation: result.name,
      ops: result.ops,
      'ops/s': Math.round(result.opsPerSecond),
      'p50 µs': result.p50Us.toFixed(1),
      'p99 µs': result.p99Us.toFixed(1),
      'max µs': result.maxUs.toFixed(1),
      'CPU µs/op': result.cpuUs.toFixed(1),
    })),
  );
} finally {
  handle.close();
  rmSync(dir, { recursive: true, force: true });
}
