import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_CONFIG } from './defaults.js';
import { ENV_VAR_BINDINGS, envVarFor, listEnvVars } from './env-vars.js';
import { listConfigKeys, schemaAt } from './key-paths.js';
import { isPlainObject } from './layers.js';
import { loadConfig, MOCK_DATA_PATHS } from './load-config.js';

/**
 * Keys the examples leave unset, commented out with their default: set, they would also be used in mock mode
 * (a path the user sets is theirs), and mock plans would land in the real database.
 */
const UNSET_IN_EXAMPLES = new Map([
  ['database.path', '# path: ./data/coach_plans.db'],
  ['charts.dir', '# dir: ./data/charts'],
]);

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const exampleYaml = path.join(repoRoot, 'config.example.yaml');
const exampleEnv = path.join(repoRoot, '.env.example');

/** Leaf key paths present in a parsed YAML tree, in listConfigKeys' form (`coaches[].id`). */
function leafKeys(value: unknown, prefix = ''): string[] {
  if (isPlainObject(value)) {
    return Object.entries(value).flatMap(([key, child]) =>
      leafKeys(child, prefix ? `${prefix}.${key}` : key),
    );
  }
  if (Array.isArray(value) && value.some(isPlainObject)) {
    return value.flatMap((item) => leafKeys(item, `${prefix}[]`));
  }
  return [prefix];
}

/** KEY=VALUE lines of a .env file; comments and blank lines skipped. */
function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) env[match[1]!] = match[2]!;
  }
  return env;
}

describe('the example files', () => {
  it('config.example.yaml loads, validates, and sets every leaf key of the schema', () => {
    const config = loadConfig({ argv: [], env: {}, cwd: repoRoot, configPath: exampleYaml });
    expect(config.api.port).toBe(5000);
    const text = readFileSync(exampleYaml, 'utf8');
    const present = new Set(leafKeys(parse(text)));
    const missing = listConfigKeys().filter((key) => !present.has(key));
    expect(missing).toEqual([...UNSET_IN_EXAMPLES.keys()]);
    // Shown commented out, with their default, so the reader still finds them.
    for (const [key, line] of UNSET_IN_EXAMPLES) {
      expect(text, key).toContain(line);
    }
  });

  it('leaves the data paths unset, so a copied example keeps mock data out of the real database', () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'coachwire-examples-'));
    try {
      const env = { ...parseEnvFile(readFileSync(exampleEnv, 'utf8')), MOCK_MODE: 'true' };
      for (const config of [
        loadConfig({ argv: [], env: { MOCK_MODE: 'true' }, cwd, configPath: exampleYaml }),
        loadConfig({ argv: [], env, cwd }),
      ]) {
        expect(config.database.path).toBe(path.join(cwd, MOCK_DATA_PATHS.database));
        expect(config.charts.dir).toBe(path.join(cwd, MOCK_DATA_PATHS.charts));
      }
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('shows the built-in defaults, so that leaving a key out changes nothing', () => {
    const defaults = loadConfig({ argv: [], env: {}, cwd: repoRoot });
    // The YAML's one entry of api.keys is a placeholder for the reader's own key; every other value is the default.
    const fromYaml = loadConfig({ argv: [], env: {}, cwd: repoRoot, configPath: exampleYaml });
    expect({ ...fromYaml, api: { ...fromYaml.api, keys: [] } }).toEqual(defaults);
    // Commented-out lines show the default too: every variable line of .env.example, commented or not.
    const lines = readFileSync(exampleEnv, 'utf8').split('\n');
    const bound = new Set(ENV_VAR_BINDINGS.map((binding) => binding.name));
    const env = parseEnvFile(lines.map((line) => line.replace(/^# ?(?=[A-Z][A-Z0-9_]*=)/, '')).join('\n'));
    const shown = Object.fromEntries(Object.entries(env).filter(([name]) => bound.has(name)));
    expect(Object.keys(shown)).toEqual(expect.arrayContaining(['DATABASE_PATH', 'CHARTS_DIR', 'LOG_FILE']));
    expect(loadConfig({ argv: [], env: shown, cwd: repoRoot })).toEqual(defaults);
    for (const [key, line] of UNSET_IN_EXAMPLES) {
      const [section, leaf] = key.split('.') as [keyof typeof DEFAULT_CONFIG, string];
      expect(line, key).toBe(`# ${leaf}: ${(DEFAULT_CONFIG[section] as Record<string, unknown>)[leaf]}`);
    }
  });

  it('config.example.yaml states the upper bound of every key that has one, next to the key', () => {
    const lines = readFileSync(exampleYaml, 'utf8').split('\n');
    const bounded = listConfigKeys()
      .filter((key) => !key.includes('[]'))
      .map((key) => ({ key, node: schemaAt(key.split('.')) }))
      .filter(({ node }) => node?.maximum !== undefined || node?.maxLength !== undefined);
    expect(bounded.map(({ key }) => key)).toEqual(
      expect.arrayContaining(['discord.prefix', 'database.pool_size', 'api.port']),
    );
    for (const { key, node } of bounded) {
      // The key's line, found section by section, then the comment block above it (sibling keys skipped).
      let index = -1;
      key.split('.').forEach((segment, depth) => {
        const pattern = new RegExp(`^${' '.repeat(depth * 2)}${segment}:`);
        index = lines.findIndex((line, at) => at > index && pattern.test(line));
        expect(index, key).toBeGreaterThanOrEqual(0);
      });
      let at = index - 1;
      while (at >= 0 && !lines[at]!.trim().startsWith('#')) at--;
      const comment: string[] = [];
      while (at >= 0 && lines[at]!.trim().startsWith('#')) comment.unshift(lines[at--]!);
      const bound = String(node!.maximum ?? node!.maxLength);
      expect(comment.join('\n'), key).toContain(bound);
    }
  });

  it('config.example.yaml documents the environment variable of each key it can be set from', () => {
    const text = readFileSync(exampleYaml, 'utf8');
    for (const binding of ENV_VAR_BINDINGS) expect(text).toContain(binding.name);
  });

  it('.env.example validates and names every supported environment variable', () => {
    const text = readFileSync(exampleEnv, 'utf8');
    const env = parseEnvFile(text);
    const config = loadConfig({ argv: [], env, cwd: repoRoot });
    expect(config.logging.level).toBe('info');
    for (const name of listEnvVars()) expect(text).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
  });

  it('lists keys and their variables consistently', () => {
    const keys = listConfigKeys();
    expect(keys).toContain('api.port');
    expect(keys).toContain('coaches[].id');
    expect(keys).toContain('api.keys[].sha256');
    expect(keys).toContain('discord.guild_ids');
    for (const binding of ENV_VAR_BINDINGS) expect(keys).toContain(binding.path.join('.'));
    expect(envVarFor('api.port')).toBe('API_PORT');
    expect(envVarFor('discord.connection_timeout_seconds')).toBe('CONNECTION_TIMEOUT');
    expect(envVarFor('cors.origins')).toBeUndefined();
  });
});
