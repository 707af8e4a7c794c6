import { ConfigError } from './config-error.js';
import type { CoachwireConfig } from './schema.js';

/** Throws a ConfigError when the bot cannot log in: no token and mock mode off. */
export function assertBotCanStart(config: CoachwireConfig): void {
  if (config.mock.enabled || config.discord.token.trim() !== '') return;
  throw new ConfigError([
    {
      path: 'discord.token',
      source: 'unset',
      expected:
        'a Discord bot token: set DISCORD_BOT_TOKEN (or discord.token in the config file), ' +
        'or run without Discord in mock mode with MOCK_MODE=true (mock.enabled: true)',
    },
  ]);
}
