import type { Logger } from '@coachwire/config';
import type { BotConnectionState, BotStatus } from '@coachwire/core';
import { type Client, Status } from 'discord.js';

/** Where heartbeats go: storage's BotStatusStore. */
export interface BotStatusWriter {
  write(status: BotStatus): void;
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

  constructor(
    private readonly client: Client,
    private readonly store: BotStatusWriter,
    private readonly options: {
      readonly intervalSeconds: number;
      readonly mock: boolean;
      readonly logger: Logger;
    },
  ) {}

  /** Starts the periodic writes (also while logging in, so /health never shows a stale "connecting"). */
  start(): void {
    this.stopTimer();
    this.timer = setInterval(() => this.write(), this.options.intervalSeconds * 1000);
    this.timer.unref();
  }

  /**
   * Writes one row now; `connected` defaults to the gateway's actual state. Connected clears the last error;
   * a drop after being connected is "reconnecting" (discord.js reconnects by itself). Never throws.
   */
  write(connected: boolean = this.client.ws.status === Status.Ready): void {
    if (connected) {
      this.state = 'connected';
      this.lastError = null;
    } else if (this.state === 'connected') {
      this.state = 'reconnecting';
    }
    this.persist(connected);
  }

  /** Records a state of the login (connecting, retrying after `error`, failed with `error`) and writes it now. */
  report(state: Exclude<BotConnectionState, 'connected'>, error?: string): void {
    this.state = state;
    if (error !== undefined) this.lastError = error;
    if (state === 'failed') this.stopTimer();
    this.persist(false);
  }

  /** Stops the timer and records that the bot stopped. */
  stop(): void {
    this.stopTimer();
    this.state = 'stopped';
    this.persist(false);
  }

  private persist(connected: boolean): void {
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
    try {
      this.store.write(status);
      this.options.logger.debug({ heartbeat: status }, 'heartbeat written');
    } catch (error) {
      this.options.logger.error({ err: error }, 'could not write the heartbeat');
    }
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
