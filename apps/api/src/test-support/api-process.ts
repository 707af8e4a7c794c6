import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256Hex, TRADER_KEY } from './api-fixture.js';

const REPO_ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
/** The process entry point operators run (dist/main.js, here from source). */
export const API_MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

/** A port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface ApiProcess {
  readonly port: number;
  readonly child: ChildProcess;
  /** Everything it printed so far (for failure messages). */
  output(): string;
}

/**
 * Starts an API process as an operator does (`--config`, `--port`), from source through tsx, with only PATH
 * and `env` in its environment; resolves once it listens. The caller kills it (see `killAll`).
 */
export async function startApiProcess(options: {
  readonly configPath: string;
  readonly entry?: string;
  readonly env?: Record<string, string>;
  readonly running: ChildProcess[];
}): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      '--conditions=@coachwire/source',
      '--import',
      'tsx',
      options.entry ?? API_MAIN,
      '--config',
      options.configPath,
      '--port',
      String(port),
    ],
    {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  options.running.push(child);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const check = (chunk: Buffer) => {
      output += chunk;
      if (output.includes('API listening')) resolve();
    };
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.once('exit', () => reject(new Error(`API exited:\n${output}`)));
  });
  return { port, child, output: () => output };
}

/** Kills every process started into `running` that is still alive. */
export function killAll(running: ChildProcess[]): void {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
}

/** POSTs JSON with the trader's key and an Idempotency-Key; answers the status and the JSON body. */
export async function postJson(port: number, path: string, idempotencyKey: string, body: object) {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${TRADER_KEY}`,
      'idempotency-key': idempotencyKey,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/**
 * Writes the config file the multi-process tests share: the trader key, logs at info on stdout only, no load
 * shedding and rate limits far above any test's load. `database` is its `database:` section (a SQLite path, or the
 * pool size when DATABASE_URL names PostgreSQL). Answers the file's path.
 */
export function writeApiProcessConfig(dir: string, database: string): string {
  const configPath = join(dir, 'config.yaml');
  writeFileSync(
    configPath,
    [
      `database: ${database}`,
      'logging: { level: "info", file: "" }',
      'api:',
      '  host: "127.0.0.1"',
      `  keys: [{ name: "trader", sha256: "${sha256Hex(TRADER_KEY)}" }]`,
      '  max_event_loop_delay_ms: 0',
      'rate_limits:',
      '  api_per_ip: { max: 100000, window_seconds: 60 }',
      '  api_per_key: { max: 100000, window_seconds: 60 }',
      '',
    ].join('\n'),
  );
  return configPath;
}
