// `pnpm start [--config PATH]`: builds every app (turbo, cached), checks the configuration, the API's port and
// the database directory once, then runs the API and the bot as two processes on the same SQLite file with
// prefixed output. Without DISCORD_BOT_TOKEN the bot runs in mock mode against the built-in Discord emulator.
// Ctrl-C stops both (exit 0); a process that ignores it is killed after a grace period. If the bot stops, the
// API keeps serving the stored plans; if the API stops, the bot is stopped and start exits with its status.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatLine } from './start/log-lines.mjs';
import { checkDatabaseDirectory, checkMockTarget, checkPort } from './start/preflight.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
const paint = (code, text) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
const say = (text) => process.stdout.write(`${paint('1', '[start]')} ${text}\n`);
const fail = (text, status) => {
  process.stderr.write(`${text}\n`);
  process.exit(status);
};

if (argv.includes('--help') || argv.includes('-h')) {
  process.stdout.write(`Usage: pnpm start [--config PATH]

Builds the apps (cached), then runs the API and the Discord bot as two processes sharing one SQLite file.
Without DISCORD_BOT_TOKEN (environment or ./.env) the bot runs in mock mode against the built-in emulator.
Ctrl-C stops both. Settings: .env (see .env.example) or --config config.yaml (see config.example.yaml).
`);
  process.exit(0);
}
const configArgs = configArguments(argv);

if (!existsSync(join(root, 'node_modules')))
  fail('Dependencies are not installed. Fix: run `pnpm install` in the repository first.', 1);

// Until the apps run, a stop request (Ctrl-C while the first build runs, say) ends start-up here: nothing is
// running yet, so it is no failure (status 0, as once they run). Without a handler node would die of the
// signal, and pnpm report `ELIFECYCLE Command failed` with status 130.
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** The build, while it runs: a stop request is passed on to it, and start-up ends when it has stopped. */
let buildChild;
let stopBeforeStart;
const onSignalBeforeStart = (signal) => {
  if (stopBeforeStart) return;
  stopBeforeStart = signal;
  if (buildChild) buildChild.kill(signal === 'SIGHUP' ? 'SIGTERM' : signal);
  else stoppedBeforeStart();
};
for (const signal of SIGNALS) process.on(signal, onSignalBeforeStart);
function stoppedBeforeStart() {
  say(`${stopBeforeStart}: stopped before the apps started; nothing is running.`);
  process.exit(0);
}

// Run as `pnpm start`, this process is pnpm's child. pnpm passes on Ctrl-C and SIGTERM, but killed outright
// (`kill -9` of its pid, the `$!` of `pnpm start &`; the OOM killer) it passes on nothing, and this process
// would run on with both apps, holding the port, with no pid left that a person knows to stop. No event says
// that a parent is gone, so check now and then whether this process has been handed to another (init or a
// subreaper), and stop as on SIGTERM when it has. Only under a package manager's script: started by hand
// (`node scripts/start.mjs &`), outliving the shell is the person's own choice.
const launcher = process.ppid;
if (process.env.npm_lifecycle_event === 'start' && launcher > 1) {
  const watch = setInterval(() => {
    if (process.ppid === launcher) return;
    clearInterval(watch);
    say(`pnpm start (pid ${launcher}) is gone; stopping as on SIGTERM.`);
    process.kill(process.pid, 'SIGTERM');
  }, 500);
  watch.unref();
}

// 1. Build every app, the operator CLI included, so the README's `coachwire` alias works (turbo skips anything unchanged).
// Said first: a first build runs for a while before anything else is printed.
say('building the apps (the first time takes a minute; later only what changed)');
const build = await new Promise((resolve) => {
  buildChild = spawn(
    'pnpm',
    [
      'exec',
      'turbo',
      'run',
      'build',
      '--output-logs=errors-only',
      '--filter=./apps/*',
      // What examples/ imports (the client), so `node examples/<name>.mjs` works while this runs.
      '--filter=@coachwire/examples...',
    ],
    { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  buildChild.on('error', () => resolve({ status: null }));
  buildChild.on('exit', (status) => resolve({ status }));
});
buildChild = undefined;
if (stopBeforeStart) stoppedBeforeStart();
if (build.status !== 0)
  fail(
    'The build failed (errors above). Fix them, or run `pnpm build` to see every package.',
    build.status ?? 1,
  );

// 2. The configuration, checked once here so a mistake is reported once, not by both processes.
const {
  loadConfig,
  formatConfigError,
  ConfigError,
  configErrorFix,
  usesMockDatabase,
  redactConfig,
  localApiUrl,
} = await import(pathToFileURL(join(root, 'packages/config/dist/index.js')).href);
const loadStartConfig = (overrides) => {
  try {
    return loadConfig({ argv: configArgs, overrides });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    fail(`${formatConfigError(error)}\nFix: ${configErrorFix(error)}`, 2);
  }
};
let config = loadStartConfig();
const mock = config.mock.enabled || config.discord.token.trim() === '';
// Mock mode asked for (MOCK_MODE=true, mock.enabled), rather than chosen because no token is set.
const mockAskedFor = config.mock.enabled;
// The apps get MOCK_MODE=true below; read the configuration as they will (mock mode's own data paths).
if (mock && !config.mock.enabled) config = loadStartConfig({ mock: { enabled: true } });
const base = localApiUrl(config.api.host, config.api.port);
// Where both apps keep their data, as the banner shows it (a PostgreSQL URL without its password).
const database =
  config.database.url.trim() !== ''
    ? redactConfig(config).database.url
    : relative(process.cwd(), config.database.path) || config.database.path;
// Mock mode keeps to ./data/mock/ unless a database was set (DATABASE_URL, DATABASE_PATH, the config file).
const mockUsesOwnDatabase = usesMockDatabase(config);

// 3. Before starting anything: our own port must be free (else another instance would answer for us, and our
// bot would write into its database) and the database directory writable.
const problem =
  (await checkPort(config, ['pnpm start', ...configArgs].join(' '), base)) ??
  (await checkDatabaseDirectory(root, config)) ??
  (mock && !mockAskedFor && !mockUsesOwnDatabase ? await checkMockTarget(root, config, database) : undefined);
if (problem) fail(problem, 1);

// 4. The two processes. Each gets its own process group so a terminal's Ctrl-C reaches them once, from here.
const children = new Map();
let stopping = false;
let stoppedBySignalAt;
let exitStatus = 0;
let requestedSignal;
/** Set once our API has answered /health: only then may the bot's stop be reported as "the API keeps serving". */
let apiReady = false;
/** The bot stopped before the API answered: said once it does (or never, if the API fails too). */
let botStoppedBeforeApiReady = false;

for (const [name, args, tint] of [
  ['api', ['apps/api/dist/main.js', ...configArgs], '36'],
  ['bot', ['apps/bot/dist/main.js', ...configArgs, ...(mock ? ['--mock'] : [])], '35'],
]) {
  const child = spawn(
    process.execPath,
    args.map((arg, index) => (index === 0 ? join(root, arg) : arg)),
    {
      // The IPC channel tells each app when this process is gone, even killed outright (see stopWhenSupervisorGone).
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      detached: true,
      // Both apps must know it is mock mode: it keeps its own database (./data/mock/) unless one is set.
      env: mock ? { ...process.env, MOCK_MODE: 'true' } : process.env,
    },
  );
  const prefix = paint(tint, `[${name}]`);
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => {
      process.stdout.write(`${prefix} ${formatLine(line, paint)}\n`);
    });
  }
  child.on('exit', (code, signal) => onChildExit(name, code, signal));
  children.set(name, child);
}
say(`api pid ${children.get('api').pid}, bot pid ${children.get('bot').pid}${mock ? ' (mock mode)' : ''}`);

for (const signal of SIGNALS) {
  process.off(signal, onSignalBeforeStart);
  process.on(signal, () => onSignal(signal));
}
// If this process is killed outright, do not leave the apps running in their own groups.
process.on('exit', () => {
  for (const child of children.values()) signalGroup(child, 'SIGKILL');
});

void announceWhenReady();

function onChildExit(name, code, signal) {
  children.delete(name);
  // A process ended by the very signal we forwarded has stopped as asked (e.g. Ctrl-C before its handlers were set).
  const asked = stopping && signal !== null && signal === requestedSignal;
  const status = asked ? 0 : (code ?? 128 + (constants.signals[signal] ?? 1));
  const how = signal ? `signal ${signal}` : `exit ${code}`;
  if (!stopping && name === 'bot' && children.has('api')) {
    // The API serves what is already stored; TradingAgents can keep reading while the bot's problem is fixed.
    exitStatus = status === 0 ? 1 : status;
    say(`The bot stopped (${how}); see its last lines above for why and how to fix it.`);
    // Said only of an API that has answered: one that is still starting may yet fail (e.g. the same bad
    // setting that stopped the bot), and then its own stop is reported instead.
    if (apiReady) sayApiKeepsServing();
    else botStoppedBeforeApiReady = true;
  } else if (!stopping) {
    say(`${name} stopped unexpectedly (${how}); stopping the other process`);
    stopAll('SIGTERM', status);
  } else if (status !== 0 && exitStatus === 0) {
    exitStatus = status;
  }
  if (children.size === 0) {
    say(exitStatus === 0 ? 'stopped' : `stopped with status ${exitStatus}`);
    process.exit(exitStatus);
  }
}

function onSignal(signal) {
  // pnpm forwards the terminal's Ctrl-C, so the same keypress can arrive twice within milliseconds.
  if (stopping && stoppedBySignalAt !== undefined && Date.now() - stoppedBySignalAt > 1000) {
    say(`${signal} again: killing ${[...children.keys()].join(' and ')} now`);
    killRemaining(1);
    return;
  }
  if (stopping) return;
  stoppedBySignalAt = Date.now();
  stopAll(signal, exitStatus);
}

function stopAll(signal, status) {
  if (stopping) return;
  stopping = true;
  exitStatus = status;
  requestedSignal = signal === 'SIGHUP' ? 'SIGTERM' : signal;
  if (signal !== 'SIGTERM' || stoppedBySignalAt !== undefined)
    say(`${signal}: stopping ${[...children.keys()].join(' and ') || 'nothing'}`);
  for (const child of children.values()) signalGroup(child, requestedSignal);
  // The API finishes open requests within its shutdown timeout; anything still running after that (and a
  // few seconds more) is stuck, and nothing may be left behind.
  const graceMs = (config.api.shutdown_timeout_seconds + 5) * 1000;
  setTimeout(() => {
    say(`${[...children.keys()].join(' and ')} did not stop within ${graceMs / 1000} s; killing`);
    killRemaining(1);
  }, graceMs).unref();
}

function killRemaining(status) {
  for (const child of children.values()) signalGroup(child, 'SIGKILL');
  if (exitStatus === 0) exitStatus = status;
}

/** Signals the child's whole process group (it was started detached, as its own group). */
function signalGroup(child, signal) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

async function announceWhenReady() {
  // Poll /health until our own API answers; the port was free before it started, so the answer is ours.
  while (!stopping && children.has('api')) {
    try {
      const response = await fetch(`${base}/health`, { signal: AbortSignal.timeout(2000) });
      if (response.status < 500) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250).unref());
  }
  if (stopping || !children.has('api')) return;
  apiReady = true;
  if (botStoppedBeforeApiReady) {
    sayApiKeepsServing();
    return;
  }
  const lines = [
    `Coachwire is running${mock ? ' in MOCK MODE (built-in Discord emulator; simulated coaches post plans)' : ''}.`,
    `  Dashboard: ${base}/app/`,
    `  Plans:     ${base}/api/coach-plans/all`,
    `  API docs:  ${base}/docs`,
    `  Health:    ${base}/health`,
    `  Database:  ${database}`,
    ...(mock && !mockUsesOwnDatabase
      ? [
          '  Mock mode writes its simulated plans and markets into this database because it is the one configured;',
          '  to keep them apart, unset DATABASE_URL / DATABASE_PATH (or database: in the config file) while trying it.',
        ]
      : []),
    mock
      ? '  For a real Discord bot, set DISCORD_BOT_TOKEN in .env (see .env.example) and run `pnpm start` again.'
      : '  The bot is logging in to Discord with DISCORD_BOT_TOKEN; /health shows its progress.',
    '  Stop with Ctrl-C.',
  ];
  for (const line of lines) say(line);
}

function sayApiKeepsServing() {
  say(`The API keeps serving the stored plans at ${base}/api/coach-plans/all (bot status: ${base}/health).`);
  say('Fix the bot, then press Ctrl-C and run `pnpm start` again.');
}

/** `--config PATH` / `--config=PATH`, passed on unchanged to both apps; a `--` separator is skipped. */
function configArguments(args) {
  let config = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === '--') continue;
    if (arg === '--config') {
      if (args[index + 1] === undefined)
        fail('--config needs a path.\nFix: name the file, e.g. pnpm start --config config.yaml', 2);
      config = ['--config', args[++index]];
    } else if (arg.startsWith('--config=')) config = [arg];
    else
      fail(
        `Unknown argument '${arg}'. Usage: pnpm start [--config PATH]\n` +
          'Fix: leave it out; settings go in .env or a --config file (see .env.example, config.example.yaml).',
        2,
      );
  }
  return config;
}
