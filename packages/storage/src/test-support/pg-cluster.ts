import { type ChildProcess, execFileSync, type SpawnSyncOptions, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPostgresBin as findInstalledPostgres } from '../../../../scripts/ensure-postgres.mjs';

/** A throwaway PostgreSQL cluster on a loopback port; `stop()` shuts it down and deletes its files. */
export interface PgCluster {
  /** A superuser URL (with its password) to the `postgres` database. */
  readonly adminUrl: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface PgClusterOptions {
  /**
   * Tests turn durability off (fsync, synchronous_commit) because the cluster is thrown away; benchmarks keep
   * PostgreSQL's defaults so they compare with SQLite's durable commits.
   */
  readonly durable?: boolean;
}

const INSTALL_FIX =
  "Fix: run 'node scripts/ensure-postgres.mjs' (as root it installs Debian's postgresql), or 'sudo apt-get install -y postgresql'.";
/** Where initdb and pg_ctl are: PG_BIN_DIR when set, else the newest of Debian's versions. */
export function findPostgresBin(env: NodeJS.ProcessEnv = process.env): string | null {
  // One search, shared with the script `pnpm test` runs first to install the server when it is missing.
  return findInstalledPostgres(env);
}

/**
 * PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user Debian's package
 * creates; any other user runs it as itself.
 */
function serverUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error(`Running as root, but there is no 'postgres' user to run PostgreSQL as. ${INSTALL_FIX}`);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function run(bin: string, args: string[], options: SpawnSyncOptions): void {
  const result = spawnSync(bin, args, { ...options, encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
    throw new Error(
      `${bin} ${args[0] ?? ''} failed (${result.error?.message ?? `exit ${result.status}`}):\n${output}`,
    );
  }
}

/** Stops the server of `data` at once; if pg_ctl cannot, kills the postmaster it recorded. */
function stopServer(bin: string, data: string, options: SpawnSyncOptions): void {
  const result = spawnSync(join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate', '-w', '-t', '30'], {
    ...options,
    stdio: 'ignore',
  });
  const pidFile = join(data, 'postmaster.pid');
  if (result.status === 0 || !existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/**
 * pg_ctl detaches the server, so it outlives the process that started it, and a test run ended by Ctrl-C, a
 * timeout or a kill never reaches its teardown. This watchdog, a detached process of its own, waits for the
 * starting process to be gone, then stops the server and deletes its files. `stop()` ends it first.
 * Arguments: the starting process's pid, pg_ctl, the data and base directories, and the server's uid and gid.
 */
const WATCHDOG = `
const [parent, pgCtl, data, base, uid, gid] = process.argv.slice(1);
const alive = () => {
  try { process.kill(Number(parent), 0); return true; } catch (error) { return error.code === 'EPERM'; }
};
const timer = setInterval(() => {
  if (alive()) return;
  clearInterval(timer);
  const owner = uid ? { uid: Number(uid), gid: Number(gid) } : {};
  require('node:child_process').spawnSync(pgCtl, ['stop', '-D', data, '-m', 'immediate', '-w', '-t', '30'],
    { stdio: 'ignore', cwd: base, ...owner });
  require('node:fs').rmSync(base, { recursive: true, force: true });
}, 200);
`;

function startWatchdog(
  bin: string,
  data: string,
  base: string,
  owner: { uid: number; gid: number } | null,
): ChildProcess {
  const ids = owner ? [String(owner.uid), String(owner.gid)] : [];
  const args = ['-e', WATCHDOG, String(process.pid), join(bin, 'pg_ctl'), data, base, ...ids];
  const watchdog = spawn(process.execPath, args, { detached: true, stdio: 'ignore' });
  watchdog.unref();
  return watchdog;
}

/** Starts a fresh cluster (initdb into a temp dir, pg_ctl on a free 127.0.0.1 port, password auth). */
export async function startPgCluster(options: PgClusterOptions = {}): Promise<PgCluster> {
  const bin = findPostgresBin();
  if (!bin) throw new Error(`PostgreSQL's server (initdb, pg_ctl) is not installed. ${INSTALL_FIX}`);
  const owner = serverUser();
  const base = mkdtempSync(join(tmpdir(), 'coachwire-pg-'));
  if (owner) chownSync(base, owner.uid, owner.gid);
  const spawnOptions: SpawnSyncOptions = {
    cwd: base,
    ...(owner ?? {}),
    env: { ...process.env, LC_ALL: 'C.UTF-8' },
  };
  const password = randomBytes(12).toString('hex');
  const passwordFile = join(base, 'pw');
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (owner) chownSync(passwordFile, owner.uid, owner.gid);
  const data = join(base, 'data');
  try {
    run(
      join(bin, 'initdb'),
      [
        '-D',
        data,
        '-U',
        'postgres',
        '--auth=scram-sha-256',
        `--pwfile=${passwordFile}`,
        '-E',
        'UTF8',
        '--no-instructions',
      ],
      spawnOptions,
    );
    const settings = [
      '-c listen_addresses=127.0.0.1',
      `-c unix_socket_directories=${base}`,
      '-c max_connections=300',
      ...(options.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
    ];
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      try {
        run(
          join(bin, 'pg_ctl'),
          [
            'start',
            '-D',
            data,
            '-l',
            join(base, 'server.log'),
            '-w',
            '-t',
            '60',
            '-o',
            `-p ${port} ${settings.join(' ')}`,
          ],
          spawnOptions,
        );
        const adminUrl = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
        const watchdog = startWatchdog(bin, data, base, owner);
        let stopped: Promise<void> | undefined;
        return {
          adminUrl,
          port,
          stop() {
            stopped ??= (async () => {
              watchdog.kill();
              stopServer(bin, data, spawnOptions);
              rmSync(base, { recursive: true, force: true });
            })();
            return stopped;
          },
        };
      } catch (error) {
        lastError = error;
        // pg_ctl may give up waiting while the server is still starting: never leave one behind.
        stopServer(bin, data, spawnOptions);
        // Only a port another process took between the probe and the start is worth another try.
        const log = existsSync(join(base, 'server.log'))
          ? readFileSync(join(base, 'server.log'), 'utf8')
          : '';
        if (!/could not bind|address already in use/i.test(log)) break;
      }
    }
    const log = existsSync(join(base, 'server.log')) ? readFileSync(join(base, 'server.log'), 'utf8') : '';
    throw new Error(`PostgreSQL did not start: ${(lastError as Error).message}\n${log}`);
  } catch (error) {
    rmSync(base, { recursive: true, force: true });
    throw error;
  }
}
