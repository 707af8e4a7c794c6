import { describe, expect, it } from 'vitest';
import {
  findOption,
  formatPercent,
  formatShares,
  mechanismFor,
  parseBetCommand,
  parseCloseTime,
  parseMarketId,
  parseOptionLines,
  parseSettlement,
  parseUserMention,
} from './market-input.js';

const zone = 'America/New_York';
// 2026-11-27 10:00 in New York.
const now = new Date('2026-11-27T15:00:00Z');
const market = {
  mechanism: 'cpmm' as const,
  options: [
    { index: 0, label: 'Yes', pool: 0 },
    { index: 1, label: 'No', pool: 0 },
  ],
};

describe('close times as members type them', () => {
  it('reads durations from now', () => {
    expect(parseCloseTime('3h', now, zone)).toBe('2026-11-27T18:00:00.000Z');
    expect(parseCloseTime('90m', now, zone)).toBe('2026-11-27T16:30:00.000Z');
    expect(parseCloseTime('2d', now, zone)).toBe('2026-11-29T15:00:00.000Z');
  });

  it('reads a time today and a date and time in the configured timezone', () => {
    expect(parseCloseTime('16:00', now, zone)).toBe('2026-11-27T21:00:00.000Z');
    expect(parseCloseTime('2026-12-01 9:30', now, zone)).toBe('2026-12-01T14:30:00.000Z');
  });

  it('refuses a time today that has passed, an impossible date and anything else, naming the forms', () => {
    expect(() => parseCloseTime('09:00', now, zone)).toThrow(/already passed/);
    expect(() => parseCloseTime('2026-02-31 10:00', now, zone)).toThrow(/not a real date/);
    expect(() => parseCloseTime('tomorrow', now, zone)).toThrow(/duration \(3h/);
  });
});

describe('market tokens', () => {
  it('picks cpmm for two options, lmsr for more, and the pool when asked', () => {
    expect(mechanismFor('amm', 2)).toBe('cpmm');
    expect(mechanismFor('amm', 3)).toBe('lmsr');
    expect(mechanismFor('pool', 2)).toBe('pool');
  });

  it('reads options one per line, empty meaning the default Yes/No', () => {
    expect(parseOptionLines(' A \n\nB\n')).toEqual(['A', 'B']);
    expect(parseOptionLines('  \n')).toBeUndefined();
  });

  it('reads market ids with or without #, and options by label or number', () => {
    expect(parseMarketId('#12')).toBe(12);
    expect(() => parseMarketId('twelve')).toThrow(/not a market id/);
    // `!market abc` hands over ' abc': the reply quotes what was typed, and says what is missing when nothing was.
    expect(() => parseMarketId(' abc')).toThrow("'abc' is not a market id");
    expect(() => parseMarketId(' 12 extra')).toThrow("'12 extra' is not a market id");
    expect(() => parseMarketId('')).toThrow('Name the market by its id, such as 12.');
    expect(() => parseMarketId('  ')).toThrow('Name the market by its id, such as 12.');
    expect(findOption(market, 'YES')).toBe(0);
    expect(findOption(market, '2')).toBe(1);
    expect(() => findOption(market, 'maybe')).toThrow(/Yes, No/);
  });

  it('reads a bet whose option label has spaces', () => {
    expect(parseBetCommand('#4 Above 5000 250')).toEqual({ marketId: 4, option: 'Above 5000', points: 250 });
    expect(() => parseBetCommand('4 yes')).toThrow(/market, the option and the amount/);
    expect(() => parseBetCommand('4 yes lots')).toThrow(/not an amount/);
  });

  it('reads a settlement: cancel, an option, or a percentage for a binary AMM only', () => {
    expect(parseSettlement(market, 'cancel')).toEqual({ kind: 'cancel' });
    expect(parseSettlement(market, 'no')).toEqual({
      kind: 'resolve',
      resolution: { kind: 'option', option: 1 },
    });
    expect(parseSettlement(market, '62%')).toEqual({
      kind: 'resolve',
      resolution: { kind: 'probability', probability: 620_000_000 },
    });
    expect(() => parseSettlement({ ...market, mechanism: 'pool' }, '62%')).toThrow(/Only a Yes\/No AMM/);
  });

  it('reads mentions and bare ids, and formats shares and percentages', () => {
    expect(parseUserMention('<@!123456>')).toBe('123456');
    expect(parseUserMention('')).toBeNull();
    expect(() => parseUserMention('bob')).toThrow(/mention them/);
    expect(formatShares(163_249_999)).toBe('163.2');
    expect(formatPercent(0.614)).toBe('61%');
    expect(formatPercent(0.004)).toBe('<1%');
  });
});
