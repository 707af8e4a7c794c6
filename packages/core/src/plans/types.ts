/** A coach whose plans Coachwire keeps, e.g. `{ id: 'd', name: 'Coach D (Day Trading)' }`. */
export interface Coach {
  /** Lower-case id, one or more letters/digits; legacy ids are single letters. */
  readonly id: string;
  readonly name: string;
  /** Discord role ids allowed to post as this coach; empty means anyone. */
  readonly allowedRoleIds: readonly string[];
  /** Discord user ids allowed to post as this coach; empty means anyone. */
  readonly allowedUserIds: readonly string[];
}

/**
 * Who wrote something. `id` is the Discord user id (names change; ids do not).
 * Plans imported from the old system have a name only (`id: null`); API-key integrations use `api-key:<name>`.
 */
export interface Author {
  readonly id: string | null;
  readonly name: string;
}

/** Where the archive of a chart's image stands (see the charts issue). */
export type ChartArchiveStatus = 'none' | 'pending' | 'archived' | 'failed';

export interface Chart {
  readonly id: number;
  readonly position: number;
  /** The URL the chart came from (a Discord attachment URL, or whatever an integration sent). */
  readonly url: string;
  readonly filename: string;
  readonly contentType: string | null;
  readonly size: number | null;
  readonly width: number | null;
  readonly height: number | null;
  readonly discordAttachmentId: string | null;
  /** SHA-256 (hex) of the archived bytes, once archived. */
  readonly sha256: string | null;
  readonly archiveStatus: ChartArchiveStatus;
}

export interface Plan {
  readonly id: number;
  readonly coach: string;
  /** YYYY-MM-DD in the configured timezone. */
  readonly tradingDate: string;
  readonly text: string;
  readonly author: Author;
  readonly guildId: string | null;
  readonly channelId: string | null;
  readonly channelName: string | null;
  readonly sourceMessageId: string | null;
  readonly charts: readonly Chart[];
  /** ISO-8601 UTC timestamps. */
  readonly createdAt: string;
  readonly editedAt: string | null;
  readonly deletedAt: string | null;
}

/** The text a plan had before an edit, who replaced it and when. */
export interface PlanRevision {
  readonly id: number;
  readonly planId: number;
  readonly previousText: string;
  readonly editor: Author;
  readonly editedAt: string;
}

/** A chart as it arrives with a post or edit, before it has an id. */
export interface ChartInput {
  readonly url: string;
  readonly filename: string;
  readonly contentType?: string | null;
  readonly size?: number | null;
  readonly width?: number | null;
  readonly height?: number | null;
  readonly discordAttachmentId?: string | null;
}

export const PLAN_EVENT_TYPES = ['plan.created', 'plan.updated', 'plan.deleted'] as const;
export type PlanEventType = (typeof PLAN_EVENT_TYPES)[number];

/** What every plan event carries: enough for a cache to know which entries to drop. */
export interface PlanEventPayload {
  readonly id: number;
  readonly coach: string;
  readonly tradingDate: string;
  readonly authorId: string | null;
  readonly authorName: string;
  readonly editedAt: string | null;
  readonly deletedAt: string | null;
}

export interface PlanEvent {
  /** Monotonic; used as the server-sent event id. */
  readonly id: number;
  readonly type: PlanEventType;
  readonly planId: number;
  readonly payload: PlanEventPayload;
  readonly occurredAt: string;
}

export interface PlanStats {
  readonly totalPlans: number;
  readonly totalCharts: number;
  readonly totalEdits: number;
  /** createdAt of the newest live plan, or null. */
  readonly latestPlanAt: string | null;
}

/**
 * What the bot's connection to Discord is doing: logging in, waiting to retry a failed login, connected,
 * reconnecting after a drop, given up (`failed`), or shut down (`stopped`).
 */
export type BotConnectionState =
  | 'connecting'
  | 'retrying'
  | 'connected'
  | 'reconnecting'
  | 'failed'
  | 'stopped';

/** The bot's liveness as it writes it to the database for the API's /health. */
export interface BotStatus {
  readonly connected: boolean;
  readonly latencyMs: number | null;
  readonly guilds: number;
  readonly heartbeatAt: string;
  readonly mock: boolean;
  /** Absent in rows written before the state was recorded: then `connected` says all there is. */
  readonly state?: BotConnectionState | undefined;
  /** Why the last login or connection failed (no secrets), while retrying or after giving up. */
  readonly lastError?: string | null | undefined;
  /** The bot process that claimed the running-bot role; absent in rows written before claims existed. */
  readonly holder?: BotInstance | undefined;
}

/** One bot process, as it records itself when it claims the running-bot role. */
export interface BotInstance {
  /** Random per process: tells two processes apart even when a host reuses a pid. */
  readonly instanceId: string;
  /** The host name (os.hostname()) of the machine or container it runs on. */
  readonly host: string;
  readonly pid: number;
}
