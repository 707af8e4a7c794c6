import { parseArgs } from 'node:util';

/** A command line the process does not accept: what is wrong, and how to fix it (printed, then exit 2). */
export class ArgumentError extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
    this.name = 'ArgumentError';
  }
}

/** One flag a process accepts: `--name VALUE` (string) or `--name` (boolean), with an optional `-x` form. */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
}

/** The flags given, by name: a string for string flags, true for boolean ones; absent when not given. */
export type FlagValues<Flags extends Record<string, FlagSpec>> = {
  readonly [Name in keyof Flags]?: Flags[Name]['type'] extends 'string' ? string : boolean;
};

/**
 * Reads a process's flags with node:util's parseArgs, strictly: an unknown flag, a positional argument or a
 * flag without its value is an ArgumentError naming it, so a typo is refused instead of silently ignored.
 */
export function parseProcessArgs<const Flags extends Record<string, FlagSpec>>(
  argv: readonly string[],
  flags: Flags,
  fix = 'Run with --help to see the accepted flags.',
): FlagValues<Flags> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options: flags, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new ArgumentError(describeParseError(error), fix);
  }
  // parseArgs takes `--port ""` as a value; an empty value is as good as none.
  for (const [name, value] of Object.entries(values)) {
    if (value === '') throw new ArgumentError(`--${name} needs a value.`, fix);
  }
  return values as FlagValues<Flags>;
}

function describeParseError(error: unknown): string {
  const { code, message } = error as { code?: string; message: string };
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? '';
  const flag = quoted.split(' ')[0] ?? quoted;
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `Unknown argument '${flag}'.`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `Unexpected argument '${flag}'.`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return message.includes('does not take an argument')
        ? `${flag} takes no value.`
        : `${flag} needs a value.`;
    default:
      return message;
  }
}
