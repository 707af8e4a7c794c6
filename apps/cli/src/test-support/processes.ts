import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

/** The repository root (tests run the real scripts and built apps from it). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

const CLI_MAIN = join(REPO_ROOT, 'apps/cli/src/main.ts');
const TSX = createRequire(import.meta.url).resolve('tsx');

/** Node's arguments that run `coachwire <argv>` from source, so a test needs no build of the CLI. */
export function coachwireFromSource(argv: readonly string[]): string[] {
  return ['--conditions=@coachwire/source', '--import', TSX, CLI_MAIN, ...argv];
}

/** Builds the apps, the CLI and the client unless their dist files are there (`pnpm test` builds first). */
export function ensureBuilt(): void {
  const entries = [
    'apps/api/dist/main.js',
    'apps/bot/dist/main.js',
    'apps/cli/dist/main.js',
    'apps/bot/dist/deploy-commands.js',
    'packages/webhook-client/dist/index.js',
  ];
  if (entries.every((entry) => existsSync(join(REPO_ROOT, entry)))) return;
  const build = spawnSync('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('the build failed; see its output above');
}

/** A TCP port nothing listens on at the moment of asking. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

/** A child process whose output lines are collected and can be awaited. */
export interface WatchedProcess {
  readonly child: ChildProcess;
  readonly lines: string[];
  /** Resolves with the first line (past or future) matching `pattern`; rejects if the process exits first. */
  waitForLine(pattern: RegExp): Promise<string>;
  /** Resolves with the exit code and signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function watchProcess(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; detached?: boolean },
): WatchedProcess {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const onLine = (line: string) => {
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.pattern.test(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  };
  for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream! }).on('line', onLine);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    lines,
    exited,
    waitForLine: (pattern) => {
      const seen = lines.find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve });
        void exited.then(({ code, signal }) =>
          reject(new Error(`exited (${code ?? signal}) before printing ${pattern}:\n${lines.join('\n')}`)),
        );
      });
    },
  };
}

/** Polls `url` (short retries; an HTTP endpoint, not a sleep-and-hope) until `accept` says yes. */
export async function pollUntil(
  url: string,
  accept: (status: number, body: unknown) => boolean,
  attempts = 200,
): Promise<unknown> {
  let last = 'no answer';
  for (let attempt = 0; attempt < attempts; attempt++) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      const body = (await response.json().catch(() => null)) as unknown;
      if (accept(response.status, body)) return body;
      last = `${response.status} ${JSON.stringify(body).slice(0, 200)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await delay(150);
  }
  throw new Error(`${url} never became ready; last: ${last}`);
}

/** True while a process with this pid exists. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The environment for an app run in a temp dir: its own database, logs, port and no Discord token. */
export function isolatedEnv(dir: string, port: number, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env))
    if (key.startsWith('COACHWIRE_') || key === 'MOCK_MODE') delete env[key];
  return {
    ...env,
    DATABASE_PATH: join(dir, 'data', 'coach_plans.db'),
    LOG_FILE: join(dir, 'logs', 'coachwire.log'),
    CHARTS_DIR: join(dir, 'data', 'charts'),
    API_HOST: '127.0.0.1',
    API_PORT: String(port),
    DISCORD_BOT_TOKEN: '',
    NODE_ENV: 'production',
    NO_COLOR: '1',
    ...extra,
  };
}
