import { coachesFromConfig } from '@coachwire/config';
import { type BotHandle, type StartBotOptions, startBot } from '../start-bot.js';
import { claimBotRole } from '../util/bot-role.js';
import { writeMockControlFile } from './mock-control-file.js';
import { type MockDiscord, startMockDiscord } from './mock-discord.js';
import { MockMarketCrowd } from './mock-markets.js';
import { MockPlanPoster } from './mock-poster.js';

/** A bot running against the in-process emulator, with its simulated coaches. */
export interface MockBotHandle extends BotHandle {
  readonly mock: MockDiscord;
  /** The simulated coaches (tests drive `simulateOnce` directly). */
  readonly poster: MockPlanPoster;
  /** The simulated market crowd (tests drive `simulateOnce` directly). */
  readonly crowd: MockMarketCrowd;
}

/**
 * Mock mode: starts the Discord emulator in-process, logs the real bot into it, posts a backlog of mock plans
 * through it (each opening its coach-call market) and (when `mock.simulate_posts`) keeps posting and editing,
 * and lets a simulated crowd bet and an admin resolve, every `mock.post_interval_seconds`.
 */
export async function startMockBot(
  options: Omit<StartBotOptions, 'restApi' | 'mock' | 'role'>,
): Promise<MockBotHandle> {
  // Claimed before the emulator starts: a second mock on the same database is refused before it posts anything.
  const role = options.coachwire
    ? await claimBotRole(options.coachwire.repositories.botStatus, { mock: true })
    : undefined;
  let mock: MockDiscord;
  try {
    mock = await startMockDiscord(coachesFromConfig(options.config));
  } catch (error) {
    role?.release();
    throw error;
  }
  let stopMock: () => Promise<void> = async () => {};
  const config = {
    ...options.config,
    discord: {
      ...options.config.discord,
      token: mock.emu.botToken,
      // Mock mode has one emulated guild; listen everywhere in it, whatever the real configuration names.
      guild_ids: [],
      channel_ids: [],
      register_commands_on_start: true,
    },
  };
  let bot: BotHandle;
  try {
    bot = await startBot({
      ...options,
      config,
      restApi: mock.emu.restUrl,
      mock: true,
      ...(role ? { role } : {}),
      onRoleLost: () => {
        void stopMock().finally(() => options.onRoleLost?.());
      },
      // The simulated coaches' charts live on the emulator's CDN; let the archiver fetch them there.
      extraChartHosts: [`127.0.0.1:${mock.emu.port}`],
    });
  } catch (error) {
    await mock.emu.stop();
    throw error;
  }
  const poster = new MockPlanPoster(mock, bot.context.service, config.discord.prefix, bot.context.logger);
  bot.context.logger.info({ guild: mock.guild.name, channel: mock.channel.name }, 'mock Discord ready');
  const crowd = new MockMarketCrowd(
    mock,
    bot.context.marketQueries,
    () => bot.context.service.today(),
    bot.context.logger,
  );
  // Before the backlog: posting its plans edits their markets' messages, which a restarted emulator no longer
  // has; reposted first, those edits land instead of each logging a deleted message.
  if (bot.context.marketBoard) {
    try {
      const reposted = await crowd.restoreMarketMessages(bot.context.marketBoard);
      if (reposted > 0)
        bot.context.logger.info(
          { reposted },
          'mock market messages posted again (the emulator restarted empty)',
        );
    } catch (error) {
      bot.context.logger.warn({ err: error }, 'mock market messages not restored');
    }
  }
  try {
    await poster.postBacklog();
  } catch (error) {
    bot.context.logger.warn({ err: error }, 'mock backlog incomplete');
  }
  if (config.mock.simulate_posts) {
    poster.startSimulation(config.mock.post_interval_seconds);
    crowd.start(config.mock.post_interval_seconds);
  }
  // Written once the bot answers, so `coachwire say` never finds a mock that cannot reply yet.
  let controlFile: { remove(): void } | undefined;
  try {
    controlFile = writeMockControlFile(config, mock);
  } catch (error) {
    bot.context.logger.warn(
      { err: error },
      'mock control file not written: `coachwire say` cannot find this mock',
    );
  }
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      controlFile?.remove();
      await poster.stop();
      await crowd.stop();
      await bot.stop();
      await mock.emu.stop();
    })();
    return stopping;
  };
  stopMock = stop;
  return {
    client: bot.client,
    context: bot.context,
    chartArchiving: bot.chartArchiving,
    sweepMarkets: () => bot.sweepMarkets(),
    mock,
    poster,
    crowd,
    stop,
  };
}
