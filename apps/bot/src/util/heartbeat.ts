import type { Logger } from '@coachwire/config';
import type { BotStatus } from '@coachwire/core';
import { type Client, Status } from 'discord.js';

/** Where heartbeats go: storage's BotStatusStore. */
export interface BotStatusWriter {
  write(status: BotStatus): void;
}

/** Writes the bot's liveness row (read by the API's /health) on a timer and whenever the connection changes. */
export class Heartbeat {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: Client,
    private readonly store: BotStatusWriter,
    private readonly options: {
      readonly intervalSeconds: number;
      readonly mock: boolean;
      readonly logger: Logger;
    },
  ) {}

  /** Starts the periodic writes. */
  start(): void {
    this.stopTimer();
    this.timer = setInterval(() => this.write(), this.options.intervalSeconds * 1000);
    this.timer.unref();
  }

  /** Writes one row now; `connected` defaults to the gateway's actual state. A failed write is logged, never thrown. */
  write(connected: boolean = this.client.ws.status === Status.Ready): void {
    const ping = this.client.ws.ping;
    const status: BotStatus = {
      connected,
      latencyMs: connected && ping >= 0 ? Math.round(ping) : null,
      guilds: connected ? this.client.guilds.cache.size : 0,
      heartbeatAt: new Date().toISOString(),
      mock: this.options.mock,
    };
    try {
      this.store.write(status);
      this.options.logger.debug({ heartbeat: status }, 'heartbeat written');
    } catch (error) {
      this.options.logger.error({ err: error }, 'could not write the heartbeat');
    }
  }

  /** Stops the timer and records that the bot is disconnected. */
  stop(): void {
    this.stopTimer();
    this.write(false);
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
