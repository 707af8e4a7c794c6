import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CoachwireDatabase } from './database.js';
import { integrityCheck } from './maintenance.js';
import { SqlitePlanRepository } from './plans/sqlite-plan-repository.js';
import { migratedTempDatabase, planDraft } from './test-support/temp-database.js';

let handle: CoachwireDatabase;
let dispose: () => void;
beforeEach(async () => {
  ({ handle, dispose } = await migratedTempDatabase());
});
afterEach(() => dispose());

describe('integrityCheck and text encoding', () => {
  it('reports each column and row whose stored text is not valid UTF-8', async () => {
    const repository = new SqlitePlanRepository(handle);
    // What an older version stored for `"a\ud83db"`: storage itself does not refuse it (core does).
    const bad = await repository.insert(planDraft({ text: 'a\uD83Db', tradingDate: '2026-03-02' }));
    const good = await repository.insert(planDraft({ text: 'levels 📈', tradingDate: '2026-03-03' }));
    const bytes = handle.sqlite.prepare('SELECT hex(text) AS hex FROM plans WHERE id = ?').get(bad.id) as {
      hex: string;
    };
    expect(bytes.hex).toBe('61EDA0BD62');
    handle.sqlite.prepare("UPDATE plans SET author_name = CAST(x'c328' AS TEXT) WHERE id = ?").run(good.id);

    const report = integrityCheck(handle);
    expect(report.ok).toBe(false);
    expect(report.messages).toStrictEqual([
      `plans.text is not valid UTF-8 in 1 row(s): rowid ${bad.id}`,
      `plans.author_name is not valid UTF-8 in 1 row(s): rowid ${good.id}`,
      // The event payload of the bad plan carries nothing of its text, so only the plan row is named.
    ]);
  });

  it('reports ok for a database whose text is all valid, emoji and all', async () => {
    await new SqlitePlanRepository(handle).insert(planDraft({ text: 'ok 😀 日本 e\u0301' }));
    expect(integrityCheck(handle)).toMatchObject({ ok: true, messages: [] });
  });
});
