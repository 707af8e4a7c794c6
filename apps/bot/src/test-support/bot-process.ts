import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The bot app's directory, where its processes run. */
export const botDir = fileURLToPath(new URL('../..', import.meta.url));
// One process, no tsx wrapper: tsx's own CLI relays signals through a parent process, which under load
// turned an early SIGINT into exit 130 before the bot's handler saw it.
/** Node's arguments that run the bot from source. */
export const runSource = ['--import', 'tsx', '--conditions=@coachwire/source'];

/**
 * Bot processes started from source by one test file, and their temp directories: `cleanUp()` (in afterAll)
 * kills what a failing test left running and removes the directories.
 */
export class BotProcesses {
  readonly #dirs: string[] = [];
  readonly #children: ChildProcess[] = [];

  /**
   * A temp directory with the database, the charts and a config file for a bot process: those three, info logs
   * on stdout only, and `extraYaml` (other top-level sections).
   */
  files(extraYaml: string): { dir: string; databasePath: string; configPath: string } {
    const dir = this.tempDir('coachwire-bot-process-');
    const databasePath = path.join(dir, 'plans.db');
    const configPath = path.join(dir, 'config.yaml');
    writeFileSync(
      configPath,
      `database:\n  path: ${JSON.stringify(databasePath)}\ncharts:\n  dir: ${JSON.stringify(path.join(dir, 'charts'))}\n` +
        `logging:\n  level: info\n  file: ""\n${extraYaml}`,
    );
    return { dir, databasePath, configPath };
  }

  /** A temp directory removed by `cleanUp()`. */
  tempDir(prefix: string): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
    this.#dirs.push(dir);
    return dir;
  }

  /** Runs `src/main.ts` with `args`, and `env` over this process's environment; stdout and stderr piped. */
  spawn(args: readonly string[], env: NodeJS.ProcessEnv): ChildProcess {
    const child = spawn(process.execPath, [...runSource, 'src/main.ts', ...args], {
      cwd: botDir,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#children.push(child);
    return child;
  }

  cleanUp(): void {
    for (const child of this.#children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const dir of this.#dirs) rmSync(dir, { recursive: true, force: true });
  }
}

/** Resolves with the first JSON log line whose message is `msg`; rejects if the process exits first. */
export function waitForLogLine(child: ChildProcess, msg: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (entry.msg === msg) resolve(entry);
      } catch {
        // Not a log line.
      }
    });
    child.once('exit', (code) => reject(new Error(`bot exited with ${code} before logging '${msg}'`)));
  });
}

/** Everything the process writes to stderr, as it arrives. */
export function collectStderr(child: ChildProcess): { readonly text: string } {
  const collected = { text: '' };
  child.stderr!.on('data', (chunk) => {
    collected.text += String(chunk);
  });
  return collected;
}
