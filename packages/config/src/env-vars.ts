import { Value } from 'typebox/value';
import type { ConfigProblem } from './config-error.js';
import { describeExpected, formatPath, type PathSegment, schemaAt } from './key-paths.js';
import type { SourceMap } from './layers.js';
import { isPlainObject, mergeLayer } from './layers.js';
import { mayBeSecret } from './redact.js';

/** An environment variable and the key it sets. */
export interface EnvVarBinding {
  readonly name: string;
  readonly path: readonly string[];
  /** Rewrites the old system's spelling of a value into this one's, before it is checked. */
  readonly normalize?: (text: string) => string;
}

/** Python's logging level names (the old `.env`'s `LOG_LEVEL=INFO`) in pino's spelling; others are only lower-cased. */
const PYTHON_LOG_LEVELS: Readonly<Record<string, string>> = { warning: 'warn', critical: 'fatal' };

function logLevelOf(text: string): string {
  const word = text.trim().toLowerCase();
  return PYTHON_LOG_LEVELS[word] ?? word;
}

/**
 * The variables of the old Python system keep their names; DATABASE_URL, DATABASE_POOL_SIZE, API_TRUST_PROXY and
 * the last six are new.
 */
export const ENV_VAR_BINDINGS: readonly EnvVarBinding[] = [
  { name: 'DISCORD_BOT_TOKEN', path: ['discord', 'token'] },
  { name: 'DATABASE_PATH', path: ['database', 'path'] },
  { name: 'DATABASE_URL', path: ['database', 'url'] },
  { name: 'DATABASE_POOL_SIZE', path: ['database', 'pool_size'] },
  { name: 'API_PORT', path: ['api', 'port'] },
  { name: 'API_HOST', path: ['api', 'host'] },
  { name: 'API_TRUST_PROXY', path: ['api', 'trust_proxy'] },
  { name: 'LOG_LEVEL', path: ['logging', 'level'], normalize: logLevelOf },
  { name: 'LOG_FILE', path: ['logging', 'file'] },
  { name: 'LOG_MAX_SIZE_MB', path: ['logging', 'max_size_mb'] },
  { name: 'LOG_BACKUP_COUNT', path: ['logging', 'backup_count'] },
  { name: 'CACHE_TTL_SECONDS', path: ['cache', 'ttl_seconds'] },
  { name: 'MAX_CACHE_SIZE', path: ['cache', 'max_size'] },
  { name: 'MOCK_MODE', path: ['mock', 'enabled'] },
  { name: 'RECONNECT_ATTEMPTS', path: ['discord', 'reconnect_attempts'] },
  { name: 'RECONNECT_DELAY_SECONDS', path: ['discord', 'reconnect_delay_seconds'] },
  { name: 'CONNECTION_TIMEOUT', path: ['discord', 'connection_timeout_seconds'] },
  { name: 'MAX_CHART_ATTACHMENTS', path: ['discord', 'max_chart_attachments'] },
  { name: 'TIMEZONE', path: ['timezone'] },
  { name: 'COMMAND_PREFIX', path: ['discord', 'prefix'] },
  { name: 'CHARTS_DIR', path: ['charts', 'dir'] },
  { name: 'CHARTS_PUBLIC_BASE_URL', path: ['charts', 'public_base_url'] },
  { name: 'DISCORD_API_URL', path: ['discord', 'api_url'] },
];

/**
 * The SHA-256 (hex) of an API key, or several separated by commas: added to `api.keys`, all named `env`, beside
 * the YAML file's keys, so a deployment configured only by `.env` can allow writes. One name for all: what a
 * key writes is recorded as written by `env`, so adding a new key, then removing the old one, leaves every plan
 * with its author. (Named `env-1`, `env-2` by position, a rotation handed the old key's plans to the new one's
 * position.) Clients that must be told apart get named keys in the YAML file.
 */
export const API_KEY_ENV_VAR = 'API_KEY_SHA256';

/** Variables read outside the config object: the file to load, and production mode for logging. */
export const CONFIG_FILE_ENV_VAR = 'COACHWIRE_CONFIG';
export const NODE_ENV_VAR = 'NODE_ENV';

/** Every environment variable Coachwire reads. */
export function listEnvVars(): string[] {
  return [
    ...ENV_VAR_BINDINGS.map((binding) => binding.name),
    API_KEY_ENV_VAR,
    CONFIG_FILE_ENV_VAR,
    NODE_ENV_VAR,
  ];
}

/** The environment variable that sets a key path such as `api.port`, if there is one. */
export function envVarFor(keyPath: string): string | undefined {
  return ENV_VAR_BINDINGS.find((binding) => binding.path.join('.') === keyPath)?.name;
}

const TRUE_WORDS = new Set(['true', '1', 'yes']);
const FALSE_WORDS = new Set(['false', '0', 'no']);

/**
 * Turns a string into what the schema at `path` wants: numbers and booleans are parsed, strings kept.
 * Returns undefined when the text cannot be read as that type.
 */
export function coerceText(text: string, path: readonly PathSegment[]): unknown {
  const type = schemaAt(path)?.type;
  const trimmed = text.trim();
  if (type === 'integer' || type === 'number') {
    const parsed = trimmed === '' ? Number.NaN : Number(trimmed);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  if (type === 'boolean') {
    const word = trimmed.toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
    return undefined;
  }
  return text;
}

/** Merges the bound variables of `env` over `base`, reporting values of the wrong type. */
export function applyEnvLayer(
  base: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
  sources: SourceMap,
  problems: ConfigProblem[],
): Record<string, unknown> {
  let merged = base;
  for (const binding of ENV_VAR_BINDINGS) {
    const text = env[binding.name];
    if (text === undefined) continue;
    const type = schemaAt(binding.path)?.type;
    // An empty number or switch means "unset" (as in a blank `API_PORT=` line); an empty string is a value.
    if (type !== 'string' && text.trim() === '') continue;
    const value = coerceText(binding.normalize ? binding.normalize(text) : text, binding.path);
    const source = `env ${binding.name}`;
    if (value === undefined) {
      const expected = describeExpected(schemaAt(binding.path));
      const wanted = type === 'boolean' ? 'true/false/1/0/yes/no' : expected;
      problems.push({
        path: formatPath(binding.path),
        source,
        expected: wanted,
        // A token pasted into the wrong variable must not be printed back.
        ...(mayBeSecret(binding.path, text, knownSecretsOf(env)) ? {} : { received: JSON.stringify(text) }),
      });
      continue;
    }
    merged = mergeLayer(merged, nest(binding.path, value), source, sources);
  }
  return applyApiKeyVar(merged, env, sources, problems);
}

const KEY_HASH_PATH: readonly PathSegment[] = ['api', 'keys', 0, 'sha256'];

/** Appends the keys of API_KEY_SHA256 to `api.keys`; each digest is checked as the schema checks a YAML one. */
function applyApiKeyVar(
  base: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
  sources: SourceMap,
  problems: ConfigProblem[],
): Record<string, unknown> {
  // Blank means unset; so does an empty item (a trailing comma).
  const digests = apiKeyDigestsOf(env);
  if (digests.length === 0) return base;
  const source = `env ${API_KEY_ENV_VAR}`;
  const node = schemaAt(KEY_HASH_PATH);
  let valid = true;
  digests.forEach((digest, index) => {
    if (Value.Check(node as never, digest)) return;
    valid = false;
    const which =
      digests.length === 1 ? '' : `, comma-separated (item ${index + 1} of ${digests.length} is not)`;
    // A digest is secret, and a wrong value is likely the key itself: never printed (no `received`).
    problems.push({ path: 'api.keys', source, expected: `${describeExpected(node)}${which}` });
  });
  const api = isPlainObject(base.api) ? base.api : {};
  // A malformed `api.keys` from the file is left for validation to report, rather than replaced.
  if (!valid || !Array.isArray(api.keys)) return base;
  const added = digests.map((sha256) => ({ name: 'env', sha256 }));
  const previous = sources.get('api.keys');
  const merged = mergeLayer(base, nest(['api', 'keys'], [...api.keys, ...added]), source, sources);
  if (api.keys.length > 0 && previous !== undefined) sources.set('api.keys', `${previous}, ${source}`);
  return merged;
}

function apiKeyDigestsOf(env: Readonly<Record<string, string | undefined>>): string[] {
  return (env[API_KEY_ENV_VAR] ?? '')
    .split(',')
    .map((digest) => digest.trim())
    .filter((digest) => digest !== '');
}

// The variables that hold secrets where they belong, so a copy elsewhere is recognised.
function knownSecretsOf(env: Readonly<Record<string, string | undefined>>): string[] {
  const token = env.DISCORD_BOT_TOKEN;
  return [...(token === undefined ? [] : [token]), ...apiKeyDigestsOf(env)];
}

function nest(path: readonly string[], value: unknown): Record<string, unknown> {
  let tree: unknown = value;
  for (let index = path.length - 1; index >= 0; index--) tree = { [path[index]!]: tree };
  return tree as Record<string, unknown>;
}
