import { addDays, type PlanRepository } from '@coachwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_BACKENDS } from '../test-support/backends.js';
import { chartInput, planDraft } from '../test-support/temp-database.js';

const coaches = ['a', 'd', 'm'];
const dates = Array.from({ length: 10 }, (_, day) => addDays('2026-01-01', day));

describe.each(STORE_BACKENDS)('plan list on $name', (backend) => {
  let dispose: () => Promise<void>;
  let repository: PlanRepository;
  /** Every plan inserted, keyed by id, with who wrote it and whether it was deleted. */
  const inserted = new Map<
    number,
    { coach: string; tradingDate: string; authorId: string; deleted: boolean }
  >();

  beforeAll(async () => {
    const opened = await backend.open();
    dispose = opened.dispose;
    repository = opened.store.plans;
    // Insert dates out of order so that id order and date order disagree.
    for (const tradingDate of [9, 7, 5, 3, 1, 0, 2, 4, 6, 8].map((day) => dates[day]!)) {
      for (const coach of coaches) {
        const authorId = coach === 'm' ? 'author-m' : 'author-other';
        const plan = await repository.insert(
          planDraft({
            coach,
            tradingDate,
            author: { id: authorId, name: authorId },
            charts: [chartInput(`${coach}-${tradingDate}.png`)],
          }),
        );
        inserted.set(plan.id, { coach, tradingDate, authorId, deleted: false });
      }
    }
    // Delete one plan; it must only appear with includeDeleted.
    const victim = [...inserted.entries()].find(
      ([, plan]) => plan.coach === 'd' && plan.tradingDate === dates[4],
    );
    await repository.softDelete(victim![0], { id: 'x', name: 'x' }, '2026-02-01T00:00:00.000Z');
    victim![1].deleted = true;
  });
  afterAll(() => dispose());

  function expectedIds(
    filter: (plan: { coach: string; tradingDate: string; authorId: string; deleted: boolean }) => boolean,
  ) {
    return [...inserted.entries()]
      .filter(([, plan]) => filter(plan))
      .sort(([idA, a], [idB, b]) =>
        a.tradingDate === b.tradingDate ? idB - idA : a.tradingDate < b.tradingDate ? 1 : -1,
      )
      .map(([id]) => id);
  }

  it('orders live plans by trading date then id, newest first, and returns limit + 1 rows', async () => {
    const rows = await repository.list({ limit: 4 });
    expect(rows.map((plan) => plan.id)).toEqual(expectedIds((plan) => !plan.deleted).slice(0, 5));
  });

  it('walks every page with the keyset cursor without duplicates or gaps', async () => {
    const seen: number[] = [];
    let after: { tradingDate: string; id: number } | undefined;
    for (let page = 0; page < 100; page += 1) {
      const rows = await repository.list({ limit: 7, ...(after ? { after } : {}) });
      const items = rows.slice(0, 7);
      seen.push(...items.map((plan) => plan.id));
      const last = items[items.length - 1];
      if (rows.length <= 7 || !last) break;
      after = { tradingDate: last.tradingDate, id: last.id };
    }
    expect(seen).toEqual(expectedIds((plan) => !plan.deleted));
  });

  it('filters by one trading date and loads each plan with its own charts', async () => {
    const rows = await repository.list({ tradingDate: dates[2]!, limit: 10 });
    expect(rows.map((plan) => plan.id)).toEqual(
      expectedIds((plan) => !plan.deleted && plan.tradingDate === dates[2]),
    );
    for (const plan of rows) {
      expect(plan.charts.map((chart) => chart.filename)).toEqual([`${plan.coach}-${plan.tradingDate}.png`]);
    }
  });

  it('filters by an inclusive date range, coach and author', async () => {
    const range = await repository.list({ from: dates[3]!, to: dates[6]!, limit: 100 });
    expect(range.map((plan) => plan.id)).toEqual(
      expectedIds((plan) => !plan.deleted && plan.tradingDate >= dates[3]! && plan.tradingDate <= dates[6]!),
    );
    const coachRows = await repository.list({ coach: 'a', from: dates[8]!, limit: 100 });
    expect(coachRows.map((plan) => plan.id)).toEqual(
      expectedIds((plan) => plan.coach === 'a' && plan.tradingDate >= dates[8]!),
    );
    const authorRows = await repository.list({ authorId: 'author-m', to: dates[1]!, limit: 100 });
    expect(authorRows.map((plan) => plan.id)).toEqual(
      expectedIds((plan) => plan.authorId === 'author-m' && plan.tradingDate <= dates[1]!),
    );
  });

  it('includes deleted plans only when asked', async () => {
    const live = await repository.list({ tradingDate: dates[4]!, limit: 10 });
    const all = await repository.list({ tradingDate: dates[4]!, limit: 10, includeDeleted: true });
    expect(live.map((plan) => plan.coach).sort()).toEqual(['a', 'm']);
    expect(all.map((plan) => plan.id)).toEqual(expectedIds((plan) => plan.tradingDate === dates[4]));
    expect(all.filter((plan) => plan.deletedAt !== null).map((plan) => plan.coach)).toEqual(['d']);
  });

  it('returns an empty page past the end', async () => {
    expect(await repository.list({ limit: 5, after: { tradingDate: '2000-01-01', id: 1 } })).toEqual([]);
  });
});

describe.each(STORE_BACKENDS)('plan list on $name reads every field', (backend) => {
  it('gives each plan on a page exactly what a single read gives, edits, deletion and archived charts included', async () => {
    const { store, dispose: close } = await backend.open();
    try {
      const plans = store.plans;
      const first = await plans.insert(
        planDraft({
          sourceMessageId: 'message-1',
          charts: [chartInput('one.png'), chartInput('two.png', { contentType: null, size: null })],
        }),
      );
      // Text that JSON has to escape comes back as written (SQLite hands a page's charts over as JSON).
      const quoted = await plans.insert(
        planDraft({
          coach: 'q',
          charts: [
            chartInput('a "quoted" \\ name\t📈 é.png', { url: 'https://cdn.example.invalid/a?b="c"' }),
          ],
        }),
      );
      await plans.insert(
        planDraft({ coach: 'a', author: { id: null, name: 'Imported' }, guildId: null, channelId: null }),
      );
      await plans.update(first.id, {
        text: 'Edited text',
        editor: { id: '222', name: 'Admin' },
        editedAt: '2026-03-02T14:00:00.000Z',
        charts: [chartInput('three.png'), chartInput('four.png', { width: null, height: null })],
      });
      const four = (await plans.getById(first.id))!.charts.find((chart) => chart.filename === 'four.png')!;
      await store.charts.recordArchived(four.id, {
        sha256: 'ab'.repeat(32),
        size: 99,
        contentType: 'image/png',
        width: 10,
        height: 10,
        archivedAt: '2026-03-02T14:30:00.000Z',
      });
      await plans.softDelete(first.id, { id: '333', name: 'Mod' }, '2026-03-02T15:00:00.000Z');

      const page = await plans.list({ tradingDate: '2026-03-02', includeDeleted: true, limit: 10 });
      expect(page).toHaveLength(3);
      expect(page.find((plan) => plan.id === quoted.id)!.charts[0]).toMatchObject({
        filename: 'a "quoted" \\ name\t📈 é.png',
        url: 'https://cdn.example.invalid/a?b="c"',
      });
      for (const plan of page) {
        expect(plan).toStrictEqual(await plans.getById(plan.id, { includeDeleted: true }));
      }
      const edited = page.find((plan) => plan.id === first.id)!;
      expect(edited).toMatchObject({ text: 'Edited text', deletedAt: '2026-03-02T15:00:00.000Z' });
      expect(edited.charts.map((chart) => [chart.filename, chart.archiveStatus, chart.sha256])).toEqual([
        ['three.png', 'none', null],
        ['four.png', 'archived', 'ab'.repeat(32)],
      ]);
    } finally {
      await close();
    }
  });
});
