import { describe, expect, it } from 'vitest';
import { STORE_BACKENDS } from '../test-support/backends.js';

describe.each(STORE_BACKENDS)('member names on $name', (backend) => {
  it("keeps each member's latest name per guild, and answers only the names it knows", async () => {
    const { store, dispose } = await backend.open();
    try {
      const names = store.memberNames;
      expect(await names.namesOf('g1', [])).toEqual(new Map());
      await names.remember('g1', 'u1', 'Ann', '2026-11-27T10:00:00.000Z');
      await names.remember('g1', 'u2', 'Bo "the bull" 📈', '2026-11-27T10:00:00.000Z');
      await names.remember('g2', 'u1', 'Ann in another guild', '2026-11-27T10:00:00.000Z');
      await names.remember('g1', 'u1', 'Annie', '2026-11-27T11:00:00.000Z');
      expect(await names.namesOf('g1', ['u1', 'u2', 'u3'])).toEqual(
        new Map([
          ['u1', 'Annie'],
          ['u2', 'Bo "the bull" 📈'],
        ]),
      );
      expect(await names.namesOf('g2', ['u1', 'u2'])).toEqual(new Map([['u1', 'Ann in another guild']]));
      // A leaderboard's worth of ids in one read.
      const many = Array.from({ length: 1500 }, (_, index) => `x${index}`);
      expect((await names.namesOf('g1', [...many, 'u2'])).get('u2')).toBe('Bo "the bull" 📈');
    } finally {
      await dispose();
    }
  });
});
