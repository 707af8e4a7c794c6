import { describe, expect, it } from 'vitest';
import { ValidationError } from '../shared/errors.js';
import {
  parseCoachAndText,
  parsePlanIdToken,
  parseTarget,
  parseTargetAndText,
  splitPrefixCommand,
} from './command-parser.js';

describe('parsePlanIdToken', () => {
  it('reads `12` and `#12` and nothing else', () => {
    expect(parsePlanIdToken('12')).toBe(12);
    expect(parsePlanIdToken(' #7 ')).toBe(7);
    expect(parsePlanIdToken('d')).toBeNull();
    expect(parsePlanIdToken('12a')).toBeNull();
  });
});

describe('splitPrefixCommand', () => {
  it('splits the lower-cased name from the rest, and leaves other text alone', () => {
    expect(splitPrefixCommand('!PLAN d: x', '!')).toEqual({ name: 'plan', rest: ' d: x' });
    expect(splitPrefixCommand('!help', '!')).toEqual({ name: 'help', rest: '' });
    expect(splitPrefixCommand('!planet', '!')).toEqual({ name: 'planet', rest: '' });
    expect(splitPrefixCommand('hello', '!')).toBeNull();
    expect(splitPrefixCommand('!2plan', '!')).toBeNull();
    expect(splitPrefixCommand('!plan', '')).toBeNull();
  });
});

describe('parseCoachAndText', () => {
  it('ends the coach at a colon typed after a space, so the colon is not stored as the start of the plan', () => {
    expect(parseCoachAndText(' d : SPY long')).toEqual({ coach: 'd', text: 'SPY long' });
    expect(parseCoachAndText(' d: SPY long')).toEqual({ coach: 'd', text: 'SPY long' });
    expect(parseCoachAndText(' d SPY long')).toEqual({ coach: 'd', text: 'SPY long' });
    expect(parseCoachAndText(' d\n: line two')).toEqual({ coach: 'd', text: ': line two' });
    // A date-like first word is the trading date, with or without a colon after it, and must exist.
    expect(parseCoachAndText(' d 2026-11-30 SPY long')).toEqual({
      coach: 'd',
      text: 'SPY long',
      tradingDate: '2026-11-30',
    });
    expect(parseCoachAndText(' d: 2026-11-30: SPY long')).toEqual({
      coach: 'd',
      text: 'SPY long',
      tradingDate: '2026-11-30',
    });
    expect(() => parseCoachAndText(' d 2026-02-30 SPY long')).toThrow(ValidationError);
    expect(parseCoachAndText(' d SPY 600-610 range')).toEqual({ coach: 'd', text: 'SPY 600-610 range' });
  });
});

describe('parseTargetAndText and parseTarget', () => {
  const coachIds = ['d', 'i'];

  it('refuses a date that is not YYYY-MM-DD instead of editing the plan with it as the first word', () => {
    for (const bad of ['26-11-27', '2026-2-30', '11/27/2026', '2026/11/27']) {
      expect(() => parseTargetAndText(` d ${bad} new text`, coachIds), bad).toThrow(`Invalid date '${bad}'`);
      expect(() => parseTarget(` d ${bad}`, coachIds), bad).toThrow(`Invalid date '${bad}'`);
    }
  });

  it('still reads a real date, and text that merely starts with numbers', () => {
    expect(parseTargetAndText(' d 2026-11-27 new text', coachIds)).toEqual({
      target: { coach: 'd', tradingDate: '2026-11-27' },
      text: 'new text',
    });
    expect(parseTargetAndText(' d 3-5 points of upside', coachIds).text).toBe('3-5 points of upside');
  });
});

describe('parseTarget with a number that is no plan id', () => {
  it('says it is not a plan id, instead of calling it a coach name', () => {
    for (const token of ['-1', '1.5', '#-3', '9999999999999999999']) {
      expect(() => parseTarget(token, ['d', 'i']), token).toThrow(`'${token}' is not a plan id`);
    }
    expect(parseTarget('#12', ['d'])).toEqual({ target: { planId: 12 } });
    expect(parseTarget('d 2026-11-27', ['d'])).toEqual({ target: { coach: 'd', tradingDate: '2026-11-27' } });
  });
});

describe('splitPrefixCommand', () => {
  it('reads the command past leading spaces and zero-width characters around its name', () => {
    for (const content of [' !help', '!help\u200b', '\u200b!help', '!help\u2060 ']) {
      expect(splitPrefixCommand(content, '!'), JSON.stringify(content)).toMatchObject({ name: 'help' });
    }
    expect(splitPrefixCommand('!plan\u200b d: text', '!')).toEqual({ name: 'plan', rest: ' d: text' });
    // Still not a command: another prefix, or a word glued to the name.
    expect(splitPrefixCommand('?help', '!')).toBeNull();
    expect(splitPrefixCommand('!help\u200bme', '!')).toBeNull();
  });
});
