import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];

/**
 * The system Chromium the browser tests drive (playwright-core downloads no browser here).
 * CHROMIUM_PATH overrides; a missing browser fails the run with the command that installs it.
 */
export function findChromium(): string {
  const configured = process.env.CHROMIUM_PATH?.trim();
  if (configured) {
    if (!existsSync(configured)) throw new Error(`CHROMIUM_PATH=${configured} does not exist.`);
    return configured;
  }
  for (const name of CANDIDATES) {
    try {
      const path = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
      if (path) return path;
    } catch {
      // not this one
    }
  }
  throw new Error(
    'Chromium is not installed; the dashboard browser tests need it. Fix: run `node scripts/ensure-chromium.mjs` ' +
      '(as root it runs `apt-get update && apt-get install -y chromium`), or set CHROMIUM_PATH.',
  );
}
