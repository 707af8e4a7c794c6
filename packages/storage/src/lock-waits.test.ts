import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeWhenUnlocked } from './lock-waits.js';
import { openSqliteStore, type SqliteStore } from './sqlite-store.js';
import { alice, GUILD, servicesOnTestClock } from './test-support/market-world.js';
import { planDraft, tempDir } from './test-support/temp-database.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A store as the API and the bot open it, and a second connection to the same file (another process's). */
async function storeWithAnotherWriter(): Promise<{ store: SqliteStore; other: Database.Database }> {
  const { dir, remove } = tempDir();
  cleanups.push(remove);
  const path = join(dir, 'coachwire.sqlite');
  const store = await openSqliteStore({ path, lockWaitsInSlices: true });
  cleanups.push(() => store.close());
  const other = new Database(path);
  cleanups.push(() => {
    if (other.inTransaction) other.exec('ROLLBACK');
    other.close();
  });
  return { store, other };
}

/** Tracks whether a promise has settled yet. */
function watch<T>(promise: Promise<T>): { settled: () => boolean; promise: Promise<T> } {
  let settled = false;
  const tracked = promise.finally(() => {
    settled = true;
  });
  return { settled: () => settled, promise: tracked };
}

const eventLoopTurns = async (turns: number) => {
  for (let turn = 0; turn < turns; turn += 1) await new Promise((resolve) => setImmediate(resolve));
};

describe('waiting for another connection’s write lock', () => {
  it('leaves the event loop free while writes wait, and lands each write once the lock is released', async () => {
    const { store, other } = await storeWithAnotherWriter();
    const { markets } = servicesOnTestClock(store.ledger);
    other.exec('BEGIN IMMEDIATE');

    // Before, each of these blocked the process in SQLite's busy handler for 5 s and then failed.
    const writes = [
      watch(store.plans.insert(planDraft())),
      watch(store.memberNames.remember(GUILD, alice.id, 'alice', '2026-11-20T15:00:00.000Z')),
      watch(
        markets.create(
          alice,
          { guildId: GUILD, idempotencyKey: 'first' },
          {
            question: 'Will SPY close above 600 on Friday?',
            mechanism: 'cpmm',
            closesAt: '2026-11-21T15:00:00.000Z',
            subsidy: 200,
          },
        ),
      ),
    ];
    await eventLoopTurns(5);
    expect(writes.map((write) => write.settled())).toEqual([false, false, false]);
    // Asked for while the first market waits: it must come after it, not race it for the lock.
    const second = markets.create(
      alice,
      { guildId: GUILD, idempotencyKey: 'second' },
      {
        question: 'Will QQQ close above 500 on Friday?',
        mechanism: 'cpmm',
        closesAt: '2026-11-21T15:00:00.000Z',
        subsidy: 200,
      },
    );

    other.exec('COMMIT');
    const [plan, , first] = await Promise.all(writes.map((write) => write.promise));
    expect(plan).toMatchObject({ id: 1, coach: 'd' });
    expect(first).toMatchObject({ id: 1, question: 'Will SPY close above 600 on Friday?' });
    expect(await second).toMatchObject({ id: 2, question: 'Will QQQ close above 500 on Friday?' });
    expect(await store.memberNames.namesOf(GUILD, [alice.id])).toEqual(new Map([[alice.id, 'alice']]));
    expect((await store.checkLedger()).ok).toBe(true);
  });

  it('gives up after the busy timeout with STORAGE_UNAVAILABLE, and writes nothing', async () => {
    const { store, other } = await storeWithAnotherWriter();
    other.exec('BEGIN IMMEDIATE');
    // The second waits behind the first, and fails too.
    const [failure, queuedFailure] = await Promise.all([
      store.plans.insert(planDraft()).catch((error: unknown) => error),
      store.memberNames
        .remember(GUILD, alice.id, 'alice', '2026-11-20T15:00:00.000Z')
        .catch((error: unknown) => error),
    ]);
    expect(failure).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    expect((failure as Error).message).toMatch(/locked|busy/i);
    expect(queuedFailure).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    other.exec('COMMIT');
    expect(await store.countPlans()).toBe(0);
    // The lock is free again: the next write goes through.
    expect(await store.plans.insert(planDraft())).toMatchObject({ coach: 'd' });
  }, 15_000);
});

describe('the order of one process’s writes', () => {
  it('lands a write asked for while another waits for the lock after it, not before', async () => {
    const { store, other } = await storeWithAnotherWriter();
    const plan = await store.plans.insert(planDraft({ text: 'first text' }));
    const edit = (text: string, editedAt: string) =>
      store.plans.update(plan.id, { text, editor: { id: '111', name: 'Coach D' }, editedAt });
    other.exec('BEGIN IMMEDIATE');
    // Its first attempt finds the lock held (20 ms in SQLite's busy handler); it then pauses before the next.
    const older = edit('older edit', '2026-03-02T13:05:00.000Z');
    other.exec('COMMIT');
    // Asked for after it: the lock is free now, but the older edit is still waiting its turn.
    const newer = edit('newer edit', '2026-03-02T13:06:00.000Z');
    await Promise.all([older, newer]);
    expect((await store.plans.getById(plan.id))?.text).toBe('newer edit');
    // Newest first: the newer edit replaced the older one.
    expect((await store.plans.history(plan.id)).map((revision) => revision.previousText)).toEqual([
      'older edit',
      'first text',
    ]);
  });

  it('keeps a member’s newest name when an older one was waiting for the lock', async () => {
    const { store, other } = await storeWithAnotherWriter();
    other.exec('BEGIN IMMEDIATE');
    const older = store.memberNames.remember(GUILD, alice.id, 'alice (old)', '2026-11-20T15:00:00.000Z');
    other.exec('COMMIT');
    const newer = store.memberNames.remember(GUILD, alice.id, 'alice (new)', '2026-11-20T15:00:01.000Z');
    await Promise.all([older, newer]);
    expect(await store.memberNames.namesOf(GUILD, [alice.id])).toEqual(new Map([[alice.id, 'alice (new)']]));
  });
});

describe('how long each write waits', () => {
  /** The clock the waits are measured on, moved by hand: SQLite's own 20 ms slices still pass in real time. */
  function handClock(): { at: (ms: number) => void } {
    let now = 0;
    const spy = vi.spyOn(performance, 'now').mockImplementation(() => now);
    cleanups.push(() => spy.mockRestore());
    return {
      at: (ms: number) => {
        now = ms;
      },
    };
  }

  const openMarket = (markets: ReturnType<typeof servicesOnTestClock>['markets'], key: string) =>
    markets.create(
      alice,
      { guildId: GUILD, idempotencyKey: key },
      {
        question: `Will SPY close above 600 on Friday (${key})?`,
        mechanism: 'cpmm',
        closesAt: '2026-11-21T15:00:00.000Z',
        subsidy: 200,
      },
    );

  it('gives a market operation asked for while another waits the busy timeout from when it was asked, no more', async () => {
    const { store, other } = await storeWithAnotherWriter();
    const { markets } = servicesOnTestClock(store.ledger);
    const clock = handClock();
    other.exec('BEGIN IMMEDIATE');
    const first = watch(openMarket(markets, 'first'));
    await eventLoopTurns(5);
    // Asked for at the same moment, but while the first one's transaction already waits for the lock.
    const second = watch(openMarket(markets, 'second'));
    await eventLoopTurns(5);
    expect([first.settled(), second.settled()]).toEqual([false, false]);

    // Five seconds after both were asked: both have waited their time and fail. The second used to start its
    // five seconds only once the first had failed, so a bet behind another waited up to ten (past the npm
    // client's 10 s timeout) before its 503.
    clock.at(5000);
    await expect(first.promise).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    await expect(second.promise).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    other.exec('COMMIT');
    expect(store.database.sqlite.prepare('SELECT count(*) AS n FROM markets').get()).toEqual({ n: 0 });
    expect((await store.checkLedger()).ok).toBe(true);
  });

  it('fails only the operations of a waiting group whose time is up; the later ones keep waiting and land', async () => {
    const { store, other } = await storeWithAnotherWriter();
    const { markets } = servicesOnTestClock(store.ledger);
    const clock = handClock();
    other.exec('BEGIN IMMEDIATE');
    // One group (asked for in one turn of the event loop), the second three seconds after the first.
    const first = watch(openMarket(markets, 'first'));
    clock.at(3000);
    const second = watch(openMarket(markets, 'second'));
    await eventLoopTurns(5);

    clock.at(5000);
    await expect(first.promise).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    expect(second.settled()).toBe(false);
    other.exec('COMMIT');
    expect(await second.promise).toMatchObject({
      id: 1,
      question: 'Will SPY close above 600 on Friday (second)?',
    });
    expect((await store.checkLedger()).ok).toBe(true);
  });

  it('fails a market operation at its own deadline while it waits in line behind a plan edit asked for later', async () => {
    const { store, other } = await storeWithAnotherWriter();
    const { markets } = servicesOnTestClock(store.ledger);
    const plan = await store.plans.insert(planDraft({ text: 'first text' }));
    const clock = handClock();
    other.exec('BEGIN IMMEDIATE');
    const first = watch(openMarket(markets, 'first'));
    await eventLoopTurns(5);
    // Asked for at once, so its time is up with the first one's; it waits for the first one's group to end.
    const second = watch(openMarket(markets, 'second'));
    clock.at(3000);
    // Three seconds later: an edit, queued behind the first group, ahead of the second.
    const edit = watch(
      store.plans.update(plan.id, {
        text: 'edited text',
        editor: { id: '111', name: 'Coach D' },
        editedAt: '2026-03-02T13:05:00.000Z',
      }),
    );
    await eventLoopTurns(5);

    clock.at(5000);
    await expect(first.promise).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    // It used to wait for the edit to give up (five seconds after the edit was asked for) before it could fail.
    await expect(second.promise).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    expect(edit.settled()).toBe(false);
    other.exec('COMMIT');
    expect(await edit.promise).toMatchObject({ text: 'edited text' });
    expect(store.database.sqlite.prepare('SELECT count(*) AS n FROM markets').get()).toEqual({ n: 0 });
  });
});

describe('writeWhenUnlocked', () => {
  it('does not retry a write that failed for any other reason than a held lock', async () => {
    const { store } = await storeWithAnotherWriter();
    let attempts = 0;
    const failure = await writeWhenUnlocked(store.database, () => {
      attempts += 1;
      throw Object.assign(new Error('constraint failed'), { code: 'SQLITE_CONSTRAINT_UNIQUE' });
    }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ message: 'constraint failed' });
    expect(attempts).toBe(1);
  });
});
