import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkLedger, openDatabase } from '@coachwire/storage';
import { afterEach, expect, it } from 'vitest';
import {
  killAll,
  postJson as post,
  startApiProcess,
  writeApiProcessConfig,
} from './test-support/api-process.js';

const GUILD = '900000000000000001';
const USERS = 20;
const BETS_PER_USER = 10;

const running: ChildProcess[] = [];
let dir = '';
afterEach(() => {
  killAll(running);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** An API process as an operator starts it, over the shared file; resolves once it listens. */
async function startApi(configPath: string): Promise<number> {
  return (await startApiProcess({ configPath, running })).port;
}

it('takes bets on one market from two API processes at once: each key bets exactly once', async () => {
  dir = mkdtempSync(join(tmpdir(), 'coachwire-two-apis-'));
  const dbPath = join(dir, 'plans.db');
  const configPath = writeApiProcessConfig(dir, `{ path: "${dbPath}" }`);
  const [first, second] = await Promise.all([startApi(configPath), startApi(configPath)]);
  const created = await post(first!, '/api/v1/markets', 'create', {
    guild_id: GUILD,
    user_id: 'creator',
    question: 'Two API processes?',
    mechanism: 'cpmm',
    closes_at: new Date(Date.now() + 86_400_000).toISOString(),
    subsidy: 1000,
  });
  expect(created.status).toBe(201);
  const marketId = created.body.id as number;

  // Every bet is sent to both processes at once with the same key: a retry racing its original.
  const attempts = Array.from({ length: USERS * BETS_PER_USER }, (_, index) => {
    const user = `user-${index % USERS}`;
    const body = { user_id: user, option: index % 3 === 0 ? 'no' : 'yes', amount: 7 };
    const key = `bet-${index}`;
    const path = `/api/v1/markets/${marketId}/bets`;
    return Promise.all([post(first!, path, key, body), post(second!, path, key, body)]);
  });
  const answers = await Promise.all(attempts);
  for (const pair of answers) {
    expect(pair.map((answer) => answer.status)).toEqual([201, 201]);
    // The replay answers the same bet as the original.
    expect((pair[0].body.bet as { id: number }).id).toBe((pair[1].body.bet as { id: number }).id);
  }
  const betIds = new Set(answers.map((pair) => (pair[0].body.bet as { id: number }).id));
  expect(betIds.size).toBe(USERS * BETS_PER_USER);

  const database = openDatabase({ path: dbPath });
  try {
    const count = database.sqlite
      .prepare('SELECT count(*) AS n, sum(points) AS points FROM trades WHERE market_id = ?')
      .get(marketId) as { n: number; points: number };
    expect(count).toEqual({ n: USERS * BETS_PER_USER, points: USERS * BETS_PER_USER * 7 });
    expect(checkLedger(database)).toMatchObject({ ok: true, violations: [] });
  } finally {
    database.close();
  }
}, 120_000);

it('keeps answering while another process holds the write lock, and lands the write waiting for it once freed', async () => {
  dir = mkdtempSync(join(tmpdir(), 'coachwire-two-apis-'));
  const dbPath = join(dir, 'plans.db');
  const port = await startApi(writeApiProcessConfig(dir, `{ path: "${dbPath}" }`));
  // Another program's long write transaction (an import, an open sqlite3 shell) on the same file.
  const holder = openDatabase({ path: dbPath });
  try {
    holder.sqlite.exec('BEGIN IMMEDIATE');
    let answered = false;
    const created = post(port, '/api/v1/markets', 'create', {
      guild_id: GUILD,
      user_id: 'creator',
      question: 'Behind a lock?',
      mechanism: 'cpmm',
      closes_at: new Date(Date.now() + 86_400_000).toISOString(),
      subsidy: 1000,
    }).finally(() => {
      answered = true;
    });
    // The API used to wait for the lock inside SQLite, blocking its only thread: nothing was answered until
    // the write gave up five seconds later. Each health check here is sent after the previous one's answer.
    for (let check = 0; check < 20; check += 1) {
      const health = await fetch(`http://127.0.0.1:${port}/health/live`);
      expect(health.status).toBe(200);
    }
    expect(answered).toBe(false);
    holder.sqlite.exec('COMMIT');
    expect((await created).status).toBe(201);
  } finally {
    if (holder.sqlite.inTransaction) holder.sqlite.exec('ROLLBACK');
    holder.close();
  }
}, 60_000);
