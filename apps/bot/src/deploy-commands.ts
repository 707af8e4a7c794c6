// `pnpm --filter @coachwire/bot deploy-commands [--guild ID] [--config PATH] [--rest-api URL]`: registers `/plan`
// with Discord, for one guild (instant; development) or globally (production). `--rest-api` points it at another
// Discord-compatible REST base, such as the emulator in tests.
import { loadConfigOrExit } from '@coachwire/config';
import { REST, Routes } from 'discord.js';
import { registerCommands } from './util/register-commands.js';

const argv = process.argv.slice(2);
const guildIndex = argv.indexOf('--guild');
const guildId =
  guildIndex >= 0 ? argv[guildIndex + 1] : argv.find((arg) => arg.startsWith('--guild='))?.slice(8);
const restIndex = argv.indexOf('--rest-api');
const restApi =
  restIndex >= 0 ? argv[restIndex + 1] : argv.find((arg) => arg.startsWith('--rest-api='))?.slice(11);
const config = loadConfigOrExit({ argv });
const token = config.discord.token.trim();
if (token === '') {
  process.stderr.write('deploy-commands: set DISCORD_BOT_TOKEN (or discord.token) first.\n');
  process.exit(2);
}
try {
  const rest = new REST(restApi ? { api: restApi } : {}).setToken(token);
  const application = (await rest.get(Routes.currentApplication())) as { id: string };
  const count = await registerCommands({ token, applicationId: application.id, guildId, restApi });
  process.stdout.write(`Registered ${count} command(s) ${guildId ? `for guild ${guildId}` : 'globally'}.\n`);
} catch (error) {
  process.stderr.write(`deploy-commands: ${(error as Error).message}\n`);
  process.exit(1);
}
