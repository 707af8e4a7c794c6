import { once } from 'node:events';
import { Client, GatewayIntentBits } from 'discord.js';
import type { DiscordEmulator } from './emulator.js';

// Shared by the tests: a real discord.js client pointed at an emulator.

/** A discord.js client with the intents the bot uses, whose REST calls go to the emulator. */
export function createTestClient(emulator: DiscordEmulator): Client {
  return new Client({
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      GatewayIntentBits.MessageContent,
      GatewayIntentBits.GuildMembers,
    ],
    rest: { api: emulator.restUrl },
  });
}

/** Logs in and resolves once discord.js has emitted clientReady (guilds cached). */
export async function loginTestClient(
  emulator: DiscordEmulator,
  token = emulator.botToken,
): Promise<Client<true>> {
  const client = createTestClient(emulator);
  const ready = once(client, 'clientReady');
  await client.login(token);
  await ready;
  return client as Client<true>;
}
