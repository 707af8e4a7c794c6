import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPostgres, PG_LOCK_KEYS, type PgHandle } from '@coachwire/storage';
import { createTestPgDatabase, type TestPgDatabase } from '@coachwire/storage/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { EventStreamClient } from './test-support/event-stream-client.js';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

interface Running {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  output(): string;
}

/** Starts `tsx src/main.ts` the way an operator starts the API, with the old environment variables. */
function startApi(args: string[], env: Record<string, string>): Running {
  const child = spawn(
    process.execPath,
    ['--conditions=@coachwire/source', '--import', 'tsx', MAIN, ...args],
    {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

function untilOutput(running: Running, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (running.output().includes(text)) resolve();
    };
    running.child.stdout?.on('data', check);
    running.child.stderr?.on('data', check);
    running.exited.then(() => reject(new Error(`exited before printing '${text}':\n${running.output()}`)));
    check();
  });
}

describe('the API process', () => {
  let dir: string;
  const started: Running[] = [];
  let database: TestPgDatabase | undefined;
  let holder: PgHandle | undefined;
  let lockHolder: { release(): void } | undefined;
  afterEach(async () => {
    for (const running of started.splice(0))
      if (running.child.exitCode === null) running.child.kill('SIGKILL');
    lockHolder?.release();
    lockHolder = undefined;
    await holder?.close();
    holder = undefined;
    await database?.drop();
    database = undefined;
    rmSync(dir, { recursive: true, force: true });
  });
  const start = (args: string[], env: Record<string, string>) => {
    const running = startApi(args, env);
    started.push(running);
    return running;
  };
  /** The API on a new SQLite file in a new directory, on a free port, logging to stdout only. */
  const startOnNewDatabase = async () => {
    dir = mkdtempSync(join(tmpdir(), 'coachwire-api-proc-'));
    const port = await freePort();
    const running = start(['--port', String(port), '--host', '127.0.0.1'], {
      DATABASE_PATH: join(dir, 'plans.db'),
      LOG_FILE: '',
    });
    return { port, running };
  };

  it('shuts down on SIGTERM: ends event streams, closes the database and exits 0', async () => {
    dir = mkdtempSync(join(tmpdir(), 'coachwire-api-proc-'));
    const port = await freePort();
    const running = start(['--port', String(port), '--host', '127.0.0.1'], {
      DATABASE_PATH: join(dir, 'data', 'plans.db'),
      LOG_FILE: join(dir, 'logs', 'api.log'),
    });
    await untilOutput(running, 'API listening');
    const stream = await EventStreamClient.open(port, '/api/v1/events');
    expect(stream.response.statusCode).toBe(200);
    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
    await stream.whenEnded();
    expect(running.output()).toContain('stopped');
  }, 60_000);

  it('finishes an open request and exits 0 when the stop signal comes twice (a forwarded Ctrl-C)', async () => {
    const { port, running } = await startOnNewDatabase();
    await untilOutput(running, 'API listening');
    // A request in flight: its body is still being sent when the signals come.
    const body = '{"user_id":"u1","option":"yes","amount":1}';
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk;
    });
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => {});
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(
      `POST /api/v1/markets/1/bets HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
    );
    running.child.kill('SIGINT');
    await untilOutput(running, 'shutting down');
    running.child.kill('SIGINT');
    socket.end(body.slice(5));
    expect(await running.exited).toBe(0);
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 \d{3} /);
    expect(running.output()).toContain('stopped');
  }, 60_000);

  it('honours a stop signal that comes while it is still starting: exits 0', async () => {
    const { running } = await startOnNewDatabase();
    // Logged while the database is opened, before the API listens.
    await untilOutput(running, 'database opened');
    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
    expect(running.output()).toContain('stopped');
  }, 60_000);

  it('stops at once on a second stop signal while its start waits on another instance (the migration lock)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'coachwire-api-proc-'));
    database = await createTestPgDatabase();
    // Another instance migrating: it holds the migration lock, so this start waits for it (up to 120 s).
    holder = await openPostgres({ url: database.url, poolSize: 2 });
    const session = await holder.pool.connect();
    lockHolder = session;
    await session.query('SELECT pg_advisory_lock($1)', [PG_LOCK_KEYS.migrate]);
    const running = start(['--port', String(await freePort()), '--host', '127.0.0.1'], {
      DATABASE_URL: database.url,
      LOG_FILE: '',
    });
    // Until the API's own session waits for that lock (PostgreSQL tells no one; its lock table shows it).
    for (;;) {
      const { rows } = await holder.pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
      );
      if (rows[0]!.n > 0) break;
      expect(running.child.exitCode, running.output()).toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    running.child.kill('SIGINT');
    // Signals of one kind sent together arrive as one: the second goes once the first was taken.
    await untilOutput(running, 'while starting: stopping once started; again to stop now');
    running.child.kill('SIGINT');
    expect(await running.exited).toBe(0);
    expect(running.output()).toContain('Stopped while starting (SIGINT).');
  }, 60_000);

  it('exits 2 naming the key when the configuration is invalid', async () => {
    dir = mkdtempSync(join(tmpdir(), 'coachwire-api-proc-'));
    const running = start([], { API_PORT: 'eighty', DATABASE_PATH: join(dir, 'plans.db'), LOG_FILE: '' });
    expect(await running.exited).toBe(2);
    expect(running.output()).toContain('api.port');
    expect(running.output()).toMatch(/^Fix: correct the keys listed above in \.env/m);
  }, 60_000);

  it('exits 1 with the fix when the database cannot be opened', async () => {
    dir = mkdtempSync(join(tmpdir(), 'coachwire-api-proc-'));
    const notAFile = join(dir, 'plans.db');
    mkdirSync(notAFile);
    const running = start([], { DATABASE_PATH: notAFile, LOG_FILE: '', LOG_LEVEL: 'silent' });
    expect(await running.exited).toBe(1);
    expect(running.output()).toContain('Cannot start the API');
    expect(running.output()).toContain('Fix: ');
  }, 60_000);

  it('exits 2 with usage on an unknown flag', async () => {
    dir = mkdtempSync(join(tmpdir(), 'coachwire-api-proc-'));
    const running = start(['--prot', '80'], {});
    expect(await running.exited).toBe(2);
    expect(running.output()).toContain("Unknown argument '--prot'");
  }, 60_000);
});
