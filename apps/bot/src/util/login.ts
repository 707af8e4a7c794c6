import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '@coachwire/config';
import { type Client, DiscordjsErrorCodes, Events } from 'discord.js';

/** Discord refused the token: retrying cannot help, the operator must fix it. */
export class TokenRejectedError extends Error {
  constructor(cause: unknown) {
    super(
      'Discord rejected the bot token (invalid or revoked). Set a valid DISCORD_BOT_TOKEN, or run in mock mode with MOCK_MODE=true.',
      { cause },
    );
    this.name = 'TokenRejectedError';
  }
}

/** Every login attempt failed for reasons other than the token: Discord could not be reached. */
export class DiscordUnreachableError extends Error {
  constructor(
    readonly attempts: number,
    readonly reason: string,
    cause: unknown,
  ) {
    super(
      `Could not connect to Discord after ${attempts} attempt${attempts === 1 ? '' : 's'} (last error: ${reason}).\n` +
        "Fix: check this machine's network connection, DNS (can it resolve discord.com?), any proxy or firewall " +
        'between it and Discord, and that DISCORD_BOT_TOKEN is the bot’s current token; then start the bot again. ' +
        'To try Coachwire without Discord, leave DISCORD_BOT_TOKEN empty (mock mode).',
      { cause },
    );
    this.name = 'DiscordUnreachableError';
  }
}

/** The login was abandoned because the process is shutting down. */
export class LoginAbortedError extends Error {
  constructor() {
    super('Stopped before the bot connected to Discord.');
    this.name = 'LoginAbortedError';
  }
}

/**
 * A one-line reason for a failed login, for logs and /health: the error's message plus the system error
 * underneath (undici reports "fetch failed" with the real ENOTFOUND/ECONNREFUSED as its cause). Never the token.
 */
export function describeLoginError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    const text = current.message || (typeof code === 'string' ? code : current.name);
    if (!parts.some((part) => part.includes(text))) parts.push(text);
    current = current.cause;
  }
  return parts.length > 0 ? parts.join(': ') : String(error);
}

/** True for errors that mean "bad token" rather than "network trouble". */
export function isTokenRejection(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, status, message } = error as { code?: unknown; status?: unknown; message?: unknown };
  return (
    code === DiscordjsErrorCodes.TokenInvalid ||
    code === DiscordjsErrorCodes.TokenMissing ||
    status === 401 ||
    code === 4004 ||
    message === 'An invalid token was provided.'
  );
}

export interface LoginOptions {
  readonly token: string;
  /** Retries after the first failed attempt. */
  readonly attempts: number;
  readonly delaySeconds: number;
  /** How long to wait for the gateway to become ready once logged in. */
  readonly timeoutSeconds: number;
  readonly logger: Logger;
  /** For tests: where the backoff waits (default a real timer). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Called after each failed attempt that will be retried (the heartbeat records it for /health). */
  readonly onRetry?: (reason: string, attempt: number, retryInMs: number) => void;
  /** Aborts the waiting between attempts (and the attempt itself) with LoginAbortedError, e.g. on Ctrl-C. */
  readonly signal?: AbortSignal | undefined;
}

/** The wait before retry `attempt` (1-based): exponential from `delaySeconds`, with ±50 % jitter, capped at 5 minutes. */
export function backoffMs(attempt: number, delaySeconds: number, random: () => number = Math.random): number {
  const base = Math.min(delaySeconds * 1000 * 2 ** (attempt - 1), 300_000);
  return Math.round(base * (0.5 + random()));
}

/**
 * Logs in and waits for the ready event, retrying network failures with exponential backoff and jitter.
 * A rejected token throws TokenRejectedError at once, without retrying; running out of attempts throws
 * DiscordUnreachableError (whose message ends with a `Fix:` line); an abort throws LoginAbortedError.
 */
export async function loginWithRetry(client: Client, options: LoginOptions): Promise<void> {
  const { signal } = options;
  const sleep = options.sleep ?? ((ms: number) => delay(ms, undefined, { signal }));
  const aborted = () => signal?.aborted === true;
  const onAbort = () => void client.destroy();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (let attempt = 0; ; attempt++) {
      if (aborted()) throw new LoginAbortedError();
      try {
        await loginOnce(client, options.token, options.timeoutSeconds);
        return;
      } catch (error) {
        if (aborted()) throw new LoginAbortedError();
        if (isTokenRejection(error)) throw new TokenRejectedError(error);
        const reason = describeLoginError(error);
        if (attempt >= options.attempts) throw new DiscordUnreachableError(attempt + 1, reason, error);
        const waitMs = backoffMs(attempt + 1, options.delaySeconds);
        options.logger.warn(
          { reason, attempt: attempt + 1, of: options.attempts + 1, retryInMs: waitMs },
          'login failed; retrying',
        );
        options.onRetry?.(reason, attempt + 1, waitMs);
        await client.destroy();
        await sleep(waitMs).catch((sleepError: unknown) => {
          if (aborted()) throw new LoginAbortedError();
          throw sleepError;
        });
      }
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

async function loginOnce(client: Client, token: string, timeoutSeconds: number): Promise<void> {
  let onReady: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    onReady = resolve;
    timer = setTimeout(
      () => reject(new Error(`Discord did not become ready within ${timeoutSeconds} s.`)),
      timeoutSeconds * 1000,
    );
    client.once(Events.ClientReady, onReady);
  });
  try {
    await client.login(token);
    await ready;
  } finally {
    clearTimeout(timer);
    if (onReady) client.off(Events.ClientReady, onReady);
  }
}
