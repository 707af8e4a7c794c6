import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { BotStatusStore } from './bot-status-store.js';
import { openDatabase } from './database.js';
import { MIGRATIONS_FOLDER, migrateDatabase } from './migrate.js';
import { tempDir } from './test-support/temp-database.js';

let temp: ReturnType<typeof tempDir>;
beforeEach(() => {
  temp = tempDir();
});
afterEach(() => temp.remove());

/** A migrations folder holding the migrations before `tag`: a database as the release before it left it. */
function migrationsBefore(tag: string): string {
  const folder = join(temp.dir, `migrations-before-${tag}`);
  mkdirSync(join(folder, 'meta'), { recursive: true });
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8'));
  const index = journal.entries.findIndex((entry: { tag: string }) => entry.tag === tag);
  expect(index).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, index);
  for (const file of readdirSync(MIGRATIONS_FOLDER).filter((name) => name.endsWith('.sql')))
    if (journal.entries.some((entry: { tag: string }) => `${entry.tag}.sql` === file))
      cpSync(join(MIGRATIONS_FOLDER, file), join(folder, file));
  writeFileSync(join(folder, 'meta', '_journal.json'), JSON.stringify(journal));
  return folder;
}

it('reads a heartbeat written before bots claimed the role as a bot holding nothing, and lets one claim it', async () => {
  const handle = openDatabase({ path: join(temp.dir, 'old.sqlite') });
  try {
    migrate(handle.db, {
      migrationsFolder: migrationsBefore('0007_bot_instance_claim'),
      migrationsTable: '__drizzle_migrations',
    });
    handle.sqlite
      .prepare(
        'INSERT INTO bot_status (id, connected, latency_ms, guilds, heartbeat_at, mock, state, last_error) VALUES (1, 1, 40, 2, ?, 0, ?, NULL)',
      )
      .run('2026-11-20T15:00:00.000Z', 'connected');
    expect((await migrateDatabase(handle)).applied).toBe(1);

    const store = new BotStatusStore(handle);
    const old = await store.read();
    expect(old).toEqual({
      connected: true,
      latencyMs: 40,
      guilds: 2,
      heartbeatAt: '2026-11-20T15:00:00.000Z',
      mock: false,
      state: 'connected',
      lastError: null,
    });
    const holder = { instanceId: 'new-bot', host: 'here', pid: 321 };
    const claimed = {
      ...old!,
      state: 'connecting' as const,
      heartbeatAt: '2026-11-20T15:01:00.000Z',
      holder,
    };
    expect(await store.claim(claimed, old)).toBe(true);
    expect((await store.read())?.holder).toEqual(holder);
  } finally {
    handle.close();
  }
});
