import { chmodSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CliSandbox, cliSandbox } from '../test-support/cli-run.js';
import { coachwireFromSource, isRunning, watchProcess } from '../test-support/processes.js';

describe('coachwire db backup on PostgreSQL, stopped mid-way', { timeout: 60_000 }, () => {
  let sandbox: CliSandbox;
  let server: Server | undefined;
  beforeEach(() => {
    sandbox = cliSandbox();
  });
  afterEach(async () => {
    if (server) await new Promise((resolve) => server!.close(resolve));
    server = undefined;
  });

  it('stops its pg_dump on SIGTERM and leaves no process and no partial file behind', async () => {
    // A stand-in pg_dump that starts its archive, tells the test its pid, and then works on indefinitely.
    let reported!: (pid: number) => void;
    const pgDumpPid = new Promise<number>((resolve) => {
      reported = resolve;
    });
    server = createServer((socket) =>
      socket.setEncoding('utf8').once('data', (pid) => reported(Number(pid))),
    );
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const bin = join(sandbox.dir, 'slow-bin');
    mkdirSync(bin);
    writeFileSync(
      join(bin, 'pg_dump'),
      `#!${process.execPath}\n` +
        `const file = process.argv.find((arg) => arg.startsWith('--file=')).slice('--file='.length);\n` +
        `require('node:fs').writeFileSync(file, 'PGDMP half');\n` +
        `require('node:net').connect(${port}, '127.0.0.1').end(String(process.pid));\n` +
        'setInterval(() => {}, 1000);\n',
    );
    chmodSync(join(bin, 'pg_dump'), 0o755);

    const cli = watchProcess(process.execPath, coachwireFromSource(['db', 'backup', 'backups/copy.dump']), {
      cwd: sandbox.dir,
      env: {
        PATH: process.env.PATH ?? '',
        TZ: 'UTC',
        LOG_FILE: '',
        PG_BIN_DIR: bin,
        // Never contacted: the stand-in pg_dump does not connect.
        DATABASE_URL: 'postgres://coachwire:secret@127.0.0.1:1/coachwire',
      },
    });
    const pid = await pgDumpPid;
    cli.child.kill('SIGTERM');
    const { code } = await cli.exited;
    expect(code).toBe(143);
    expect(cli.lines.join('\n')).toMatch(/^Fix: run the backup again\.$/m);
    expect(isRunning(pid)).toBe(false);
    expect(readdirSync(join(sandbox.dir, 'backups'))).toEqual([]);
  });
});
