import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chartPng } from './png';

// The real API process (apps/api/dist/main.js) on a fresh SQLite file in a temp dir, plus a loopback
// server for chart images. The dashboard is an app and imports no other app: it talks to it over HTTP.

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const API_MAIN = join(repoRoot, 'apps/api/dist/main.js');
const WEB_INDEX = join(repoRoot, 'apps/web/dist/index.html');
export const WRITE_KEY = 'cw_dashboard_test_key_5d1e';

export interface LiveApi {
  readonly baseUrl: string;
  readonly chartBaseUrl: string;
  readonly dir: string;
  /** Calls the API with the write key (and an `Idempotency-Key`, which market writes need). */
  post(path: string, body: unknown, idempotencyKey?: string): Promise<Response>;
  patch(path: string, body: unknown): Promise<Response>;
  get<T>(path: string): Promise<T>;
  /** Stops the API process (the page then finds it unreachable); start() runs it again on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** The API's output so far, for failure messages. */
  output(): string;
  close(): Promise<void>;
}

/** Fails with the command to run when something the browser tests need is not built. */
export function assertBuilt(): void {
  const missing = [API_MAIN, WEB_INDEX].filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new Error(
      `Not built: ${missing.join(', ')}. Fix: run \`pnpm exec turbo run build --filter=@coachwire/api\` first.`,
    );
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Serves /chart-N.png (N = 0..99) as small distinct PNGs. */
async function startChartServer(): Promise<{ server: Server; url: string }> {
  const palette: [number, number, number][] = [
    [37, 99, 235],
    [217, 119, 6],
    [5, 150, 105],
    [219, 39, 119],
  ];
  const cache = new Map<number, Buffer>();
  const server = createServer((request, response) => {
    const match = /^\/chart-(\d{1,2})\.png$/.exec(request.url ?? '');
    if (!match) {
      response.writeHead(404).end();
      return;
    }
    const index = Number(match[1]);
    let png = cache.get(index);
    if (!png) {
      png = chartPng(480, 300, [248, 250, 252], palette[index % palette.length]!);
      cache.set(index, png);
    }
    response.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'no-store' }).end(png);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export interface LiveApiOptions {
  /** `api.require_key_for_reads`: every read, /health included, then needs the key the page does not have. */
  readonly requireKeyForReads?: boolean;
  /** The write key's name: the author name of the plans it posts. */
  readonly keyName?: string;
}

/** Starts the API on a new database; resolves once /health answers. */
export async function startLiveApi(options: LiveApiOptions = {}): Promise<LiveApi> {
  assertBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'coachwire-web-'));
  const port = await freePort();
  const charts = await startChartServer();
  const configPath = join(dir, 'config.yaml');
  const sha256 = createHash('sha256').update(WRITE_KEY).digest('hex');
  writeFileSync(
    configPath,
    [
      `database: { path: ${JSON.stringify(join(dir, 'plans.db'))} }`,
      `charts: { dir: ${JSON.stringify(join(dir, 'charts'))} }`,
      `api: { host: 127.0.0.1, port: ${port}, max_event_loop_delay_ms: 0, keys: [{ name: ${JSON.stringify(options.keyName ?? 'dashboard-test')}, sha256: "${sha256}" }], require_key_for_reads: ${options.requireKeyForReads === true} }`,
      'rate_limits: { api_per_ip: { max: 100000, window_seconds: 60 } }',
      'logging: { level: info, file: "" }',
      'timezone: America/New_York',
      '',
    ].join('\n'),
  );
  let output = '';
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  const launch = async () => {
    const started = spawn(process.execPath, [API_MAIN, '--config', configPath], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: dir, NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    exited = new Promise<void>((resolve) => started.once('exit', () => resolve()));
    const collect = (data: Buffer) => {
      output += data;
    };
    started.stdout?.on('data', collect);
    started.stderr?.on('data', collect);
    await waitForListening(started, () => output);
  };
  const stop = async () => {
    const running = child;
    if (running && running.exitCode === null && running.signalCode === null) {
      running.kill('SIGTERM');
      await exited;
    }
  };
  await launch();
  const baseUrl = `http://127.0.0.1:${port}`;

  const send = (method: string) => (path: string, body: unknown, idempotencyKey?: string) =>
    fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${WRITE_KEY}`,
        'content-type': 'application/json',
        ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
      },
      body: JSON.stringify(body),
    });
  return {
    baseUrl,
    chartBaseUrl: charts.url,
    dir,
    post: send('POST'),
    patch: send('PATCH'),
    async get<T>(path: string) {
      const response = await fetch(`${baseUrl}${path}`);
      if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
    output: () => output,
    stop,
    async start() {
      output = '';
      await launch();
    },
    async close() {
      await stop();
      await new Promise((resolve) => charts.server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves when the API logs that it listens; fails with its output if it exits or stays silent. */
function waitForListening(child: ChildProcess, output: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`The API did not start within 30 s:\n${output()}`)),
      30_000,
    );
    const onData = () => {
      if (output().includes('"msg":"API listening"')) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The API exited (${code}) during start-up:\n${output()}`));
    });
  });
}
