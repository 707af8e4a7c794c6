// The bot process: `node dist/main.js [--config PATH] [--mock] [--mock-without-token]`.
// Exit codes: 0 after a clean shutdown (commands in flight finished, or abandoned after the grace period
// `api.shutdown_timeout_seconds`), 1 when it cannot start (bad token, storage, another bot already running on
// the database), when another bot took its role over, or when a second stop signal ends it at once, 2 for bad
// configuration.
import {
  ArgumentError,
  assertBotCanStart,
  type CoachwireConfig,
  ConfigError,
  formatConfigError,
  loadConfigOrExit,
  parseProcessArgs,
} from '@coachwire/config';
import { type Coachwire, openCoachwire, StartupError, stopWhenSupervisorGone } from '@coachwire/runtime';
import { startMockBot } from './mock/start-mock-bot.js';
import { type BotHandle, BotRoleLostError, startBot } from './start-bot.js';
import { DiscordUnreachableError, LoginAbortedError, TokenRejectedError } from './util/login.js';

const USAGE = `Usage: node dist/main.js [--config PATH] [--mock] [--mock-without-token]

  --config PATH          YAML configuration file (also COACHWIRE_CONFIG)
  --mock                 Run against the built-in Discord emulator with simulated coaches
  --mock-without-token   Run in mock mode only when no Discord token is configured`;

let flags: ReturnType<typeof readFlags>;
try {
  flags = readFlags(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof ArgumentError)) throw error;
  process.stderr.write(`coachwire bot: ${error.message}\nFix: ${error.fix}\n\n${USAGE}\n`);
  process.exit(2);
}
if (flags.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
// `pnpm start` passes --mock-without-token so a fresh checkout without a token runs against the emulator.
const mockWithoutToken = flags['mock-without-token'] === true;

const configPath = flags.config !== undefined ? { configPath: flags.config } : {};
const asMock = { overrides: { mock: { enabled: true } } };
const loaded = loadConfigOrExit({ argv: [], ...configPath, ...(flags.mock ? asMock : {}) });
const mock = loaded.mock.enabled || (mockWithoutToken && loaded.discord.token.trim() === '');
// Loaded again as mock when only now known to be mock, so its defaults (its own database) apply.
const config: CoachwireConfig =
  mock && !loaded.mock.enabled ? loadConfigOrExit({ argv: [], ...configPath, ...asMock }) : loaded;
try {
  assertBotCanStart(config);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(
    `${formatConfigError(error)}\nFix: set DISCORD_BOT_TOKEN in .env (or discord.token in the --config file), ` +
      'or run without Discord: `pnpm start` with no token starts the mock, as does MOCK_MODE=true.\n',
  );
  process.exit(2);
}

// Signals are caught from the first moment: one that arrives while the bot is still starting (logging in,
// posting the mock backlog) is remembered and honoured as soon as startup is over, so Ctrl-C always ends cleanly.
// Logging in is abandoned at once, though: retrying an unreachable Discord can take minutes.
let requestedSignal: NodeJS.Signals | undefined;
/** A repeat of the stop signal sooner than this after the first is the same request delivered twice. */
const REPEATED_SIGNAL_MS = 1000;
let shutdown: ((signal: NodeJS.Signals) => Promise<void>) | undefined;
const startup = new AbortController();
const onSignal = (signal: NodeJS.Signals) => {
  if (shutdown) void shutdown(signal);
  else {
    requestedSignal ??= signal;
    startup.abort();
  }
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
stopWhenSupervisorGone(() => onSignal('SIGTERM'));
void run(config);

async function run(config: CoachwireConfig): Promise<void> {
  let coachwire: Coachwire;
  try {
    coachwire = await openCoachwire(config, { processName: 'bot' });
  } catch (error) {
    process.stderr.write(`coachwire bot: could not start: ${(error as Error).message}\n`);
    if (error instanceof StartupError) process.stderr.write(`Fix: ${error.fix}\n`);
    process.exit(1);
  }
  const { logger } = coachwire;
  let bot: BotHandle;
  try {
    logger.info({ database: coachwire.store.location }, 'startup checks passed');
    const options = { config, coachwire, signal: startup.signal, onRoleLost: () => void exitAfterRoleLost() };
    bot = mock ? await startMockBot(options) : await startBot(options);
  } catch (error) {
    if (error instanceof LoginAbortedError) {
      logger.info({ signal: requestedSignal }, error.message);
      await coachwire.close().catch(() => {});
      process.exit(0);
    }
    if (error instanceof TokenRejectedError || error instanceof DiscordUnreachableError) {
      logger.fatal({ reason: error.message }, 'cannot log in');
      process.stderr.write(`coachwire bot: ${error.message}\n`);
    } else if (error instanceof StartupError) {
      // Another bot holds the running-bot role: refused before anything contacted Discord.
      logger.fatal({ reason: error.message }, 'the bot could not start');
      process.stderr.write(`coachwire bot: could not start: ${error.message}\nFix: ${error.fix}\n`);
    } else if (error instanceof BotRoleLostError) {
      logger.fatal({ reason: error.message }, 'the bot could not start');
      process.stderr.write(`coachwire bot: could not start: ${error.message}\n`);
    } else {
      logger.fatal({ err: error }, 'the bot could not start');
      const storageFix =
        (error as { code?: unknown }).code === 'STORAGE_UNAVAILABLE'
          ? config.database.url === ''
            ? '\nFix: check that database.path (env DATABASE_PATH) names a SQLite file this user can read and write, on a disk with free space.'
            : '\nFix: check that the PostgreSQL server of database.url (env DATABASE_URL) is running and reachable.'
          : '';
      process.stderr.write(`coachwire bot: could not start: ${(error as Error).message}${storageFix}\n`);
    }
    await coachwire.close().catch(() => {});
    process.exit(1);
  }
  logger.info('bot running');
  const running = bot;
  let stopping: { signal: NodeJS.Signals; at: number } | undefined;
  shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) {
      // The same Ctrl-C delivered twice (the terminal and a wrapper such as pnpm) is one request; any other
      // repeat is an operator who will not wait for the grace period: stop now, leaving the rest undone.
      if (signal === stopping.signal && performance.now() - stopping.at < REPEATED_SIGNAL_MS) return;
      logger.warn({ signal }, 'stop signal again: exiting now, without finishing the commands in flight');
      process.stderr.write(`coachwire bot: stopped at once (${signal} again)\n`);
      process.exit(1);
    }
    stopping = { signal, at: performance.now() };
    logger.info({ signal }, 'shutting down');
    try {
      await running.stop();
      logger.info('stopped cleanly');
      await coachwire.close();
      process.exit(0);
    } catch (error) {
      process.stderr.write(`coachwire bot: shutdown failed: ${(error as Error).message}\n`);
      process.exit(1);
    }
  };
  if (requestedSignal) void shutdown(requestedSignal);

  // The bot already stopped itself (finishing its commands, no stopped row: the role is the other bot's now).
  async function exitAfterRoleLost(): Promise<never> {
    process.stderr.write(
      'coachwire bot: stopped: another bot took over the running-bot role on this database (this one looked gone to it).\n',
    );
    await coachwire.close().catch(() => {});
    process.exit(1);
  }
  // One failing handler must never take the bot down; log and carry on.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
}

function readFlags(argv: readonly string[]) {
  return parseProcessArgs(argv, {
    config: { type: 'string' },
    mock: { type: 'boolean' },
    'mock-without-token': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
}
