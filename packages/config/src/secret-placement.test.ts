import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ConfigError, formatConfigError } from './config-error.js';
import { ENV_VAR_BINDINGS } from './env-vars.js';
import { listConfigKeys } from './key-paths.js';
import { loadConfig } from './load-config.js';
import { mayBeSecret } from './redact.js';
import { tempDir, writeYaml } from './test-support/temp-files.js';

// Shaped like the real thing: a Discord bot token and the SHA-256 of an API key.
const DISCORD_TOKEN = 'MTA5ODc2NTQzMjEwOTg3NjU0Mw.GhJkLm.aBcDeFgHiJkLmNoPqRsTuVwXyZ012345';
const KEY_HASH = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
// Shaped like nothing: only where it sits (or that it is the configured token) gives it away.
const PLAIN_TOKEN = 'correct horse battery';
const SECRETS = [DISCORD_TOKEN, KEY_HASH, PLAIN_TOKEN];

/** Everything a failed load would print or hand on: the message and the problem details. */
function printedBy(load: () => unknown): string {
  try {
    load();
    return '';
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return `${formatConfigError(error)}\n${JSON.stringify((error as ConfigError).details)}`;
  }
}

function loadYaml(tree: unknown, env: Record<string, string> = {}) {
  const cwd = tempDir();
  writeYaml(cwd, stringify(tree));
  return printedBy(() => loadConfig({ argv: [], env, cwd, configPath: 'config.yaml' }));
}

/** `a.b[].c` with `value` at the end: `{ a: { b: [{ c: value }] } }`. */
function treeAt(keyPath: string, value: unknown): unknown {
  const segments = keyPath.split('.');
  let tree = value;
  for (const segment of segments.reverse()) {
    tree = segment.endsWith('[]') ? { [segment.slice(0, -2)]: [tree] } : { [segment]: tree };
  }
  return tree;
}

/** The top-level sections (mappings and lists of entries), not the scalar keys such as `timezone`. */
const SECTIONS = [
  ...new Set(
    listConfigKeys()
      .filter((key) => /[.[]/.test(key))
      .map((key) => key.split(/[.[]/)[0]!),
  ),
];
const WRONG_SHAPES = (secret: string): unknown[] => [secret, [secret], { nested: secret }, { [secret]: 1 }];

describe('a secret in the wrong place is never printed', () => {
  it('at every key of the layout, as text, a list, a mapping or a key', () => {
    for (const keyPath of listConfigKeys()) {
      for (const secret of [DISCORD_TOKEN, KEY_HASH]) {
        for (const shape of WRONG_SHAPES(secret)) {
          const printed = loadYaml(treeAt(keyPath, shape));
          expect(printed, `${keyPath} = ${JSON.stringify(shape)}`).not.toContain(secret);
        }
      }
    }
  });

  it('in place of a whole section, whatever the token looks like', () => {
    for (const section of SECTIONS) {
      for (const secret of SECRETS) {
        for (const shape of WRONG_SHAPES(secret)) {
          const printed = loadYaml({ [section]: shape });
          expect(printed, `${section} = ${JSON.stringify(shape)}`).not.toContain(secret);
        }
      }
    }
    // The case from the report: the token written where the discord section belongs.
    const printed = loadYaml({ discord: PLAIN_TOKEN });
    expect(printed).toContain('discord (from file config.yaml): expected a mapping');
    expect(printed).not.toContain(PLAIN_TOKEN);
  });

  it('under or beside the token and in the API key list, whatever it looks like', () => {
    const placements = [
      { discord: { token: { nested: PLAIN_TOKEN } } },
      { discord: { token: [PLAIN_TOKEN] } },
      { discord: { tokn: PLAIN_TOKEN } },
      { discord: { prefix: PLAIN_TOKEN } },
      { discord: { guild_ids: [PLAIN_TOKEN] } },
      { discord: { guild_ids: PLAIN_TOKEN } },
      { api: { keys: PLAIN_TOKEN } },
      { api: { keys: [PLAIN_TOKEN] } },
      { api: { keys: [{ name: 'ta', sha256: PLAIN_TOKEN }] } },
      { api: { keys: [{ name: PLAIN_TOKEN, sha256: 7 }] } },
      { api: { keys: [{ name: 'ta', sha256: [PLAIN_TOKEN] }] } },
    ];
    for (const tree of placements) {
      const printed = loadYaml(tree);
      expect(printed, JSON.stringify(tree)).not.toBe('');
      expect(printed, JSON.stringify(tree)).not.toContain(PLAIN_TOKEN);
    }
  });

  it('copied from the configured token into another key, directly or by interpolation', () => {
    const env = { DISCORD_BOT_TOKEN: PLAIN_TOKEN };
    expect(loadYaml({ timezone: PLAIN_TOKEN }, env)).not.toContain(PLAIN_TOKEN);
    expect(loadYaml({ logging: { level: ['$', '{DISCORD_BOT_TOKEN}'].join('') } }, env)).not.toContain(
      PLAIN_TOKEN,
    );
    expect(loadYaml({ discord: { token: PLAIN_TOKEN }, timezone: PLAIN_TOKEN })).not.toContain(PLAIN_TOKEN);
  });

  it('in every environment variable', () => {
    for (const { name } of ENV_VAR_BINDINGS) {
      for (const secret of [DISCORD_TOKEN, KEY_HASH]) {
        const printed = printedBy(() => loadConfig({ argv: [], env: { [name]: secret }, cwd: tempDir() }));
        expect(printed, name).not.toContain(secret);
      }
      const env = { DISCORD_BOT_TOKEN: PLAIN_TOKEN, [name]: PLAIN_TOKEN };
      expect(
        printedBy(() => loadConfig({ argv: [], env, cwd: tempDir() })),
        name,
      ).not.toContain(PLAIN_TOKEN);
    }
  });

  it('still shows ordinary mistakes, so errors stay useful', () => {
    expect(loadYaml({ api: { port: 'eighty' } })).toContain('got "eighty"');
    expect(loadYaml({ timezone: 'Mars/Olympus' })).toContain('got "Mars/Olympus"');
    expect(loadYaml({ logging: { level: 'loud' } })).toContain('got "loud"');
    expect(mayBeSecret(['charts', 'dir'], './data/charts/2026')).toBe(false);
  });
});
