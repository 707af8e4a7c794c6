import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { listEnvVars } from './env-vars.js';
import { loadConfig, loadConfigWithSources } from './load-config.js';
import { redactConfig } from './redact.js';
import { tempDir, writeYaml } from './test-support/temp-files.js';

const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');
const YAML_HASH = sha256('yaml key');
const ENV_HASH = sha256('env key');
const SECOND_HASH = sha256('second env key');

/** A directory whose config.yaml holds one key, as a deployment with both a file and `.env` has. */
function withYamlKey(): string {
  const cwd = tempDir();
  writeYaml(cwd, `api:\n  keys:\n    - name: yaml\n      sha256: "${YAML_HASH}"\n`);
  return cwd;
}

function configError(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('API_KEY_SHA256', () => {
  it('is one of the environment variables Coachwire reads', () => {
    expect(listEnvVars()).toContain('API_KEY_SHA256');
  });

  it('adds one key named env, lower-cased, beside the keys of the YAML file', () => {
    const { config, sources } = loadConfigWithSources({
      argv: ['--config', 'config.yaml'],
      env: { API_KEY_SHA256: ` ${ENV_HASH.toUpperCase()} ` },
      cwd: withYamlKey(),
    });
    expect(config.api.keys).toEqual([
      { name: 'yaml', sha256: YAML_HASH },
      { name: 'env', sha256: ENV_HASH },
    ]);
    expect(sources.get('api.keys')).toBe('file config.yaml, env API_KEY_SHA256');
    // The hashes stay out of anything printed.
    expect(JSON.stringify(redactConfig(config))).not.toContain(ENV_HASH);
  });

  it('adds several comma-separated keys, all named env so a rotation keeps authors (spaces around commas allowed)', () => {
    const config = loadConfig({
      argv: [],
      env: { API_KEY_SHA256: `${ENV_HASH} , ${SECOND_HASH},` },
      cwd: tempDir(),
    });
    expect(config.api.keys).toEqual([
      { name: 'env', sha256: ENV_HASH },
      { name: 'env', sha256: SECOND_HASH },
    ]);
  });

  it('adds nothing when empty or blank', () => {
    for (const value of ['', '   ']) {
      const config = loadConfig({
        argv: ['--config', 'config.yaml'],
        env: { API_KEY_SHA256: value },
        cwd: withYamlKey(),
      });
      expect(config.api.keys, JSON.stringify(value)).toEqual([{ name: 'yaml', sha256: YAML_HASH }]);
    }
  });

  it('refuses a value that is not a SHA-256 with a problem naming the variable, never echoing the value', () => {
    const rawKey = 'cw_Live_Key_9f8e7d6c5b4a3210';
    const shortHash = ENV_HASH.slice(0, 63);
    for (const value of [rawKey, shortHash, `${ENV_HASH},${rawKey}`]) {
      const error = configError(() =>
        loadConfig({ argv: [], env: { API_KEY_SHA256: value }, cwd: tempDir() }),
      );
      expect(error.problems, value).toEqual([
        expect.objectContaining({
          path: 'api.keys',
          source: 'env API_KEY_SHA256',
          expected: expect.stringContaining('64 hexadecimal characters'),
        }),
      ]);
      expect(error.problems[0]).not.toHaveProperty('received');
      expect(error.message).toContain('env API_KEY_SHA256');
      for (const shown of [rawKey, shortHash]) expect(error.message).not.toContain(shown);
    }
  });

  it('leaves TRADINGAGENTS_KEY_SHA256 working through the YAML file it is interpolated into', () => {
    const cwd = tempDir();
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the ${VAR} syntax of config.example.yaml.
    writeYaml(cwd, 'api:\n  keys:\n    - name: tradingagents\n      sha256: "${TRADINGAGENTS_KEY_SHA256}"\n');
    const config = loadConfig({
      argv: ['--config', 'config.yaml'],
      env: { TRADINGAGENTS_KEY_SHA256: YAML_HASH, API_KEY_SHA256: ENV_HASH },
      cwd,
    });
    expect(config.api.keys).toEqual([
      { name: 'tradingagents', sha256: YAML_HASH },
      { name: 'env', sha256: ENV_HASH },
    ]);
  });
});
