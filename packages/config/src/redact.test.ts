import { describe, expect, it } from 'vitest';
import { assertBotCanStart } from './bot-readiness.js';
import { ConfigError, formatConfigError } from './config-error.js';
import { loadConfig } from './load-config.js';
import { redactConfig } from './redact.js';
import { tempDir, writeYaml } from './test-support/temp-files.js';

const TOKEN = 'MTIz.secret-bot-token.XYZ';
const HASH = 'ab'.repeat(32);

describe('secrets', () => {
  it('redactConfig hides the token and key hashes in a copy, leaving the original intact', () => {
    const config = loadConfig({
      argv: [],
      env: { DISCORD_BOT_TOKEN: TOKEN },
      cwd: tempDir(),
      overrides: { api: { keys: [{ name: 'tradingagents', sha256: HASH }] } },
    });
    const redacted = redactConfig(config);
    const printed = JSON.stringify(redacted);
    expect(printed).not.toContain(TOKEN);
    expect(printed).not.toContain(HASH);
    expect(redacted.discord.token).toBe('[redacted]');
    expect(redacted.api.keys).toEqual([{ name: 'tradingagents', sha256: '[redacted]' }]);
    expect(config.discord.token).toBe(TOKEN);
    expect(config.api.keys[0]?.sha256).toBe(HASH);
  });

  it('redactConfig shows which PostgreSQL server is configured but not its password', () => {
    const url = 'postgres://coach:pg-Pa55word@db.internal:5432/coachwire';
    const config = loadConfig({
      argv: [],
      env: { DATABASE_URL: url, DATABASE_POOL_SIZE: '4' },
      cwd: tempDir(),
    });
    expect(config.database.url).toBe(url);
    expect(config.database.pool_size).toBe(4);
    const printed = JSON.stringify(redactConfig(config));
    expect(printed).not.toContain('pg-Pa55word');
    expect(redactConfig(config).database.url).toBe('postgres://coach:***@db.internal:5432/coachwire');
  });

  it('refuses a DATABASE_URL that is not a postgres:// URL without printing it', () => {
    let printed = '';
    try {
      loadConfig({ argv: [], env: { DATABASE_URL: 'mysql://root:pg-Pa55word@db/x' }, cwd: tempDir() });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      printed = `${formatConfigError(error)}\n${JSON.stringify((error as ConfigError).details)}`;
    }
    expect(printed).toContain('database.url');
    expect(printed).toContain('postgres://');
    expect(printed).not.toContain('pg-Pa55word');
  });

  it('redactConfig keeps an unset token as "" so "not configured" stays visible', () => {
    expect(redactConfig(loadConfig({ argv: [], env: {}, cwd: tempDir() })).discord.token).toBe('');
  });

  it('never prints the token or a key in a ConfigError, even when they sit in a wrong place', () => {
    const cwd = tempDir();
    writeYaml(
      cwd,
      `discord:\n  token: ${JSON.stringify(TOKEN)}\n  tokn: ${JSON.stringify(TOKEN)}\napi:\n  keys:\n    - { name: ta, sha256: ${JSON.stringify(TOKEN)} }\n  port: 0\n`,
    );
    let thrown: unknown;
    try {
      loadConfig({ argv: [], env: {}, cwd, configPath: 'config.yaml' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const message = formatConfigError(thrown);
    expect(message).toContain('discord.tokn');
    expect(message).toContain('api.keys[0].sha256');
    expect(message).not.toContain(TOKEN);
    expect(JSON.stringify((thrown as ConfigError).details)).not.toContain(TOKEN);
  });
});

describe('assertBotCanStart', () => {
  it('refuses to start the bot without a token when mock mode is off, naming DISCORD_BOT_TOKEN and mock mode', () => {
    const config = loadConfig({ argv: [], env: {}, cwd: tempDir() });
    expect(() => assertBotCanStart(config)).toThrow(ConfigError);
    try {
      assertBotCanStart(config);
    } catch (error) {
      const message = formatConfigError(error);
      expect(message).toContain('discord.token');
      expect(message).toContain('DISCORD_BOT_TOKEN');
      expect(message).toContain('MOCK_MODE=true');
    }
  });

  it('lets the bot start with a token, or in mock mode without one', () => {
    expect(() =>
      assertBotCanStart(loadConfig({ argv: [], env: { DISCORD_BOT_TOKEN: TOKEN }, cwd: tempDir() })),
    ).not.toThrow();
    expect(() =>
      assertBotCanStart(loadConfig({ argv: [], env: { MOCK_MODE: 'true' }, cwd: tempDir() })),
    ).not.toThrow();
  });

  it('does not make loadConfig itself require a token', () => {
    expect(loadConfig({ argv: [], env: {}, cwd: tempDir() }).discord.token).toBe('');
  });
});
