import { describe, expect, it } from 'vitest';
import { CoachwireError } from '../shared/errors.js';
import { DEFAULT_COACHES } from './coaches.js';
import { InMemoryPlanRepository } from './in-memory-repository.js';
import { PlanService, type PlanServiceOptions } from './plan-service.js';
import type { Coach } from './types.js';

const alice = { id: '111', name: 'alice' };
const bob = { id: '222', name: 'bob' };
const fakeAlice = { id: '333', name: 'alice' };

function setup(overrides: Partial<PlanServiceOptions> = {}) {
  let now = Date.parse('2026-11-20T15:00:00Z');
  const clock = { now: () => now };
  const repository = new InMemoryPlanRepository();
  const service = new PlanService({
    repository,
    coaches: DEFAULT_COACHES,
    timezone: 'America/New_York',
    clock,
    admins: { userIds: ['999'], roleIds: ['admin-role'] },
    ...overrides,
  });
  return { service, repository, advance: (ms: number) => (now += ms) };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CoachwireError) return error.code;
    throw error;
  }
  return 'resolved';
}

describe('PlanService', () => {
  it("posts today's plan in the configured timezone with the coach normalized", async () => {
    const { service } = setup({ clock: { now: () => Date.parse('2026-11-21T03:30:00Z') } });
    const { plan, created } = await service.post(alice, { coach: ' D ', text: '  SPY above 500  ' });
    expect(created).toBe(true);
    expect(plan.coach).toBe('d');
    expect(plan.tradingDate).toBe('2026-11-20');
    expect(plan.text).toBe('SPY above 500');
    expect(plan.author).toEqual(alice);
  });

  it('replaces the live plan when the author posts again and records a revision', async () => {
    const { service } = setup();
    const first = await service.post(alice, { coach: 'd', text: 'first' });
    const second = await service.post(alice, { coach: 'd', text: 'second' });
    expect(second.created).toBe(false);
    expect(second.plan.id).toBe(first.plan.id);
    expect(second.plan.text).toBe('second');
    const { revisions } = await service.history({ planId: first.plan.id });
    expect(revisions.map((revision) => revision.previousText)).toEqual(['first']);
  });

  it("refuses to replace another author's plan, even under the same display name", async () => {
    const { service } = setup();
    await service.post(alice, { coach: 'd', text: 'mine' });
    expect(await codeOf(service.post(bob, { coach: 'd', text: 'theirs' }))).toBe('FORBIDDEN');
    expect(await codeOf(service.edit(fakeAlice, { coach: 'd' }, { text: 'impostor' }))).toBe('FORBIDDEN');
    expect((await service.get({ coach: 'd' })).text).toBe('mine');
    // The refusal names the owner; under a shared display name it says it is another account.
    await expect(service.post(bob, { coach: 'd', text: 'theirs' })).rejects.toThrow(/belongs to alice\./);
    await expect(service.post(fakeAlice, { coach: 'd', text: 'impostor' })).rejects.toThrow(
      'belongs to another account also named alice (user id 111)',
    );
  });

  it('lets configured admins and members with admin permission edit and delete any plan', async () => {
    const { service } = setup();
    const { plan } = await service.post(alice, { coach: 'd', text: 'mine' });
    await service.edit({ id: '999', name: 'admin' }, { planId: plan.id }, { text: 'by admin' });
    await service.edit(
      { id: '5', name: 'mod', roleIds: ['admin-role'] },
      { planId: plan.id },
      { text: 'by role' },
    );
    await service.edit(
      { id: '6', name: 'manager', hasAdminPermission: true },
      { planId: plan.id },
      { text: 'by perm' },
    );
    expect((await service.get({ planId: plan.id })).text).toBe('by perm');
    await service.delete({ id: '999', name: 'admin' }, { planId: plan.id });
    expect(await codeOf(service.get({ planId: plan.id }))).toBe('NOT_FOUND');
  });

  it('lets only admins change imported plans whose author has no Discord id', async () => {
    const { service, repository } = setup();
    const plan = await repository.insert({
      coach: 'd',
      tradingDate: '2026-11-19',
      text: 'old',
      author: { id: null, name: 'alice' },
      guildId: null,
      channelId: null,
      channelName: 'plans',
      sourceMessageId: null,
      charts: [],
      createdAt: '2026-11-19T12:00:00.000Z',
    });
    expect(await codeOf(service.edit(alice, { planId: plan.id }, { text: 'x' }))).toBe('FORBIDDEN');
    await service.edit({ id: '999', name: 'admin' }, { planId: plan.id }, { text: 'fixed' });
  });

  it('refuses a coach restricted to roles for members without them', async () => {
    const coaches: Coach[] = [
      { id: 'd', name: 'Coach D', allowedRoleIds: ['coach-d'], allowedUserIds: ['444'] },
    ];
    const { service } = setup({ coaches });
    expect(await codeOf(service.post(alice, { coach: 'd', text: 'x' }))).toBe('FORBIDDEN');
    await service.post(
      { ...bob, roleIds: ['coach-d'] },
      { coach: 'd', text: 'by role', tradingDate: '2026-11-18' },
    );
    await service.post(
      { id: '444', name: 'listed' },
      { coach: 'd', text: 'by user', tradingDate: '2026-11-17' },
    );
  });

  it('refuses edits and deletes by an author who has since lost the role a restricted coach needs', async () => {
    const coaches: Coach[] = [{ id: 'd', name: 'Coach D', allowedRoleIds: ['coach-d'], allowedUserIds: [] }];
    const { service } = setup({ coaches });
    const { plan } = await service.post({ ...alice, roleIds: ['coach-d'] }, { coach: 'd', text: 'mine' });
    expect(await codeOf(service.edit(alice, { planId: plan.id }, { text: 'after demotion' }))).toBe(
      'FORBIDDEN',
    );
    expect(await codeOf(service.delete(alice, { planId: plan.id }))).toBe('FORBIDDEN');
    await service.edit({ ...alice, roleIds: ['coach-d'] }, { planId: plan.id }, { text: 'still allowed' });
  });

  it('posts afresh when the live plan is deleted between reading and replacing it', async () => {
    const { service, repository } = setup();
    const { plan } = await service.post(alice, { coach: 'd', text: 'first' });
    const update = repository.update.bind(repository);
    let raced = false;
    repository.update = async (planId, change) => {
      if (!raced) {
        raced = true;
        await repository.softDelete(planId, alice, '2026-11-20T15:00:00.000Z');
      }
      return update(planId, change);
    };
    const again = await service.post(alice, { coach: 'd', text: 'second' });
    expect(again.created).toBe(true);
    expect(again.plan.id).not.toBe(plan.id);
    expect(again.plan.text).toBe('second');
  });

  it('validates coach, text, date and charts with typed errors', async () => {
    const { service } = setup();
    expect(await codeOf(service.post(alice, { coach: 'x', text: 'hi' }))).toBe('VALIDATION');
    expect(await codeOf(service.post(alice, { coach: 'd', text: '   ' }))).toBe('VALIDATION');
    expect(await codeOf(service.post(alice, { coach: 'd', text: 'a'.repeat(4001) }))).toBe('VALIDATION');
    expect(await codeOf(service.post(alice, { coach: 'd', text: 'hi', tradingDate: '2026-02-30' }))).toBe(
      'VALIDATION',
    );
    const charts = Array.from({ length: 11 }, (_, index) => ({
      url: `https://cdn.example.invalid/u${index}`,
      filename: `c${index}.png`,
    }));
    expect(await codeOf(service.post(alice, { coach: 'd', text: 'hi', charts }))).toBe('VALIDATION');
    expect(await service.list({ limit: 200 })).toEqual({ items: [], nextCursor: null });
  });

  it('keeps image charts and reports the other attachments as ignored', async () => {
    const { service } = setup();
    const result = await service.post(alice, {
      coach: 'd',
      text: 'with charts',
      charts: [
        { url: 'https://cdn.example.invalid/a', filename: 'a.png', contentType: 'image/png' },
        { url: 'https://cdn.example.invalid/b', filename: 'notes.pdf', contentType: 'application/pdf' },
        { url: 'https://cdn.example.invalid/c', filename: 'chart.JPG' },
      ],
    });
    expect(result.plan.charts.map((chart) => chart.filename)).toEqual(['a.png', 'chart.JPG']);
    expect(result.ignored.map((item) => item.filename)).toEqual(['notes.pdf']);
  });

  it('allows posting again after a delete', async () => {
    const { service } = setup();
    await service.post(alice, { coach: 'd', text: 'one' });
    await service.delete(alice, { coach: 'd' });
    const again = await service.post(bob, { coach: 'd', text: 'two' });
    expect(again.created).toBe(true);
    expect(again.plan.author).toEqual(bob);
  });

  it('pages through plans with an opaque cursor without gaps or repeats', async () => {
    const { service } = setup();
    for (let day = 1; day <= 9; day++) {
      for (const coach of ['d', 'i']) {
        await service.post(alice, { coach, text: `p${day}${coach}`, tradingDate: `2026-11-0${day}` });
      }
    }
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await service.list({ limit: 4, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((plan) => plan.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(18);
    expect(new Set(seen).size).toBe(18);
    expect(await codeOf(service.list({ cursor: 'garbage' }))).toBe('VALIDATION');
    expect(await codeOf(service.list({ limit: 0 }))).toBe('VALIDATION');
    expect((await service.list({ from: '2026-11-08', to: '2026-11-09', coach: 'D' })).items).toHaveLength(2);
  });

  it('applies an edit of the source message only within the edit window', async () => {
    const { service, advance } = setup({ editWindowMinutes: 15 });
    await service.post(alice, { coach: 'd', text: 'v1', sourceMessageId: 'm1' });
    advance(10 * 60_000);
    expect((await service.editFromSourceMessage(alice, 'm1', 'v2'))?.text).toBe('v2');
    advance(6 * 60_000);
    expect(await service.editFromSourceMessage(alice, 'm1', 'v3')).toBeNull();
    expect(await service.editFromSourceMessage(alice, 'unknown', 'v3')).toBeNull();
    expect((await service.findBySourceMessage('m1'))?.text).toBe('v2');
    await service.delete(alice, { coach: 'd' });
    expect(await service.findBySourceMessage('m1')).toBeNull();
  });

  it('lists one date in coach order and reports stats', async () => {
    const { service } = setup();
    await service.post(alice, { coach: 'n', text: 'news' });
    await service.post(alice, {
      coach: 'd',
      text: 'day',
      charts: [{ url: 'https://cdn.example.invalid/u', filename: 'a.png' }],
    });
    expect((await service.listDate()).map((plan) => plan.coach)).toEqual(['d', 'n']);
    const stats = await service.stats();
    expect(stats.totalPlans).toBe(2);
    expect(stats.totalCharts).toBe(1);
  });
});
