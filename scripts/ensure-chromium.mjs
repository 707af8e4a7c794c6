// `node scripts/ensure-chromium.mjs`: the dashboard's browser tests drive the system Chromium through
// playwright-core (a test tool's own browser download is not available here). When it is missing, this
// installs Debian's package where it can (root with apt-get); otherwise it stops with the one command to
// run. It never lets the browser tests be skipped silently.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];
export const INSTALL_COMMAND = 'apt-get update && apt-get install -y chromium';

/**
 * The path of the system Chromium: CHROMIUM_PATH when set, else the first of the usual names on PATH.
 * @returns {string | null}
 */
export function findChromium(env = process.env) {
  const configured = env.CHROMIUM_PATH?.trim();
  if (configured) return existsSync(configured) ? configured : null;
  for (const name of CANDIDATES) {
    try {
      const path = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
      if (path) return path;
    } catch {
      // not this name
    }
  }
  return null;
}

function canInstall() {
  return process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v apt-get']).status === 0;
}

function main() {
  const found = findChromium();
  if (found) {
    console.log(`[chromium] ${found}`);
    return 0;
  }
  if (process.env.CHROMIUM_PATH?.trim()) {
    console.error(
      `[chromium] CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist. Fix: point it at a Chromium binary.`,
    );
    return 1;
  }
  if (!canInstall()) {
    console.error(
      `[chromium] Chromium is not installed; the dashboard's browser tests need it.\nFix: sudo sh -c '${INSTALL_COMMAND}'`,
    );
    return 1;
  }
  console.log(`[chromium] not found; installing Debian's package: ${INSTALL_COMMAND}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'chromium']]) {
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (result.status !== 0) {
      console.error(`[chromium] apt-get ${args.join(' ')} failed. Fix: run '${INSTALL_COMMAND}' by hand.`);
      return 1;
    }
  }
  const installed = findChromium();
  if (!installed) {
    console.error(`[chromium] apt-get installed chromium but it is not on PATH. Fix: set CHROMIUM_PATH.`);
    return 1;
  }
  console.log(`[chromium] installed: ${installed}`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exit(main());
