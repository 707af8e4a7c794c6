import type { Logger } from '@coachwire/config';
import type { Clock, MarketQueries, MarketService, MarketSummary, PlanService } from '@coachwire/core';
import type { MarketMessageLink, MarketMessagePort } from '@coachwire/storage';
import { DiscordAPIError, type REST, RESTJSONErrorCodes, Routes } from 'discord.js';
import { marketMessageBody } from './market-message.js';
import { settlementAnnouncement } from './settlement-announcement.js';

export interface MarketBoardOptions {
  readonly store: MarketMessagePort;
  readonly queries: MarketQueries;
  readonly markets: MarketService;
  readonly plans: PlanService;
  readonly logger: Logger;
  /** The services' clock: decides which markets have closed. */
  readonly clock: Clock;
  /** Least time between two edits of one market's message (`markets.embed_update_seconds`). */
  readonly editIntervalMs: number;
}

/** Discord's no-ping setting: market messages name members without notifying them. */
const NO_PINGS = { parse: [] as never[] };

/**
 * The market messages in Discord: posts them, keeps them current with coalesced edits (at most one per market
 * per interval, the last state always landing), and announces closes and settlements found by the sweep.
 */
export class MarketBoard {
  #rest: REST | null = null;
  readonly #timers = new Map<number, NodeJS.Timeout>();
  /** When each market's message was last edited; only the last interval's matter, older ones are swept. */
  readonly #lastEditAt = new Map<number, number>();
  #lastSweepAt = Number.NEGATIVE_INFINITY;
  readonly #chains = new Map<number, Promise<void>>();
  /** Markets whose message Discord says is gone (deleted by someone): not edited again by this process. */
  readonly #gone = new Set<number>();
  #stopped = false;

  constructor(private readonly options: MarketBoardOptions) {}

  /** Connects the board to Discord's REST client (once the bot's client exists). */
  attach(rest: REST): void {
    this.#rest = rest;
  }

  /** Posts the message showing a market in `channelId` and remembers it; resolves to the message's link. */
  async post(guildId: string, channelId: string, marketId: number): Promise<string> {
    const linkTo = (link: { channelId: string; messageId: string }) =>
      `https://discord.com/channels/${guildId}/${link.channelId}/${link.messageId}`;
    // A create delivered twice (same interaction id) returns the same market: it gets one message.
    const existing = await this.options.store.linkOf(marketId);
    if (existing) return linkTo(existing);
    return linkTo(await this.#postNew(guildId, channelId, marketId));
  }

  /**
   * Posts, in `channelId`, a new message for each of these markets whose linked message `isGone` says no longer
   * exists, and links the market to it; markets without a message are left alone. Mock mode needs it: after a
   * restart the emulator is empty while the database still links its markets to the last run's messages, so
   * nobody could bet through their buttons and every edit would fail. Resolves to how many were posted.
   */
  async repostGone(
    marketIds: readonly number[],
    channelId: string,
    isGone: (link: MarketMessageLink) => boolean,
  ): Promise<number> {
    let posted = 0;
    for (const marketId of marketIds) {
      const link = await this.options.store.linkOf(marketId);
      if (!link || !isGone(link)) continue;
      await this.#postNew(link.guildId, channelId, marketId);
      posted += 1;
    }
    return posted;
  }

  async #postNew(guildId: string, channelId: string, marketId: number): Promise<MarketMessageLink> {
    const body = await this.#body(marketId);
    const message = (await this.#requireRest().post(Routes.channelMessages(channelId), {
      body: { ...body, allowed_mentions: NO_PINGS },
    })) as { id: string };
    const link = { marketId, guildId, channelId, messageId: message.id };
    await this.options.store.link(link);
    this.#gone.delete(marketId);
    return link;
  }

  /**
   * Asks for the market's message to be brought up to date. The first change edits at once; changes within the
   * interval after an edit wait for one trailing edit, which reads the state at that moment.
   */
  touch(marketId: number): void {
    if (this.#stopped || this.#timers.has(marketId)) return;
    const now = performance.now();
    this.#forgetOldEdits(now);
    const last = this.#lastEditAt.get(marketId) ?? Number.NEGATIVE_INFINITY;
    const wait = Math.max(0, last + this.options.editIntervalMs - now);
    const timer = setTimeout(() => {
      this.#timers.delete(marketId);
      this.#lastEditAt.set(marketId, performance.now());
      void this.refresh(marketId);
    }, wait);
    this.#timers.set(marketId, timer);
  }

  /** Markets whose last edit time is remembered (for tests). */
  get rememberedEdits(): number {
    return this.#lastEditAt.size;
  }

  /**
   * Once per interval, forgets edits older than the interval: they no longer delay anything, and kept they would
   * grow the map with every market ever traded.
   */
  #forgetOldEdits(now: number): void {
    const interval = this.options.editIntervalMs;
    if (now - this.#lastSweepAt < interval) return;
    this.#lastSweepAt = now;
    for (const [marketId, editedAt] of this.#lastEditAt)
      if (editedAt + interval <= now) this.#lastEditAt.delete(marketId);
  }

  /** Edits the market's message to show it now (queued behind any edit of it in flight). */
  refresh(marketId: number): Promise<void> {
    const previous = this.#chains.get(marketId) ?? Promise.resolve();
    const next = previous.then(() => this.#edit(marketId));
    this.#chains.set(marketId, next);
    void next.finally(() => {
      if (this.#chains.get(marketId) === next) this.#chains.delete(marketId);
    });
    return next;
  }

  /**
   * Claims the announcement of the market's current settlement and, when this caller won it, updates the market
   * message. Resolves to the announcement text, or null when it was already announced (or the market is open).
   */
  async claimSettlement(summary: MarketSummary): Promise<string | null> {
    const { market } = summary;
    if (market.status === 'open') return null;
    const link = await this.options.store.linkOf(market.id);
    if (link && !(await this.options.store.claimSettlement(market.id, market.settlements))) return null;
    if (link) await this.refresh(market.id);
    return settlementAnnouncement(summary, await this.options.store.payouts(market.id));
  }

  /**
   * Auto-cancels stale markets (idempotent beside the API's sweep), then brings every market message that is
   * behind up to date: closed markets get disabled buttons, settled ones their result in the channel.
   */
  async sweep(): Promise<{ closed: number; announced: number }> {
    let closed = 0;
    let announced = 0;
    try {
      await this.options.markets.sweep();
    } catch (error) {
      this.options.logger.error({ err: error }, 'market sweep failed');
    }
    const now = new Date(this.options.clock.now()).toISOString();
    for (const due of await this.options.store.due(now)) {
      try {
        if (due.settlementDue !== null) {
          if (!(await this.options.store.claimSettlement(due.marketId, due.settlementDue))) continue;
          try {
            await this.refresh(due.marketId);
            const summary = await this.options.queries.market(due.marketId);
            const text = settlementAnnouncement(summary, await this.options.store.payouts(due.marketId));
            await this.#requireRest().post(Routes.channelMessages(due.channelId), {
              body: {
                content: text,
                allowed_mentions: NO_PINGS,
                message_reference: { message_id: due.messageId, fail_if_not_exists: false },
              },
            });
          } catch (error) {
            // Claimed but not posted (Discord down, the network): given back, so the next sweep posts it. A channel
            // that is gone, or closed to the bot, stays claimed: trying again every sweep would never post it.
            if (!isGoneError(error) && !isRefusedError(error))
              await this.options.store.releaseSettlement(
                due.marketId,
                due.settlementDue,
                due.announcedSettlements,
              );
            throw error;
          }
          announced += 1;
        } else if (due.closeDue && (await this.options.store.claimClose(due.marketId))) {
          await this.refresh(due.marketId);
          closed += 1;
        }
      } catch (error) {
        this.options.logger.error({ err: error, marketId: due.marketId }, 'could not announce a market');
      }
    }
    return { closed, announced };
  }

  /** Sends the edits still waiting (the last state lands before the bot goes away) and stops scheduling. */
  async stop(): Promise<void> {
    this.#stopped = true;
    const waiting = [...this.#timers.keys()];
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    await Promise.allSettled(waiting.map((marketId) => this.refresh(marketId)));
    await Promise.allSettled([...this.#chains.values()]);
  }

  /**
   * Never rejects: refresh() chains each market's edits, so a rejection would skip every edit queued behind it,
   * and the timer's refresh has no one to hand it to. A failed edit is logged; the next trade edits again.
   */
  async #edit(marketId: number): Promise<void> {
    if (this.#gone.has(marketId)) return;
    let link: MarketMessageLink | null = null;
    try {
      link = await this.options.store.linkOf(marketId);
      if (!link || !this.#rest) return;
      const body = await this.#body(marketId);
      await this.#rest.patch(Routes.channelMessage(link.channelId, link.messageId), {
        body: { ...body, allowed_mentions: NO_PINGS },
      });
    } catch (error) {
      if (link && isGoneError(error)) {
        // Someone deleted the message (or its channel): said once, instead of a warning on every trade.
        this.#gone.add(marketId);
        this.options.logger.info(
          { marketId, channelId: link.channelId, messageId: link.messageId },
          'a market message was deleted in Discord; it is no longer updated (/market show still shows the market)',
        );
        return;
      }
      this.options.logger.warn({ err: error, marketId }, 'could not update a market message');
    }
  }

  async #body(marketId: number) {
    const summary = await this.options.queries.market(marketId);
    const planId = summary.market.planId;
    const plan = planId === null ? null : await this.options.plans.findById(planId, { includeDeleted: true });
    return marketMessageBody(summary, plan);
  }

  #requireRest(): REST {
    if (!this.#rest) throw new Error('The market board is not connected to Discord yet.');
    return this.#rest;
  }
}

/** Discord's answer for a message or channel that no longer exists. */
/** The bot may no longer see or post in the channel: trying again does not help until someone changes that. */
function isRefusedError(error: unknown): boolean {
  return (
    error instanceof DiscordAPIError &&
    (error.code === RESTJSONErrorCodes.MissingAccess || error.code === RESTJSONErrorCodes.MissingPermissions)
  );
}

function isGoneError(error: unknown): boolean {
  return (
    error instanceof DiscordAPIError &&
    (error.code === RESTJSONErrorCodes.UnknownMessage || error.code === RESTJSONErrorCodes.UnknownChannel)
  );
}
