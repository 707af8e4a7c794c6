import { coerceText } from './env-vars.js';
import type { PathSegment } from './key-paths.js';
import { isPlainObject } from './layers.js';

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${VAR}` and `${VAR:-default}` in a string. Like a shell, an unset variable becomes "",
 * and `:-default` applies when the variable is unset or empty.
 */
export function interpolateString(text: string, env: Readonly<Record<string, string | undefined>>): string {
  return text.replace(REFERENCE, (_match, name: string, fallback: string | undefined) => {
    const value = env[name];
    if (value === undefined || value === '') return fallback ?? '';
    return value;
  });
}

/**
 * Interpolates every string of a parsed YAML tree. A string that contained a reference is then read
 * as the type its key wants, so `port: ${PORT:-5000}` gives a number.
 */
export function interpolateTree(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  path: readonly PathSegment[] = [],
): unknown {
  if (typeof value === 'string') {
    if (!value.includes('${')) return value;
    const text = interpolateString(value, env);
    // Left as text when unreadable, so validation reports it against the file.
    return coerceText(text, path) ?? text;
  }
  if (Array.isArray(value)) return value.map((item, index) => interpolateTree(item, env, [...path, index]));
  if (isPlainObject(value)) {
    const result: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value))
      result[key] = interpolateTree(child, env, [...path, key]);
    return result;
  }
  return value;
}
