import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type MockControlFile, mockControlFilePath } from '@coachwire/config';
import { mockDiscordId } from '@coachwire/core';
import { openCoachwire } from '@coachwire/runtime';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { mockModeConfig } from '../test-support/mock-config.js';
import { startMockBot } from './start-mock-bot.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'coachwire-mock-control-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("mock mode's control file", { timeout: 120_000 }, () => {
  it('names the emulator, #trading-plans and `you` beside the database while running, and is gone after stop', async () => {
    const config = mockModeConfig(dir, { mock: { simulate_posts: false } });
    const file = path.join(dir, 'emulator.json');
    expect(mockControlFilePath(config)).toBe(file);
    const coachwire = await openCoachwire(config, { logger: pino({ level: 'silent' }) });
    const bot = await startMockBot({ config, coachwire });
    try {
      const control = JSON.parse(readFileSync(file, 'utf8')) as MockControlFile;
      // The same member on every run: plans and markets remember their authors by id.
      expect(control).toEqual({
        control_url: bot.mock.emu.controlUrl,
        channel_id: bot.mock.channel.id,
        member_id: mockDiscordId('member/you'),
        pid: process.pid,
      });
      // What `coachwire say` does with it: the real bot answers the member.
      const response = await fetch(`${control.control_url}/say`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          channel_id: control.channel_id,
          author_id: control.member_id,
          content: '!help',
        }),
      });
      const answer = (await response.json()) as { reply: { content: string; embeds: unknown[] } | null };
      expect(JSON.stringify(answer.reply)).toContain('!balance');
    } finally {
      await bot.stop();
      await coachwire.close();
    }
    expect(existsSync(file)).toBe(false);
  });

  it('is kept in ./data/mock/ under the working directory when the database is PostgreSQL', () => {
    const config = mockModeConfig(dir);
    const onPostgres = { ...config, database: { ...config.database, url: 'postgres://127.0.0.1/coachwire' } };
    expect(mockControlFilePath(onPostgres, '/srv/coachwire')).toBe('/srv/coachwire/data/mock/emulator.json');
  });
});
