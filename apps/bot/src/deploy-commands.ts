// `pnpm --filter @coachwire/bot deploy-commands [--guild ID] [--config PATH] [--rest-api URL]`: registers the slash commands
// with Discord, for one guild (instant; development) or globally (production). `--rest-api` points it at another
// Discord-compatible REST base, such as the emulator in tests.
import { ArgumentError, loadConfigOrExit, parseProcessArgs } from '@coachwire/config';
import { REST, Routes } from 'discord.js';
import { describeDeployFailure } from './util/deploy-failure.js';
import { registerCommands } from './util/register-commands.js';

let flags: ReturnType<typeof readFlags>;
try {
  flags = readFlags(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof ArgumentError)) throw error;
  process.stderr.write(`deploy-commands: ${error.message}\nFix: ${error.fix}\n`);
  process.exit(2);
}
const { guild: guildId } = flags;
const config = loadConfigOrExit({
  argv: [],
  ...(flags.config !== undefined ? { configPath: flags.config } : {}),
});
// As the bot itself does: a configured REST base (a proxy) is used unless --rest-api names another.
const restApi = flags['rest-api'] ?? (config.discord.api_url.trim() || undefined);
const token = config.discord.token.trim();
if (token === '') {
  process.stderr.write(
    'deploy-commands: no bot token is set, so there is nothing to register the commands with.\n' +
      'Fix: put the bot’s token in .env as DISCORD_BOT_TOKEN=… (Discord developer portal → your application → ' +
      'Bot), or set discord.token in the --config file. Mock mode needs no deployed commands.\n',
  );
  process.exit(2);
}
try {
  const rest = new REST(restApi ? { api: restApi } : {}).setToken(token);
  const application = (await rest.get(Routes.currentApplication())) as { id: string };
  const count = await registerCommands({ token, applicationId: application.id, guildId, restApi });
  process.stdout.write(`Registered ${count} command(s) ${guildId ? `for guild ${guildId}` : 'globally'}.\n`);
} catch (error) {
  const { reason, fix } = describeDeployFailure(error, guildId);
  process.stderr.write(`deploy-commands: ${reason}\nFix: ${fix}\n`);
  process.exit(1);
}

function readFlags(argv: readonly string[]) {
  return parseProcessArgs(
    argv,
    { guild: { type: 'string' }, config: { type: 'string' }, 'rest-api': { type: 'string' } },
    'Accepted: [--guild ID] [--config PATH] [--rest-api URL].',
  );
}
