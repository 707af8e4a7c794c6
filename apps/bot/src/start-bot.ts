import {
  type CoachwireConfig,
  coachesFromConfig,
  createLogger,
  flushLogger,
  type Logger,
} from '@coachwire/config';
import { type Clock, type Plan, PlanService, systemClock } from '@coachwire/core';
import {
  BotStatusStore,
  type CoachwireDatabase,
  migrateDatabase,
  openDatabase,
  pingDatabase,
  SqlitePlanRepository,
} from '@coachwire/storage';
import { Client, Events, GatewayIntentBits, Partials, type RESTOptions } from 'discord.js';
import { type ChartArchiving, startChartArchiving } from './charts/archive-hook.js';
import type { BotContext, PlanSavedHook } from './context.js';
import type { BotRuntime } from './events/bot-event.js';
import { registerEvents } from './events/index.js';
import { PendingPosts } from './interactions/pending-posts.js';
import { CommandRateLimits } from './util/command-rate-limits.js';
import { Heartbeat } from './util/heartbeat.js';
import { InFlightCommands } from './util/in-flight.js';
import {
  DiscordUnreachableError,
  describeLoginError,
  LoginAbortedError,
  loginWithRetry,
} from './util/login.js';
import { registerCommands } from './util/register-commands.js';

export interface StartBotOptions {
  readonly config: CoachwireConfig;
  /** Defaults to createLogger from `config.logging` (marked mock in mock mode). */
  readonly logger?: Logger;
  /** An open, migrated database; when omitted the bot opens `config.database.path` and closes it on stop. */
  readonly database?: CoachwireDatabase;
  /** Discord's REST base URL; the emulator's `restUrl` in tests and mock mode. */
  readonly restApi?: string;
  /** Extra discord.js REST options (the benchmark lifts Discord's 50 requests/s global limit on the emulator). */
  readonly rest?: Partial<RESTOptions>;
  /** Marks heartbeats and log lines as mock data. Defaults to `config.mock.enabled`. */
  readonly mock?: boolean;
  readonly clock?: Clock;
  /**
   * Called after every saved post or edit. By default the bot archives the plan's charts (see charts/);
   * passing a hook replaces that (handler tests record saved plans instead).
   */
  readonly onPlanSaved?: PlanSavedHook;
  /** Hosts chart downloads may reach besides `charts.allowed_hosts` (the emulator's CDN in mock mode and tests). */
  readonly extraChartHosts?: readonly string[];
  /** Abandons logging in (LoginAbortedError) when the process is told to stop before the bot connected. */
  readonly signal?: AbortSignal;
}

/** A running bot. */
export interface BotHandle {
  readonly client: Client;
  readonly context: BotContext;
  /** The chart archiver, unless an `onPlanSaved` hook replaced it. */
  readonly chartArchiving: ChartArchiving | undefined;
  /** Stops taking commands, finishes those in flight, writes the disconnected heartbeat, logs out, closes what it opened. */
  stop(): Promise<void>;
}

/** Opens (creating and migrating) the database and checks that it answers, in that order. */
export async function openBotDatabase(path: string, logger?: Logger): Promise<CoachwireDatabase> {
  const database = openDatabase(logger ? { path, logger } : { path });
  try {
    await migrateDatabase(database);
    pingDatabase(database);
  } catch (error) {
    database.close();
    throw error;
  }
  return database;
}

/** The command context for a configuration and repository (also used by the handler tests). */
export function createBotContext(options: {
  readonly config: CoachwireConfig;
  readonly repository: ConstructorParameters<typeof PlanService>[0]['repository'];
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly onPlanSaved?: PlanSavedHook;
}): BotContext {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  return {
    service: new PlanService({
      repository: options.repository,
      coaches: coachesFromConfig(config),
      timezone: config.timezone,
      clock,
      admins: { userIds: config.admins.user_ids, roleIds: config.admins.role_ids },
      maxCharts: config.discord.max_chart_attachments,
      editWindowMinutes: config.discord.edit_window_minutes,
    }),
    logger: options.logger,
    rateLimits: new CommandRateLimits(config.rate_limits, clock),
    pendingPosts: new PendingPosts(() => clock.now().getTime()),
    prefix: config.discord.prefix,
    guildIds: config.discord.guild_ids,
    channelIds: config.discord.channel_ids,
    onPlanSaved: options.onPlanSaved ?? (() => {}),
  };
}

/** Starts the bot: database, discord.js client, events, heartbeat, login (with retries), optional command registration. */
export async function startBot(options: StartBotOptions): Promise<BotHandle> {
  const { config } = options;
  const mock = options.mock ?? config.mock.enabled;
  const ownsLogger = options.logger === undefined;
  const logger = options.logger ?? createLogger({ config: config.logging, name: 'bot', mock });
  const ownsDatabase = options.database === undefined;
  const database = options.database ?? (await openBotDatabase(config.database.path, logger));
  const archiving = options.onPlanSaved
    ? undefined
    : startChartArchiving({
        config,
        database,
        logger,
        ...(options.extraChartHosts ? { extraAllowedHosts: options.extraChartHosts } : {}),
      });
  const context = createBotContext({
    config,
    repository: new SqlitePlanRepository(database),
    logger,
    ...(options.clock ? { clock: options.clock } : {}),
    onPlanSaved: options.onPlanSaved ?? ((plan: Plan) => archiving?.onPlanSaved(plan)),
  });
  const restApi = options.restApi ?? (config.discord.api_url.trim() || undefined);
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
    // An edit of a message sent before a restart is still an update we want to see.
    partials: [Partials.Message, Partials.Channel],
    rest: { ...options.rest, ...(restApi ? { api: restApi } : {}) },
  });
  const heartbeat = new Heartbeat(client, new BotStatusStore(database), {
    intervalSeconds: config.discord.heartbeat_interval_seconds,
    mock,
    logger,
  });
  const runtime: BotRuntime = { client, context, inFlight: new InFlightCommands(), heartbeat };
  registerEvents(client, runtime);

  const releaseResources = async () => {
    await archiving?.stop();
    await client.destroy();
    if (ownsDatabase) database.close();
    if (ownsLogger) await flushLogger(logger);
  };
  // The heartbeat runs from before the first attempt, so /health shows "connecting"/"retrying" and why.
  heartbeat.report('connecting');
  heartbeat.start();
  try {
    await loginWithRetry(client, {
      token: config.discord.token,
      attempts: config.discord.reconnect_attempts,
      delaySeconds: config.discord.reconnect_delay_seconds,
      timeoutSeconds: config.discord.connection_timeout_seconds,
      logger,
      onRetry: (reason) => heartbeat.report('retrying', reason),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof LoginAbortedError) heartbeat.stop();
    else
      heartbeat.report(
        'failed',
        error instanceof DiscordUnreachableError ? error.reason : describeLoginError(error),
      );
    await releaseResources();
    throw error;
  }
  if (config.discord.register_commands_on_start) await registerOnStart(client, config, logger, restApi);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      logger.info({ inFlight: runtime.inFlight.size }, 'stopping: finishing commands in flight');
      await runtime.inFlight.drain();
      heartbeat.stop();
      // Destroying the client closes the gateway: that is a stop, not a disconnect or reconnect to report.
      client.removeAllListeners(Events.ShardDisconnect);
      client.removeAllListeners(Events.ShardReconnecting);
      await releaseResources();
    })();
    return stopping;
  };
  return { client, context, chartArchiving: archiving, stop };
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
