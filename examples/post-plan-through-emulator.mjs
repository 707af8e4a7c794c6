// Post a plan the way a coach does in Discord, without Discord: the built-in emulator plays Discord, the real
// bot logs into it, a simulated coach types `!plan d: ...` with a chart, and the bot stores and answers.
//   node examples/post-plan-through-emulator.mjs
// The plan is stored in DATABASE_PATH if set, else in ./data/mock/emulator-example.db.

import { startBot } from '@coachwire/bot';
import { loadConfig } from '@coachwire/config';
import { DiscordEmulator, makePng } from '@coachwire/discord-emulator';

const emu = await DiscordEmulator.start();
const guild = emu.createGuild({ name: 'Example server' });
const channel = emu.createChannel(guild.id, { name: 'trading-plans' });
const coach = emu.createUser({ username: 'coach_dan' });
emu.addMember(guild.id, coach.id);

// The bot's token is the emulator's; everything else comes from .env / the environment as usual, except that
// this made-up plan goes to a database of its own unless DATABASE_PATH names one: never into real plans.
const config = loadConfig({
  env: {
    ...process.env,
    DATABASE_PATH: process.env.DATABASE_PATH || './data/mock/emulator-example.db',
    CHARTS_DIR: process.env.CHARTS_DIR || './data/mock/charts',
    DISCORD_BOT_TOKEN: emu.botToken,
    LOG_LEVEL: 'warn',
    LOG_FILE: '',
  },
});
// The chart lives on the emulator's CDN, so the chart archiver may fetch from there too.
const bot = await startBot({ config, restApi: emu.restUrl, extraChartHosts: [`127.0.0.1:${emu.port}`] });
try {
  const message = await emu.sendMessage({
    channelId: channel.id,
    authorId: coach.id,
    content: '!plan d: SPY bullish above 472, first target 476, stop 469',
    attachments: [{ filename: 'spy.png', contentType: 'image/png', data: makePng(640, 360) }],
  });
  const reply = await emu.waitForCall(
    (call) =>
      call.route === 'POST /channels/:channelId/messages' &&
      call.body?.message_reference?.message_id === message.id,
    { timeoutMs: 15_000 },
  );
  console.log(`The bot replied: ${JSON.stringify(reply.body.content ?? reply.body.embeds?.[0]?.title)}`);
  const plan = await bot.context.service.find('d');
  console.log(
    `Stored plan ${plan.id} for coach ${plan.coach} on ${plan.tradingDate} with ${plan.charts.length} chart(s):`,
  );
  console.log(plan.text);
} finally {
  await bot.stop();
  await emu.stop();
}
