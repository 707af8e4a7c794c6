/**
 * Keys of the PostgreSQL advisory locks Coachwire takes. They are fixed numbers because every process (API
 * replicas, the bot, the CLI) must agree on them; they only need to differ from each other and from any
 * other application sharing the database.
 */
export const PG_LOCK_KEYS = {
  /** Held (session lock) while migrations run, so instances starting together migrate one at a time. */
  migrate: 0x6377_0001,
  /** Held (transaction lock) from inserting events to commit, so event ids become visible in id order. */
  events: 0x6377_0002,
} as const;
