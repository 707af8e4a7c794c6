import { describe, expect, it } from 'vitest';
import { isWellFormedText } from '../shared/well-formed-text.js';
import { type ReplyView, renderPlanList } from './renderers.js';
import { clipText, fitReplyView, linesWithin } from './reply-limits.js';
import type { Plan } from './types.js';

const view = (description: string, values: string[]): ReplyView => ({
  title: 'History',
  description,
  fields: values.map((value, index) => ({ name: `edit ${index}`, value })),
  imageUrls: [],
  color: 0,
});

const total = (v: ReplyView) =>
  v.title.length +
  v.description.length +
  v.fields.reduce((sum, f) => sum + f.name.length + f.value.length, 0);

describe('fitting replies to Discord', () => {
  it('clips with an ellipsis and never splits an emoji', () => {
    expect(clipText('abcdef', 4)).toBe('abc…');
    expect(clipText('ab📈cd', 4)).toBe('ab…');
    expect(clipText('abc', 3)).toBe('abc');
  });

  it('keeps whole lines and says how many more there are', () => {
    const lines = Array.from({ length: 50 }, (_, i) => `line ${i}`);
    const text = linesWithin(lines, 60);
    expect(text.length).toBeLessThanOrEqual(60);
    expect(text).toMatch(/^line 0\nline 1\n.*\n… and \d+ more$/s);
    expect(linesWithin(['a', 'b'], 60)).toBe('a\nb');
  });

  it('shortens the longest texts alike until the embed is within 6000 characters', () => {
    const fitted = fitReplyView(view('d'.repeat(1500), Array(10).fill('v'.repeat(1024))));
    expect(total(fitted)).toBeLessThanOrEqual(6000);
    expect(fitted.description).toBe('d'.repeat(1500).slice(0, fitted.description.length - 1) + '…');
    expect(new Set(fitted.fields.map((f) => f.value.length)).size).toBe(1);
    const small = view('short', ['one', 'two']);
    expect(fitReplyView(small)).toEqual(small);
  });

  it('lists a plan whose first line is emoji without sending half of one (a lone surrogate)', () => {
    const plan = {
      id: 7,
      coach: 'd',
      tradingDate: '2026-11-27',
      text: `SPY ${'📈'.repeat(60)}`,
      author: { id: '42', name: 'Dana' },
      charts: [],
      editedAt: null,
    } as unknown as Plan;
    const view = renderPlanList([plan], () => 'Coach D', 'Plans', 'none');
    expect(isWellFormedText(view.description)).toBe(true);
    expect(view.description).toContain('📈…');
  });
});
