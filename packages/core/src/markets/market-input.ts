import { isValidTradingDate, tradingDateIn } from '../shared/dates.js';
import { ValidationError } from '../shared/errors.js';
import { PROBABILITY_UNIT, SHARE_UNIT } from '../shared/fixed-point.js';
import { zonedWallTimeToInstant } from '../shared/zoned-time.js';
import type { Market, MarketResolution } from './market-types.js';
import type { Mechanism } from './mechanisms/pricing-state.js';

// How people type markets in chat (Discord commands and forms): close times, mechanisms, market ids, options,
// resolutions and amounts. Pure; every front end reads them the same way.

/** What a member picks: an automated market maker (cpmm for two options, lmsr for more) or a parimutuel pool. */
export type MechanismChoice = 'amm' | 'pool';

/** The engine's mechanism for a member's choice and the number of options. */
export function mechanismFor(choice: MechanismChoice, optionCount: number): Mechanism {
  if (choice === 'pool') return 'pool';
  return optionCount === 2 ? 'cpmm' : 'lmsr';
}

const DURATION = /^(\d{1,4})\s*(m|min|h|d)$/i;
const TIME_TODAY = /^([01]?\d|2[0-3]):([0-5]\d)$/;
const DATE_AND_TIME = /^(\d{4}-\d{2}-\d{2})[ T]([01]?\d|2[0-3]):([0-5]\d)$/;
const UNIT_MS: Record<string, number> = { m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A close time as typed: a duration (`90m`, `3h`, `2d`), a time today (`16:00`) or a date and time
 * (`2026-11-27 16:00`), both in `timezone`. Returns the ISO instant; VALIDATION with the accepted forms otherwise.
 */
export function parseCloseTime(text: string, now: Date, timezone: string): string {
  const typed = text.trim();
  const duration = DURATION.exec(typed);
  if (duration) {
    const amount = Number(duration[1]);
    if (amount < 1) throw new ValidationError('The market must stay open for at least a minute.', 'closes');
    return new Date(now.getTime() + amount * UNIT_MS[duration[2]!.toLowerCase()]!).toISOString();
  }
  const pad = (hour: string) => hour.padStart(2, '0');
  const time = TIME_TODAY.exec(typed);
  if (time) {
    const instant = zonedWallTimeToInstant(
      tradingDateIn(timezone, now),
      `${pad(time[1]!)}:${time[2]}`,
      timezone,
    );
    if (instant.getTime() <= now.getTime()) {
      throw new ValidationError(
        `${typed} today has already passed; give a later time, a date and time, or a duration like 3h.`,
        'closes',
      );
    }
    return instant.toISOString();
  }
  const dated = DATE_AND_TIME.exec(typed);
  if (dated) {
    if (!isValidTradingDate(dated[1]!)) throw new ValidationError(`'${typed}' is not a real date.`, 'closes');
    return zonedWallTimeToInstant(dated[1]!, `${pad(dated[2]!)}:${dated[3]}`, timezone).toISOString();
  }
  throw new ValidationError(
    `'${typed.slice(0, 40)}' is not a close time. Use a duration (3h, 90m, 2d), a time today (16:00) or a date and time (2026-11-27 16:00).`,
    'closes',
  );
}

/** The options typed one per line; empty means Yes/No (undefined lets the engine's default apply). */
export function parseOptionLines(text: string | null | undefined): string[] | undefined {
  const lines = (text ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  return lines.length === 0 ? undefined : lines;
}

/** A market id as typed: `12` or `#12`; VALIDATION otherwise. */
export function parseMarketId(token: string): number {
  const typed = token.trim();
  if (typed === '') throw new ValidationError('Name the market by its id, such as 12.', 'market');
  const match = /^#?(\d{1,12})$/.exec(typed);
  const id = match ? Number(match[1]) : Number.NaN;
  if (!Number.isSafeInteger(id) || id < 1) {
    throw new ValidationError(
      `'${typed.slice(0, 40)}' is not a market id; use a number such as 12.`,
      'market',
    );
  }
  return id;
}

/**
 * An option label as compared: any case, and composed (NFC), since a keyboard or a paste may send "ë" as "e"
 * plus a combining diaeresis, which looks the same but is other characters.
 */
export function foldOptionLabel(label: string): string {
  return label.trim().normalize('NFC').toLocaleLowerCase('en-US');
}

/** The index of the option whose label is `token` (any case, however composed), or null. */
export function optionLabelled(
  market: { readonly options: readonly { readonly index: number; readonly label: string }[] },
  token: string,
): number | null {
  const typed = foldOptionLabel(token);
  return market.options.find((option) => foldOptionLabel(option.label) === typed)?.index ?? null;
}

/** The option an entry names: its label (any case), or its number counted from 1. */
export function findOption(market: Pick<Market, 'options'>, token: string): number {
  const byLabel = optionLabelled(market, token);
  if (byLabel !== null) return byLabel;
  const typed = token.trim();
  if (/^\d{1,2}$/.test(typed)) {
    const number = Number(typed);
    if (number >= 1 && number <= market.options.length) return number - 1;
  }
  const labels = market.options.map((option) => option.label).join(', ');
  throw new ValidationError(`'${token.slice(0, 40)}' is not an option of this market: ${labels}.`, 'option');
}

/** Points written with en-US grouping, as the bot shows them: 1,000 or 12,500. */
const GROUPED_POINTS = /^\d{1,3}(,\d{3})+$/;

/**
 * A whole number of points typed by a member: `100`, `1_000` or `1,000` (as the bot writes amounts). Bad input
 * is refused with what is wrong with it; a large whole number is returned for the caller's limit to refuse.
 */
export function parsePoints(token: string, field = 'amount'): number {
  const typed = token.trim().replace(/_/g, '');
  const digits = GROUPED_POINTS.test(typed) ? typed.replace(/,/g, '') : typed;
  if (/^[-−]\d+$/.test(digits) || /^\+?0+$/.test(digits))
    throw new ValidationError('The amount must be at least 1 point.', field);
  if (/^\+?\d+$/.test(digits)) {
    const points = Number(digits.replace(/^\+/, ''));
    // Beyond what a number holds exactly, any limit is exceeded anyway.
    return Number.isSafeInteger(points) ? points : Number.MAX_SAFE_INTEGER;
  }
  throw new ValidationError(`'${token.slice(0, 20)}' is not an amount; use a whole number of points.`, field);
}

/** What a member asked to do with a market: resolve it (to an option or a probability) or cancel it. */
export type SettlementChoice =
  | { readonly kind: 'resolve'; readonly resolution: MarketResolution }
  | { readonly kind: 'cancel' };

/**
 * An option's label (any case), `cancel`, a percentage like `62%` for a binary AMM market (MKT), or an option's
 * number. A label comes first: an option may be called `Cancel` or `3%`, and naming it must resolve to it.
 */
export function parseSettlement(
  market: Pick<Market, 'options' | 'mechanism'>,
  token: string,
): SettlementChoice {
  const byLabel = optionLabelled(market, token);
  if (byLabel !== null) return { kind: 'resolve', resolution: { kind: 'option', option: byLabel } };
  const typed = token.trim();
  if (typed.toLowerCase() === 'cancel') return { kind: 'cancel' };
  const percent = /^(\d{1,3}(?:\.\d+)?)\s*%$/.exec(typed);
  if (percent) {
    if (market.mechanism !== 'cpmm') {
      throw new ValidationError(
        'Only a Yes/No AMM market resolves to a percentage; name an option instead.',
        'outcome',
      );
    }
    const value = Number(percent[1]);
    if (value < 0 || value > 100) throw new ValidationError('A percentage is from 0% to 100%.', 'outcome');
    return {
      kind: 'resolve',
      resolution: { kind: 'probability', probability: Math.round((value / 100) * PROBABILITY_UNIT) },
    };
  }
  return { kind: 'resolve', resolution: { kind: 'option', option: findOption(market, typed) } };
}

/** What `!bet <market> <option> <amount>` names; the option is resolved against the market later. */
export interface BetCommand {
  readonly marketId: number;
  readonly option: string;
  readonly points: number;
}

/** Reads `<market> <option> <amount>`; an option label may have spaces (the amount is the last word). */
export function parseBetCommand(rest: string): BetCommand {
  const words = rest.trim().split(/\s+/).filter(Boolean);
  if (words.length < 3) throw new ValidationError('Name the market, the option and the amount.', 'bet');
  return {
    marketId: parseMarketId(words[0]!),
    option: words.slice(1, -1).join(' '),
    points: parsePoints(words.at(-1)!),
  };
}

/** A user named in chat: a mention `<@123>` / `<@!123>` or a bare id. Null for an empty token. */
export function parseUserMention(token: string): string | null {
  const typed = token.trim();
  if (typed === '') return null;
  const match = /^<@!?(\d{5,25})>$/.exec(typed) ?? /^(\d{5,25})$/.exec(typed);
  if (!match)
    throw new ValidationError(`'${typed.slice(0, 40)}' is not a member; mention them like @name.`, 'user');
  return match[1]!;
}

/** Micro-shares as a member reads them: one decimal (163.2). */
export function formatShares(microShares: number): string {
  return (Math.floor(microShares / (SHARE_UNIT / 10)) / 10).toFixed(1);
}

/** A probability in [0, 1] as a whole percentage, never showing 0% or 100% for a live price. */
export function formatPercent(probability: number): string {
  const percent = probability * 100;
  if (percent > 0 && percent < 1) return '<1%';
  if (percent < 100 && percent > 99) return '>99%';
  return `${Math.round(percent)}%`;
}
