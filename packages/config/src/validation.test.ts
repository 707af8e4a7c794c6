import { describe, expect, it } from 'vitest';
import { ConfigError, type ConfigProblem, configErrorFix, formatConfigError } from './config-error.js';
import { type LoadConfigOptions, loadConfig } from './load-config.js';
import { tempDir, writeYaml } from './test-support/temp-files.js';

/** Loads and returns the problems of the ConfigError it must throw. */
function problemsOf(options: LoadConfigOptions): readonly ConfigProblem[] {
  try {
    loadConfig({ argv: [], env: {}, ...options });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected loadConfig to throw a ConfigError');
}

function fileProblems(yaml: string, env: Record<string, string> = {}): readonly ConfigProblem[] {
  const cwd = tempDir();
  writeYaml(cwd, yaml);
  return problemsOf({ cwd, env, configPath: 'config.yaml' });
}

describe('configuration validation', () => {
  it('names API_PORT when the port from the environment is not a number', () => {
    const problems = problemsOf({ env: { API_PORT: 'eighty' }, cwd: tempDir() });
    expect(problems).toEqual([
      {
        path: 'api.port',
        source: 'env API_PORT',
        expected: 'an integer from 1 to 65535',
        received: '"eighty"',
      },
    ]);
  });

  it('refuses a port out of range and says where it came from', () => {
    expect(problemsOf({ env: { API_PORT: '70000' }, cwd: tempDir() })).toEqual([
      { path: 'api.port', source: 'env API_PORT', expected: 'an integer from 1 to 65535', received: '70000' },
    ]);
    expect(fileProblems('api: { port: 0 }\n')).toEqual([
      { path: 'api.port', source: 'file config.yaml', expected: 'an integer from 1 to 65535', received: '0' },
    ]);
  });

  it('refuses a heartbeat interval too long for the 60 s after which a heartbeat is stale, naming the limit', () => {
    expect(fileProblems('discord: { heartbeat_interval_seconds: 90 }\n')).toEqual([
      {
        path: 'discord.heartbeat_interval_seconds',
        source: 'file config.yaml',
        expected:
          'a number of seconds greater than 0 and at most 20: a heartbeat older than 60 s means the bot is gone, ' +
          'for /health and for another bot starting on the same database',
        received: '90',
      },
    ]);
    expect(fileProblems('discord: { heartbeat_interval_seconds: 21 }\n')).toHaveLength(1);
    const cwd = tempDir();
    writeYaml(cwd, 'discord: { heartbeat_interval_seconds: 20 }\n');
    expect(
      loadConfig({ argv: [], env: {}, cwd, configPath: 'config.yaml' }).discord.heartbeat_interval_seconds,
    ).toBe(20);
  });

  it('refuses a MOCK_MODE that is not a boolean word', () => {
    expect(problemsOf({ env: { MOCK_MODE: 'maybe' }, cwd: tempDir() })).toEqual([
      {
        path: 'mock.enabled',
        source: 'env MOCK_MODE',
        expected: 'true/false/1/0/yes/no',
        received: '"maybe"',
      },
    ]);
  });

  it('refuses a time zone the runtime does not know', () => {
    expect(problemsOf({ env: { TIMEZONE: 'Mars/Olympus' }, cwd: tempDir() })).toEqual([
      {
        path: 'timezone',
        source: 'env TIMEZONE',
        expected: 'an IANA time zone such as America/New_York',
        received: '"Mars/Olympus"',
      },
    ]);
  });

  it('refuses two coaches with the same id and a malformed id', () => {
    const problems = fileProblems(
      'coaches:\n  - { id: d, name: A, role_ids: [], user_ids: [] }\n  - { id: d, name: B, role_ids: [], user_ids: [] }\n  - { id: Bad-Id, name: C, role_ids: [], user_ids: [] }\n',
    );
    expect(problems).toEqual([
      {
        path: 'coaches[2].id',
        source: 'file config.yaml',
        expected: '1 to 16 lower-case letters or digits',
        received: '"Bad-Id"',
      },
      {
        path: 'coaches[1].id',
        source: 'file config.yaml',
        expected: 'a coach id not used by another coach',
        received: '"d"',
      },
    ]);
  });

  it('refuses an API key hash that is not 64 hex characters, without printing it', () => {
    const problems = fileProblems('api:\n  keys:\n    - { name: ta, sha256: not-a-hash-but-maybe-a-key }\n');
    expect(problems).toEqual([
      {
        path: 'api.keys[0].sha256',
        source: 'file config.yaml',
        expected: '64 hexadecimal characters (the SHA-256 of the key)',
      },
    ]);
  });

  it('lets keys share a name (a rotation) and refuses a key listed twice, without printing it', () => {
    const hash = (digit: string) => digit.repeat(64);
    const rotating = `api:\n  keys:\n    - { name: ta, sha256: ${hash('a')} }\n    - { name: ta, sha256: ${hash('b')} }\n`;
    const cwd = tempDir();
    writeYaml(cwd, rotating);
    const { api } = loadConfig({ argv: [], env: {}, cwd, configPath: 'config.yaml' });
    expect(api.keys.map((key) => key.name)).toEqual(['ta', 'ta']);
    const twice = `api:\n  keys:\n    - { name: ta, sha256: ${hash('a')} }\n    - { name: tb, sha256: ${hash('a')} }\n`;
    expect(fileProblems(twice)).toEqual([
      { path: 'api.keys[1].sha256', source: 'file config.yaml', expected: 'a key not listed twice' },
    ]);
  });

  it('refuses an empty --config (an unset shell variable) instead of reading the directory as the file', () => {
    for (const argv of [['--config', ''], ['--config=']]) {
      expect(problemsOf({ argv, cwd: tempDir() }), argv.join(' ')).toEqual([
        {
          path: '(config file)',
          source: '--config',
          expected:
            'the path of a YAML file, e.g. --config config.yaml (it was empty; leave --config out to use none)',
        },
      ]);
    }
  });

  it('refuses "*" among the write origins', () => {
    expect(fileProblems('cors:\n  write_origins: ["https://ok.example.com", "*"]\n')).toEqual([
      {
        path: 'cors.write_origins[1]',
        source: 'file config.yaml',
        expected: 'exact origins such as https://example.com ("*" is refused for writes)',
        received: '"*"',
      },
    ]);
  });

  it("reads the old system's Python level names and any case in LOG_LEVEL", () => {
    const levelOf = (value: string) =>
      loadConfig({ env: { LOG_LEVEL: value }, argv: [], cwd: tempDir() }).logging.level;
    const expected = {
      INFO: 'info',
      WARNING: 'warn',
      CRITICAL: 'fatal',
      ' Debug ': 'debug',
      ERROR: 'error',
      warn: 'warn',
    };
    const read = Object.fromEntries(Object.keys(expected).map((value) => [value, levelOf(value)]));
    expect(read).toEqual(expected);
  });

  it('refuses an unknown log level', () => {
    expect(problemsOf({ env: { LOG_LEVEL: 'verbose' }, cwd: tempDir() })).toEqual([
      {
        path: 'logging.level',
        source: 'env LOG_LEVEL',
        expected: 'one of fatal, error, warn, info, debug, trace, silent',
        received: '"verbose"',
      },
    ]);
  });

  it('refuses a misspelt key instead of silently ignoring it', () => {
    expect(fileProblems('discord:\n  tokn: abc\n')).toEqual([
      {
        path: 'discord.tokn',
        source: 'file config.yaml',
        expected: expect.stringContaining('no such key (known: token, prefix'),
      },
    ]);
  });

  it('labels a bad override as coming from code', () => {
    expect(problemsOf({ cwd: tempDir(), overrides: { cache: { max_size: -1 } } })).toEqual([
      { path: 'cache.max_size', source: 'override', expected: 'an integer of at least 0', received: '-1' },
    ]);
  });

  it('fixes a file that cannot be used at the file, and bad keys at the keys', () => {
    const errorOf = (options: LoadConfigOptions) => new ConfigError(problemsOf(options));
    const missing = configErrorFix(errorOf({ cwd: tempDir(), configPath: 'absent.yaml' }));
    expect(missing).toMatch(/^check the file that --config or COACHWIRE_CONFIG names: it must exist/);
    expect(missing).not.toContain('correct the keys');
    const cwd = tempDir();
    writeYaml(cwd, '- a list, not a mapping\n');
    expect(configErrorFix(errorOf({ cwd, configPath: 'config.yaml' }))).toBe(missing);
    const badKey = configErrorFix(errorOf({ cwd: tempDir(), env: { API_PORT: '99999' } }));
    expect(badKey).toMatch(/^correct the keys listed above/);
    const both = configErrorFix(
      errorOf({ cwd: tempDir(), configPath: 'absent.yaml', env: { API_PORT: '99999' } }),
    );
    expect(both.startsWith(missing)).toBe(true);
    expect(both).toContain('Then correct the keys listed above');
  });

  it('reports a missing or unparsable file by position only', () => {
    expect(problemsOf({ cwd: tempDir(), configPath: 'absent.yaml' })).toEqual([
      { path: '(config file)', source: 'file absent.yaml', expected: 'a readable YAML file (ENOENT)' },
    ]);
    const [problem] = fileProblems('discord:\n  token: "s3cret-token\n  prefix: !\n');
    expect(problem?.expected).toMatch(/^valid YAML; parsing failed at line \d+, column \d+/);
    expect(JSON.stringify(problem)).not.toContain('s3cret');
  });

  it('lists every problem at once, each with its own source', () => {
    const cwd = tempDir();
    writeYaml(
      cwd,
      'timezone: Nowhere/Land\ncors: { write_origins: ["*"] }\nrate_limits:\n  api_per_ip: { max: 0, window_seconds: 60 }\n',
    );
    const problems = problemsOf({
      cwd,
      configPath: 'config.yaml',
      env: { API_PORT: 'x', LOG_LEVEL: 'loud' },
    });
    expect(problems.map((problem) => `${problem.path} <- ${problem.source}`)).toEqual([
      'api.port <- env API_PORT',
      'logging.level <- env LOG_LEVEL',
      'rate_limits.api_per_ip.max <- file config.yaml',
      'timezone <- file config.yaml',
      'cors.write_origins[0] <- file config.yaml',
    ]);
    const message = formatConfigError(
      (() => {
        try {
          loadConfig({ argv: [], cwd, configPath: 'config.yaml', env: { API_PORT: 'x', LOG_LEVEL: 'loud' } });
        } catch (error) {
          return error;
        }
      })(),
    );
    expect(message.split('\n')).toEqual([
      'Invalid configuration (5 problems):',
      '  - api.port (from env API_PORT): expected an integer from 1 to 65535, got "x"',
      '  - logging.level (from env LOG_LEVEL): expected one of fatal, error, warn, info, debug, trace, silent, got "loud"',
      '  - rate_limits.api_per_ip.max (from file config.yaml): expected an integer of at least 1, got 0',
      '  - timezone (from file config.yaml): expected an IANA time zone such as America/New_York, got "Nowhere/Land"',
      '  - cors.write_origins[0] (from file config.yaml): expected exact origins such as https://example.com ("*" is refused for writes), got "*"',
    ]);
  });

  it('is a VALIDATION CoachwireError whose details carry the problems', () => {
    try {
      loadConfig({ argv: [], env: { API_PORT: '0' }, cwd: tempDir() });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).code).toBe('VALIDATION');
      expect((error as ConfigError).details).toEqual({ problems: (error as ConfigError).problems });
    }
  });
});
