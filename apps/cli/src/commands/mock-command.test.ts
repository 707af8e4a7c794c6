import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrateDatabase, openDatabase, SqlitePlanRepository } from '@coachwire/storage';
import { describe, expect, it } from 'vitest';
import { cliSandbox } from '../test-support/cli-run.js';

const COACH_AUTHOR = '331122334455667788';

/** A configured database holding one coach's plan, as after `coachwire import`. */
async function databaseWithRealPlan(path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const handle = openDatabase({ path });
  try {
    await migrateDatabase(handle);
    await new SqlitePlanRepository(handle).insert({
      coach: 'd',
      tradingDate: '2026-03-02',
      text: 'Long SPY above 510, stop 507.',
      author: { id: COACH_AUTHOR, name: 'Coach D' },
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

async function authorsOf(path: string): Promise<(string | null)[]> {
  const handle = openDatabase({ path });
  try {
    return await new SqlitePlanRepository(handle).authorIds();
  } finally {
    handle.close();
  }
}

describe('coachwire mock', () => {
  it('fills a configured database that holds only mock plans, again and again', async () => {
    const sandbox = cliSandbox();
    expect((await sandbox.run('mock', '--days', '3')).status).toBe(0);
    const again = await sandbox.run('mock', '--days', '3');
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^Added 0 mock plan\(s\)/);
  });

  it('writes no mock plan into a configured database that holds real ones, unless MOCK_MODE=true', async () => {
    const sandbox = cliSandbox();
    await databaseWithRealPlan(sandbox.databasePath);
    const refused = await sandbox.run('mock', '--days', '3');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("holds plans that are not the mock's");
    expect(refused.stderr).toMatch(/^Fix: unset DATABASE_PATH/m);
    expect(await authorsOf(sandbox.databasePath)).toEqual([COACH_AUTHOR]);

    const asked = cliSandbox({ DATABASE_PATH: sandbox.databasePath, MOCK_MODE: 'true' });
    const added = await asked.run('mock', '--days', '3');
    expect(added.status, added.stderr).toBe(0);
    expect((await authorsOf(sandbox.databasePath)).length).toBeGreaterThan(1);
  });
});
