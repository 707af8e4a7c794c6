import { ValidationError } from '@coachwire/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findPrefixCall, readPrefixArgs } from '../prefix/prefix-commands.js';
import { prefixUsage } from './bot-command.js';
import { postCommand } from './post.js';
import { BOT_COMMANDS } from './registry.js';

// The prefix grammar of every command, read through the registry as the router reads it.
function parsePrefixCommand(content: string, options: { prefix: string; coachIds: readonly string[] }) {
  const call = findPrefixCall(content, BOT_COMMANDS, options.prefix);
  if (!call) return null;
  return { name: call.form.name, ...(readPrefixArgs(call, options) as object) };
}
const commandUsage = (_name: 'plan', prefix: string) => prefixUsage(postCommand.prefix!, prefix);

const options = { prefix: '!', coachIds: ['d', 'i', 's', 'n'] };
const parse = (content: string) => parsePrefixCommand(content, options);

describe('parsePrefixCommand', () => {
  it('parses the old `!plan d: text` form and the new forms, keeping newlines in the text', () => {
    expect(parse('!plan d: SPY above 500')).toEqual({ name: 'plan', coach: 'd', text: 'SPY above 500' });
    expect(parse('!plan d:SPY')).toEqual({ name: 'plan', coach: 'd', text: 'SPY' });
    expect(parse('!plan D line one\nline two')).toEqual({
      name: 'plan',
      coach: 'D',
      text: 'line one\nline two',
    });
    expect(parse('!PLAN coach_s swing')).toEqual({ name: 'plan', coach: 'coach_s', text: 'swing' });
    expect(parse('!plan d')).toEqual({ name: 'plan', coach: 'd', text: '' });
  });

  it('tells a plan id from a coach and reads an optional date', () => {
    expect(parse('!edit 42 new text')).toEqual({ name: 'edit', target: { planId: 42 }, text: 'new text' });
    expect(parse('!edit #42 new text')).toEqual({ name: 'edit', target: { planId: 42 }, text: 'new text' });
    expect(parse('!edit d 2026-11-20 new')).toEqual({
      name: 'edit',
      target: { coach: 'd', tradingDate: '2026-11-20' },
      text: 'new',
    });
    expect(parse('!edit d new')).toEqual({ name: 'edit', target: { coach: 'd' }, text: 'new' });
    expect(parse('!delete 7')).toEqual({ name: 'delete', target: { planId: 7 } });
    expect(parse('!delete i 2026-11-19')).toEqual({
      name: 'delete',
      target: { coach: 'i', tradingDate: '2026-11-19' },
    });
    expect(parse('!history s')).toEqual({ name: 'history', target: { coach: 's' } });
    expect(parse('!plans')).toEqual({ name: 'plans' });
    expect(parse('!myplans 2026-11-20')).toEqual({ name: 'myplans', tradingDate: '2026-11-20' });
    expect(parse('!help')).toEqual({ name: 'help' });
  });

  it('treats a numeric coach id as a coach when one is configured', () => {
    expect(parsePrefixCommand('!delete 1', { prefix: '!', coachIds: ['1'] })).toEqual({
      name: 'delete',
      target: { coach: '1' },
    });
  });

  it('ignores messages that are not its commands', () => {
    expect(parse('hello')).toBeNull();
    expect(parse('!play music')).toBeNull();
    expect(parse('!planet')).toBeNull();
    expect(parse('?plan d: x')).toBeNull();
    expect(parsePrefixCommand('$plan d: x', { prefix: '$', coachIds: ['d'] })).toEqual({
      name: 'plan',
      coach: 'd',
      text: 'x',
    });
  });

  it('refuses malformed commands with the usage line', () => {
    for (const content of [
      '!plan',
      '!edit',
      '!delete d extra words',
      '!plans 2026-13-01',
      '!edit d 2026-02-30 x',
    ]) {
      let caught: unknown;
      try {
        parse(content);
      } catch (error) {
        caught = error;
      }
      expect(caught, content).toBeInstanceOf(ValidationError);
      expect((caught as ValidationError).details?.usage).toMatch(/^!/);
    }
    expect(commandUsage('plan', '?')).toContain('?plan <coach>');
  });

  it('never throws anything but a validation error on random input', () => {
    const token = fc.constantFrom(
      '!plan',
      '!edit',
      '!delete',
      '!plans',
      '!myplans',
      '!history',
      '!help',
      '!',
      '',
    );
    fc.assert(
      fc.property(token, fc.string({ unit: 'grapheme', maxLength: 200 }), (command, rest) => {
        try {
          const result = parse(`${command}${rest}`);
          if (result) expect(typeof result.name).toBe('string');
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
