import { parseTradingDate } from '../shared/dates.js';
import { ValidationError } from '../shared/errors.js';
import { normalizeCoachToken } from './coaches.js';

/**
 * Pure helpers for the argument grammar of prefix commands. Which command uses which grammar is the bot's
 * business (each command's definition names its own); these only read text and throw VALIDATION.
 */

/** Which plan a command names: by id, or by coach and an optional trading date. Coach tokens are raw. */
export type CommandTarget =
  | { readonly planId: number }
  | { readonly coach: string; readonly tradingDate?: string };

/**
 * A token meant as a date, well formed or not (`2026-11-27`, `26-11-27`, `11/27/2026`): read as the date and
 * refused when it is not YYYY-MM-DD, rather than taken for the first word of the new text.
 */
const LOOKS_LIKE_DATE = /^\d{1,4}[-/]\d{1,2}[-/]\d{1,4}$/;
const PLAN_ID = /^#?(\d{1,15})$/;
/** What a user means as a number: signs, decimals, any length. */
const NUMBER_LIKE = /^#?[-+]?\d*[.,]?\d+$/;

/** The plan id a user typed (`12` or `#12`), or null when the token is not one. */
export function parsePlanIdToken(token: string): number | null {
  const match = PLAN_ID.exec(token.trim());
  return match ? Number(match[1]) : null;
}

/**
 * Splits `!name rest` into the lower-cased command name and the text after it. Null when the message does not
 * start with the prefix and a word (so other bots' commands and ordinary chat are left alone).
 */
export function splitPrefixCommand(content: string, prefix: string): { name: string; rest: string } | null {
  // Spaces and invisible format characters (a zero-width space pasted or typed by a phone keyboard) around
  // the command name are not part of it: ` !help` and `!help\u200b` went unanswered.
  const message = content.replace(/^[\s\p{Cf}]+/u, '');
  if (prefix.length === 0 || !message.startsWith(prefix)) return null;
  const body = message.slice(prefix.length);
  const nameMatch = /^([A-Za-z]+)\p{Cf}*(?=\s|$)/u.exec(body);
  if (!nameMatch) return null;
  return { name: nameMatch[1]!.toLowerCase(), rest: body.slice(nameMatch[0].length) };
}

/** `d: text`, `d:text`, `d : text`, `D text` or `coach_d text`: the coach token, then the text (newlines kept). */
export function parseCoachAndText(rest: string): { coach: string; text: string; tradingDate?: string } {
  const { token, remainder } = takeCoachToken(rest);
  if (!token) throw new ValidationError('Name the coach before the plan text.', 'coach');
  // A date-like first word is the trading date, as in `!edit d 2026-11-28 …`, and must be a real one: taken
  // as text, `!plan d 2026-02-30 …` replaced today's plan.
  const dateMatch = /^\s*(\S+?):?(?=\s|$)/.exec(remainder);
  if (dateMatch && LOOKS_LIKE_DATE.test(dateMatch[1]!)) {
    const tradingDate = parseTradingDate(dateMatch[1]!);
    return { coach: token, text: remainder.slice(dateMatch[0].length).trim(), tradingDate };
  }
  return { coach: token, text: remainder.trim() };
}

/** `<coach> [YYYY-MM-DD] <text>` or `<plan id> <text>`. */
export function parseTargetAndText(
  rest: string,
  coachIds: readonly string[],
): { target: CommandTarget; text: string } {
  const { target, remainder } = takeTarget(rest, coachIds);
  if (!target) throw new ValidationError('Name the coach or plan id, then the new text.', 'coach');
  return { target, text: remainder.trim() };
}

/** `<coach> [YYYY-MM-DD]` or `<plan id>`, and nothing after it. */
export function parseTarget(rest: string, coachIds: readonly string[]): { target: CommandTarget } {
  const { target, remainder } = takeTarget(rest, coachIds);
  if (!target) throw new ValidationError('Name the coach or plan id.', 'coach');
  if (remainder.trim() !== '')
    throw new ValidationError(`Unexpected text: '${truncate(remainder.trim(), 40)}'.`);
  return { target };
}

/** Nothing after the command's name (`!daily`): text there is refused, not silently ignored. */
export function parseNoArguments(rest: string): Record<string, never> {
  const extra = rest.trim();
  if (extra !== '') throw new ValidationError(`Unexpected text: '${truncate(extra, 40)}'.`);
  return {};
}

/** An optional `YYYY-MM-DD` and nothing else. */
export function parseOptionalDate(rest: string): { tradingDate?: string } {
  const token = rest.trim();
  if (token === '') return {};
  if (/\s/.test(token)) throw new ValidationError('Unexpected text after the date.');
  return { tradingDate: parseTradingDate(token) };
}

function takeCoachToken(input: string): { token: string | null; remainder: string } {
  // A colon after the coach, even after a space (`d : text`), ends the coach token and is not part of the text.
  const match = /^\s*([^\s:]+)(?:[^\S\n]*:|(?=\s)|$)/.exec(input);
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
  // A number that is no plan id (-1, 1.5, 16 digits or more) was called an invalid coach name.
  if (NUMBER_LIKE.test(token) && !coachIds.includes(normalizeCoachToken(token))) {
    throw new ValidationError(`'${truncate(token, 40)}' is not a plan id; use a number such as 12.`, 'plan');
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
