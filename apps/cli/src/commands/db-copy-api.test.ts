import { join } from 'node:path';
import { openDatabase } from '@coachwire/storage';
import { createTestPgDatabase, type TestPgDatabase } from '@coachwire/storage/testing';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CliSandbox, cliSandbox } from '../test-support/cli-run.js';
import { GUILD, installationConfig, populateInstallation } from '../test-support/populated-installation.js';
import {
  ensureBuilt,
  freePort,
  isolatedEnv,
  pollUntil,
  REPO_ROOT,
  type WatchedProcess,
  watchProcess,
} from '../test-support/processes.js';

let sandbox: CliSandbox;
let target: TestPgDatabase;
let api: WatchedProcess | undefined;

beforeAll(() => ensureBuilt(), 180_000);
beforeEach(async () => {
  sandbox = cliSandbox();
  target = await createTestPgDatabase();
});
afterEach(async () => {
  if (api && api.child.exitCode === null) {
    api.child.kill('SIGKILL');
    await api.exited;
  }
  await target.drop();
  sandbox.remove();
});

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/** Starts the built API on `databaseUrl` (empty: the SQLite file), records every answer, and stops it. */
async function recordAnswers(
  databaseUrl: string,
  marketIds: readonly number[],
  lastEventId: number,
): Promise<Map<string, Answer>> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  api = watchProcess(process.execPath, [join(REPO_ROOT, 'apps/api/dist/main.js')], {
    cwd: sandbox.dir,
    env: isolatedEnv(sandbox.dir, port, { DATABASE_URL: databaseUrl, LOG_FILE: '' }),
  });
  try {
    await pollUntil(`${base}/health/ready`, (status) => status === 200);
    const answers = new Map<string, Answer>();
    const get = async (path: string) => {
      const response = await fetch(`${base}${path}`);
      const answer = { status: response.status, body: withoutRequestId(await response.json()) };
      answers.set(path, answer);
      return answer;
    };
    for (const path of [
      '/api/coach-plans/?coach=d&date=2026-11-19',
      '/api/coach-plans/?coach=d',
      '/api/coach-plans/all?date=2026-11-19',
      '/api/coach-plans/history?coach=d',
      '/api/v1/plans',
      '/api/v1/plans?coach=d',
      '/api/v1/coaches',
      '/api/v1/coaches/d/plans/2026-11-19',
      '/api/v1/coaches/d/calls',
      `/api/v1/markets?guild_id=${GUILD}`,
      `/api/v1/markets?guild_id=${GUILD}&status=resolved`,
      `/api/v1/markets?status=cancelled&limit=1`,
      `/api/v1/guilds/${GUILD}/leaderboard`,
      `/api/v1/guilds/${GUILD}/users/101`,
      `/api/v1/guilds/${GUILD}/users/102`,
    ])
      await get(path);
    // Every page of the plan list, following its cursor.
    let cursor: string | null = '';
    for (let page = 0; cursor !== null && page < 10; page++) {
      const answer = await get(
        `/api/v1/plans?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      cursor = (answer.body as { next_cursor: string | null }).next_cursor;
    }
    for (const id of [1, 2, 3, 4, 5]) {
      await get(`/api/v1/plans/${id}`);
      await get(`/api/v1/plans/${id}/history`);
    }
    for (const id of marketIds)
      for (const suffix of ['', '/trades', '/history']) await get(`/api/v1/markets/${id}${suffix}`);
    answers.set('events', { status: 200, body: await replayEvents(base, lastEventId) });
    return answers;
  } finally {
    api.child.kill('SIGTERM');
    await api.exited;
  }
}

/** Every event from the start, as the SSE stream replays it, up to the last one (`lastId`). */
async function replayEvents(base: string, lastId: number): Promise<string[]> {
  const controller = new AbortController();
  const response = await fetch(`${base}/api/v1/events?types=*&last_event_id=0`, {
    signal: AbortSignal.any([controller.signal, AbortSignal.timeout(20_000)]),
  });
  const decoder = new TextDecoder();
  const reader = response.body!.getReader();
  let text = '';
  while (!text.includes(`id: ${lastId}\n`)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  controller.abort();
  return text.split('\n\n').filter((frame) => frame.startsWith('id:'));
}

/** Error bodies carry the request's id, which differs per request by design; nothing else is left out. */
function withoutRequestId(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || !('request_id' in body)) return body;
  const { request_id: _ignored, ...rest } = body as Record<string, unknown>;
  return rest;
}

function latestEventId(path: string): number {
  const handle = openDatabase({ path, readonly: true });
  try {
    return (handle.sqlite.prepare('SELECT max(id) AS id FROM events').get() as { id: number }).id;
  } finally {
    handle.close();
  }
}

describe('coachwire db copy, seen through the API', () => {
  it('leaves every API answer the same before and after moving the installation to PostgreSQL', async () => {
    const { marketIds } = await populateInstallation(installationConfig(sandbox.dir));
    const lastEventId = latestEventId(sandbox.databasePath);
    const before = await recordAnswers('', marketIds, lastEventId);

    const copy = await sandbox.run(
      'db',
      'copy',
      '--from',
      `sqlite:${sandbox.databasePath}`,
      '--to',
      target.url,
    );
    expect(copy.status, copy.stderr).toBe(0);
    const after = await recordAnswers(target.url, marketIds, lastEventId);

    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [path, answer] of before) {
      // Plan 4 is the deleted one: its 404 must survive the move too.
      expect(answer.status, path).toBe(path.startsWith('/api/v1/plans/4') ? 404 : 200);
      expect(after.get(path), path).toEqual(answer);
    }
    expect((before.get('events')!.body as string[]).length).toBe(lastEventId);
    const markets = before.get(`/api/v1/markets?guild_id=${GUILD}`)!.body as { data: unknown[] };
    expect(markets.data).toHaveLength(3);
  });
});
