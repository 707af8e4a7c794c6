import { redactUrlPassword } from '@coachwire/core';
import { isSecretPath, type PathSegment, type SchemaNode, schemaAt } from './key-paths.js';
import type { CoachwireConfig } from './schema.js';

export const REDACTED = '[redacted]';

/** A deep copy safe to print or log: the token and API key hashes become "[redacted]" ("" stays ""). */
export function redactConfig(config: CoachwireConfig): CoachwireConfig {
  const copy = structuredClone(config);
  copy.discord.token = hide(copy.discord.token);
  // The server stays readable (host, port, database); only the password goes.
  copy.database.url = redactUrlPassword(copy.database.url);
  for (const key of copy.api.keys) key.sha256 = hide(key.sha256);
  return copy;
}

function hide(secret: string): string {
  return secret === '' ? '' : REDACTED;
}

/**
 * True when a configuration value must not be shown at `path`, judged by what it could be rather than only
 * by its key: anything at or under a secret key; anything that replaced a section holding a secret
 * (`discord: "<token>"`); text in place of any section; any string beside a secret key (a token pasted under a
 * neighbouring key); and, anywhere, a string that contains one of `knownSecrets` or looks like a token or hash.
 */
export function mayBeSecret(
  path: readonly PathSegment[],
  value: unknown,
  knownSecrets: readonly string[] = [],
): boolean {
  const node = path.length > 0 ? schemaAt(path) : undefined;
  if (path.length > 0 && (isSecretPath(path) || holdsSecret(node))) return true;
  // Text where a section or list belongs is more likely a pasted line than a value worth showing.
  if (
    containsString(value) &&
    (node?.type === 'object' || node?.type === 'array' || insideSecretSection(path))
  )
    return true;
  return stringsOf(value).some((text) => looksLikeSecret(text, knownSecrets));
}

/** True for text that holds a known secret, a long hex run (a SHA-256) or a token-like word. */
export function looksLikeSecret(text: string, knownSecrets: readonly string[] = []): boolean {
  if (knownSecrets.some((secret) => secret.length >= 8 && text.includes(secret))) return true;
  if (/[0-9a-f]{32,}/i.test(text)) return true;
  return text.split(/\s+/).some(isTokenLikeWord);
}

// Discord tokens and API keys are long runs of letters, digits and `._-` mixing several kinds of
// character; paths, URLs, time zones and words do not look like that (they have `/`, or are short or plain).
function isTokenLikeWord(word: string): boolean {
  if (word.length < 20 || !/^[A-Za-z0-9._~+=-]+$/.test(word)) return false;
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[._~+=-]/].filter((kind) => kind.test(word)).length;
  return kinds >= 3;
}

/** True when a schema node is a secret or has one somewhere below it. */
function holdsSecret(node: SchemaNode | undefined): boolean {
  if (node === undefined) return false;
  if (node.secret === true) return true;
  if (node.items !== undefined && holdsSecret(node.items)) return true;
  return Object.values(node.properties ?? {}).some(holdsSecret);
}

// Within a section that has a secret key among its own keys (`discord`, each `api.keys[]` entry).
function insideSecretSection(path: readonly PathSegment[]): boolean {
  for (let depth = path.length - 1; depth > 0; depth--) {
    const section = schemaAt(path.slice(0, depth));
    if (Object.values(section?.properties ?? {}).some((node) => node.secret === true)) return true;
  }
  return false;
}

function containsString(value: unknown): boolean {
  return stringsOf(value).length > 0;
}

function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, child]) => [key, ...stringsOf(child)]);
  }
  return [];
}
