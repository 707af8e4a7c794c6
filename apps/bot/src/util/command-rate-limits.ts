import { type Clock, type RateLimit, SlidingWindowRateLimiter, systemClock } from '@coachwire/core';

/** Limits of `rate_limits.bot_per_user` and `rate_limits.bot_per_guild`, in the config's shape. */
export interface CommandRateLimitConfig {
  readonly bot_per_user: { readonly max: number; readonly window_seconds: number };
  readonly bot_per_guild: { readonly max: number; readonly window_seconds: number };
}

function toRateLimit(limit: { max: number; window_seconds: number }): RateLimit {
  return { max: limit.max, windowMs: Math.round(limit.window_seconds * 1000) };
}

/** The per-user and per-guild command limits; admins are never counted. */
export class CommandRateLimits {
  private readonly perUser: SlidingWindowRateLimiter;
  private readonly perGuild: SlidingWindowRateLimiter;

  constructor(config: CommandRateLimitConfig, clock: Clock = systemClock) {
    this.perUser = new SlidingWindowRateLimiter(toRateLimit(config.bot_per_user), clock);
    this.perGuild = new SlidingWindowRateLimiter(toRateLimit(config.bot_per_guild), clock);
  }

  /** Counts one command, or throws RATE_LIMITED with the time to wait; a refused user uses none of the guild's budget. */
  consume(userId: string, guildId: string | null, isAdmin: boolean): void {
    if (isAdmin) return;
    const guildKey = guildId === null ? null : `guild:${guildId}`;
    const userWait = this.perUser.waitTime(`user:${userId}`);
    if (guildKey !== null && userWait === 0) this.perGuild.consume(guildKey, 'This server is');
    this.perUser.consume(`user:${userId}`);
  }
}
