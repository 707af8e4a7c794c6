import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { urlPassword, ValidationError, withoutPassword } from '@coachwire/core';
import { POSTGRES_URL_FIX } from '@coachwire/runtime';
import { parsePgUrl, redactUrl, writeCompleteFile } from '@coachwire/storage';
import { CliError, type CliIo, EXIT_USAGE } from '../cli-io.js';
import { passStopSignalsTo, signalExitStatus } from '../stop-signals.js';

const INSTALL_FIX =
  'install the PostgreSQL client tools (Debian/Ubuntu: `apt-get install postgresql-client`), or set PG_BIN_DIR ' +
  'to the directory holding pg_dump.';

/**
 * Where pg_dump is: only PG_BIN_DIR when it is set (an explicit choice), else the first on PATH, else the
 * newest of Debian's versioned directories (/usr/lib/postgresql/<major>/bin), which are not on PATH.
 */
export function findPgDump(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const configured = env.PG_BIN_DIR?.trim();
  const candidates = configured
    ? [configured]
    : [...(env.PATH ?? '').split(delimiter).filter(Boolean), ...debianBinDirectories()];
  for (const directory of candidates) {
    const path = join(directory, 'pg_dump');
    if (existsSync(path) && statSync(path).isFile()) return path;
  }
  return undefined;
}

function debianBinDirectories(root = '/usr/lib/postgresql'): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a))
    .map((major) => join(root, major, 'bin'));
}

/**
 * Runs `pg_dump --format=custom` of `url` into `destination`. The password goes to pg_dump through
 * PGPASSWORD, never on its command line (where `ps` would show it), and never into anything printed.
 */
export async function backupPostgres(
  url: string,
  destination: string,
  io: CliIo,
): Promise<{ pgDump: string; bytes: number }> {
  // Checked as every other command checks it: a URL that cannot be parsed would fail inside our own
  // password handling with a bare "Invalid URL", and a misread one would send pg_dump to the wrong host.
  try {
    parsePgUrl(url);
  } catch (error) {
    if (error instanceof ValidationError) throw new CliError(error.message, POSTGRES_URL_FIX, EXIT_USAGE);
    throw error;
  }
  const pgDump = findPgDump(io.env);
  if (!pgDump)
    throw new CliError(
      `pg_dump is not installed (looked in ${io.env.PG_BIN_DIR?.trim() ? `PG_BIN_DIR=${io.env.PG_BIN_DIR}` : 'PATH and /usr/lib/postgresql/*/bin'}); the PostgreSQL database cannot be backed up without it.`,
      INSTALL_FIX,
    );
  mkdirSync(dirname(destination), { recursive: true });
  const password = urlPassword(url);
  // A dead host must not hang the backup: libpq waits for TCP without a connect timeout of its own.
  const env: NodeJS.ProcessEnv = { ...process.env, ...io.env, PGCONNECT_TIMEOUT: '10' };
  // A URL without a password leaves PGPASSWORD as it is: the app's driver reads it too, so both agree.
  if (password) env.PGPASSWORD = password;
  // pg_dump writes as it goes: a failed or interrupted dump must not stay under the name of a backup.
  await writeCompleteFile(destination, async (partialPath) => {
    const args = [
      '--format=custom',
      '--no-owner',
      `--file=${partialPath}`,
      `--dbname=${withoutPassword(url)}`,
    ];
    const { code, signal, stderr } = await run(pgDump, args, env);
    if (signal !== null)
      throw new CliError(
        `Stopped by ${signal} before pg_dump had finished; nothing was written to ${destination}.`,
        'run the backup again.',
        signalExitStatus(signal),
      );
    if (code !== 0) {
      const reason = password ? stderr.split(password).join('***') : stderr;
      throw new CliError(
        `pg_dump could not back up ${redactUrl(url)} (exit ${code}): ${reason.trim() || 'no message'}`,
        'check that the server is reachable and that pg_dump is at least as new as the server (`pg_dump --version`).',
      );
    }
  });
  return { pgDump, bytes: statSync(destination).size };
}

function run(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    // Stopped mid-way, the command waits for pg_dump to stop too, then removes its partial file.
    const stopPassingOn = passStopSignalsTo(child);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', (error) => {
      stopPassingOn();
      reject(error);
    });
    child.on('close', (code, signal) => {
      stopPassingOn();
      resolve({ code, signal, stderr });
    });
  });
}
