import { Value } from 'typebox/value';
import { type ConfigProblem, showValue } from './config-error.js';
import { describeExpected, formatPath, type PathSegment, type SchemaNode, schemaAt } from './key-paths.js';
import { isPlainObject, type SourceMap, sourceOf } from './layers.js';
import { looksLikeSecret, mayBeSecret, REDACTED } from './redact.js';
import { configSchema } from './schema.js';

/** Every problem of a merged configuration: schema violations first, then the cross-key rules. */
export function findProblems(config: Record<string, unknown>, sources: SourceMap): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const known = knownSecrets(config);
  const report = (path: readonly PathSegment[], expected: string, value: unknown, showReceived = true) => {
    // A mistyped key may itself be the pasted token: show such a segment as [redacted].
    const shownPath = path.map((segment, index) =>
      typeof segment === 'string' && keyMayBeSecret(path.slice(0, index + 1), known) ? REDACTED : segment,
    );
    const problem: ConfigProblem = {
      path: formatPath(shownPath),
      source: sourceOf(sources, path),
      expected,
    };
    problems.push(
      showReceived && value !== undefined && !mayBeSecret(path, value, known)
        ? { ...problem, received: showValue(value) }
        : problem,
    );
  };
  checkNode(configSchema as unknown as SchemaNode, config, [], report);
  checkRules(config, report);
  return problems;
}

type Report = (
  path: readonly PathSegment[],
  expected: string,
  value: unknown,
  showReceived?: boolean,
) => void;

// A key is shown when the layout knows it or it reads like a misspelt key name (`tokn`); anything else
// may be a pasted line (`discord: { <token>: 1 }`), so it is not echoed.
function keyMayBeSecret(path: readonly PathSegment[], known: readonly string[]): boolean {
  const key = path.at(-1) as string;
  if (looksLikeSecret(key, known)) return true;
  return schemaAt(path) === undefined && !/^[A-Za-z_][A-Za-z0-9_]{0,31}$/.test(key);
}

/** The secrets set where they belong, so a copy of one elsewhere is recognised too. */
function knownSecrets(config: Record<string, unknown>): string[] {
  const discord = isPlainObject(config.discord) ? config.discord : {};
  const api = isPlainObject(config.api) ? config.api : {};
  const hashes = Array.isArray(api.keys)
    ? api.keys.map((key) => (isPlainObject(key) ? key.sha256 : undefined))
    : [];
  return [discord.token, ...hashes].filter((value): value is string => typeof value === 'string');
}

// Walks the schema by hand rather than listing Value.Errors, which stops at the first bad array item.
function checkNode(node: SchemaNode, value: unknown, path: readonly PathSegment[], report: Report): void {
  if (node.type === 'object' && node.properties) {
    if (!isPlainObject(value)) {
      report(path, describeExpected(node), value);
      return;
    }
    for (const [key, child] of Object.entries(node.properties)) {
      if (value[key] === undefined) report([...path, key], describeExpected(child), undefined);
      else checkNode(child, value[key], [...path, key], report);
    }
    for (const key of Object.keys(value)) {
      // Never echo an unknown key's value: a misspelt `tokn:` may hold the token.
      if (!(key in node.properties))
        report(
          [...path, key],
          `no such key (known: ${Object.keys(node.properties).join(', ')})`,
          undefined,
          false,
        );
    }
    return;
  }
  if (node.type === 'array' && node.items) {
    if (!Array.isArray(value)) {
      report(path, describeExpected(node), value);
      return;
    }
    if (node.minItems !== undefined && value.length < node.minItems)
      report(path, describeExpected(node), value);
    for (const [index, item] of value.entries()) checkNode(node.items, item, [...path, index], report);
    return;
  }
  if (!Value.Check(node as never, value)) report(path, describeExpected(node), value);
}

// Runs on any shape (even a broken one) so these problems are listed alongside the schema's.
function checkRules(config: Record<string, unknown>, report: Report): void {
  reportDuplicates(config.coaches, 'id', ['coaches'], 'a coach id not used by another coach', report);
  const api = isPlainObject(config.api) ? config.api : {};
  // Keys may share a name (one author, e.g. the old and the new key while rotating); a key listed twice is a slip.
  reportDuplicates(api.keys, 'sha256', ['api', 'keys'], 'a key not listed twice', report);
  if (typeof config.timezone === 'string' && !isTimeZone(config.timezone)) {
    report(['timezone'], describeExpected(schemaAt(['timezone'])), config.timezone);
  }
  const cors = isPlainObject(config.cors) ? config.cors : {};
  if (Array.isArray(cors.write_origins)) {
    cors.write_origins.forEach((origin, index) => {
      if (origin === '*') {
        report(
          ['cors', 'write_origins', index],
          'exact origins such as https://example.com ("*" is refused for writes)',
          origin,
        );
      }
    });
  }
}

function reportDuplicates(
  list: unknown,
  field: string,
  path: readonly PathSegment[],
  expected: string,
  report: Report,
): void {
  if (!Array.isArray(list)) return;
  const seen = new Set<unknown>();
  list.forEach((item, index) => {
    if (!isPlainObject(item) || typeof item[field] !== 'string') return;
    if (seen.has(item[field])) report([...path, index, field], expected, item[field]);
    seen.add(item[field]);
  });
}

/** True when the runtime knows the IANA zone (so "today" can be computed in it). */
export function isTimeZone(zone: string): boolean {
  if (zone.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
