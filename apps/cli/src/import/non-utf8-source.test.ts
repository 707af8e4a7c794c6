import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '@coachwire/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CliSandbox, cliSandbox } from '../test-support/cli-run.js';
import { writeLegacySqlite } from '../test-support/legacy-fixtures.js';

// 'Café ' in Windows-1252 (E9 for é, A0 for a no-break space): bytes a Python 2 era script or a hand edit left
// in the old file. Python 3's sqlite3 could not read such a row ("Could not decode to UTF-8 column").
const CP1252_TEXT = "CAST(X'436166e9a0' AS TEXT)";

describe('coachwire import and bytes that are not UTF-8', () => {
  let sandbox: CliSandbox;
  beforeEach(() => {
    sandbox = cliSandbox();
  });
  afterEach(() => sandbox.remove());

  it('reports an old SQLite row whose text is not UTF-8, or a BLOB, instead of storing replacement characters', async () => {
    const source = join(sandbox.dir, 'coach_plans.db');
    writeLegacySqlite(source, {
      extraSql: `UPDATE coach_plans SET plan = ${CP1252_TEXT} WHERE id = 3;
        UPDATE coach_plans SET author = ${CP1252_TEXT} WHERE id = 4;
        UPDATE plan_history SET plan_text = X'5350592061626f7665' WHERE id = 1;`,
    });

    const refused = await sandbox.run('import', source);
    expect(refused.status).not.toBe(0);
    expect(refused.stdout).toContain('invalid coach_plans id 3: plan text is not valid UTF-8');
    expect(refused.stdout).toContain('invalid coach_plans id 4: author is not valid UTF-8');
    expect(refused.stdout).toContain(
      'invalid coach_plans id 1: plan_history id 1: history text is a BLOB, not text',
    );
    expect(existsSync(sandbox.databasePath)).toBe(false);

    expect((await sandbox.run('import', source, '--skip-invalid')).status).toBe(0);
    const target = openDatabase({ path: sandbox.databasePath });
    try {
      const rows = target.sqlite.prepare('SELECT coach, text, author_name AS author FROM plans').all() as {
        coach: string;
        text: string;
        author: string;
      }[];
      // Only the soft-deleted plan of coach i had nothing wrong with it.
      expect(rows.map((row) => row.coach)).toEqual(['i']);
      expect(rows.some((row) => `${row.text}${row.author}`.includes('\uFFFD'))).toBe(false);
    } finally {
      target.close();
    }
  });

  it('refuses a JSON dump saved in another encoding than UTF-8, with the fix, and writes nothing', async () => {
    const source = join(sandbox.dir, 'dump.json');
    // Python's open() on Windows writes cp1252; json.dump(..., ensure_ascii=False) then writes é as one byte.
    writeFileSync(
      source,
      Buffer.concat([
        Buffer.from('{"coach_d_2024-01-10": {"plan": "Caf'),
        Buffer.from([0xe9]),
        Buffer.from('", "author": "Dan", "timestamp": "2024-01-10T13:00:00"}}'),
      ]),
    );
    const refused = await sandbox.run('import', source);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`${source} is not UTF-8 text`);
    expect(refused.stderr).toMatch(/\nFix: .*UTF-8/);
    expect(existsSync(sandbox.databasePath)).toBe(false);
  });
});
