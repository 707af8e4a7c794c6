import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliSandbox } from '../test-support/cli-run.js';
import { freePort } from '../test-support/processes.js';
import { formatReply } from './say-command.js';

// The happy path and a bot that does not answer run against a real mock bot process: say-end-to-end.test.ts.
describe('coachwire say', () => {
  it('refuses empty text with exit status 2 and a Fix line', async () => {
    const result = await cliSandbox().run('say', '  ');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('the text is empty');
    expect(result.stderr).toMatch(/^Fix: e\.g\. coachwire say '!help'/m);
  });

  it('says to start mock mode when no control file is beside the database', async () => {
    const sandbox = cliSandbox();
    const result = await sandbox.run('say', '!balance');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${join(sandbox.dir, 'data', 'emulator.json')}: no mock is running`);
    expect(result.stderr).toMatch(/^Fix: start mock mode first: pnpm start without DISCORD_BOT_TOKEN/m);
    // Run from a subdirectory (or another checkout) while the mock runs, the file is simply not where it looks:
    // the Fix must say so rather than only "start mock mode".
    expect(result.stderr).toMatch(
      /^Fix: .*if it runs already, run this in the directory where pnpm start runs \(the checkout's root\)/m,
    );
  });

  it('says to start mock mode when the mock that wrote the file is gone or refuses connections', async () => {
    const sandbox = cliSandbox();
    const file = join(dirname(sandbox.databasePath), 'emulator.json');
    mkdirSync(dirname(file), { recursive: true });
    const control = {
      control_url: `http://127.0.0.1:${await freePort()}/_control`,
      channel_id: '1',
      member_id: '2',
    };
    // A pid no process has (pid_max is at most 2^22 on Linux).
    writeFileSync(file, JSON.stringify({ ...control, pid: 2 ** 22 + 1 }));
    const stale = await sandbox.run('say', '!balance');
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain('is not running');
    expect(stale.stderr).toMatch(/^Fix: start mock mode first/m);

    // A live pid, but nothing listens on the port (a killed mock's port is free).
    writeFileSync(file, JSON.stringify({ ...control, pid: process.pid }));
    const refused = await sandbox.run('say', '!balance');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('(ECONNREFUSED)');
    expect(refused.stderr).toMatch(/^Fix: start mock mode first/m);
  });

  it('prints a reply as plain text: content, then embed titles, descriptions and fields', () => {
    const text = formatReply({
      content: 'Your balance',
      embeds: [
        { title: 'you', description: 'Points \u001b[2J', fields: [{ name: 'Profit', value: '0 pts' }] },
      ],
    });
    expect(text).toBe('Your balance\nyou\nPoints \\u001b[2J\nProfit: 0 pts');
  });

  it('shows a mention as @name, as Discord does, when the emulator names the user', () => {
    const text = formatReply(
      {
        content: '',
        embeds: [
          {
            title: '🏆 Leaderboard',
            description: '**1.** <@1191168914228050072> · +0 pts\n**2.** <@!42424242424242> · -50 pts',
            fields: [{ name: 'Created by', value: '<@5555555555555555>' }],
          },
        ],
      },
      { '1191168914228050072': 'you', '42424242424242': 'mock_ben' },
    );
    expect(text).toBe(
      '🏆 Leaderboard\n**1.** @you · +0 pts\n**2.** @mock_ben · -50 pts\nCreated by: <@5555555555555555>',
    );
  });

  it("shows a Discord timestamp as its UTC time, since a terminal cannot show it in the reader's", () => {
    const text = formatReply({ content: 'closes <t:1795802400:f>, opened <t:1795780800>', embeds: [] });
    expect(text).toBe('closes 2026-11-27 18:00 UTC, opened 2026-11-27 12:00 UTC');
  });

  it('shows a relative timestamp as Discord does, how far it is from now', () => {
    const now = 1795780800 * 1000;
    const text = formatReply(
      { content: 'closes <t:1795802400:f> (<t:1795802400:R>), posted <t:1795780620:R>', embeds: [] },
      {},
      now,
    );
    expect(text).toBe('closes 2026-11-27 18:00 UTC (in 6 hours), posted 3 minutes ago');
  });
});
