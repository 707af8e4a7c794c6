import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  BOT_HEARTBEAT_STALE_MS,
  type BotInstance,
  type BotStatus,
  heartbeatAgeMs,
  liveHolder,
} from '@coachwire/core';
import { StartupError } from '@coachwire/runtime';
import type { BotStatusPort } from '@coachwire/storage';

/**
 * Another bot holds the running-bot role on this database: two would both answer every command. Thrown before
 * anything contacts Discord.
 */
export class BotAlreadyRunningError extends StartupError {
  constructor(
    readonly holder: BotInstance,
    readonly heartbeatAgeMs: number,
    sameHost: boolean,
  ) {
    const windowSeconds = BOT_HEARTBEAT_STALE_MS / 1000;
    const age = Math.max(0, Math.floor(heartbeatAgeMs / 1000));
    const lapsesIn = Math.max(0, windowSeconds - age);
    const where = sameHost ? 'on this host' : `on host ${holder.host}`;
    // On this host the pid exists (else the claim would have been taken over): only a reused pid can mislead.
    const ifGone = sameHost
      ? `If pid ${holder.pid} is no longer that bot (it died and another process got its number)`
      : 'If it is certainly gone (its machine is down)';
    super(
      `Another Coachwire bot is already running on this database: pid ${holder.pid} on host ${holder.host} ` +
        `(instance ${holder.instanceId.slice(0, 8)}), last heartbeat ${age} s ago. Two bots would both answer every command.`,
      `stop the other bot first (Ctrl-C in its terminal, \`systemctl stop coachwire-bot\`, or \`kill ${holder.pid}\` ` +
        `${where}), then start this one. ${ifGone}, its claim lapses ${lapsesIn} s from now, ` +
        `${windowSeconds} s after its last heartbeat: start this one again then.`,
    );
    this.name = 'BotAlreadyRunningError';
  }
}

/** Instance ids of the bots running in this process: a pid equal to ours with one of these ids is alive. */
const instancesInThisProcess = new Set<string>();

/** The running-bot role, claimed by this bot: its heartbeats go through here. */
export interface BotRole {
  readonly instance: BotInstance;
  /** Writes the heartbeat while this bot holds the role; resolves false (writing nothing) once another took it over. */
  write(status: BotStatus): Promise<boolean>;
  /** Forgets this bot in this process (after its last write, the stopped one, which frees the role). */
  release(): void;
}

export interface ClaimBotRoleOptions {
  /** Marks the claim's heartbeat as mock data. */
  readonly mock: boolean;
  /** Epoch milliseconds now; the heartbeat's own clock (the wall clock) by default. */
  readonly now?: () => number;
  readonly host?: string;
  readonly pid?: number;
  readonly isPidAlive?: (pid: number) => boolean;
}

/** True while a process with this pid exists on this host (EPERM: it exists, run by another user). */
export function pidIsAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Rounds of read-judge-claim before giving up: each lost round means another bot changed the row meanwhile. */
const CLAIM_ROUNDS = 5;

/**
 * Claims the running-bot role for a new instance of this process, or throws BotAlreadyRunningError naming the
 * bot that holds it (see core's liveHolder for when a claim is held). The claim is one conditional write of
 * the row as it was read, so of two bots starting together exactly one wins and the other then finds the
 * winner's fresh claim.
 */
export async function claimBotRole(store: BotStatusPort, options: ClaimBotRoleOptions): Promise<BotRole> {
  const now = options.now ?? Date.now;
  const instance: BotInstance = {
    instanceId: randomUUID(),
    host: options.host ?? hostname(),
    pid: options.pid ?? process.pid,
  };
  const isPidAlive = options.isPidAlive ?? pidIsAlive;
  for (let round = 1; ; round += 1) {
    const seen = await store.read();
    const at = now();
    const holder = liveHolder(seen, {
      now: at,
      host: instance.host,
      pid: instance.pid,
      ownInstances: instancesInThisProcess,
      isPidAlive,
    });
    if (holder && seen)
      throw new BotAlreadyRunningError(holder, heartbeatAgeMs(seen, at), holder.host === instance.host);
    const claim = {
      connected: false,
      latencyMs: null,
      guilds: 0,
      heartbeatAt: new Date(at).toISOString(),
      mock: options.mock,
      state: 'connecting' as const,
      lastError: null,
      holder: instance,
    };
    if (await store.claim(claim, seen)) break;
    if (round === CLAIM_ROUNDS)
      throw new Error(
        `Could not claim the running-bot role: the heartbeat row kept changing (${round} tries).`,
      );
  }
  instancesInThisProcess.add(instance.instanceId);
  return {
    instance,
    write: (status) => store.writeAsHolder({ ...status, holder: instance }),
    release: () => {
      instancesInThisProcess.delete(instance.instanceId);
    },
  };
}
