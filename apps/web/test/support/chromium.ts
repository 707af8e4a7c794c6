import {
  findChromium as findInstalledChromium,
  INSTALL_COMMAND,
} from '../../../../scripts/ensure-chromium.mjs';

/**
 * The system Chromium the browser tests drive (playwright-core downloads no browser here). A missing
 * browser fails the run with the command that installs it: these tests are never skipped.
 */
export function findChromium(): string {
  const path = findInstalledChromium();
  if (path) return path;
  throw new Error(
    'Chromium is not installed; the dashboard browser tests need it. Fix: run `node scripts/ensure-chromium.mjs` ' +
      `(as root it runs \`${INSTALL_COMMAND}\`), or set CHROMIUM_PATH.`,
  );
}
