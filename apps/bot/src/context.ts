import type { Logger } from '@coachwire/config';
import type { Clock, MarketQueries, MarketService, Plan, PlanService, PointsService } from '@coachwire/core';
import type { BotCommand } from './commands/bot-command.js';
import type { PendingPosts } from './interactions/pending-posts.js';
import type { MarketBoard } from './markets/market-board.js';
import type { PendingQuotes } from './markets/pending-quotes.js';
import type { CommandRateLimits } from './util/command-rate-limits.js';
import type { MemberNameRecorder } from './util/member-names.js';

/** The seam run after a plan is saved; it may return (or resolve to) an array of notes for the user. */
export type PlanSavedHook = (plan: Plan) => unknown;

/** Everything a command needs, whichever front end (prefix or slash) invoked it. */
export interface BotContext {
  /** Every command the routers and `!help` know (the registry's list). */
  readonly commands: readonly BotCommand[];
  readonly service: PlanService;
  readonly markets: MarketService;
  readonly points: PointsService;
  /** Market summaries, lists and portfolios (the read side shared with the API). */
  readonly marketQueries: MarketQueries;
  /** The market messages in Discord; null where no database backs the bot (handler tests). */
  readonly marketBoard: MarketBoard | null;
  /** Quotes waiting for the member's Confirm. */
  readonly pendingQuotes: PendingQuotes;
  /** Whether posting a coach's daily plan opens its market (`markets.coach_calls.enabled`, on in mock mode). */
  readonly coachCalls: boolean;
  /** The clock of the services (tests inject one to close markets on time). */
  readonly clock: Clock;
  /** The configured timezone ("today", close times typed by members). */
  readonly timezone: string;
  readonly logger: Logger;
  readonly rateLimits: CommandRateLimits;
  /** `/plan post` forms waiting for their submit. */
  readonly pendingPosts: PendingPosts;
  /** Prefix of text commands, e.g. `!`. */
  readonly prefix: string;
  /** Guilds and channels listened to; empty means all. */
  readonly guildIds: readonly string[];
  readonly channelIds: readonly string[];
  /**
   * Called after every post or edit that saved a plan, so the chart archiver can fetch its charts. It runs
   * off the reply path; notes it resolves to (e.g. a refused chart) follow the reply. Errors are logged only.
   */
  readonly onPlanSaved: PlanSavedHook;
  /** Keeps members' display names for the dashboard and the API. */
  readonly memberNames: MemberNameRecorder;
}

/** True when the message or interaction comes from a guild and channel the bot is configured to listen to. */
export function isListenedTo(
  context: Pick<BotContext, 'guildIds' | 'channelIds'>,
  guildId: string | null,
  channelId: string | null,
): boolean {
  if (guildId === null) return false;
  if (context.guildIds.length > 0 && !context.guildIds.includes(guildId)) return false;
  if (context.channelIds.length > 0 && (channelId === null || !context.channelIds.includes(channelId))) {
    return false;
  }
  return true;
}
