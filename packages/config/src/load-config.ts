import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { parse, YAMLParseError } from 'yaml';
import {
  CONFIG_FILE_PROBLEM,
  ConfigError,
  type ConfigProblem,
  configErrorFix,
  DOT_ENV_PROBLEM,
  formatConfigError,
} from './config-error.js';
import { DEFAULT_CONFIG } from './defaults.js';
import { applyEnvLayer, CONFIG_FILE_ENV_VAR } from './env-vars.js';
import { interpolateTree } from './interpolate.js';
import { isPlainObject, mergeLayer, type SourceMap, sourcesOfTree } from './layers.js';
import type { CoachwireConfig, DeepPartial } from './schema.js';
import { findProblems } from './validate.js';

/** Where loadConfig reads from; every field defaults to the running process. */
export interface LoadConfigOptions {
  /** Command-line arguments searched for `--config PATH` / `--config=PATH`. */
  argv?: readonly string[];
  /** Environment variables; defaults to `./.env` (if present) overlaid by `processEnv`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The environment laid over `./.env` when `env` is not given (default process.env). */
  processEnv?: Readonly<Record<string, string | undefined>>;
  /** Highest layer: values set by code (tests, CLI flags). */
  overrides?: DeepPartial<CoachwireConfig>;
  /** The YAML file to read; wins over `--config` and COACHWIRE_CONFIG. */
  configPath?: string;
  /** Directory that relative paths (config file, database, logs, charts) are resolved against. */
  cwd?: string;
}

/** A loaded configuration and the source of each leaf (key path → `default`, `env API_PORT`, ...). */
export interface LoadedConfig {
  readonly config: CoachwireConfig;
  readonly sources: ReadonlyMap<string, string>;
}

/** Loads defaults < YAML file < environment < overrides, validates, and throws one ConfigError listing every problem. */
export function loadConfig(options: LoadConfigOptions = {}): CoachwireConfig {
  return loadConfigWithSources(options).config;
}

/** Like loadConfig, but also says where every value came from (for `config show`-style output). */
export function loadConfigWithSources(options: LoadConfigOptions = {}): LoadedConfig {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const env = options.env ?? withDotEnv(cwd, options.processEnv ?? process.env);
  const problems: ConfigProblem[] = [];
  const sources: SourceMap = sourcesOfTree(DEFAULT_CONFIG as Record<string, unknown>, 'default');
  let merged = structuredClone(DEFAULT_CONFIG) as Record<string, unknown>;

  const configPath =
    options.configPath ??
    configPathFromArgv(options.argv ?? process.argv) ??
    nonEmpty(env[CONFIG_FILE_ENV_VAR]);
  if (configPath?.trim() === '') {
    // `--config "$CONFIG"` with CONFIG unset: resolved, '' is the working directory itself (EISDIR).
    problems.push({
      path: CONFIG_FILE_PROBLEM,
      source: '--config',
      expected:
        'the path of a YAML file, e.g. --config config.yaml (it was empty; leave --config out to use none)',
    });
  } else if (configPath !== undefined) {
    const absolute = path.resolve(cwd, configPath);
    const source = `file ${displayPath(absolute, cwd)}`;
    const fileLayer = readYamlLayer(absolute, source, problems);
    if (fileLayer)
      merged = mergeLayer(
        merged,
        interpolateTree(fileLayer, env) as Record<string, unknown>,
        source,
        sources,
      );
  }
  merged = applyEnvLayer(merged, env, sources, problems);
  if (options.overrides)
    merged = mergeLayer(merged, options.overrides as Record<string, unknown>, 'override', sources);

  problems.push(...findProblems(merged, sources));
  if (problems.length > 0) throw new ConfigError(problems);
  return { config: finish(withMockPaths(merged as CoachwireConfig, sources), cwd), sources };
}

/**
 * The process environment over the variables of `<cwd>/.env`, as the old Python service read them
 * (python-dotenv): a variable set in the real environment wins over the file.
 */
export function withDotEnv(
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
): Readonly<Record<string, string | undefined>> {
  const file = path.join(cwd, '.env');
  if (!existsSync(file)) return env;
  let text: string;
  try {
    // Less a byte-order mark (Windows editors write one): parseEnv made it part of the first variable's name.
    text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    // A directory, most often: Docker creates one when it bind-mounts a .env that does not exist.
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError([
      {
        path: DOT_ENV_PROBLEM,
        source: 'file .env',
        expected: `a readable file of KEY=value lines (${reason})`,
      },
    ]);
  }
  const { assignments, problems } = readDotEnvLines(text);
  if (problems.length > 0) throw new ConfigError(problems);
  return { ...parseEnv(assignments), ...env };
}

/**
 * Splits a `.env` file into the lines for node:util's parseEnv (the assignments, with the lines of their
 * multi-line values) and the lines it would misread. Comments and blank lines are left out: parseEnv takes
 * an indented comment after the first line as part of the next variable's name. python-dotenv skipped a
 * misread line with a warning; here each is refused with its line, since the variable it meant to set (or
 * the one after it) would be missing:
 * - a value that opens a quote it never closes: parseEnv keeps the quote as part of the value, so
 *   `DATABASE_PATH="./data/x.db` made a directory named `"`. A double quote may close on a later line (a
 *   multi-line value), unless that value would swallow a `KEY=` line.
 * - a line that is not `KEY=value`, a comment or blank (`DISCORD_BOT_TOKEN abc`, `API_PORT: 5055`): parseEnv
 *   joins it to the next line's name, so `JUNK` then `DISCORD_BOT_TOKEN=abc` set a variable named
 *   "JUNK\nDISCORD_BOT_TOKEN" and no token. Only the line's first word is named, when it reads as a
 *   variable name: the rest, or a lone pasted token, may be a secret.
 */
const ASSIGNMENT = /^\s*(?:export\s+)?[A-Za-z_][\w.-]*\s*=/;

function readDotEnvLines(text: string): { assignments: string; problems: ConfigProblem[] } {
  const lines = text.split(/\r?\n/);
  const problems: ConfigProblem[] = [];
  const kept: string[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    if (!ASSIGNMENT.test(line)) {
      // Named only when it reads as a variable name (upper case, as .env.example writes them): a token
      // pasted on a line of its own would otherwise be printed.
      const word = /^\s*([A-Z][A-Z0-9_]{0,63})(?![\w.-])/.exec(line)?.[1];
      problems.push({
        path: word ?? '(no name)',
        source: `file .env line ${index + 1}`,
        expected:
          'KEY=value, a # comment or a blank line (a line without = hides the variable on the next line)',
      });
      continue;
    }
    const match = /^\s*(?:export\s+)?([A-Za-z_][\w.-]*)\s*=\s*(["'`])(.*)$/.exec(line);
    if (!match) {
      kept.push(unquotedAsPythonDotenv(line));
      continue;
    }
    const key = match[1]!;
    const quote = match[2]!;
    const rest = match[3]!;
    if (rest.includes(quote)) {
      kept.push(line);
      continue;
    }
    // A multi-line value ends at the next line with a double quote; one that would swallow a KEY= line is not.
    const closing = quote === '"' ? lines.findIndex((later, at) => at > index && later.includes('"')) : -1;
    const swallowed = lines.slice(index + 1, closing + 1).some((later) => ASSIGNMENT.test(later));
    if (closing !== -1 && !swallowed) {
      kept.push(...lines.slice(index, closing + 1));
      index = closing;
      continue;
    }
    problems.push({
      path: key,
      source: `file .env line ${index + 1}`,
      expected: `a value that closes the ${quote} it opens, e.g. ${key}=${quote}value${quote} (or no quotes)`,
    });
  }
  return { assignments: kept.join('\n'), problems };
}

/**
 * An unquoted assignment as python-dotenv read it: only a `#` after whitespace starts a comment, so
 * `COMMAND_PREFIX=#` and `LOG_FILE=./logs/bot#1.log` keep their `#`. parseEnv cuts the value at any `#`, so
 * such a value is handed to it quoted (with a quote character the value does not hold).
 */
function unquotedAsPythonDotenv(line: string): string {
  const at = line.indexOf('=');
  const value = line
    .slice(at + 1)
    .replace(/\s+#.*$/, '')
    .trim();
  const quote = ["'", '`', '"'].find((candidate) => !value.includes(candidate));
  if (!value.includes('#') || quote === undefined) return line;
  return `${line.slice(0, at + 1)}${quote}${value}${quote}`;
}

/** loadConfig for process entry points: prints every problem to stderr and exits with status 2. */
export function loadConfigOrExit(options: LoadConfigOptions = {}): CoachwireConfig {
  try {
    return loadConfig(options);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${formatConfigError(error)}\nFix: ${configErrorFix(error)}\n`);
    process.exit(2);
  }
}

/** The value of `--config PATH` or `--config=PATH`, if given. */
export function configPathFromArgv(argv: readonly string[]): string | undefined {
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === '--config') return argv[index + 1];
    if (arg.startsWith('--config=')) return arg.slice('--config='.length);
  }
  return undefined;
}

function readYamlLayer(
  file: string,
  source: string,
  problems: ConfigProblem[],
): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    problems.push({ path: CONFIG_FILE_PROBLEM, source, expected: `a readable YAML file (${reason})` });
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = parse(text);
  } catch (error) {
    // The parser's own message quotes the offending line, which may hold the token: report the position only.
    const where =
      error instanceof YAMLParseError && error.linePos
        ? ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}`
        : '';
    const code = error instanceof YAMLParseError ? ` (${error.code})` : '';
    problems.push({
      path: CONFIG_FILE_PROBLEM,
      source,
      expected: `valid YAML; parsing failed${where}${code}`,
    });
    return undefined;
  }
  if (parsed === null || parsed === undefined) return {};
  if (containsItself(parsed)) {
    problems.push({
      path: CONFIG_FILE_PROBLEM,
      source,
      expected: 'valid YAML without an alias inside its own anchor (&name … *name)',
    });
    return undefined;
  }
  if (!isPlainObject(parsed)) {
    problems.push({ path: CONFIG_FILE_PROBLEM, source, expected: 'a YAML mapping at the top level' });
    return undefined;
  }
  return parsed;
}

/**
 * True when `value` holds itself: the parser turns `&a [*a]` into such a value, and every later walk of the
 * tree (interpolation, merging, validation) would recurse until the stack overflows. An anchor used twice
 * side by side is only shared, not a cycle.
 */
function containsItself(value: unknown, ancestors: Set<object> = new Set()): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (ancestors.has(value)) return true;
  ancestors.add(value);
  const found = Object.values(value).some((child) => containsItself(child, ancestors));
  ancestors.delete(value);
  return found;
}

/** Where mock mode keeps its data unless a path is set explicitly: never in the real database. */
export const MOCK_DATA_PATHS = {
  database: './data/mock/coach_plans.db',
  charts: './data/mock/charts',
} as const;

/**
 * Whether `config` keeps its data in mock mode's own database (./data/mock/ under `cwd`), rather than in one the
 * user configured (DATABASE_URL, DATABASE_PATH, database: in the file), which may hold real plans.
 */
export function usesMockDatabase(config: CoachwireConfig, cwd: string = process.cwd()): boolean {
  return (
    config.database.url.trim() === '' && config.database.path === path.resolve(cwd, MOCK_DATA_PATHS.database)
  );
}

// Mock plans in the real database would be served as real plans once a token is set, so mock mode's defaults
// point elsewhere. A path the user set (file, environment, override) is theirs to choose and is kept.
function withMockPaths(config: CoachwireConfig, sources: SourceMap): CoachwireConfig {
  if (!config.mock.enabled) return config;
  if (sources.get('database.path') === 'default') {
    config.database.path = MOCK_DATA_PATHS.database;
    sources.set('database.path', 'default (mock mode)');
  }
  if (sources.get('charts.dir') === 'default') {
    config.charts.dir = MOCK_DATA_PATHS.charts;
    sources.set('charts.dir', 'default (mock mode)');
  }
  return config;
}

// Relative paths mean "relative to where the process was started", never to the YAML file.
function finish(config: CoachwireConfig, cwd: string): CoachwireConfig {
  config.database.path = path.resolve(cwd, config.database.path);
  if (config.logging.file !== '') config.logging.file = path.resolve(cwd, config.logging.file);
  config.charts.dir = path.resolve(cwd, config.charts.dir);
  for (const key of config.api.keys) key.sha256 = key.sha256.toLowerCase();
  return config;
}

function displayPath(absolute: string, cwd: string): string {
  const relative = path.relative(cwd, absolute);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? absolute : relative;
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text.trim() === '' ? undefined : text;
}
