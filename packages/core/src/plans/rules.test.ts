import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../shared/cursor.js';
import { isValidTradingDate, parseTradingDate, tradingDateIn } from '../shared/dates.js';
import { ValidationError } from '../shared/errors.js';
import { SlidingWindowRateLimiter } from '../shared/rate-limiter.js';
import { DEFAULT_COACHES, resolveCoach } from './coaches.js';
import { normalizePlanText, selectCharts } from './plan-rules.js';
import { discordTimestamp, renderError, renderHelp } from './renderers.js';

describe('domain rules', () => {
  it('resolves coaches case-insensitively and names the valid ones otherwise', () => {
    expect(resolveCoach(' D ', DEFAULT_COACHES).id).toBe('d');
    expect(resolveCoach('coach_n', DEFAULT_COACHES).id).toBe('n');
    expect(() => resolveCoach('x', DEFAULT_COACHES)).toThrow(
      "Invalid coach name 'x'. Valid coaches: d, i, s, n",
    );
  });

  it('accepts only strict, real calendar dates', () => {
    expect(isValidTradingDate('2024-02-29')).toBe(true);
    for (const bad of ['2023-02-29', '2026-13-01', '2026-1-01', '20261101', '2026-11-31', ' 2026-11-01x']) {
      expect(isValidTradingDate(bad), bad).toBe(false);
    }
    expect(() => parseTradingDate('tomorrow')).toThrow(ValidationError);
  });

  it('computes today in the configured timezone, not the server one', () => {
    const lateEvening = new Date('2026-11-21T02:00:00Z');
    expect(tradingDateIn('America/New_York', lateEvening)).toBe('2026-11-20');
    expect(tradingDateIn('Asia/Tokyo', lateEvening)).toBe('2026-11-21');
  });

  it('trims plan text and enforces its bounds', () => {
    expect(normalizePlanText('  hi\n')).toBe('hi');
    expect(normalizePlanText('a'.repeat(4000))).toHaveLength(4000);
    expect(() => normalizePlanText('a'.repeat(4001))).toThrow(/4001 characters/);
    expect(() => normalizePlanText(' \n ')).toThrow(/empty/);
    // Only invisible characters (zero-width spaces, a byte-order mark) is no plan either.
    expect(() => normalizePlanText('\u200b\u200b ')).toThrow(/empty/);
    expect(() => normalizePlanText('\ufeff\u200d')).toThrow(/empty/);
    expect(normalizePlanText('\u200bSPY 👨\u200d💻')).toBe('\u200bSPY 👨\u200d💻');
  });

  it('takes images by content type or extension', () => {
    const { charts, ignored } = selectCharts([
      { url: 'u', filename: 'x.webp' },
      { url: 'u', filename: 'x.bmp', contentType: 'image/bmp' },
      { url: 'u', filename: 'x.png', contentType: 'text/plain' },
      { url: 'u', filename: 'png' },
    ]);
    expect(charts).toHaveLength(2);
    expect(ignored.map((item) => item.filename)).toEqual(['x.png', 'png']);
  });

  it('rate limits with a sliding window and says how long to wait', () => {
    let now = 0;
    const limiter = new SlidingWindowRateLimiter({ max: 2, windowMs: 10_000 }, { now: () => now });
    limiter.consume('u');
    now = 4000;
    limiter.consume('u');
    now = 5000;
    expect(() => limiter.consume('u')).toThrow(/Try again in 5 s/);
    expect(limiter.waitTime('other')).toBe(0);
    now = 10_001;
    limiter.consume('u');
  });

  it('round-trips cursors and rejects forged ones', () => {
    expect(decodeCursor(encodeCursor({ tradingDate: '2026-11-20', id: 7 }))).toEqual({
      tradingDate: '2026-11-20',
      id: 7,
    });
    fc.assert(
      fc.property(fc.string(), (value) => {
        try {
          decodeCursor(value);
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
        }
      }),
    );
  });

  it('renders Discord timestamps, help with every coach, and errors with usage', () => {
    expect(discordTimestamp('2026-11-20T00:00:00Z')).toBe('<t:1795132800:R>');
    expect(
      renderHelp({ prefixUsages: ['!help'], slashCommands: ['/plan post'] }, DEFAULT_COACHES).fields[0]
        ?.value,
    ).toContain('Coach N (News/Events)');
    const text = renderError(new ValidationError('Plan text is empty.'), '!plan <coach>: <text>');
    expect(text).toContain('Usage: `!plan <coach>: <text>`');
  });
});
