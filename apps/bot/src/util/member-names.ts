import type { Logger } from '@coachwire/config';
import type { Actor, Clock } from '@coachwire/core';
import type { MemberNamePort } from '@coachwire/storage';

/** Beyond this many members the memo starts over (each is then written once more): memory stays bounded. */
const MEMO_LIMIT = 10_000;

/**
 * Keeps the members' display names in the database for the dashboard and the API, which know members only by
 * id. A member's name is written the first time this process sees them act and whenever it changed, not on
 * every command. Names are cosmetic: a failed write is logged and tried again at the member's next command.
 */
export class MemberNameRecorder {
  readonly #store: MemberNamePort | null;
  readonly #guildIds: readonly string[];
  readonly #clock: Clock;
  readonly #logger: Pick<Logger, 'warn'>;
  readonly #written = new Map<string, string>();

  /** `guildIds`: the guilds the bot serves (`discord.guild_ids`; empty means all); no name is kept from others. */
  constructor(options: {
    readonly store: MemberNamePort | null;
    readonly guildIds: readonly string[];
    readonly clock: Clock;
    readonly logger: Pick<Logger, 'warn'>;
  }) {
    this.#store = options.store;
    this.#guildIds = options.guildIds;
    this.#clock = options.clock;
    this.#logger = options.logger;
  }

  /** The member acted in `guildId` under `actor.name`. Returns at once; the write runs in the background. */
  seen(guildId: string | null, actor: Pick<Actor, 'id' | 'name'>): void {
    if (this.#store === null || guildId === null || actor.name.trim() === '') return;
    if (this.#guildIds.length > 0 && !this.#guildIds.includes(guildId)) return;
    const key = `${guildId}/${actor.id}`;
    if (this.#written.get(key) === actor.name) return;
    if (this.#written.size >= MEMO_LIMIT) this.#written.clear();
    this.#written.set(key, actor.name);
    const at = new Date(this.#clock.now()).toISOString();
    this.#store.remember(guildId, actor.id, actor.name, at).catch((error: unknown) => {
      this.#written.delete(key);
      this.#logger.warn({ err: error, userId: actor.id, guildId }, 'could not record a member name');
    });
  }
}
