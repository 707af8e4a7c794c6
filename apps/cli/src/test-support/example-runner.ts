import { cpSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './processes.js';

/**
 * A temp directory holding a copy of examples/ and a node_modules that links the workspace packages the
 * examples import, as `npm install @coachwire/webhook-client` would provide them to a reader.
 */
export function exampleSandbox(): string {
  const dir = mkdtempSync(join(tmpdir(), 'coachwire-examples-'));
  cpSync(join(REPO_ROOT, 'examples'), join(dir, 'examples'), { recursive: true });
  mkdirSync(join(dir, 'node_modules', '@coachwire'), { recursive: true });
  for (const [group, name] of [
    ['packages', 'webhook-client'],
    ['packages', 'discord-emulator'],
    ['packages', 'config'],
    ['apps', 'bot'],
  ] as const) {
    symlinkSync(join(REPO_ROOT, group, name), join(dir, 'node_modules', '@coachwire', name), 'dir');
  }
  return dir;
}

/** The example scripts, by file name. */
export function exampleFiles(): string[] {
  return readdirSync(join(REPO_ROOT, 'examples')).filter((name) => name.endsWith('.mjs'));
}
