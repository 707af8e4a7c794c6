// Run as its own OS process by migrate.test.ts: opens the shared file, says "ready", waits for "go" on stdin
// (so that both processes start migrating at the same moment), migrates, then inserts plans one by one.
import { once } from 'node:events';
import { addDays } from '@coachwire/core';
import { openDatabase } from '../database.js';
import { migrateDatabase } from '../migrate.js';
import { SqlitePlanRepository } from '../plans/sqlite-plan-repository.js';

const [path, coach, countText] = process.argv.slice(2);
if (!path || !coach || !countText) throw new Error('usage: concurrent-writer <path> <coach> <count>');

// Log lines go to stderr, which the test shows when this process fails.
const log = (details: object, message: string) =>
  process.stderr.write(`${message} ${JSON.stringify(details)}\n`);
const logger = { info: log, warn: log };
const handle = openDatabase({ path, logger });
process.stdout.write('ready\n');
await once(process.stdin, 'data');

const migration = await migrateDatabase(handle);
const repository = new SqlitePlanRepository(handle);
const ids: number[] = [];
for (let index = 0; index < Number(countText); index += 1) {
  const plan = await repository.insert({
    coach,
    tradingDate: addDays('2020-01-01', index),
    text: `plan ${index} by ${coach}`,
    author: { id: coach, name: coach },
    guildId: null,
    channelId: null,
    channelName: null,
    sourceMessageId: null,
    charts: [{ url: `https://example.invalid/${coach}/${index}.png`, filename: `${index}.png` }],
    createdAt: new Date(Date.UTC(2020, 0, 1, 0, 0, index)).toISOString(),
  });
  ids.push(plan.id);
}
handle.close();
process.stdout.write(`${JSON.stringify({ applied: migration.applied, ids })}\n`);
process.exit(0);
