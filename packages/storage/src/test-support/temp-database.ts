import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChartInput, PlanDraft } from '@coachwire/core';
import { type CoachwireDatabase, openDatabase } from '../database.js';
import { migrateDatabase } from '../migrate.js';

/** A fresh temp directory; `remove()` deletes it. */
export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'coachwire-storage-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A migrated database in a fresh temp directory; `dispose()` closes it and deletes the directory. */
export async function migratedTempDatabase(): Promise<{
  handle: CoachwireDatabase;
  dir: string;
  dispose(): void;
}> {
  const { dir, remove } = tempDir();
  const handle = openDatabase({ path: join(dir, 'coachwire.sqlite') });
  await migrateDatabase(handle);
  return {
    handle,
    dir,
    dispose: () => {
      handle.close();
      remove();
    },
  };
}

/** A chart input as the bot would pass one. */
export function chartInput(name: string, overrides: Partial<ChartInput> = {}): ChartInput {
  return {
    url: `https://cdn.discordapp.com/attachments/1/2/${name}`,
    filename: name,
    contentType: 'image/png',
    size: 1234,
    width: 800,
    height: 600,
    discordAttachmentId: `att-${name}`,
    ...overrides,
  };
}

/** A valid plan draft; override what a test cares about. */
export function planDraft(overrides: Partial<PlanDraft> = {}): PlanDraft {
  return {
    coach: 'd',
    tradingDate: '2026-03-02',
    text: 'Long SPY above 510, stop 507.',
    author: { id: '111', name: 'Coach D' },
    guildId: 'guild-1',
    channelId: 'channel-1',
    channelName: 'plans',
    sourceMessageId: null,
    charts: [],
    createdAt: '2026-03-02T13:00:00.000Z',
    ...overrides,
  };
}
