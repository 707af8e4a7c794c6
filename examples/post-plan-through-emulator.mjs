// Post a plan the way a coach does in Discord, without Discord: the built-in emulator plays Discord, the real
// bot logs into it, a simulated coach types `!plan d: ...` with a chart, and the bot stores and answers.
//   node examples/post-plan-through-emulator.mjs
// The plan is stored in DATABASE_PATH if set, else in ./data/mock/emulator-example.db. Run it again and the bot
// replaces the day's plan: the simulated coach is the same Discord user (a fixed id) every run. Exits 1, saying
// why, if the bot refuses the plan or does not answer.

import { startBot } from '@coachwire/bot';
import { loadConfig } from '@coachwire/config';
import { DiscordEmulator, makePng } from '@coachwire/discord-emulator';

// Plans remember their author by Discord user id, and only the author (or an admin) may replace them: with a new
// id each run, the second run's coach_dan would be a stranger to the plan the first run stored.
const COACH_DAN_ID = '1180000000000000001';
const OWN_DATABASE = './data/mock/emulator-example.db';

const emu = await DiscordEmulator.start();
const guild = emu.createGuild({ name: 'Example server' });
const channel = emu.createChannel(guild.id, { name: 'trading-plans' });
const coach = emu.createUser({ id: COACH_DAN_ID, username: 'coach_dan' });
emu.addMember(guild.id, coach.id);

// The bot's token is the emulator's; everything else comes from the environment and the file COACHWIRE_CONFIG
// names, if any (not from ./.env), except that this made-up plan goes to a database of its own unless
// DATABASE_PATH names one: never into real plans.
const databasePath = process.env.DATABASE_PATH || OWN_DATABASE;
const config = loadConfig({
  env: {
    ...process.env,
    DATABASE_PATH: databasePath,
    CHARTS_DIR: process.env.CHARTS_DIR || './data/mock/charts',
    DISCORD_BOT_TOKEN: emu.botToken,
    LOG_LEVEL: 'warn',
    LOG_FILE: '',
  },
});
// The chart lives on the emulator's CDN, so the chart archiver may fetch from there too.
const bot = await startBot({ config, restApi: emu.restUrl, extraChartHosts: [`127.0.0.1:${emu.port}`] });
/** Why nothing was stored, and what to do about it; null once the plan is stored. */
let failure = null;
try {
  const message = await emu.sendMessage({
    channelId: channel.id,
    authorId: coach.id,
    content: '!plan d: SPY bullish above 472, first target 476, stop 469',
    attachments: [{ filename: 'spy.png', contentType: 'image/png', data: makePng(640, 360) }],
  });
  const reply = await emu.waitForReply(message.id, { timeoutMs: 15_000 }).catch(() => null);
  const answer = reply ? (reply.body.content ?? reply.body.embeds?.[0]?.title ?? '') : null;
  if (answer !== null) console.log(`The bot replied: ${JSON.stringify(answer)}`);
  // A refusal starts with ⚠️; and the day's plan must now be this run's message, whatever the reply says.
  const plan = answer === null || answer.startsWith('⚠️') ? null : await bot.context.service.find('d');
  if (plan && plan.sourceMessageId === message.id && plan.author.id === coach.id) {
    const replaced = plan.editedAt ? ", replacing the day's earlier plan" : '';
    console.log(
      `Stored plan ${plan.id} for coach ${plan.coach} on ${plan.tradingDate} with ${plan.charts.length} chart(s)${replaced}:`,
    );
    console.log(plan.text);
  } else failure = explain(answer);
} finally {
  await bot.stop();
  await emu.stop();
}
if (failure) {
  console.error(failure.problem);
  console.error(`Fix: ${failure.fix}`);
  process.exitCode = 1;
}

function explain(answer) {
  if (answer === null)
    return {
      problem: 'The bot did not answer the plan within 15 s, so nothing was stored.',
      fix:
        'the bot ignores guilds and channels missing from discord.guild_ids / discord.channel_ids when those ' +
        "are set, and the example's guild is new each run: run it without COACHWIRE_CONFIG.",
    };
  const reason = answer.split('\n')[0] || '(an empty reply)';
  const problem = `The bot refused the plan, so nothing was stored: ${reason}`;
  if (/belongs to/.test(answer))
    return {
      problem,
      fix:
        databasePath === OWN_DATABASE
          ? `${OWN_DATABASE} holds coach d's plan for the day, posted by another Discord user (an older ` +
            `version of this example gave coach_dan a new id each run): delete that file (it holds only this ` +
            `example's plans) and run it again.`
          : `DATABASE_PATH (${databasePath}) holds coach d's plan for the day, posted by another Discord ` +
            `user: unset DATABASE_PATH so the example uses a database of its own (${OWN_DATABASE}), or point ` +
            `it at a new file.`,
    };
  return {
    problem,
    fix:
      'the example posts for coach d as coach_dan, a member without roles: run it without COACHWIRE_CONFIG, or ' +
      'give coach d empty role_ids and user_ids in that file (see config.example.yaml).',
  };
}
