import type { BotInstance, BotStatus } from './types.js';

/**
 * A bot heartbeat older than this means the bot process is gone or hung, whatever its row says: the API's
 * /health then reports it not running, and another bot may take over its claim.
 */
export const BOT_HEARTBEAT_STALE_MS = 60_000;

/**
 * The longest accepted `discord.heartbeat_interval_seconds`: a third of the staleness window, so a bot that
 * misses one write (its database locked for a few seconds) never looks gone.
 */
export const BOT_HEARTBEAT_MAX_INTERVAL_SECONDS = BOT_HEARTBEAT_STALE_MS / 1000 / 3;

/** Milliseconds since the heartbeat was written (negative when the writer's clock is ahead), or NaN if unreadable. */
export function heartbeatAgeMs(status: Pick<BotStatus, 'heartbeatAt'>, now: number): number {
  return now - Date.parse(status.heartbeatAt);
}

/** True while a heartbeat is younger than the staleness window. */
export function heartbeatIsFresh(status: Pick<BotStatus, 'heartbeatAt'>, now: number): boolean {
  const age = heartbeatAgeMs(status, now);
  return Number.isFinite(age) && age <= BOT_HEARTBEAT_STALE_MS;
}

/** What a starting bot knows about the process it runs in, to judge another bot's claim. */
export interface ClaimingProcess {
  /** Epoch milliseconds now. */
  readonly now: number;
  /** This machine's host name. */
  readonly host: string;
  /** This process's pid. */
  readonly pid: number;
  /** Instance ids of bots running in this very process (a pid equal to ours is then not a dead predecessor). */
  readonly ownInstances: ReadonlySet<string>;
  /** Whether a process with this pid exists on this host. */
  isPidAlive(pid: number): boolean;
}

/**
 * The bot that holds the running-bot role according to `status`, or null when the role is free: no row, a
 * row from before claims, a bot that stopped or gave up, a heartbeat older than BOT_HEARTBEAT_STALE_MS, or a
 * bot on this same host whose process is gone. A pid equal to this process's own, under another instance id,
 * is a predecessor whose pid this process inherited (a restarted container numbers its processes alike) unless
 * that instance runs in this process. A dead bot's pid reused by an unrelated process keeps the claim until it
 * goes stale.
 */
export function liveHolder(status: BotStatus | null, self: ClaimingProcess): BotInstance | null {
  const holder = status?.holder;
  if (!status || !holder) return null;
  if (status.state === 'stopped' || status.state === 'failed') return null;
  if (!heartbeatIsFresh(status, self.now)) return null;
  if (self.ownInstances.has(holder.instanceId)) return holder;
  if (holder.host === self.host && (holder.pid === self.pid || !self.isPidAlive(holder.pid))) return null;
  return holder;
}
