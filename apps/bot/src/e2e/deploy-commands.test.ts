import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { DiscordEmulator } from '@coachwire/discord-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slashCommandData } from '../commands/registry.js';

const botDir = fileURLToPath(new URL('../..', import.meta.url));
// One process, as the bot's other process tests run it (no tsx wrapper process in between).
const runSource = ['--import', 'tsx', '--conditions=@coachwire/source'];

let emu: DiscordEmulator;
beforeAll(async () => {
  emu = await DiscordEmulator.start();
});
afterAll(async () => {
  await emu.stop();
});

async function deploy(args: string[], token: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [...runSource, 'src/deploy-commands.ts', ...args], {
    cwd: botDir,
    env: { ...process.env, DISCORD_BOT_TOKEN: token, LOG_FILE: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => {
    stdout += String(chunk);
  });
  child.stderr!.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const [code] = await once(child, 'exit');
  return { code, stdout, stderr };
}

describe('deploy-commands', () => {
  it('registers every top-level command in one guild, and globally without --guild', async () => {
    const names = slashCommandData().map((command) => command.name);
    expect(names[0]).toBe('plan');
    const guild = emu.createGuild({ name: 'Dev Server' });
    const inGuild = await deploy(['--guild', guild.id, '--rest-api', emu.restUrl], emu.botToken);
    expect(inGuild).toMatchObject({
      code: 0,
      stdout: `Registered ${names.length} command(s) for guild ${guild.id}.\n`,
    });
    expect(emu.registeredCommands({ guildId: guild.id }).map((command) => command.name)).toEqual(names);

    const global = await deploy([`--rest-api=${emu.restUrl}`], emu.botToken);
    expect(global.stdout).toContain(`Registered ${names.length} command(s) globally.`);
    expect(emu.registeredCommands().map((command) => command.name)).toEqual(names);
  });

  it('registers through the configured discord.api_url (a proxy), as the bot connects, without --rest-api', async () => {
    const guild = emu.createGuild({ name: 'Proxied Server' });
    const proxied = await deploy(['--guild', guild.id], emu.botToken, { DISCORD_API_URL: emu.restUrl });
    expect(proxied.stderr).toBe('');
    expect(proxied.code).toBe(0);
    expect(emu.registeredCommands({ guildId: guild.id })).not.toHaveLength(0);
  });

  it('fails with the reason and exit 1 when Discord refuses the token', async () => {
    const refused = await deploy(['--rest-api', emu.restUrl], 'not-the-token');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^deploy-commands: /);
    expect(refused.stderr).toMatch(/^Fix: Discord refused DISCORD_BOT_TOKEN: copy the bot’s current token/m);
    expect(refused.stderr).not.toContain('not-the-token');
  });

  it('names the --guild id in the Fix when Discord does not know that guild', async () => {
    const unknown = await deploy(['--guild', '123456789012345678', '--rest-api', emu.restUrl], emu.botToken);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^Fix: check --guild 123456789012345678: it must be the id of a server/m);
  });

  it('says Discord could not be reached, with a Fix about the network, when nothing answers', async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const unreachable = await deploy(['--rest-api', `http://127.0.0.1:${closed}/api`], emu.botToken);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('ECONNREFUSED');
    expect(unreachable.stderr).toMatch(/^Fix: this machine could not reach Discord/m);
  });

  it('without a token, exits 2 with a Fix saying where the token goes', async () => {
    const missing = await deploy(['--rest-api', emu.restUrl], '');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^Fix: put the bot’s token in \.env as DISCORD_BOT_TOKEN=/m);
  });
});
