import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';

/** A fresh temp directory to act as the process's working directory; removed when the test finishes. */
export function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'coachwire-config-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `config.yaml` (or `name`) into `dir` and returns its path. */
export function writeYaml(dir: string, text: string, name = 'config.yaml'): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}
