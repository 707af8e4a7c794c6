import { describe, expect, it } from 'vitest';
import { BOT_HEARTBEAT_STALE_MS, type ClaimingProcess, liveHolder } from './bot-liveness.js';
import type { BotStatus } from './types.js';

const NOW = Date.parse('2026-03-02T13:00:00.000Z');
const other = { instanceId: 'other-instance', host: 'other-host', pid: 700 };

function status(overrides: Partial<BotStatus> = {}): BotStatus {
  return {
    connected: true,
    latencyMs: 40,
    guilds: 1,
    heartbeatAt: new Date(NOW - 5_000).toISOString(),
    mock: false,
    state: 'connected',
    lastError: null,
    holder: other,
    ...overrides,
  };
}

function self(overrides: Partial<ClaimingProcess> = {}): ClaimingProcess {
  return {
    now: NOW,
    host: 'this-host',
    pid: 100,
    ownInstances: new Set(),
    isPidAlive: () => true,
    ...overrides,
  };
}

describe('who holds the running-bot role', () => {
  it('is the bot of a fresh heartbeat that is neither stopped nor failed', () => {
    expect(liveHolder(status(), self())).toEqual(other);
    expect(liveHolder(status({ state: 'retrying' }), self())).toEqual(other);
  });

  it('is nobody without a row, in a row from before claims, or after a stop or a failed login', () => {
    expect(liveHolder(null, self())).toBeNull();
    expect(liveHolder(status({ holder: undefined }), self())).toBeNull();
    expect(liveHolder(status({ state: 'stopped' }), self())).toBeNull();
    expect(liveHolder(status({ state: 'failed' }), self())).toBeNull();
  });

  it('is nobody once the heartbeat is older than the staleness window', () => {
    const at = (age: number) => status({ heartbeatAt: new Date(NOW - age).toISOString() });
    expect(liveHolder(at(BOT_HEARTBEAT_STALE_MS), self())).toEqual(other);
    expect(liveHolder(at(BOT_HEARTBEAT_STALE_MS + 1), self())).toBeNull();
    expect(liveHolder(status({ heartbeatAt: 'not a time' }), self())).toBeNull();
  });

  it('is nobody when the holder ran on this host and its pid is gone, or is this process’s own pid', () => {
    const here = { instanceId: 'previous', host: 'this-host', pid: 555 };
    expect(liveHolder(status({ holder: here }), self({ isPidAlive: () => false }))).toBeNull();
    expect(liveHolder(status({ holder: here }), self({ isPidAlive: (pid) => pid === 555 }))).toEqual(here);
    expect(liveHolder(status({ holder: { ...here, pid: 100 } }), self())).toBeNull();
    // A bot running in this very process still holds it.
    expect(
      liveHolder(status({ holder: { ...here, pid: 100 } }), self({ ownInstances: new Set(['previous']) })),
    ).toEqual({ ...here, pid: 100 });
  });

  it('never judges a pid of another host', () => {
    expect(liveHolder(status(), self({ isPidAlive: () => false }))).toEqual(other);
  });
});
