import { EVENT_LOG_DOMAINS, type EventLogDomain, type LoggedEvent } from '@coachwire/core';
import { and, asc, count, sql } from 'drizzle-orm';
import type { CoachwireDatabase } from '../database.js';
import type { StoreEventLog } from '../ports.js';
import { toCoachwireError } from '../storage-errors.js';
import { type EventLogPruneOptions, pruneEventLog } from './event-log-pruning.js';
import { toLoggedEvent } from './event-rows.js';
import { events } from './event-schema.js';

const p = sql.placeholder;
/** The domains arrive as one JSON array parameter. */
const inDomains = sql`${events.domain} in (select value from json_each(${p('domains')}))`;

function prepareEventLogStatements({ db }: CoachwireDatabase) {
  return {
    eventsAfter: db
      .select()
      .from(events)
      .where(and(inDomains, sql`${events.id} > ${p('afterId')}`))
      .orderBy(asc(events.id))
      .limit(p('limit'))
      .prepare(),
    latestEventId: db
      .select({ id: sql<number>`coalesce(max(${events.id}), 0)` })
      .from(events)
      .prepare(),
    countBetween: db
      .select({ n: count() })
      .from(events)
      .where(and(inDomains, sql`${events.id} > ${p('afterId')}`, sql`${events.id} <= ${p('upToId')}`))
      .prepare(),
  };
}

type EventLogStatements = ReturnType<typeof prepareEventLogStatements>;
const ALL_DOMAINS = JSON.stringify(EVENT_LOG_DOMAINS);

/** The event log of every domain over SQLite, for the API's server-sent events and metrics. */
export class SqliteEventLog implements StoreEventLog {
  readonly #handle: CoachwireDatabase;
  #statements: EventLogStatements | undefined;

  constructor(handle: CoachwireDatabase) {
    this.#handle = handle;
  }

  eventsAfter(afterId: number, limit: number, domains?: readonly EventLogDomain[]): Promise<LoggedEvent[]> {
    return this.#read(() =>
      this.#stmts.eventsAfter
        .all({ afterId, limit, domains: domains ? JSON.stringify(domains) : ALL_DOMAINS })
        .map(toLoggedEvent),
    );
  }

  latestEventId(): Promise<number> {
    return this.#read(() => this.#stmts.latestEventId.get()?.id ?? 0);
  }

  countBetween(afterId: number, upToId: number, domains: readonly EventLogDomain[]): Promise<number> {
    return this.#read(
      () => this.#stmts.countBetween.get({ afterId, upToId, domains: JSON.stringify(domains) })?.n ?? 0,
    );
  }

  /** Deletes old events in short batches; see pruneEventLog. SQLite has no `onAppend`: the API polls. */
  prune(options: EventLogPruneOptions): Promise<number> {
    return pruneEventLog(this.#handle, options);
  }

  get #stmts(): EventLogStatements {
    this.#statements ??= prepareEventLogStatements(this.#handle);
    return this.#statements;
  }

  #read<T>(work: () => T): Promise<T> {
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(toCoachwireError(this.#handle.path, 'read', error));
    }
  }
}
