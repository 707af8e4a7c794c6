import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '@coachwire/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CliSandbox, cliSandbox } from '../test-support/cli-run.js';

// The old service's JSON dump, written by hand: `\ud83d` with nothing after it is a lone surrogate.
const DUMP = `{
  "coach_d_2024-01-10": {"plan": "SPY a\\ud83db", "author": "Dan", "timestamp": "2024-01-10T13:00:00", "charts": []},
  "coach_i_2024-01-10": {"plan": "fine \\ud83d\\ude80", "author": "Ian\\ude00", "timestamp": "2024-01-10T13:00:00"},
  "coach_s_2024-01-10": {"plan": "ok", "author": "Sue", "channel": "plans\\ud800", "timestamp": "2024-01-10T13:00:00"},
  "coach_n_2024-01-10": {"plan": "news \\ud83d\\udcf0", "author": "Nia", "timestamp": "2024-01-10T13:00:00",
    "charts": ["https://cdn.discordapp.com/attachments/1/2/a.png"]}
}`;

describe('coachwire import and unpaired surrogates', () => {
  let sandbox: CliSandbox;
  beforeEach(() => {
    sandbox = cliSandbox();
  });
  afterEach(() => sandbox.remove());

  it('reports each row whose text is not valid Unicode and writes nothing', async () => {
    const source = join(sandbox.dir, 'plans.json');
    writeFileSync(source, DUMP);
    const refused = await sandbox.run('import', source);
    expect(refused.status).not.toBe(0);
    expect(refused.stdout).toContain(
      'invalid key coach_d_2024-01-10: plan text contains an unpaired UTF-16 surrogate',
    );
    expect(refused.stdout).toContain(
      'invalid key coach_i_2024-01-10: author contains an unpaired UTF-16 surrogate',
    );
    expect(refused.stdout).toContain(
      'invalid key coach_s_2024-01-10: channel contains an unpaired UTF-16 surrogate',
    );
    expect(refused.stderr).toContain('Nothing was written: 3 row(s) of the source are invalid');

    const skipped = await sandbox.run('import', source, '--skip-invalid');
    expect(skipped.status).toBe(0);
    const handle = openDatabase({ path: sandbox.databasePath });
    try {
      const texts = handle.sqlite.prepare('SELECT text FROM plans').all() as { text: string }[];
      expect(texts).toStrictEqual([{ text: 'news 📰' }]);
    } finally {
      handle.close();
    }
  });

  it('has `db check` report a row an older version stored with an unpaired surrogate', async () => {
    const source = join(sandbox.dir, 'plans.json');
    writeFileSync(source, DUMP);
    await sandbox.run('import', source, '--skip-invalid');
    expect((await sandbox.run('db', 'check')).status).toBe(0);
    const handle = openDatabase({ path: sandbox.databasePath });
    try {
      handle.sqlite.prepare("UPDATE plans SET text = 'a' || char(55357) || 'b'").run();
    } finally {
      handle.close();
    }
    const check = await sandbox.run('db', 'check');
    expect(check.status).not.toBe(0);
    expect(check.stdout).toContain('INTEGRITY PROBLEMS');
    expect(check.stdout).toMatch(/problem: plans\.text is not valid UTF-8 in 1 row\(s\): rowid \d+/);
    expect(check.stderr).toContain('Fix: correct the text of the rows named above');
  });
});
