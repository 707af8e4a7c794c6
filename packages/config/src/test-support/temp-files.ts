import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh temp directory to act as the process's working directory. */
export function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'coachwire-config-'));
}

/** Writes `config.yaml` (or `name`) into `dir` and returns its path. */
export function writeYaml(dir: string, text: string, name = 'config.yaml'): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}
