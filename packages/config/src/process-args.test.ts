import { describe, expect, it } from 'vitest';
import { ArgumentError, parseProcessArgs } from './process-args.js';

const flags = {
  config: { type: 'string' },
  mock: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function refusal(argv: string[]): ArgumentError {
  try {
    parseProcessArgs(argv, flags);
  } catch (error) {
    if (error instanceof ArgumentError) return error;
    throw error;
  }
  throw new Error(`accepted ${argv.join(' ')}`);
}

describe('parseProcessArgs', () => {
  it('reads string and boolean flags, inline values and short forms', () => {
    expect(parseProcessArgs(['--config', 'a.yaml', '--mock'], flags)).toEqual({
      config: 'a.yaml',
      mock: true,
    });
    expect(parseProcessArgs(['--config=b.yaml', '-h'], flags)).toEqual({ config: 'b.yaml', help: true });
    expect(parseProcessArgs([], flags)).toEqual({});
  });

  it('refuses unknown flags, stray arguments and missing or unwanted values, each with a fix', () => {
    expect(refusal(['--mokc']).message).toBe("Unknown argument '--mokc'.");
    expect(refusal(['extra']).message).toBe("Unexpected argument 'extra'.");
    expect(refusal(['--config']).message).toBe('--config needs a value.');
    expect(refusal(['--config', '']).message).toBe('--config needs a value.');
    expect(refusal(['--config', '--mock']).message).toBe('--config needs a value.');
    expect(refusal(['--mock=yes']).message).toBe('--mock takes no value.');
    expect(refusal(['--mokc']).fix).toContain('--help');
  });
});
