// `node scripts/ensure-postgres.mjs`: the PostgreSQL suites run against a real, throwaway PostgreSQL cluster
// (initdb + pg_ctl from Debian's `postgresql` package, started by the tests on a free loopback port). When the
// server binaries are missing, this installs Debian's package where it can (root with apt-get); otherwise it
// stops with the one command to run. It never lets the PostgreSQL suites be skipped silently.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const INSTALL_COMMAND = 'apt-get update && apt-get install -y postgresql';
const DEBIAN_ROOT = '/usr/lib/postgresql';

/**
 * The directory holding initdb and pg_ctl: PG_BIN_DIR when set, else the newest Debian version.
 * @returns {string | null}
 */
export function findPostgresBin(env = process.env) {
  const configured = env.PG_BIN_DIR?.trim();
  const candidates = configured
    ? [configured]
    : existsSync(DEBIAN_ROOT)
      ? readdirSync(DEBIAN_ROOT)
          .filter((name) => /^\d+$/.test(name))
          .sort((a, b) => Number(b) - Number(a))
          .map((version) => join(DEBIAN_ROOT, version, 'bin'))
      : [];
  return candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) ?? null;
}

function canInstall() {
  return process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v apt-get']).status === 0;
}

function main() {
  const found = findPostgresBin();
  if (found) {
    console.log(`[postgres] ${found}`);
    return 0;
  }
  if (process.env.PG_BIN_DIR?.trim()) {
    console.error(
      `[postgres] PG_BIN_DIR=${process.env.PG_BIN_DIR} has no initdb and pg_ctl. Fix: point it at PostgreSQL's bin directory.`,
    );
    return 1;
  }
  if (!canInstall()) {
    console.error(
      `[postgres] PostgreSQL's server is not installed; the PostgreSQL suites need it.\nFix: sudo sh -c '${INSTALL_COMMAND}'`,
    );
    return 1;
  }
  console.log(`[postgres] not found; installing Debian's package: ${INSTALL_COMMAND}`);
  // The package's own cluster is not used (the tests start their own); don't let it start a server.
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'postgresql']]) {
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (result.status !== 0) {
      console.error(`[postgres] apt-get ${args.join(' ')} failed. Fix: run '${INSTALL_COMMAND}' by hand.`);
      return 1;
    }
  }
  const installed = findPostgresBin();
  if (!installed) {
    console.error(`[postgres] apt-get installed postgresql but no initdb was found. Fix: set PG_BIN_DIR.`);
    return 1;
  }
  console.log(`[postgres] installed: ${installed}`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exit(main());
