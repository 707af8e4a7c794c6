import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrateDatabase, openDatabase, SqlitePlanRepository } from '@coachwire/storage';

/** The author of the plan below: a real Discord id, not one of mock mode's. */
export const REAL_COACH_AUTHOR = '331122334455667788';

/** A SQLite database at `path` holding one coach's plan, as after `coachwire import` of the old system's. */
export async function writeDatabaseWithRealPlan(path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const handle = openDatabase({ path });
  try {
    await migrateDatabase(handle);
    await new SqlitePlanRepository(handle).insert({
      coach: 'd',
      tradingDate: '2026-03-02',
      text: 'Long SPY above 510, stop 507.',
      author: { id: REAL_COACH_AUTHOR, name: 'Coach D' },
      guildId: '900000000000000001',
      channelId: '900000000000000002',
      channelName: 'plans',
      sourceMessageId: null,
      charts: [],
      createdAt: '2026-03-02T13:00:00.000Z',
    });
  } finally {
    handle.close();
  }
}

/** The distinct plan authors of the database at `path`. */
export async function planAuthorsOf(path: string): Promise<(string | null)[]> {
  const handle = openDatabase({ path });
  try {
    return await new SqlitePlanRepository(handle).authorIds();
  } finally {
    handle.close();
  }
}
