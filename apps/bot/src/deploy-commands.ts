// `pnpm --filter @coachwire/bot deploy-commands [--guild ID] [--config PATH]`: registers `/plan` with Discord,
// for one guild (instant; development) or globally (production).
import { loadConfigOrExit } from '@coachwire/config';
import { REST, Routes } from 'discord.js';
import { registerCommands } from './util/register-commands.js';

const argv = process.argv.slice(2);
const guildIndex = argv.indexOf('--guild');
const guildId =
  guildIndex >= 0 ? argv[guildIndex + 1] : argv.find((arg) => arg.startsWith('--guild='))?.slice(8);
const config = loadConfigOrExit({ argv });
const token = config.discord.token.trim();
if (token === '') {
  process.stderr.write('deploy-commands: set DISCORD_BOT_TOKEN (or discord.token) first.\n');
  process.exit(2);
}
try {
  const application = (await new REST().setToken(token).get(Routes.currentApplication())) as { id: string };
  const count = await registerCommands({ token, applicationId: application.id, guildId });
  process.stdout.write(`Registered ${count} command(s) ${guildId ? `for guild ${guildId}` : 'globally'}.\n`);
} catch (error) {
  process.stderr.write(`deploy-commands: ${(error as Error).message}\n`);
  process.exit(1);
}
