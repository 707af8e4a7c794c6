import type { Logger } from '@coachwire/config';
import {
  type CoachwireError,
  type ErrorCode,
  isCoachwireError,
  newErrorId,
  renderError,
} from '@coachwire/core';
import { type BotReply, textReply } from './bot-reply.js';

/** Codes whose reply repeats the command's usage line: the user typed something we could not act on. */
const SHOWS_USAGE: ReadonlySet<ErrorCode> = new Set(['VALIDATION', 'NOT_FOUND', 'FORBIDDEN']);
/** Codes that are the user's doing and logged at info; the rest are ours and logged as errors. */
const USER_ERRORS: ReadonlySet<ErrorCode> = new Set([
  'VALIDATION',
  'NOT_FOUND',
  'FORBIDDEN',
  'RATE_LIMITED',
  'CONFLICT',
  'INSUFFICIENT_BALANCE',
  'MARKET_CLOSED',
  'PRICE_MOVED',
]);

export interface ErrorReplyOptions {
  /** The usage line of the command that failed; a parser's own `details.usage` wins. */
  readonly usage?: string | undefined;
  readonly logger: Logger;
  /** Fields for the log line: command, user, guild... */
  readonly log?: Record<string, unknown>;
}

/**
 * The one place that turns any error into the user's reply: a Coachwire error by its code (with the usage line
 * for bad input), anything else as an apology with an error id that matches the logged stack. Always ephemeral.
 */
export function errorReply(error: unknown, options: ErrorReplyOptions): BotReply {
  if (isCoachwireError(error)) {
    const detailUsage = typeof error.details?.usage === 'string' ? error.details.usage : undefined;
    const usage = SHOWS_USAGE.has(error.code) ? (detailUsage ?? options.usage) : undefined;
    logCoachwireError(error, options);
    return textReply(renderError(error, usage), true);
  }
  const errorId = newErrorId();
  options.logger.error({ ...options.log, errorId, err: error }, 'command failed unexpectedly');
  return textReply(
    `⚠️ Something went wrong while handling this command. Try again; if it keeps failing, tell an admin the error id ${errorId}.`,
    true,
  );
}

function logCoachwireError(error: CoachwireError, options: ErrorReplyOptions): void {
  const fields = { ...options.log, errorId: error.errorId, code: error.code, reason: error.message };
  if (USER_ERRORS.has(error.code)) options.logger.info(fields, 'command refused');
  else options.logger.error({ ...fields, err: error }, 'command failed');
}
