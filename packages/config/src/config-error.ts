import { CoachwireError } from '@coachwire/core';

/** One thing wrong with the configuration. `received` is never set for what may be a secret. */
export interface ConfigProblem {
  /** Key path as in the YAML file, e.g. `api.port` or `coaches[1].id`. */
  readonly path: string;
  /** Where the value came from: `default`, `file config.yaml`, `env API_PORT` or `override`. */
  readonly source: string;
  /** What the key accepts, e.g. `an integer from 1 to 65535`. */
  readonly expected: string;
  /** The offending value, shortened; absent for secrets and missing keys. */
  readonly received?: string;
}

/** A configuration that cannot be used; lists every problem found, not just the first. */
export class ConfigError extends CoachwireError {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super('VALIDATION', formatProblems(problems), { details: { problems } });
    this.problems = problems;
  }
}

/** The `path` of a problem with the configuration file itself (missing, unreadable, not YAML). */
export const CONFIG_FILE_PROBLEM = '(config file)';

/** The Fix line of an invalid configuration, the same from every entry point. */
export const CONFIG_ERROR_FIX =
  'correct the keys listed above in .env, the environment or the --config file (see .env.example).';

/** The `path` of a problem with the `.env` file itself (a directory, unreadable). */
export const DOT_ENV_PROBLEM = '.env';

const DOT_ENV_FIX =
  'make .env in the current directory a file of KEY=value lines this user can read (see .env.example), or ' +
  'remove it to configure with the environment alone.';

const CONFIG_FILE_FIX =
  'check the file that --config or COACHWIRE_CONFIG names: it must exist (a relative path is from the current ' +
  'directory), be readable and hold a YAML mapping (see config.example.yaml); or leave both out to use .env ' +
  'and the environment alone.';

/**
 * The Fix line for this error: about the file when the file itself could not be used (no key in it could be
 * read, so "correct the keys" would send the reader to the wrong place), else CONFIG_ERROR_FIX.
 */
export function configErrorFix(error: unknown): string {
  if (!(error instanceof ConfigError)) return CONFIG_ERROR_FIX;
  if (error.problems.every((problem) => problem.path === DOT_ENV_PROBLEM)) return DOT_ENV_FIX;
  const fileProblems = error.problems.filter((problem) => problem.path === CONFIG_FILE_PROBLEM).length;
  if (fileProblems === 0) return CONFIG_ERROR_FIX;
  if (fileProblems === error.problems.length) return CONFIG_FILE_FIX;
  return `${CONFIG_FILE_FIX} Then ${CONFIG_ERROR_FIX}`;
}

/** One readable multi-line message for any error thrown while loading configuration. */
export function formatConfigError(error: unknown): string {
  if (error instanceof ConfigError) return error.message;
  if (error instanceof Error) return `Invalid configuration: ${error.message}`;
  return `Invalid configuration: ${String(error)}`;
}

function formatProblems(problems: readonly ConfigProblem[]): string {
  const heading =
    problems.length === 1
      ? 'Invalid configuration (1 problem):'
      : `Invalid configuration (${problems.length} problems):`;
  const lines = problems.map((problem) => {
    const got = problem.received === undefined ? '' : `, got ${problem.received}`;
    return `  - ${problem.path} (from ${problem.source}): expected ${problem.expected}${got}`;
  });
  return [heading, ...lines].join('\n');
}

/** A value as shown in an error: JSON, cut short so a pasted blob cannot flood the terminal. */
export function showValue(value: unknown): string {
  const text = value === undefined ? 'nothing' : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
