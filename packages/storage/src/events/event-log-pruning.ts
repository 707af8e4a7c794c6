import { and, asc, desc, inArray, lt, or, sql } from 'drizzle-orm';
import type { CoachwireDatabase } from '../database.js';
import { writeWhenUnlocked } from '../lock-waits.js';
import { toCoachwireError } from '../storage-errors.js';
import { events } from './event-schema.js';

const p = sql.placeholder;

export interface EventLogPruneOptions {
  /** Events that occurred more than this many days before `now` go. */
  readonly maxAgeDays: number;
  /** All but the newest `maxEvents` go. */
  readonly maxEvents: number;
  /** The newest `keepNewest` are kept whatever their age: what a Last-Event-ID replay may still need. */
  readonly keepNewest: number;
  readonly now: Date;
}

/** Rows deleted per statement: short write transactions, so the bot's writes never wait long. */
const BATCH_SIZE = 2000;

/**
 * Deletes old rows of the event log (by age and by count), never one of the newest `keepNewest`. Ids are
 * AUTOINCREMENT, so pruning never leads to an id being reused; a client whose Last-Event-ID is older than
 * what is left is told to resync. Resolves with the number of rows deleted.
 */
export async function pruneEventLog(
  handle: CoachwireDatabase,
  options: EventLogPruneOptions,
): Promise<number> {
  const cutoff = new Date(options.now.getTime() - options.maxAgeDays * 86_400_000).toISOString();
  const { db } = handle;
  const nthNewestId = db
    .select({ id: events.id })
    .from(events)
    .orderBy(desc(events.id))
    .limit(1)
    .offset(p('offset'))
    .prepare();
  const oldestBatch = db
    .select({ id: events.id })
    .from(events)
    .where(
      and(
        lt(events.id, p('protectedFrom')),
        or(lt(events.id, p('countFrom')), lt(events.occurredAt, p('cutoff'))),
      ),
    )
    .orderBy(asc(events.id))
    .limit(p('limit'));
  const deleteBatch = db.delete(events).where(inArray(events.id, oldestBatch)).prepare();
  try {
    // The id of the n-th newest event; everything below it is outside the newest n (0 when there are fewer).
    const boundary = (count: number) => nthNewestId.get({ offset: Math.max(0, count - 1) })?.id ?? 0;
    const protectedFrom = boundary(options.keepNewest);
    const countFrom = boundary(options.maxEvents);
    let deleted = 0;
    for (;;) {
      const { changes } = await writeWhenUnlocked(handle, () =>
        deleteBatch.run({ protectedFrom, countFrom, cutoff, limit: BATCH_SIZE }),
      );
      deleted += changes;
      if (changes < BATCH_SIZE) return deleted;
      await new Promise((resolve) => setImmediate(resolve));
    }
  } catch (error) {
    throw toCoachwireError(handle.path, 'prune events', error);
  }
}
