import { ConflictError, NotFoundError, type PlanEventLog, type PlanRepository } from '@coachwire/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CoachwireDatabase } from '../database.js';
import { type OpenedTestStore, STORE_BACKENDS } from '../test-support/backends.js';
import { chartInput, migratedTempDatabase, planDraft } from '../test-support/temp-database.js';
import { SqlitePlanRepository } from './sqlite-plan-repository.js';

const editor = { id: '222', name: 'Admin A' };

describe.each(STORE_BACKENDS)('plan repository on $name', (backend) => {
  let opened: OpenedTestStore;
  let repository: PlanRepository & PlanEventLog;

  beforeEach(async () => {
    opened = await backend.open();
    repository = opened.store.plans;
  });
  afterEach(() => opened.dispose());

  /** Rows of every plan, live or deleted, their charts and plan events. */
  const rowCounts = async () => (await opened.store.integrityCheck()).counts;

  it('stores a plan with its charts and reads it back by id, by coach and date, and by source message', async () => {
    const inserted = await repository.insert(
      planDraft({
        sourceMessageId: 'msg-1',
        charts: [chartInput('a.png'), chartInput('b.png', { size: null })],
      }),
    );

    expect(inserted).toMatchObject({
      coach: 'd',
      tradingDate: '2026-03-02',
      text: 'Long SPY above 510, stop 507.',
      author: { id: '111', name: 'Coach D' },
      guildId: 'guild-1',
      channelId: 'channel-1',
      channelName: 'plans',
      sourceMessageId: 'msg-1',
      createdAt: '2026-03-02T13:00:00.000Z',
      editedAt: null,
      deletedAt: null,
    });
    expect(
      inserted.charts.map((chart) => [chart.position, chart.filename, chart.size, chart.archiveStatus]),
    ).toEqual([
      [0, 'a.png', 1234, 'none'],
      [1, 'b.png', null, 'none'],
    ]);
    expect(await repository.getById(inserted.id)).toEqual(inserted);
    expect(await repository.getLive('d', '2026-03-02')).toEqual(inserted);
    expect(await repository.getBySourceMessageId('msg-1')).toEqual(inserted);
    expect(await repository.getLive('d', '2026-03-03')).toBeNull();
    expect(await repository.getById(inserted.id + 1)).toBeNull();
  });

  it('keeps an imported plan without an author id', async () => {
    const plan = await repository.insert(planDraft({ author: { id: null, name: 'Legacy Coach' } }));
    expect((await repository.getById(plan.id))?.author).toEqual({ id: null, name: 'Legacy Coach' });
  });

  it('rejects a second live plan for the same coach and date with CONFLICT', async () => {
    await repository.insert(planDraft());
    const second = repository.insert(planDraft({ text: 'another', charts: [chartInput('x.png')] }));
    await expect(second).rejects.toBeInstanceOf(ConflictError);
    await expect(second).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await rowCounts()).toMatchObject({ plans: 1, charts: 0, events: 1 });
  });

  it('allows the same date for another coach', async () => {
    await repository.insert(planDraft({ coach: 'd' }));
    const other = await repository.insert(planDraft({ coach: 'm' }));
    expect(await repository.getLive('m', '2026-03-02')).toEqual(other);
  });

  it('soft-deletes a plan and lets the coach post that date again', async () => {
    const first = await repository.insert(planDraft({ sourceMessageId: 'msg-1' }));
    const deleted = await repository.softDelete(first.id, editor, '2026-03-02T15:00:00.000Z');
    expect(deleted.deletedAt).toBe('2026-03-02T15:00:00.000Z');
    expect(await repository.getLive('d', '2026-03-02')).toBeNull();
    expect(await repository.getById(first.id)).toBeNull();
    expect(await repository.getById(first.id, { includeDeleted: true })).toEqual(deleted);
    expect(await repository.getBySourceMessageId('msg-1')).toEqual(deleted);

    const again = await repository.insert(
      planDraft({ text: 'Reposted plan', createdAt: '2026-03-02T16:00:00.000Z' }),
    );
    expect(again.id).not.toBe(first.id);
    expect(await repository.getLive('d', '2026-03-02')).toEqual(again);
    await expect(repository.softDelete(first.id, editor, '2026-03-02T17:00:00.000Z')).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('records the previous text and the editor as a revision on every update', async () => {
    const plan = await repository.insert(planDraft({ text: 'v1', charts: [chartInput('a.png')] }));
    const v2 = await repository.update(plan.id, { text: 'v2', editor, editedAt: '2026-03-02T14:00:00.000Z' });
    expect(v2).toMatchObject({ text: 'v2', editedAt: '2026-03-02T14:00:00.000Z', sourceMessageId: null });
    expect(v2.charts.map((chart) => chart.filename)).toEqual(['a.png']);
    expect(v2.author).toEqual(plan.author);

    const author = { id: '111', name: 'Coach D' };
    const v3 = await repository.update(plan.id, {
      text: 'v3',
      editor: author,
      editedAt: '2026-03-02T15:00:00.000Z',
      charts: [chartInput('c.png'), chartInput('d.png')],
      sourceMessageId: 'msg-2',
    });
    expect(v3.charts.map((chart) => [chart.position, chart.filename])).toEqual([
      [0, 'c.png'],
      [1, 'd.png'],
    ]);
    expect(v3.sourceMessageId).toBe('msg-2');
    expect((await rowCounts()).charts).toBe(2);

    const revisions = await repository.history(plan.id);
    expect(revisions.map((revision) => [revision.previousText, revision.editor, revision.editedAt])).toEqual([
      ['v2', author, '2026-03-02T15:00:00.000Z'],
      ['v1', editor, '2026-03-02T14:00:00.000Z'],
    ]);
  });

  it('refuses to update or delete a plan that does not exist or is deleted', async () => {
    await expect(
      repository.update(42, { text: 'x', editor, editedAt: '2026-03-02T14:00:00.000Z' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const plan = await repository.insert(planDraft());
    await repository.softDelete(plan.id, editor, '2026-03-02T14:00:00.000Z');
    await expect(
      repository.update(plan.id, { text: 'x', editor, editedAt: '2026-03-02T15:00:00.000Z' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await repository.history(plan.id)).toEqual([]);
  });

  it('appends one event per change with the plan payload, readable after an id', async () => {
    expect(await repository.latestEventId()).toBe(0);
    const plan = await repository.insert(planDraft());
    await repository.update(plan.id, { text: 'v2', editor, editedAt: '2026-03-02T14:00:00.000Z' });
    await repository.softDelete(plan.id, editor, '2026-03-02T15:00:00.000Z');

    const events = await repository.eventsAfter(0, 10);
    expect(events.map((event) => [event.type, event.planId, event.occurredAt])).toEqual([
      ['plan.created', plan.id, '2026-03-02T13:00:00.000Z'],
      ['plan.updated', plan.id, '2026-03-02T14:00:00.000Z'],
      ['plan.deleted', plan.id, '2026-03-02T15:00:00.000Z'],
    ]);
    expect(events[2]?.payload).toEqual({
      id: plan.id,
      coach: 'd',
      tradingDate: '2026-03-02',
      authorId: '111',
      authorName: 'Coach D',
      editedAt: '2026-03-02T14:00:00.000Z',
      deletedAt: '2026-03-02T15:00:00.000Z',
    });
    const latest = await repository.latestEventId();
    expect(latest).toBe(events[2]?.id);
    expect(await repository.eventsAfter(events[0]!.id, 1)).toEqual([events[1]]);
    expect(await repository.eventsAfter(latest, 10)).toEqual([]);
  });

  it('rolls back the plan when a chart row breaks a constraint', async () => {
    const badChart = { ...chartInput('a.png'), url: null as unknown as string };
    await expect(
      repository.insert(planDraft({ charts: [chartInput('ok.png'), badChart] })),
    ).rejects.toMatchObject({
      code: 'STORAGE_UNAVAILABLE',
    });
    expect(await rowCounts()).toMatchObject({ plans: 0, charts: 0, events: 0 });
  });

  it('counts live plans, their charts and edits in stats', async () => {
    expect(await repository.stats()).toEqual({
      totalPlans: 0,
      totalCharts: 0,
      totalEdits: 0,
      latestPlanAt: null,
    });
    const kept = await repository.insert(planDraft({ charts: [chartInput('a.png'), chartInput('b.png')] }));
    await repository.update(kept.id, { text: 'v2', editor, editedAt: '2026-03-02T14:00:00.000Z' });
    const gone = await repository.insert(
      planDraft({ coach: 'm', charts: [chartInput('c.png')], createdAt: '2026-03-02T18:00:00.000Z' }),
    );
    await repository.softDelete(gone.id, editor, '2026-03-02T19:00:00.000Z');
    expect(await repository.stats()).toEqual({
      totalPlans: 1,
      totalCharts: 2,
      totalEdits: 1,
      latestPlanAt: '2026-03-02T13:00:00.000Z',
    });
  });

  it('lists each author once, deleted plans and authorless imports included', async () => {
    expect(await repository.authorIds()).toEqual([]);
    await repository.insert(planDraft({ author: { id: '111', name: 'Coach D' } }));
    await repository.insert(planDraft({ coach: 'i', author: { id: '111', name: 'Coach D' } }));
    const gone = await repository.insert(planDraft({ coach: 'm', author: { id: '222', name: 'Coach M' } }));
    await repository.softDelete(gone.id, editor, '2026-03-02T19:00:00.000Z');
    await repository.insert(planDraft({ coach: 's', author: { id: null, name: 'Coach S' } }));
    expect((await repository.authorIds()).sort()).toEqual(['111', '222', null].sort());
  });
});

describe('SqlitePlanRepository transactions', () => {
  let handle: CoachwireDatabase;
  let dispose: () => void;
  let repository: SqlitePlanRepository;

  beforeEach(async () => {
    ({ handle, dispose } = await migratedTempDatabase());
    repository = new SqlitePlanRepository(handle);
  });
  afterEach(() => dispose());

  function rowCount(table: string): number {
    return (handle.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  }

  it('leaves nothing behind when the event insert fails half-way through a change', async () => {
    handle.sqlite.exec(
      "CREATE TRIGGER fail_event BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'boom'); END",
    );
    await expect(repository.insert(planDraft({ charts: [chartInput('a.png')] }))).rejects.toMatchObject({
      code: 'STORAGE_UNAVAILABLE',
    });
    expect([rowCount('plans'), rowCount('charts'), rowCount('events')]).toEqual([0, 0, 0]);

    handle.sqlite.exec('DROP TRIGGER fail_event');
    const plan = await repository.insert(planDraft({ text: 'v1', charts: [chartInput('a.png')] }));
    handle.sqlite.exec(
      "CREATE TRIGGER fail_event BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'boom'); END",
    );
    await expect(
      repository.update(plan.id, {
        text: 'v2',
        editor,
        editedAt: '2026-03-02T14:00:00.000Z',
        charts: [chartInput('b.png')],
      }),
    ).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    await expect(repository.softDelete(plan.id, editor, '2026-03-02T15:00:00.000Z')).rejects.toMatchObject({
      code: 'STORAGE_UNAVAILABLE',
    });
    expect(await repository.getById(plan.id)).toEqual(plan);
    expect(await repository.history(plan.id)).toEqual([]);
    expect(rowCount('events')).toBe(1);
  });
});
