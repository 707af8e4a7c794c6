// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are the ${VAR} syntax under test.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_FILE_PROBLEM, ConfigError } from './config-error.js';
import { DEFAULT_CONFIG } from './defaults.js';
import { loadConfig, loadConfigWithSources } from './load-config.js';
import { tempDir, writeYaml } from './test-support/temp-files.js';

describe('loadConfig layers', () => {
  it('uses the built-in defaults when nothing else is given', () => {
    const cwd = tempDir();
    const config = loadConfig({ argv: [], env: {}, cwd });
    expect(config.api.port).toBe(5000);
    expect(config.api.host).toBe('0.0.0.0');
    expect(config.logging.level).toBe('info');
    expect(config.cache).toEqual({ ttl_seconds: 3600, max_size: 100 });
    expect(config.discord.reconnect_attempts).toBe(5);
    expect(config.coaches.map((coach) => coach.id)).toEqual(['d', 'i', 's', 'n']);
    expect(config.timezone).toBe('America/New_York');
  });

  it('lets each layer win over the one below: default < file < env < override', () => {
    const cwd = tempDir();
    writeYaml(cwd, 'api:\n  port: 6001\n  host: 127.0.0.1\ncache:\n  ttl_seconds: 60\n  max_size: 7\n');
    const load = (env: Record<string, string>, overrides = {}) =>
      loadConfigWithSources({ argv: ['--config', 'config.yaml'], env, cwd, overrides });

    const fileOnly = load({});
    expect(fileOnly.config.api.port).toBe(6001);
    expect(fileOnly.config.cache.ttl_seconds).toBe(60);
    expect(fileOnly.config.logging.level).toBe('info');
    expect(fileOnly.sources.get('api.port')).toBe('file config.yaml');
    expect(fileOnly.sources.get('logging.level')).toBe('default');

    const withEnv = load({ API_PORT: '6002', CACHE_TTL_SECONDS: '90' });
    expect(withEnv.config.api.port).toBe(6002);
    expect(withEnv.config.api.host).toBe('127.0.0.1');
    expect(withEnv.config.cache.ttl_seconds).toBe(90);
    expect(withEnv.sources.get('api.port')).toBe('env API_PORT');

    const withOverride = load({ API_PORT: '6002' }, { api: { port: 6003 } });
    expect(withOverride.config.api.port).toBe(6003);
    expect(withOverride.config.api.host).toBe('127.0.0.1');
    expect(withOverride.config.cache.max_size).toBe(7);
    expect(withOverride.sources.get('api.port')).toBe('override');
  });

  it('finds the file from --config=PATH, then COACHWIRE_CONFIG, with configPath winning over both', () => {
    const cwd = tempDir();
    writeYaml(cwd, 'api: { port: 7001 }\n', 'a.yaml');
    writeYaml(cwd, 'api: { port: 7002 }\n', 'b.yaml');
    writeYaml(cwd, 'api: { port: 7003 }\n', 'c.yaml');
    expect(loadConfig({ argv: ['--config=a.yaml'], env: { COACHWIRE_CONFIG: 'b.yaml' }, cwd }).api.port).toBe(
      7001,
    );
    expect(loadConfig({ argv: [], env: { COACHWIRE_CONFIG: 'b.yaml' }, cwd }).api.port).toBe(7002);
    expect(loadConfig({ argv: ['--config', 'a.yaml'], env: {}, cwd, configPath: 'c.yaml' }).api.port).toBe(
      7003,
    );
  });

  it('replaces lists whole instead of merging them item by item', () => {
    const cwd = tempDir();
    writeYaml(cwd, 'coaches:\n  - { id: x, name: Coach X, role_ids: ["1"], user_ids: [] }\n');
    const config = loadConfig({ argv: [], env: {}, cwd, configPath: 'config.yaml' });
    expect(config.coaches).toEqual([{ id: 'x', name: 'Coach X', role_ids: ['1'], user_ids: [] }]);
  });

  it('coerces env strings to numbers and booleans (true/false/1/0/yes/no)', () => {
    const cwd = tempDir();
    for (const [text, expected] of [
      ['true', true],
      ['YES', true],
      ['1', true],
      ['false', false],
      ['no', false],
      ['0', false],
    ] as const) {
      expect(loadConfig({ argv: [], env: { MOCK_MODE: text }, cwd }).mock.enabled).toBe(expected);
    }
    const config = loadConfig({ argv: [], env: { LOG_MAX_SIZE_MB: '2.5', RECONNECT_ATTEMPTS: ' 9 ' }, cwd });
    expect(config.logging.max_size_mb).toBe(2.5);
    expect(config.discord.reconnect_attempts).toBe(9);
  });

  it('maps every legacy and new variable to its key', () => {
    const cwd = tempDir();
    const config = loadConfig({
      argv: [],
      cwd,
      env: {
        DISCORD_BOT_TOKEN: 'tok',
        DATABASE_PATH: 'db/plans.db',
        API_HOST: '127.0.0.1',
        LOG_LEVEL: 'debug',
        LOG_FILE: '',
        LOG_BACKUP_COUNT: '2',
        MAX_CACHE_SIZE: '5',
        RECONNECT_DELAY_SECONDS: '1',
        CONNECTION_TIMEOUT: '3',
        MAX_CHART_ATTACHMENTS: '4',
        TIMEZONE: 'Europe/London',
        COMMAND_PREFIX: '?',
        CHARTS_DIR: 'charts',
        CHARTS_PUBLIC_BASE_URL: 'https://plans.example.com/charts',
      },
    });
    expect(config.discord).toMatchObject({
      token: 'tok',
      prefix: '?',
      reconnect_delay_seconds: 1,
      connection_timeout_seconds: 3,
      max_chart_attachments: 4,
    });
    expect(config.api.host).toBe('127.0.0.1');
    expect(config.logging).toMatchObject({ level: 'debug', file: '', backup_count: 2 });
    expect(config.cache.max_size).toBe(5);
    expect(config.timezone).toBe('Europe/London');
    expect(config.database.path).toBe(path.join(cwd, 'db/plans.db'));
    expect(config.charts).toMatchObject({
      dir: path.join(cwd, 'charts'),
      public_base_url: 'https://plans.example.com/charts',
    });
  });

  it('resolves database, log and chart paths against cwd, not the YAML file directory', () => {
    const cwd = tempDir();
    writeYaml(cwd, 'database: { path: ./db.sqlite }\n', 'nested.yaml');
    const config = loadConfig({ argv: [], env: {}, cwd, configPath: path.join(cwd, 'nested.yaml') });
    expect(config.database.path).toBe(path.join(cwd, 'db.sqlite'));
    expect(config.logging.file).toBe(path.join(cwd, 'logs/coachwire.log'));
    expect(config.charts.dir).toBe(path.join(cwd, 'data/charts'));
  });

  it('keeps an empty section in the file from wiping the defaults, and never mutates DEFAULT_CONFIG', () => {
    const cwd = tempDir();
    writeYaml(cwd, 'cache:\n# ttl_seconds: 5\napi:\n  port: 5001\n');
    const config = loadConfig({ argv: [], env: {}, cwd, configPath: 'config.yaml' });
    expect(config.cache).toEqual({ ttl_seconds: 3600, max_size: 100 });
    config.coaches.push({ id: 'z', name: 'Z', role_ids: [], user_ids: [] });
    expect(DEFAULT_CONFIG.coaches).toHaveLength(4);
    expect(DEFAULT_CONFIG.database.path).toBe('./data/coach_plans.db');
  });
});

describe('a YAML file that cannot be used', () => {
  it('reports an alias inside its own anchor as a file problem, not a stack overflow', () => {
    const cwd = tempDir();
    // YAML allows it and the parser builds a value that contains itself; walking it never ends.
    writeYaml(cwd, 'database:\n  path: &loop [*loop]\n');
    let thrown: unknown;
    try {
      loadConfig({ argv: [], env: {}, cwd, configPath: 'config.yaml' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).problems).toEqual([
      {
        path: CONFIG_FILE_PROBLEM,
        source: 'file config.yaml',
        expected: 'valid YAML without an alias inside its own anchor (&name … *name)',
      },
    ]);
  });
});

describe('${VAR} interpolation in the YAML file', () => {
  it('substitutes ${VAR} and falls back to ${VAR:-default} when the variable is unset or empty', () => {
    const cwd = tempDir();
    writeYaml(
      cwd,
      [
        'api:',
        '  host: "${BIND_HOST}"',
        '  port: ${BIND_PORT:-5050}',
        'charts:',
        '  public_base_url: "https://${PUBLIC_HOST:-localhost}/charts"',
        'discord:',
        '  prefix: "${PREFIX:-!}"',
        'mock:',
        '  enabled: ${MOCKED:-false}',
      ].join('\n'),
    );
    const load = (env: Record<string, string>) =>
      loadConfig({ argv: [], env, cwd, configPath: 'config.yaml' });
    const unset = load({ BIND_HOST: '127.0.0.1', PREFIX: '' });
    expect(unset.api.host).toBe('127.0.0.1');
    expect(unset.api.port).toBe(5050);
    expect(unset.charts.public_base_url).toBe('https://localhost/charts');
    expect(unset.discord.prefix).toBe('!');
    expect(unset.mock.enabled).toBe(false);

    const set = load({
      BIND_HOST: '::1',
      BIND_PORT: '8080',
      PUBLIC_HOST: 'plans.example.com',
      MOCKED: 'yes',
    });
    expect(set.api.host).toBe('::1');
    expect(set.api.port).toBe(8080);
    expect(set.charts.public_base_url).toBe('https://plans.example.com/charts');
    expect(set.mock.enabled).toBe(true);
  });

  it('reads variables from the env passed in, not from the process', () => {
    const cwd = tempDir();
    writeYaml(cwd, 'database: { path: "${COACHWIRE_TEST_ONLY_DB:-fallback.db}" }\n');
    process.env.COACHWIRE_TEST_ONLY_DB = 'from-process.db';
    try {
      const config = loadConfig({ argv: [], env: {}, cwd, configPath: 'config.yaml' });
      expect(config.database.path).toBe(path.join(cwd, 'fallback.db'));
    } finally {
      delete process.env.COACHWIRE_TEST_ONLY_DB;
    }
  });
});

describe('mock mode data paths', () => {
  it('keeps mock data in its own database and chart directory by default', () => {
    const cwd = tempDir();
    const real = loadConfig({ argv: [], env: {}, cwd });
    const mock = loadConfigWithSources({ argv: [], env: { MOCK_MODE: 'true' }, cwd });
    expect(real.database.path).toBe(path.join(cwd, 'data', 'coach_plans.db'));
    expect(mock.config.database.path).toBe(path.join(cwd, 'data', 'mock', 'coach_plans.db'));
    expect(mock.config.charts.dir).toBe(path.join(cwd, 'data', 'mock', 'charts'));
    expect(mock.sources.get('database.path')).toBe('default (mock mode)');
    const flagged = loadConfig({ argv: [], env: {}, cwd, overrides: { mock: { enabled: true } } });
    expect(flagged.database.path).toBe(mock.config.database.path);
  });

  it('uses a database path set explicitly, in mock mode too', () => {
    const cwd = tempDir();
    const fromEnv = loadConfig({ argv: [], env: { MOCK_MODE: 'true', DATABASE_PATH: 'mine.db' }, cwd });
    expect(fromEnv.database.path).toBe(path.join(cwd, 'mine.db'));
    writeYaml(cwd, 'mock: { enabled: true }\ndatabase: { path: ./data/coach_plans.db }\n');
    const fromFile = loadConfig({ argv: [], env: {}, cwd, configPath: 'config.yaml' });
    expect(fromFile.database.path).toBe(path.join(cwd, 'data', 'coach_plans.db'));
    expect(fromFile.charts.dir).toBe(path.join(cwd, 'data', 'mock', 'charts'));
  });
});
