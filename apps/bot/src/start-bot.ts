import type { CoachwireConfig, Logger } from '@coachwire/config';
import { type Clock, type Plan, systemClock } from '@coachwire/core';
import { type Coachwire, type CoachwireServices, eventLogPrunerFor, openCoachwire } from '@coachwire/runtime';
import type { MemberNamePort } from '@coachwire/storage';
import { Client, Events, GatewayIntentBits, Partials, type RESTOptions } from 'discord.js';
import { type ChartArchiving, startChartArchiving } from './charts/archive-hook.js';
import type { BotCommand } from './commands/bot-command.js';
import { BOT_COMMANDS } from './commands/registry.js';
import type { BotContext, PlanSavedHook } from './context.js';
import type { BotRuntime } from './events/bot-event.js';
import { registerEvents } from './events/index.js';
import { PendingPosts } from './interactions/pending-posts.js';
import { MarketBoard } from './markets/market-board.js';
import { MarketSweeper } from './markets/market-sweeper.js';
import { PendingQuotes } from './markets/pending-quotes.js';
import { type BotRole, claimBotRole } from './util/bot-role.js';
import { CommandRateLimits } from './util/command-rate-limits.js';
import { Heartbeat } from './util/heartbeat.js';
import { InFlightCommands } from './util/in-flight.js';
import {
  DiscordUnreachableError,
  describeLoginError,
  LoginAbortedError,
  loginWithRetry,
} from './util/login.js';
import { MemberNameRecorder } from './util/member-names.js';
import { registerCommands } from './util/register-commands.js';

export interface StartBotOptions {
  readonly config: CoachwireConfig;
  /**
   * The opened runtime (database, repositories, services; the caller closes it). When omitted the bot opens
   * one with openCoachwire, logging as `bot`, and closes it on stop.
   */
  readonly coachwire?: Coachwire;
  /** Discord's REST base URL; the emulator's `restUrl` in tests and mock mode. */
  readonly restApi?: string;
  /** Extra discord.js REST options (the benchmark lifts Discord's 50 requests/s global limit on the emulator). */
  readonly rest?: Partial<RESTOptions>;
  /** Marks heartbeats and log lines as mock data. Defaults to `config.mock.enabled`. */
  readonly mock?: boolean;
  /**
   * Called after every saved post or edit. By default the bot archives the plan's charts (see charts/);
   * passing a hook replaces that (handler tests record saved plans instead).
   */
  readonly onPlanSaved?: PlanSavedHook;
  /** Hosts chart downloads may reach besides `charts.allowed_hosts` (the emulator's CDN in mock mode and tests). */
  readonly extraChartHosts?: readonly string[];
  /** Abandons logging in (LoginAbortedError) when the process is told to stop before the bot connected. */
  readonly signal?: AbortSignal;
  /**
   * The running-bot role, when the caller claimed it already (mock mode does, before starting its emulator).
   * Otherwise the bot claims it before anything contacts Discord, and BotAlreadyRunningError says which bot
   * holds it.
   */
  readonly role?: BotRole;
  /**
   * Called once the bot has stopped by itself because another bot took its role over (this one looked gone to
   * it, e.g. after a long freeze). Before connecting, the same ends startBot with BotRoleLostError instead.
   */
  readonly onRoleLost?: () => void;
}

/** Another bot took the running-bot role over while this one was still logging in. */
export class BotRoleLostError extends Error {
  constructor() {
    super('Another bot took over the running-bot role on this database while this one was logging in.');
    this.name = 'BotRoleLostError';
  }
}

/** A running bot. */
export interface BotHandle {
  readonly client: Client;
  readonly context: BotContext;
  /** The chart archiver, unless an `onPlanSaved` hook replaced it. */
  readonly chartArchiving: ChartArchiving | undefined;
  /** Runs the market sweep now (what the scheduler runs every `markets.sweep_seconds`). */
  sweepMarkets(): Promise<{ closed: number; announced: number }>;
  /**
   * Stops taking commands (those that still arrive are answered that nothing was done), finishes those in
   * flight within the grace period (`api.shutdown_timeout_seconds`), writes the stopped heartbeat, logs out,
   * closes what it opened.
   */
  stop(): Promise<void>;
}

/** The command context for a configuration and its services (also used by the handler tests). */
export function createBotContext(options: {
  readonly config: CoachwireConfig;
  readonly services: CoachwireServices;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly onPlanSaved?: PlanSavedHook;
  /** Defaults to every command of the registry. */
  readonly commands?: readonly BotCommand[];
  readonly marketBoard?: MarketBoard;
  /** Overrides `markets.coach_calls.enabled` (mock mode turns coach calls on). */
  readonly coachCalls?: boolean;
  /** Where members' display names are kept; none in handler tests without a database. */
  readonly memberNames?: MemberNamePort;
}): BotContext {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  return {
    commands: options.commands ?? BOT_COMMANDS,
    service: options.services.plans,
    markets: options.services.markets,
    points: options.services.points,
    marketQueries: options.services.marketQueries,
    marketBoard: options.marketBoard ?? null,
    pendingQuotes: new PendingQuotes(() => clock.now()),
    coachCalls: options.coachCalls ?? config.markets.coach_calls.enabled,
    clock,
    timezone: config.timezone,
    logger: options.logger,
    rateLimits: new CommandRateLimits(config.rate_limits, clock),
    pendingPosts: new PendingPosts(() => clock.now()),
    prefix: config.discord.prefix,
    guildIds: config.discord.guild_ids,
    channelIds: config.discord.channel_ids,
    onPlanSaved: options.onPlanSaved ?? (() => {}),
    memberNames: new MemberNameRecorder({
      store: options.memberNames ?? null,
      guildIds: config.discord.guild_ids,
      clock,
      logger: options.logger,
    }),
  };
}

/** Starts the bot: database, discord.js client, events, heartbeat, login (with retries), optional command registration. */
export async function startBot(options: StartBotOptions): Promise<BotHandle> {
  const { config } = options;
  const mock = options.mock ?? config.mock.enabled;
  const ownsRuntime = options.coachwire === undefined;
  const coachwire =
    options.coachwire ??
    (await openCoachwire(
      mock === config.mock.enabled ? config : { ...config, mock: { ...config.mock, enabled: mock } },
      {
        processName: 'bot',
      },
    ));
  const { logger, repositories } = coachwire;
  let role: BotRole;
  try {
    role = options.role ?? (await claimBotRole(repositories.botStatus, { mock }));
  } catch (error) {
    if (ownsRuntime) await coachwire.close();
    throw error;
  }
  logger.info({ instance: role.instance }, 'running-bot role claimed');
  const archiving = options.onPlanSaved
    ? undefined
    : startChartArchiving({
        config,
        archive: repositories.charts,
        store: repositories.chartFiles,
        logger,
        ...(options.extraChartHosts ? { extraAllowedHosts: options.extraChartHosts } : {}),
      });
  const marketBoard = new MarketBoard({
    store: repositories.marketMessages,
    queries: coachwire.services.marketQueries,
    markets: coachwire.services.markets,
    plans: coachwire.services.plans,
    logger,
    clock: coachwire.clock,
    editIntervalMs: config.markets.embed_update_seconds * 1000,
  });
  const context = createBotContext({
    config,
    services: coachwire.services,
    logger,
    clock: coachwire.clock,
    marketBoard,
    coachCalls: config.markets.coach_calls.enabled || mock,
    memberNames: repositories.memberNames,
    onPlanSaved: options.onPlanSaved ?? ((plan: Plan) => archiving?.onPlanSaved(plan)),
  });
  const restApi = options.restApi ?? (config.discord.api_url.trim() || undefined);
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
    // An edit of a message sent before a restart is still an update we want to see.
    partials: [Partials.Message, Partials.Channel],
    // Replies quote what members typed (a market's question, a grant's reason): nothing they write may ping
    // @everyone, a role or a member. Every message the client sends gets this unless it says otherwise.
    allowedMentions: { parse: [], repliedUser: false },
    rest: { ...options.rest, ...(restApi ? { api: restApi } : {}) },
  });
  marketBoard.attach(client.rest);
  // Until the bot runs, losing the role abandons the login; afterwards it stops the bot (see `stop` below).
  const roleLostWhileStarting = new AbortController();
  let onRoleLost = () => roleLostWhileStarting.abort();
  const heartbeat = new Heartbeat(client, role, {
    intervalSeconds: config.discord.heartbeat_interval_seconds,
    mock,
    logger,
    onRoleLost: () => onRoleLost(),
  });
  const runtime: BotRuntime = { client, context, inFlight: new InFlightCommands(), heartbeat };
  registerEvents(client, runtime);

  const releaseResources = async () => {
    role.release();
    await archiving?.stop();
    await client.destroy();
    if (ownsRuntime) await coachwire.close();
  };
  // The heartbeat runs from before the first attempt, so /health shows "connecting"/"retrying" and why.
  void heartbeat.report('connecting');
  heartbeat.start();
  try {
    await loginWithRetry(client, {
      token: config.discord.token,
      attempts: config.discord.reconnect_attempts,
      delaySeconds: config.discord.reconnect_delay_seconds,
      timeoutSeconds: config.discord.connection_timeout_seconds,
      logger,
      onRetry: (reason) => void heartbeat.report('retrying', reason),
      signal: options.signal
        ? AbortSignal.any([options.signal, roleLostWhileStarting.signal])
        : roleLostWhileStarting.signal,
    });
  } catch (error) {
    if (roleLostWhileStarting.signal.aborted) {
      await releaseResources();
      throw new BotRoleLostError();
    }
    // Awaited: the last row must be written before the runtime (and its database) is closed.
    if (error instanceof LoginAbortedError) await heartbeat.stop();
    else
      await heartbeat.report(
        'failed',
        error instanceof DiscordUnreachableError ? error.reason : describeLoginError(error),
      );
    await releaseResources();
    throw error;
  }
  if (config.discord.register_commands_on_start) await registerOnStart(client, config, logger, restApi);
  // At start-up, so markets that closed or settled while the bot was down are announced now.
  const sweeper = new MarketSweeper(marketBoard, config.markets.sweep_seconds * 1000, logger);
  sweeper.start();
  // As the API does: a bot running without the API must not let the event log grow for good.
  const eventLogPruner = eventLogPrunerFor(
    config,
    (prune) => repositories.eventLog.prune(prune),
    () => new Date(coachwire.clock.now()),
    logger,
  );
  eventLogPruner.start();

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      // The API's grace period serves the bot too: `pnpm start` kills both 5 s after it, and Compose and the
      // systemd unit kill later still, so the bot always gets to write its "stopped" row first.
      const graceMs = config.api.shutdown_timeout_seconds * 1000;
      logger.info({ inFlight: runtime.inFlight.size, graceMs }, 'stopping: finishing commands in flight');
      let graceTimer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<void>((resolve) => {
        graceTimer = setTimeout(resolve, graceMs);
      });
      const finishing = (async () => {
        // A sweep under way is finished (its announcement claimed is also posted); no new one starts.
        await Promise.all([runtime.inFlight.drain(graceOver), sweeper.stop(), eventLogPruner.stop()]);
        await marketBoard.stop();
        await archiving?.stop();
        return 'finished' as const;
      })();
      // A handler stuck on Discord (a long rate limit) or the network must not keep the process alive for good.
      const outcome = await Promise.race([finishing, graceOver.then(() => 'grace over' as const)]);
      clearTimeout(graceTimer);
      if (outcome === 'grace over')
        logger.warn(
          { inFlight: runtime.inFlight.size, graceMs },
          'stopping: grace period over, abandoning the work still in flight',
        );
      // The stopped row frees the role for the next bot at once (written only while this bot holds it).
      await heartbeat.stop();
      role.release();
      // Destroying the client closes the gateway: that is a stop, not a disconnect or reconnect to report.
      client.removeAllListeners(Events.ShardDisconnect);
      client.removeAllListeners(Events.ShardReconnecting);
      await client.destroy();
      if (ownsRuntime) await coachwire.close();
    })();
    return stopping;
  };
  if (roleLostWhileStarting.signal.aborted) {
    await stop();
    throw new BotRoleLostError();
  }
  onRoleLost = () => {
    void stop().then(
      () => options.onRoleLost?.(),
      (error: unknown) => logger.error({ err: error }, 'stopping after losing the running-bot role failed'),
    );
  };
  return {
    client,
    context,
    chartArchiving: archiving,
    sweepMarkets: () => sweeper.runNow(),
    stop,
  };
}

async function registerOnStart(
  client: Client,
  config: CoachwireConfig,
  logger: Logger,
  restApi: string | undefined,
) {
  const applicationId = client.application?.id ?? client.user?.id;
  if (!applicationId) return;
  const guildIds = config.discord.guild_ids.length > 0 ? config.discord.guild_ids : [undefined];
  for (const guildId of guildIds) {
    try {
      const count = await registerCommands({ token: config.discord.token, applicationId, guildId, restApi });
      logger.info({ guildId: guildId ?? 'global', count }, 'slash commands registered');
    } catch (error) {
      logger.error({ err: error, guildId: guildId ?? 'global' }, 'could not register slash commands');
    }
  }
}
