// `pnpm --filter @coachwire/bot bench` (second part): bets through the market message's buttons with the real
// discord.js client and the emulator: Bet click → amount form → quote → Confirm. Reports p50/p99 from the
// Confirm click to the bot's answer, and bets per second, one at a time and with 20 members at once; then
// checks that the coalesced market message ends showing the final state. Reported, not asserted.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '@coachwire/config';
import {
  DiscordEmulator,
  type EmulatedUser,
  type Json,
  type RecordedCall,
} from '@coachwire/discord-emulator';
import { openCoachwire } from '@coachwire/runtime';
import pino from 'pino';
import { startBot } from '../src/start-bot.js';

const MEMBERS = 20;
const BETS_PER_MEMBER = 50;
const SEQUENTIAL_BETS = 200;
const STAKE = 5;

const now = () => Number(process.hrtime.bigint()) / 1e6;
const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

const dir = mkdtempSync(path.join(os.tmpdir(), 'coachwire-market-bench-'));
const emu = await DiscordEmulator.start();
const guild = emu.createGuild({ name: 'Bench' });
const channel = emu.createChannel(guild.id, { name: 'markets' });
const member = (name: string) => {
  const user = emu.createUser({ username: name });
  emu.addMember(guild.id, user.id);
  return user;
};
const creator = member('creator');
const members = Array.from({ length: MEMBERS }, (_, index) => member(`member${index}`));
const config = loadConfig({
  env: {},
  argv: [],
  cwd: dir,
  overrides: {
    discord: { token: emu.botToken },
    database: { path: path.join(dir, 'plans.db') },
    logging: { level: 'silent', file: '' },
    points: { starting_balance: 100_000 },
    rate_limits: {
      bot_per_user: { max: 1_000_000, window_seconds: 60 },
      bot_per_guild: { max: 1_000_000, window_seconds: 60 },
    },
  },
});
const coachwire = await openCoachwire(config, { logger: pino({ level: 'silent' }) });
const bot = await startBot({
  config,
  coachwire,
  restApi: emu.restUrl,
  rest: { globalRequestsPerSecond: 1_000_000 },
});

const finals = new Map<string, (call: RecordedCall) => void>();
emu.on('call', (call: RecordedCall) => {
  if (call.status >= 300) return;
  const final =
    (call.route === 'POST /interactions/:interactionId/:token/callback' &&
      [4, 7, 9].includes((call.body as { type?: number }).type ?? 0)) ||
    call.route === 'POST /webhooks/:applicationId/:token';
  if (!final) return;
  for (const [token, resolve] of finals) if (call.path.includes(token)) resolve(call);
});
function answer(token: string): Promise<RecordedCall> {
  return new Promise((resolve) => {
    finals.set(token, (call) => {
      finals.delete(token);
      resolve(call);
    });
  });
}
async function act(started: Promise<{ token: string; interactionId: string }>) {
  const { token, interactionId } = await started;
  return { call: await answer(token), interactionId };
}
const where = { guildId: guild.id, channelId: channel.id };
const buttons = (data: unknown) =>
  ((data as { components?: { components: { custom_id: string }[] }[] })?.components ?? []).flatMap(
    (r) => r.components,
  );

// The market, through /market create and its form.
const form = await act(
  emu.invokeSlashCommand({
    ...where,
    userId: creator.id,
    commandName: 'market',
    options: [{ type: 1, name: 'create', options: [{ type: 3, name: 'closes', value: '6h' }] }],
  }),
);
const created = await act(
  emu.submitModal({
    ...where,
    userId: creator.id,
    customId: (form.call.body as { data: { custom_id: string } }).data.custom_id,
    fields: { question: 'Benchmark market?', options: '', description: '' },
  }),
);
void created;
const marketMessage = emu
  .messagesIn(channel.id)
  .find((m) => JSON.stringify(m.embeds).includes('Benchmark market?')) as Json;
const marketId = Number(buttons(marketMessage)[0]!.custom_id.split(':')[2]);

const latencies: number[] = [];
let requotes = 0;
async function betOnce(user: EmulatedUser): Promise<void> {
  const clicked = await act(
    emu.clickButton({
      ...where,
      userId: user.id,
      messageId: String(marketMessage.id),
      customId: `mkt:bet:${marketId}:${latencies.length % 2}`,
    }),
  );
  const modalId = (clicked.call.body as { data: { custom_id: string } }).data.custom_id;
  const quote = await act(
    emu.submitModal({ ...where, userId: user.id, customId: modalId, fields: { amount: String(STAKE) } }),
  );
  let confirm = buttons((quote.call.body as { data: unknown }).data).find((b) =>
    b.custom_id.startsWith('mkt:confirm:'),
  )!.custom_id;
  const quoteMessage = emu.interactionResponses(quote.interactionId)[0]!.messageId!;
  for (;;) {
    const start = now();
    const confirmed = await act(
      emu.clickButton({ ...where, userId: user.id, messageId: quoteMessage, customId: confirm }),
    );
    latencies.push(confirmed.call.at - start);
    const body = confirmed.call.body as { data?: { content?: string } };
    if (body.data?.content?.includes('✅')) return;
    const fresh = buttons(body.data).find((b) => b.custom_id.startsWith('mkt:confirm:'));
    if (!fresh) throw new Error(`Bet refused: ${body.data?.content}`);
    requotes += 1;
    confirm = fresh.custom_id;
  }
}

async function run(label: string, perMember: number, users: readonly EmulatedUser[]) {
  latencies.length = 0;
  requotes = 0;
  const start = now();
  await Promise.all(
    users.map(async (user) => {
      for (let i = 0; i < perMember; i++) await betOnce(user);
    }),
  );
  const seconds = (now() - start) / 1000;
  const bets = perMember * users.length;
  const sorted = [...latencies].sort((a, b) => a - b);
  process.stdout.write(
    `${label}: ${bets} bets in ${seconds.toFixed(2)} s = ${(bets / seconds).toFixed(0)} bets/s (whole flow); Confirm → answer p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms over ${sorted.length} confirms (${requotes} fresh quotes after the price moved)\n`,
  );
  return bets;
}

const sequential = await run('one at a time', SEQUENTIAL_BETS, [members[0]!]);
const burst = await run(`${MEMBERS} members × ${BETS_PER_MEMBER} at once`, BETS_PER_MEMBER, members);

// The market message is edited at most every markets.embed_update_seconds; its last edit must show every bet.
const volume = `${((sequential + burst) * STAKE).toLocaleString('en-US')} pts`;
const waitStart = now();
let shown = '';
while (now() - waitStart < (config.markets.embed_update_seconds + 5) * 1000) {
  shown = JSON.stringify(emu.messagesIn(channel.id).find((m) => m.id === marketMessage.id)?.embeds);
  if (shown.includes(`"name":"Volume","value":"${volume}"`)) break;
  await new Promise((resolve) => setTimeout(resolve, 100));
}
const edits = emu.calls.filter(
  (call) => call.route === 'PATCH /channels/:channelId/messages/:messageId',
).length;
const final =
  shown.includes(`"name":"Volume","value":"${volume}"`) &&
  shown.includes(`"name":"Bettors","value":"${MEMBERS}"`);
process.stdout.write(
  `market message: ${edits} edits for ${sequential + burst} bets (interval ${config.markets.embed_update_seconds} s); final state ${final ? 'correct' : 'WRONG'} (volume ${volume}, ${MEMBERS} bettors)\n`,
);

await bot.stop();
await emu.stop();
await coachwire.close();
rmSync(dir, { recursive: true, force: true });
