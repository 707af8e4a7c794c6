import type { MemberNamePort } from '@coachwire/storage';
import { describe, expect, it } from 'vitest';
import { MemberNameRecorder } from './member-names.js';

/** A store that records each write, and fails the writes it is told to. */
function fakeStore() {
  const writes: string[] = [];
  const failing = new Set<string>();
  const settled: Promise<unknown>[] = [];
  const store: MemberNamePort = {
    remember(guildId, userId, name) {
      writes.push(`${guildId}/${userId}=${name}`);
      const write = failing.has(name) ? Promise.reject(new Error('disk full')) : Promise.resolve();
      settled.push(write.catch(() => {}));
      return write;
    },
    namesOf: async () => new Map(),
  };
  return { store, writes, failing, flush: () => Promise.all(settled) };
}

const clock = { now: () => Date.parse('2026-11-27T10:00:00Z') };

describe('MemberNameRecorder', () => {
  it('writes a name once, again when it changes, and never for a guild the bot does not serve', async () => {
    const { store, writes, flush } = fakeStore();
    const warnings: unknown[] = [];
    const recorder = new MemberNameRecorder({
      store,
      guildIds: ['g1'],
      clock,
      logger: { warn: (details: unknown) => void warnings.push(details) },
    });
    recorder.seen('g1', { id: 'u1', name: 'Ann' });
    recorder.seen('g1', { id: 'u1', name: 'Ann' });
    recorder.seen('g1', { id: 'u1', name: 'Annie' });
    recorder.seen('g2', { id: 'u1', name: 'Ann' });
    recorder.seen(null, { id: 'u2', name: 'Bo' });
    recorder.seen('g1', { id: 'u3', name: '  ' });
    await flush();
    expect(writes).toEqual(['g1/u1=Ann', 'g1/u1=Annie']);
    expect(warnings).toEqual([]);
  });

  it('logs a failed write and tries again at the next sighting', async () => {
    const { store, writes, failing, flush } = fakeStore();
    const warnings: { userId?: string }[] = [];
    const recorder = new MemberNameRecorder({
      store,
      guildIds: [],
      clock,
      logger: { warn: (details: { userId?: string }) => void warnings.push(details) },
    });
    failing.add('Cy');
    recorder.seen('g9', { id: 'u4', name: 'Cy' });
    await flush();
    expect(warnings.map((warning) => warning.userId)).toEqual(['u4']);
    failing.clear();
    recorder.seen('g9', { id: 'u4', name: 'Cy' });
    await flush();
    expect(writes).toEqual(['g9/u4=Cy', 'g9/u4=Cy']);
  });
});
