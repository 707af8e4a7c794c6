import { describe, expect, it } from 'vitest';
import { parseCloseTime } from '../markets/market-input.js';
import { zonedWallTimeToInstant } from './zoned-time.js';

const at = (date: string, time: string, zone: string) =>
  zonedWallTimeToInstant(date, time, zone).toISOString();

describe('wall-clock times in a zone', () => {
  it('reads ordinary times with the offset in force then, on either side of UTC', () => {
    expect(at('2026-11-27', '16:00', 'America/New_York')).toBe('2026-11-27T21:00:00.000Z');
    expect(at('2026-07-06', '16:00', 'America/New_York')).toBe('2026-07-06T20:00:00.000Z');
    expect(at('2026-11-27', '16:00', 'Asia/Tokyo')).toBe('2026-11-27T07:00:00.000Z');
    expect(at('2026-11-27', '16:00', 'Pacific/Auckland')).toBe('2026-11-27T03:00:00.000Z');
    expect(at('2026-11-27', '16:00', 'UTC')).toBe('2026-11-27T16:00:00.000Z');
  });

  it('reads a time the clocks skip as that far past the jump, in every zone', () => {
    // New York springs from 02:00 EST to 03:00 EDT: 02:30 is 03:30 EDT, not 01:30 EST.
    expect(at('2026-03-08', '02:30', 'America/New_York')).toBe('2026-03-08T07:30:00.000Z');
    expect(at('2026-03-08', '01:30', 'America/New_York')).toBe('2026-03-08T06:30:00.000Z');
    expect(at('2026-03-08', '03:00', 'America/New_York')).toBe('2026-03-08T07:00:00.000Z');
    // Auckland springs from 02:00 NZST to 03:00 NZDT: 02:30 is 03:30 NZDT.
    expect(at('2026-09-27', '02:30', 'Pacific/Auckland')).toBe('2026-09-26T14:30:00.000Z');
    // Berlin springs from 02:00 CET to 03:00 CEST: 02:30 is 03:30 CEST.
    expect(at('2026-03-29', '02:30', 'Europe/Berlin')).toBe('2026-03-29T01:30:00.000Z');
  });

  it('reads a time the clocks show twice as the first of the two, in every zone', () => {
    // New York falls back from 02:00 EDT to 01:00 EST: 01:30 EDT comes first.
    expect(at('2026-11-01', '01:30', 'America/New_York')).toBe('2026-11-01T05:30:00.000Z');
    // Auckland falls back from 03:00 NZDT to 02:00 NZST: 02:30 NZDT comes first.
    expect(at('2026-04-05', '02:30', 'Pacific/Auckland')).toBe('2026-04-04T13:30:00.000Z');
    // London falls back from 02:00 BST to 01:00 GMT: 01:30 BST comes first.
    expect(at('2026-10-25', '01:30', 'Europe/London')).toBe('2026-10-25T00:30:00.000Z');
  });

  it('takes a skipped time typed before the jump as still to come, not as passed', () => {
    // 01:45 EST on the night New York springs forward: 02:30 is 45 minutes away (03:30 EDT).
    const night = new Date('2026-03-08T06:45:00Z');
    expect(parseCloseTime('02:30', night, 'America/New_York')).toBe('2026-03-08T07:30:00.000Z');
  });
});
