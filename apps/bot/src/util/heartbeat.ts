import type { Logger } from '@coachwire/config';
import type { BotConnectionState, BotStatus } from '@coachwire/core';
import { type Client, Status } from 'discord.js';

/** Where heartbeats go: the running-bot role this bot claimed (see bot-role.ts). */
export interface BotStatusWriter {
  /** Resolves false, writing nothing, once another bot took the role over. */
  write(status: BotStatus): Promise<boolean>;
}

/**
 * Writes the bot's liveness row (read by the API's /health) on a timer and whenever the connection changes.
 * Besides "connected or not" it records what the bot is doing (connecting, retrying, reconnecting, failed,
 * stopped) and the last connection error, so an operator sees why the bot is not connected while it still tries.
 */
export class Heartbeat {
  private timer: NodeJS.Timeout | undefined;
  private state: BotConnectionState = 'connecting';
  private lastError: string | null = null;
  /** Rows are written one after another, so a slow write never lands after a newer one. */
  private writing: Promise<void> = Promise.resolve();
  /** Set once a write found another bot holding the role: nothing more is written. */
  private roleLost = false;

  constructor(
    private readonly client: Client,
    private readonly store: BotStatusWriter,
    private readonly options: {
      readonly intervalSeconds: number;
      readonly mock: boolean;
      readonly logger: Logger;
      /**
       * Called once when a write finds that another bot took the role over (this one looked gone to it, e.g.
       * after a long freeze): this bot must stop answering.
       */
      readonly onRoleLost?: () => void;
    },
  ) {}

  /** Starts the periodic writes (also while logging in, so /health never shows a stale "connecting"). */
  start(): void {
    this.stopTimer();
    this.timer = setInterval(() => void this.write(), this.options.intervalSeconds * 1000);
    this.timer.unref();
  }

  /**
   * Writes one row now; `connected` defaults to the gateway's actual state. Connected clears the last error;
   * a drop after being connected is "reconnecting" (discord.js reconnects by itself). Resolves once the row
   * is written; never rejects (a failed write is logged).
   */
  write(connected: boolean = this.client.ws.status === Status.Ready): Promise<void> {
    if (connected) {
      this.state = 'connected';
      this.lastError = null;
    } else if (this.state === 'connected') {
      this.state = 'reconnecting';
    }
    return this.persist(connected);
  }

  /** Records a state of the login (connecting, retrying after `error`, failed with `error`) and writes it now. */
  report(state: Exclude<BotConnectionState, 'connected'>, error?: string): Promise<void> {
    this.state = state;
    if (error !== undefined) this.lastError = error;
    if (state === 'failed') this.stopTimer();
    return this.persist(false);
  }

  /** Stops the timer and records that the bot stopped; resolves once that row is written. */
  stop(): Promise<void> {
    this.stopTimer();
    this.state = 'stopped';
    return this.persist(false);
  }

  /** Queues the row as it is now behind the writes before it; resolves when it is written (or logged as failed). */
  private persist(connected: boolean): Promise<void> {
    const ping = this.client.ws.ping;
    const status: BotStatus = {
      connected,
      latencyMs: connected && ping >= 0 ? Math.round(ping) : null,
      guilds: connected ? this.client.guilds.cache.size : 0,
      heartbeatAt: new Date().toISOString(),
      mock: this.options.mock,
      state: this.state,
      lastError: this.lastError,
    };
    this.writing = this.writing.then(async () => {
      if (this.roleLost) return;
      try {
        if (await this.store.write(status)) {
          this.options.logger.debug({ heartbeat: status }, 'heartbeat written');
          return;
        }
        this.roleLost = true;
        this.stopTimer();
        this.options.logger.error(
          { heartbeat: status },
          'another bot took over the running-bot role on this database (this one looked gone to it): stopping',
        );
        this.options.onRoleLost?.();
      } catch (error) {
        this.options.logger.error({ err: error }, 'could not write the heartbeat');
      }
    });
    return this.writing;
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
