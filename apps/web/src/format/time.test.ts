import { describe, expect, it } from 'vitest';
import { addDays, dateIn, describeCountdown, describeTime, formatTradingDate, isCalendarDate } from './time';

const NOW = new Date('2026-11-20T15:00:00Z'); // 10:00 in New York, 00:00 the next day in Tokyo

describe('describeTime', () => {
  it('says "just now", then minutes, then hours on the same day', () => {
    expect(describeTime('2026-11-20T14:59:30Z', NOW, 'America/New_York').relative).toBe('just now');
    expect(describeTime('2026-11-20T14:59:00Z', NOW, 'America/New_York').relative).toBe('1 minute ago');
    expect(describeTime('2026-11-20T14:35:00Z', NOW, 'America/New_York').relative).toBe('25 minutes ago');
    expect(describeTime('2026-11-20T12:00:00Z', NOW, 'America/New_York').relative).toBe('3 hours ago');
  });

  it("counts calendar days in the configured timezone, not the viewer's", () => {
    // 04:30 UTC on the 20th is 23:30 on the 19th in New York (yesterday there) but 13:30 on the 20th in Tokyo.
    const instant = '2026-11-20T04:30:00Z';
    expect(describeTime(instant, NOW, 'America/New_York').relative).toBe('yesterday at 11:30 PM');
    expect(describeTime(instant, new Date('2026-11-20T10:00:00Z'), 'Asia/Tokyo').relative).toBe(
      '5 hours ago',
    );
  });

  it('gives older times as a date and a local clock time', () => {
    expect(describeTime('2026-11-16T14:31:00Z', NOW, 'America/New_York').relative).toBe('Nov 16 at 9:31 AM');
    expect(describeTime('2025-12-31T18:00:00Z', NOW, 'America/New_York').relative).toBe(
      'Dec 31, 2025 at 1:00 PM',
    );
  });

  it('gives the full local time with the zone for the tooltip', () => {
    expect(describeTime('2026-11-20T14:31:00Z', NOW, 'America/New_York').absolute).toBe(
      'Fri, Nov 20, 2026, 9:31 AM EST',
    );
    expect(describeTime('2026-11-20T14:31:00Z', NOW, 'Europe/London').absolute).toBe(
      'Fri, Nov 20, 2026, 2:31 PM GMT',
    );
  });

  it('does not say "ago" for a time ahead of the clock (a skewed server)', () => {
    expect(describeTime('2026-11-20T15:05:00Z', NOW, 'America/New_York').relative).toBe('today at 10:05 AM');
  });
});

describe('dates', () => {
  it('reads the calendar date of an instant in a zone', () => {
    expect(dateIn('America/New_York', new Date('2026-11-20T03:00:00Z'))).toBe('2026-11-19');
    expect(dateIn('Asia/Tokyo', new Date('2026-11-20T15:00:00Z'))).toBe('2026-11-21');
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('names a trading date for headings', () => {
    expect(formatTradingDate('2026-11-20')).toBe('Friday, November 20, 2026');
  });

  it('counts down to a market close', () => {
    expect(describeCountdown('2026-11-20T15:20:00Z', NOW)).toBe('closes in 20 min');
    expect(describeCountdown('2026-11-20T20:00:00Z', NOW)).toBe('closes in 5 h');
    expect(describeCountdown('2026-11-25T15:00:00Z', NOW)).toBe('closes in 5 days');
    expect(describeCountdown('2026-11-20T14:00:00Z', NOW)).toBe('closed');
  });
});

describe('isCalendarDate', () => {
  it('accepts real YYYY-MM-DD dates only', () => {
    expect(isCalendarDate('2026-11-27')).toBe(true);
    expect(isCalendarDate('2028-02-29')).toBe(true);
    for (const bad of ['2026-02-31', '2026-13-45', '2027-02-29', '2026-1-5', '2026-11-27x', '']) {
      expect(isCalendarDate(bad), bad).toBe(false);
    }
  });
});
