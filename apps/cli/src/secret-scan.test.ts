import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureBuilt,
  freePort,
  isolatedEnv,
  pollUntil,
  REPO_ROOT,
  type WatchedProcess,
  watchProcess,
} from './test-support/processes.js';

const TOKEN = 'MTA5ODc2NTQzMjEwOTg3NjU0Mw.GhJkLm.aBcDeFgHiJkLmNoPqRsTuVwXyZ012345';
const PLAIN_TOKEN = 'correct horse battery';
const API_KEY = 'cw_live_scan_key_4b1d9e7a';
const KEY_HASH = createHash('sha256').update(API_KEY).digest('hex');
const SECRETS = [TOKEN, PLAIN_TOKEN, API_KEY, KEY_HASH];

const API = join(REPO_ROOT, 'apps/api/dist/main.js');
const BOT = join(REPO_ROOT, 'apps/bot/dist/main.js');
const CLI = join(REPO_ROOT, 'apps/cli/dist/main.js');

/** Every file the processes wrote under `dir` (logs, rotated logs), as text. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !/\.db(-wal|-shm)?$/.test(entry.name))
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8'));
}

function expectNoSecret(texts: readonly string[], label: string): void {
  for (const text of texts) for (const secret of SECRETS) expect(text, label).not.toContain(secret);
}

describe('no secret reaches any output or log file', { timeout: 120_000 }, () => {
  let dir: string;
  const running: WatchedProcess[] = [];
  beforeAll(() => ensureBuilt(), 180_000);
  afterEach(() => {
    for (const child of running.splice(0)) if (child.child.exitCode === null) child.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('when a secret sits at a wrong level or type, in the API, the bot and the CLI', async () => {
    dir = mkdtempSync(join(tmpdir(), 'coachwire-secrets-'));
    const casesDir = join(dir, 'cases');
    const workDir = join(dir, 'work');
    mkdirSync(casesDir);
    mkdirSync(workDir);
    // Unset, not empty: an empty DISCORD_BOT_TOKEN would override the misplaced token in the file.
    const { DISCORD_BOT_TOKEN: _unset, ...env } = isolatedEnv(workDir, await freePort());
    // Every placement is covered by the config package's own test; here, a few through each real process.
    const yamlCases = [
      `discord: ${JSON.stringify(TOKEN)}\n`,
      `discord: ${JSON.stringify(PLAIN_TOKEN)}\n`,
      `api:\n  keys:\n    - { name: ta, sha256: ${JSON.stringify(API_KEY)} }\n`,
    ];
    const envCases = [{ API_PORT: TOKEN, DISCORD_BOT_TOKEN: PLAIN_TOKEN, TIMEZONE: PLAIN_TOKEN }];
    const runs: { yaml?: string; env?: Record<string, string> }[] = [
      ...yamlCases.map((yaml) => ({ yaml })),
      ...envCases.map((extra) => ({ env: extra })),
    ];
    for (const [index, run] of runs.entries()) {
      // The cases sit apart from the working directory, whose files are all scanned.
      const file = join(casesDir, `case-${index}.yaml`);
      writeFileSync(file, run.yaml ?? '');
      for (const [name, args] of [
        ['api', [API, '--config', file]],
        ['bot', [BOT, '--config', file]],
        ['cli', [CLI, '--config', file, 'db', 'check']],
      ] as const) {
        const result = spawnSync(process.execPath, [...args], {
          cwd: workDir,
          env: { ...env, ...run.env },
          encoding: 'utf8',
          timeout: 30_000,
        });
        const label = `${name} with ${run.yaml ?? JSON.stringify(run.env)}`;
        expect(result.status, `${label}\n${result.stderr}`).toBe(2);
        expect(result.stderr, label).toContain('Invalid configuration');
        expectNoSecret([result.stdout, result.stderr], label);
      }
    }
    expectNoSecret(filesUnder(workDir), 'files written');
  });

  it('while the API serves keyed and refused requests and the bot runs', async () => {
    dir = mkdtempSync(join(tmpdir(), 'coachwire-secrets-'));
    const port = await freePort();
    const config = join(dir, 'config.yaml');
    writeFileSync(config, `api:\n  keys:\n    - { name: scan, sha256: ${JSON.stringify(KEY_HASH)} }\n`);
    const env = isolatedEnv(dir, port, { DISCORD_BOT_TOKEN: TOKEN, LOG_LEVEL: 'trace' });
    const api = watchProcess(process.execPath, [API, '--config', config], { cwd: dir, env });
    const bot = watchProcess(process.execPath, [BOT, '--config', config, '--mock'], { cwd: dir, env });
    running.push(api, bot);
    const base = `http://127.0.0.1:${port}`;
    await pollUntil(`${base}/health/live`, (status) => status === 200);
    await bot.waitForLine(/bot running/);
    const requests: [string, RequestInit][] = [
      ['/api/v1/plans', { headers: { authorization: `Bearer ${API_KEY}` } }],
      ['/api/v1/plans', { headers: { authorization: `Bearer ${TOKEN}` } }],
      ['/api/v1/plans', { headers: { 'x-api-key': API_KEY } }],
      [
        '/api/v1/plans',
        {
          method: 'POST',
          headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({ coach: 'd', text: 'scan' }),
        },
      ],
      ['/api/v1/plans', { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: '{' }],
      [`/api/v1/plans/${TOKEN}`, { headers: { authorization: `Basic ${TOKEN}` } }],
      ['/metrics', {}],
      ['/health', {}],
    ];
    const answers: string[] = [];
    for (const [path, init] of requests) {
      const response = await fetch(`${base}${path}`, init);
      answers.push(`${[...response.headers].join('\n')}\n${await response.text()}`);
    }
    const cli = spawnSync(process.execPath, [CLI, '--config', config, 'health', '--url', `${base}/health`], {
      cwd: dir,
      env,
      encoding: 'utf8',
      timeout: 30_000,
    });
    api.child.kill('SIGINT');
    bot.child.kill('SIGINT');
    expect((await api.exited).code).toBe(0);
    expect((await bot.exited).code).toBe(0);
    mkdirSync(join(dir, 'logs'), { recursive: true });
    const logs = filesUnder(join(dir, 'logs'));
    expect(logs.join('').length).toBeGreaterThan(0);
    expectNoSecret(answers, 'answers');
    expectNoSecret([...api.lines, ...bot.lines, cli.stdout, cli.stderr], 'printed output');
    expectNoSecret(logs, 'log files');
  });
});
