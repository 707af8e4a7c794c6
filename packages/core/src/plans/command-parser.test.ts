import { describe, expect, it } from 'vitest';
import { parsePlanIdToken, splitPrefixCommand } from './command-parser.js';

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
