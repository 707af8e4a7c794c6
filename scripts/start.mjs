// `pnpm start [--config PATH]`: builds what is needed (turbo, cached), checks the configuration once, then
// runs the API and the bot as two processes on the same SQLite file with prefixed output. Without
// DISCORD_BOT_TOKEN the bot runs in mock mode against the built-in Discord emulator. Ctrl-C stops both
// (exit 0); if either dies, the other is stopped and start exits with the status of the one that died.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
const paint = (code, text) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
const say = (text) => process.stdout.write(`${paint('1', '[start]')} ${text}\n`);

if (argv.includes('--help') || argv.includes('-h')) {
  process.stdout.write(`Usage: pnpm start [--config PATH]

Builds the packages (cached), then runs the API and the Discord bot as two processes sharing one SQLite file.
Without DISCORD_BOT_TOKEN (environment or ./.env) the bot runs in mock mode against the built-in emulator.
Ctrl-C stops both. Settings: .env (see .env.example) or --config config.yaml (see config.example.yaml).
`);
  process.exit(0);
}
const configArgs = configArguments(argv);

if (!existsSync(join(root, 'node_modules'))) {
  process.stderr.write('Dependencies are not installed. Fix: run `pnpm install` in the repository first.\n');
  process.exit(1);
}

// 1. Build what the two apps need (turbo skips anything unchanged).
const build = spawnSync(
  'pnpm',
  [
    'exec',
    'turbo',
    'run',
    'build',
    '--output-logs=errors-only',
    '--filter=@coachwire/api',
    '--filter=@coachwire/bot',
  ],
  { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
);
if (build.status !== 0) {
  process.stderr.write(
    'The build failed (errors above). Fix them, or run `pnpm build` to see every package.\n',
  );
  process.exit(build.status ?? 1);
}

// 2. The configuration, checked once here so a mistake is reported once, not by both processes.
const { loadConfig, formatConfigError, ConfigError } = await import(
  pathToFileURL(join(root, 'packages/config/dist/index.js')).href
);
let config;
try {
  config = loadConfig({ argv: configArgs });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(
    `${formatConfigError(error)}\nFix: correct the keys above in .env or the --config file.\n`,
  );
  process.exit(2);
}
const mock = config.mock.enabled || config.discord.token.trim() === '';

// 3. The two processes. Each gets its own process group so a terminal's Ctrl-C reaches them once, from here.
const children = new Map();
let stopping = false;
let exitStatus;
let requestedSignal;

for (const [name, args, tint] of [
  ['api', ['apps/api/dist/main.js', ...configArgs], '36'],
  ['bot', ['apps/bot/dist/main.js', ...configArgs, ...(mock ? ['--mock'] : [])], '35'],
]) {
  const child = spawn(
    process.execPath,
    args.map((arg, index) => (index === 0 ? join(root, arg) : arg)),
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  const prefix = paint(tint, `[${name}]`);
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => {
      process.stdout.write(`${prefix} ${formatLine(line)}\n`);
    });
  }
  child.on('exit', (code, signal) => onChildExit(name, code, signal));
  children.set(name, child);
}
say(`api pid ${children.get('api').pid}, bot pid ${children.get('bot').pid}${mock ? ' (mock mode)' : ''}`);

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stopAll(signal, 0));
// If this process is killed outright, do not leave the apps running in their own groups.
process.on('exit', () => {
  for (const child of children.values())
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
});

void announceWhenReady();

function onChildExit(name, code, signal) {
  children.delete(name);
  // A process ended by the very signal we forwarded has stopped as asked (e.g. Ctrl-C before its handlers were set).
  const asked = stopping && signal !== null && signal === requestedSignal;
  const status = asked ? 0 : (code ?? 128 + (constants.signals[signal] ?? 1));
  if (!stopping) {
    say(
      `${name} stopped unexpectedly (${signal ? `signal ${signal}` : `exit ${code}`}); stopping the other process`,
    );
    stopAll('SIGTERM', status);
  } else if (status !== 0 && exitStatus === 0) {
    exitStatus = status;
  }
  if (children.size === 0) {
    say(exitStatus === 0 ? 'stopped' : `stopped with status ${exitStatus}`);
    process.exit(exitStatus);
  }
}

function stopAll(signal, status) {
  if (stopping) return;
  stopping = true;
  exitStatus = status;
  requestedSignal = signal === 'SIGHUP' ? 'SIGTERM' : signal;
  if (status === 0) say(`${signal}: stopping the API and the bot`);
  for (const child of children.values()) child.kill(requestedSignal);
}

async function announceWhenReady() {
  const host = ['0.0.0.0', '::', ''].includes(config.api.host) ? '127.0.0.1' : config.api.host;
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${config.api.port}`;
  // Poll /health until the API answers (or stops); the URLs are only worth printing once they work.
  while (!stopping) {
    try {
      const response = await fetch(`${base}/health`, { signal: AbortSignal.timeout(2000) });
      if (response.status < 500) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250).unref());
  }
  if (stopping) return;
  const lines = [
    `Coachwire is running${mock ? ' in MOCK MODE (built-in Discord emulator; simulated coaches post plans)' : ''}.`,
    `  Dashboard: ${base}/app/`,
    `  Plans:   ${base}/api/coach-plans/all`,
    `  API docs: ${base}/docs`,
    `  Health:  ${base}/health`,
    mock
      ? '  For a real Discord bot, set DISCORD_BOT_TOKEN in .env (see .env.example) and run `pnpm start` again.'
      : '  The bot is logging in to Discord with DISCORD_BOT_TOKEN.',
    '  Stop with Ctrl-C.',
  ];
  for (const line of lines) say(line);
}

/** `--config PATH` / `--config=PATH`, passed on unchanged to both apps. */
function configArguments(args) {
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === '--config') {
      if (args[index + 1] === undefined) {
        process.stderr.write('--config needs a path, e.g. pnpm start --config config.yaml\n');
        process.exit(2);
      }
      return ['--config', args[index + 1]];
    }
    if (arg.startsWith('--config=')) return [arg];
    process.stderr.write(`Unknown argument '${arg}'. Usage: pnpm start [--config PATH]\n`);
    process.exit(2);
  }
  return [];
}

const LEVELS = {
  10: ['TRACE', '90'],
  20: ['DEBUG', '90'],
  30: ['INFO ', '32'],
  40: ['WARN ', '33'],
  50: ['ERROR', '31'],
  60: ['FATAL', '31'],
};
const QUIET_KEYS = new Set(['level', 'time', 'pid', 'hostname', 'name', 'msg', 'mock']);

/** A pino JSON line as `12:00:01 INFO  message key=value`; anything else unchanged. */
function formatLine(line) {
  if (!line.startsWith('{')) return line;
  let entry;
  try {
    entry = JSON.parse(line);
  } catch {
    return line;
  }
  if (typeof entry !== 'object' || entry === null || !('msg' in entry)) return line;
  const [label, tint] = LEVELS[entry.level] ?? ['LOG  ', '0'];
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 19) : '';
  const details = Object.entries(entry)
    .filter(([key]) => !QUIET_KEYS.has(key))
    .map(([key, value]) => {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      return `${key}=${text.length > 160 ? `${text.slice(0, 157)}...` : text}`;
    })
    .join(' ');
  return `${time} ${paint(tint, label)} ${entry.msg}${details ? ` ${paint('2', details)}` : ''}`;
}
