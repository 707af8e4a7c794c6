// `pnpm --filter @coachwire/bot bench`: latency of `!plan` through the real discord.js client and the emulator,
// from MESSAGE_CREATE sent to the reply's REST call received, and plans stored per second. Reported, not asserted.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '@coachwire/config';
import { DiscordEmulator, type RecordedCall } from '@coachwire/discord-emulator';
import { openCoachwire } from '@coachwire/runtime';
import pino from 'pino';
import { startBot } from '../src/start-bot.js';

const USERS = 20;
const CONCURRENT_MESSAGES = 1000;
const SEQUENTIAL_MESSAGES = 200;

const now = () => Number(process.hrtime.bigint()) / 1e6;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'coachwire-bot-bench-'));
const emu = await DiscordEmulator.start();
const guild = emu.createGuild({ name: 'Bench' });
const channel = emu.createChannel(guild.id, { name: 'trading-plans' });
const users = Array.from({ length: USERS }, (_, index) => {
  const user = emu.createUser({ username: `coach${index}` });
  emu.addMember(guild.id, user.id);
  return user;
});
// One coach per message, so every `!plan` is a real insert rather than a replace.
const coaches = Array.from({ length: CONCURRENT_MESSAGES + SEQUENTIAL_MESSAGES }, (_, index) => ({
  id: `c${index}`,
  name: `Coach ${index}`,
  role_ids: [],
  user_ids: [],
}));
const config = loadConfig({
  env: {},
  argv: [],
  cwd: dir,
  overrides: {
    discord: { token: emu.botToken },
    database: { path: path.join(dir, 'plans.db') },
    logging: { level: 'silent', file: '' },
    coaches,
    rate_limits: {
      bot_per_user: { max: 1_000_000, window_seconds: 60 },
      bot_per_guild: { max: 1_000_000, window_seconds: 60 },
    },
  },
});
const coachwire = await openCoachwire(config, { logger: pino({ level: 'silent' }) });
const { store } = coachwire;
// Discord allows a bot 50 requests/s; the emulator does not, so the benchmark measures the bot, not that cap.
const bot = await startBot({
  config,
  coachwire,
  restApi: emu.restUrl,
  rest: { globalRequestsPerSecond: 1_000_000 },
});

const sentAt = new Map<string, number>();
const waiting = new Map<string, () => void>();
const latencies: number[] = [];
emu.on('call', (call: RecordedCall) => {
  if (call.route !== 'POST /channels/:channelId/messages' || call.status >= 300) return;
  const id = (call.body as { message_reference?: { message_id?: string } }).message_reference?.message_id;
  const start = id === undefined ? undefined : sentAt.get(id);
  if (id === undefined || start === undefined) return;
  latencies.push(call.at - start);
  waiting.get(id)?.();
});

let nextCoach = 0;
async function postOne(userIndex: number): Promise<void> {
  const coach = coaches[nextCoach++]!;
  const start = now();
  const replied = new Promise<void>((resolve) => {
    void emu
      .sendMessage({
        channelId: channel.id,
        authorId: users[userIndex]!.id,
        content: `!plan ${coach.id}: SPY long above 500, stop 495, target 510 (#${nextCoach})`,
      })
      .then((message) => {
        const id = String(message.id);
        sentAt.set(id, start);
        waiting.set(id, resolve);
      });
  });
  await replied;
}

async function run(label: string, count: number, concurrency: number) {
  latencies.length = 0;
  const before = await store.countPlans();
  const started = now();
  let remaining = count;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (remaining > 0) {
        remaining--;
        await postOne(worker % USERS);
      }
    }),
  );
  const seconds = (now() - started) / 1000;
  const stored = (await store.countPlans()) - before;
  const sorted = [...latencies].sort((a, b) => a - b);
  console.log(
    `${label}: ${count} messages, ${concurrency} in flight | p50 ${percentile(sorted, 50).toFixed(2)} ms | ` +
      `p99 ${percentile(sorted, 99).toFixed(2)} ms | max ${sorted.at(-1)?.toFixed(2)} ms | ` +
      `${stored} plans stored, ${(stored / seconds).toFixed(0)} plans/s`,
  );
}

await run('sequential', SEQUENTIAL_MESSAGES, 1);
await run(`concurrent (${USERS} users)`, CONCURRENT_MESSAGES, USERS);

await bot.stop();
await emu.stop();
await coachwire.close();
rmSync(dir, { recursive: true, force: true });
