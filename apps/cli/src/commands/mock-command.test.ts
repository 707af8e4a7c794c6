import { describe, expect, it } from 'vitest';
import { cliSandbox } from '../test-support/cli-run.js';
import {
  planAuthorsOf,
  REAL_COACH_AUTHOR,
  writeDatabaseWithRealPlan,
} from '../test-support/real-plan-database.js';

describe('coachwire mock', () => {
  it('says in its help every setting that points it at another database than ./data/mock/', async () => {
    const help = await cliSandbox().run('mock', '--help');
    expect(help.status).toBe(0);
    const text = help.stdout.replace(/\s+/g, ' ');
    for (const setting of ['DATABASE_PATH', 'DATABASE_URL', 'database: in the config file']) {
      expect(text).toContain(setting);
    }
    // --days counts back from the day the mock posts for, which on a weekend or holiday is not today: on a
    // Saturday, --days 5 covers Wednesday to Monday, not Monday to Saturday.
    expect(text).toMatch(/--days <n> how many calendar days back from the trading day the mock posts for/);
    expect(text).toContain('the next trading day on a weekend or market holiday');
  });

  it('fills a configured database that holds only mock plans, again and again', async () => {
    const sandbox = cliSandbox();
    expect((await sandbox.run('mock', '--days', '3')).status).toBe(0);
    const again = await sandbox.run('mock', '--days', '3');
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^Added 0 mock plan\(s\)/);
  });

  it('writes no mock plan into a configured database that holds real ones, unless MOCK_MODE=true', async () => {
    const sandbox = cliSandbox();
    await writeDatabaseWithRealPlan(sandbox.databasePath);
    const refused = await sandbox.run('mock', '--days', '3');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("holds plans that are not the mock's");
    expect(refused.stderr).toMatch(/^Fix: unset DATABASE_PATH/m);
    expect(await planAuthorsOf(sandbox.databasePath)).toEqual([REAL_COACH_AUTHOR]);

    const asked = cliSandbox({ DATABASE_PATH: sandbox.databasePath, MOCK_MODE: 'true' });
    const added = await asked.run('mock', '--days', '3');
    expect(added.status, added.stderr).toBe(0);
    expect((await planAuthorsOf(sandbox.databasePath)).length).toBeGreaterThan(1);
  });
});
