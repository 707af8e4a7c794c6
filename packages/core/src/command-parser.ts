import { normalizeCoachToken } from './coaches.js';
import { parseTradingDate } from './dates.js';
import { ValidationError } from './errors.js';

/** What a prefix command asks for; coach tokens are raw (the service resolves and validates them). */
export type ParsedCommand =
  | { readonly name: 'plan'; readonly coach: string; readonly text: string }
  | { readonly name: 'edit'; readonly target: CommandTarget; readonly text: string }
  | { readonly name: 'delete'; readonly target: CommandTarget }
  | { readonly name: 'plans'; readonly tradingDate?: string }
  | { readonly name: 'myplans'; readonly tradingDate?: string }
  | { readonly name: 'history'; readonly target: CommandTarget }
  | { readonly name: 'help' };

export type CommandName = ParsedCommand['name'];

export type CommandTarget =
  | { readonly planId: number }
  | { readonly coach: string; readonly tradingDate?: string };

/** One usage line per prefix command, shown with every error. `{p}` is the prefix. */
const USAGE: Record<CommandName, string> = {
  plan: '{p}plan <coach>: <text>  (attach up to the allowed number of chart images)',
  edit: '{p}edit <coach> [YYYY-MM-DD] <new text>  or  {p}edit <plan id> <new text>',
  delete: '{p}delete <coach> [YYYY-MM-DD]  or  {p}delete <plan id>',
  plans: '{p}plans [YYYY-MM-DD]',
  myplans: '{p}myplans [YYYY-MM-DD]',
  history: '{p}history <coach> [YYYY-MM-DD]  or  {p}history <plan id>',
  help: '{p}help',
};

export const COMMAND_NAMES = Object.keys(USAGE) as CommandName[];

/** The usage line of a command with the configured prefix. */
export function commandUsage(name: CommandName, prefix = '!'): string {
  return USAGE[name].replaceAll('{p}', prefix);
}

export interface ParseOptions {
  readonly prefix: string;
  /** Configured coach ids; a token naming one is a coach even if it is numeric. */
  readonly coachIds: readonly string[];
}

const LOOKS_LIKE_DATE = /^\d{4}-\d{1,2}-\d{1,2}$/;
const PLAN_ID = /^#?(\d{1,15})$/;

/** The plan id a user typed (`12` or `#12`), or null when the token is not one. */
export function parsePlanIdToken(token: string): number | null {
  const match = PLAN_ID.exec(token.trim());
  return match ? Number(match[1]) : null;
}

/**
 * Parses a message into a command. Returns null when the message is not one of our commands
 * (so other bots' commands are left alone); throws VALIDATION (with `details.usage`) when it is ours but malformed.
 */
export function parsePrefixCommand(content: string, options: ParseOptions): ParsedCommand | null {
  const prefix = options.prefix;
  if (prefix.length === 0 || !content.startsWith(prefix)) return null;
  const body = content.slice(prefix.length);
  const nameMatch = /^([A-Za-z]+)(?=\s|$)/.exec(body);
  if (!nameMatch) return null;
  const name = nameMatch[1]!.toLowerCase();
  if (!(name in USAGE)) return null;
  const command = name as CommandName;
  const rest = body.slice(nameMatch[0].length);
  const fail = (message: string, field?: string): never => {
    throw new ValidationError(message, field, { usage: commandUsage(command, prefix), command });
  };
  const withUsage = <T>(parse: () => T): T => {
    try {
      return parse();
    } catch (error) {
      if (error instanceof ValidationError) return fail(error.message, error.field);
      throw error;
    }
  };

  switch (command) {
    case 'help':
      return { name: 'help' };
    case 'plans':
    case 'myplans': {
      const token = rest.trim();
      if (token === '') return { name: command };
      if (/\s/.test(token)) fail(`Unexpected text after the date.`);
      return { name: command, tradingDate: withUsage(() => parseTradingDate(token)) };
    }
    case 'plan': {
      const { token, remainder } = takeCoachToken(rest);
      if (!token) fail('Name the coach before the plan text.', 'coach');
      return { name: 'plan', coach: token!, text: remainder.trim() };
    }
    case 'edit': {
      const { target, remainder } = withUsage(() => takeTarget(rest, options.coachIds));
      if (!target) return fail('Name the coach or plan id, then the new text.', 'coach');
      return { name: 'edit', target, text: remainder.trim() };
    }
    case 'delete':
    case 'history': {
      const { target, remainder } = withUsage(() => takeTarget(rest, options.coachIds));
      if (!target) return fail('Name the coach or plan id.', 'coach');
      if (remainder.trim() !== '') fail(`Unexpected text: '${truncate(remainder.trim(), 40)}'.`);
      return { name: command, target };
    }
  }
}

/** Splits `d: text`, `d:text`, `D text` or `coach_d text` into the coach token and the rest (newlines kept). */
function takeCoachToken(input: string): { token: string | null; remainder: string } {
  const match = /^\s*([^\s:]+)(?::|(?=\s)|$)/.exec(input);
  if (!match) return { token: null, remainder: input };
  return { token: match[1]!, remainder: input.slice(match[0].length) };
}

function takeTarget(
  input: string,
  coachIds: readonly string[],
): { target: CommandTarget | null; remainder: string } {
  const { token, remainder } = takeCoachToken(input);
  if (!token) return { target: null, remainder };
  const idMatch = PLAN_ID.exec(token);
  if (idMatch && !coachIds.includes(normalizeCoachToken(token))) {
    return { target: { planId: Number(idMatch[1]) }, remainder };
  }
  const dateMatch = /^\s*(\S+)/.exec(remainder);
  if (dateMatch && LOOKS_LIKE_DATE.test(dateMatch[1]!)) {
    const tradingDate = parseTradingDate(dateMatch[1]!);
    return { target: { coach: token, tradingDate }, remainder: remainder.slice(dateMatch[0].length) };
  }
  return { target: { coach: token }, remainder };
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
