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
}

/** The wait before retry `attempt` (1-based): exponential from `delaySeconds`, with ±50 % jitter, capped at 5 minutes. */
export function backoffMs(attempt: number, delaySeconds: number, random: () => number = Math.random): number {
  const base = Math.min(delaySeconds * 1000 * 2 ** (attempt - 1), 300_000);
  return Math.round(base * (0.5 + random()));
}

/**
 * Logs in and waits for the ready event, retrying network failures with exponential backoff and jitter.
 * A rejected token throws TokenRejectedError at once, without retrying.
 */
export async function loginWithRetry(client: Client, options: LoginOptions): Promise<void> {
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  for (let attempt = 0; ; attempt++) {
    try {
      await loginOnce(client, options.token, options.timeoutSeconds);
      return;
    } catch (error) {
      if (isTokenRejection(error)) throw new TokenRejectedError(error);
      if (attempt >= options.attempts) throw error;
      const waitMs = backoffMs(attempt + 1, options.delaySeconds);
      options.logger.warn(
        { err: error, attempt: attempt + 1, of: options.attempts, retryInMs: waitMs },
        'login failed; retrying',
      );
      await client.destroy();
      await sleep(waitMs);
    }
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
