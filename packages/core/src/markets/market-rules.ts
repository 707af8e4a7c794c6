import { isValidTradingDate } from '../shared/dates.js';
import { ValidationError } from '../shared/errors.js';
import { PROBABILITY_UNIT } from '../shared/fixed-point.js';
import { pointCount } from '../shared/point-count.js';
import { assertWellFormedFields, assertWellFormedText } from '../shared/well-formed-text.js';
import { foldOptionLabel } from './market-input.js';
import type { Market, MarketPhase } from './market-types.js';
import { MECHANISMS, type Mechanism } from './mechanisms/pricing-state.js';

export const MAX_QUESTION_LENGTH = 300;
export const MAX_DESCRIPTION_LENGTH = 2000;
export const MAX_OPTION_LABEL_LENGTH = 50;
export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 10;
export const MIN_SUBSIDY = 100;
/** Subsidies are capped so pools in micro-shares stay far inside float64's exact integers. */
export const MAX_SUBSIDY = 1_000_000;
export const MAX_CLOSE_DAYS = 366;
export const DEFAULT_SUBSIDY = 100;

/** A market as its creator asks for it. */
export interface CreateMarketInput {
  readonly question: string;
  readonly description?: string | null | undefined;
  /** Defaults to Yes/No. cpmm takes exactly two (YES first). */
  readonly options?: readonly string[] | undefined;
  readonly mechanism: Mechanism;
  /** ISO-8601 instant. */
  readonly closesAt: string;
  /** Points for an AMM's maker (default 100); ignored by the pool. */
  readonly subsidy?: number | undefined;
  /** cpmm's starting P(YES), 0.01 to 0.99 (default 0.5). */
  readonly initialProbability?: number | undefined;
  readonly planId?: number | null | undefined;
  readonly coachId?: string | null | undefined;
}

/** The validated, normalised form of CreateMarketInput. */
export interface MarketDraft {
  readonly question: string;
  readonly description: string | null;
  readonly options: readonly string[];
  readonly mechanism: Mechanism;
  readonly closesAt: string;
  readonly subsidy: number;
  readonly weight: number;
  readonly planId: number | null;
  readonly coachId: string | null;
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Whether text has a character that shows: not only spaces, zero-width and other format characters. */
const hasVisibleText = (text: string) => /[^\p{Z}\p{Cf}\p{Cc}\s]/u.test(text);

/** Checks every creation rule and returns the normalised draft, or throws VALIDATION naming the field. */
export function validateMarketDraft(input: CreateMarketInput, now: Date): MarketDraft {
  if (!MECHANISMS.includes(input.mechanism)) {
    throw new ValidationError(`Unknown mechanism '${input.mechanism}'. Use cpmm, lmsr or pool.`, 'mechanism');
  }
  const question = oneLine(input.question ?? '');
  if (!hasVisibleText(question)) throw new ValidationError('A market needs a question.', 'question');
  if (question.length > MAX_QUESTION_LENGTH) {
    throw new ValidationError(`The question is longer than ${MAX_QUESTION_LENGTH} characters.`, 'question');
  }
  const description = input.description?.trim() ? input.description.trim() : null;
  if (description && description.length > MAX_DESCRIPTION_LENGTH) {
    throw new ValidationError(
      `The description is longer than ${MAX_DESCRIPTION_LENGTH} characters.`,
      'description',
    );
  }
  assertWellFormedFields({ question, description });
  const options = validateOptions(input.options ?? ['Yes', 'No'], input.mechanism);
  const closesAt = validateCloseTime(input.closesAt, now);
  const subsidy = input.mechanism === 'pool' ? 0 : validateSubsidy(input.subsidy ?? DEFAULT_SUBSIDY);
  const weight = input.mechanism === 'cpmm' ? validateInitialProbability(input.initialProbability ?? 0.5) : 0;
  return {
    question,
    description,
    options,
    mechanism: input.mechanism,
    closesAt,
    subsidy,
    weight,
    planId: input.planId ?? null,
    coachId: input.coachId ?? null,
  };
}

function validateOptions(labels: readonly string[], mechanism: Mechanism): string[] {
  const options = labels.map(oneLine);
  if (mechanism === 'cpmm' && options.length !== 2) {
    throw new ValidationError('A cpmm market has exactly two options (YES first, then NO).', 'options');
  }
  if (options.length < MIN_OPTIONS || options.length > MAX_OPTIONS) {
    throw new ValidationError(`A market has ${MIN_OPTIONS} to ${MAX_OPTIONS} options.`, 'options');
  }
  const seen = new Set<string>();
  for (const label of options) {
    assertWellFormedText(label, 'options');
    // Zero-width characters alone made a button that reads "Bet " and looks blank.
    if (!hasVisibleText(label)) throw new ValidationError('An option label is empty.', 'options');
    if (label.length > MAX_OPTION_LABEL_LENGTH) {
      throw new ValidationError(
        `Option '${label.slice(0, 20)}…' is longer than ${MAX_OPTION_LABEL_LENGTH} characters.`,
        'options',
      );
    }
    const folded = foldOptionLabel(label);
    if (seen.has(folded)) throw new ValidationError(`Option '${label}' appears twice.`, 'options');
    // A resolution names its outcome by label, and MKT there means "at a probability".
    if (folded === 'mkt') {
      throw new ValidationError(
        "'MKT' cannot be an option: it names a resolution at a probability.",
        'options',
      );
    }
    seen.add(folded);
  }
  return options;
}

/**
 * The settings `/market create` reads before its form (close time, subsidy, initial probability), checked as
 * `validateMarketDraft` will check them, so the form opens only when the market can be created with them.
 */
export function validateMarketSettings(
  input: {
    readonly closesAt: string;
    readonly pool: boolean;
    readonly subsidy?: number | null;
    readonly initialProbability?: number | null;
  },
  now: Date,
): void {
  validateCloseTime(input.closesAt, now);
  // An AMM market is cpmm or lmsr by its number of options, known only later: only pool is known here.
  if (input.pool) refuseSettingsOfAnotherMechanism('pool', input);
  if (!input.pool && input.subsidy != null) validateSubsidy(input.subsidy);
  if (input.initialProbability != null) validateInitialProbability(input.initialProbability);
}

/** An ISO-8601 date and time with its offset; the date part is checked as a calendar date separately. */
const CLOSE_TIME =
  /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/i;

function validateCloseTime(input: string, now: Date): string {
  // Date.parse alone reads 2026-02-30 as March 2, a time without an offset as UTC, and "Dec 1" as a date.
  const match = CLOSE_TIME.exec(input.trim());
  const time = match && isValidTradingDate(match[1]!) ? Date.parse(input.trim()) : Number.NaN;
  if (Number.isNaN(time)) {
    throw new ValidationError(
      `Invalid close time '${input.slice(0, 40)}'. Use an ISO-8601 date and time with its offset, e.g. ` +
        '2026-12-01T21:00:00Z or 2026-12-01T16:00:00-05:00.',
      'closesAt',
    );
  }
  if (time <= now.getTime()) throw new ValidationError('The close time must be in the future.', 'closesAt');
  if (time > now.getTime() + MAX_CLOSE_DAYS * 86_400_000) {
    throw new ValidationError(`The close time must be at most ${MAX_CLOSE_DAYS} days away.`, 'closesAt');
  }
  return new Date(time).toISOString();
}

/**
 * Refuses a setting the mechanism has no use for, for the Discord form, which would otherwise drop it without a
 * word: a pool market has no maker to subsidise, and only cpmm starts at a chosen probability (lmsr and pool
 * start even). The API documents both as ignored and keeps accepting them.
 */
export function refuseSettingsOfAnotherMechanism(
  mechanism: Mechanism,
  input: {
    readonly subsidy?: number | null | undefined;
    readonly initialProbability?: number | null | undefined;
  },
): void {
  if (mechanism === 'pool' && input.subsidy != null) {
    throw new ValidationError(
      'A pool market has no subsidy: its pot is the stakes alone. Leave the subsidy out, or choose an AMM market.',
      'subsidy',
    );
  }
  if (mechanism !== 'cpmm' && input.initialProbability != null) {
    throw new ValidationError(
      `Only a two-option AMM market (cpmm) starts at a chosen probability; ${mechanism === 'lmsr' ? 'an' : 'a'} ${mechanism} market starts with every option even. Leave the initial probability out.`,
      'initialProbability',
    );
  }
}

function validateSubsidy(subsidy: number): number {
  if (!Number.isInteger(subsidy) || subsidy < MIN_SUBSIDY || subsidy > MAX_SUBSIDY) {
    throw new ValidationError(
      `The subsidy must be a whole number of points from ${MIN_SUBSIDY.toLocaleString('en-US')} to ${MAX_SUBSIDY.toLocaleString('en-US')}.`,
      'subsidy',
    );
  }
  return subsidy;
}

function validateInitialProbability(probability: number): number {
  if (!Number.isFinite(probability) || probability < 0.01 || probability > 0.99) {
    throw new ValidationError('The initial probability must be from 0.01 to 0.99.', 'initialProbability');
  }
  return Math.round(probability * PROBABILITY_UNIT);
}

/** Open until the close time, closed after it, until it is resolved or cancelled. No timer involved. */
export function marketPhase(market: Pick<Market, 'status' | 'closesAt'>, now: Date | string): MarketPhase {
  if (market.status !== 'open') return market.status;
  const at = typeof now === 'string' ? now : now.toISOString();
  return at < market.closesAt ? 'open' : 'closed';
}

/** A bet or sell amount: a whole number from 1 to `max`. */
export function validateTradeAmount(points: number, max: number, field = 'amount'): number {
  if (!Number.isSafeInteger(points) || points < 1) {
    throw new ValidationError('The amount must be a whole number of points, at least 1.', field);
  }
  if (points > max) throw new ValidationError(`The most you can bet at once is ${pointCount(max)}.`, field);
  return points;
}

/** The option index of a market, or VALIDATION naming the valid ones. */
export function validateOption(market: Market, option: number): number {
  if (!Number.isInteger(option) || option < 0 || option >= market.options.length) {
    const labels = market.options.map((entry) => `${entry.index} (${entry.label})`).join(', ');
    throw new ValidationError(`Unknown option ${option}. This market's options are ${labels}.`, 'option');
  }
  return option;
}
