import { createHash, timingSafeEqual } from 'node:crypto';
import type { Actor } from '@coachwire/core';

/** A configured API key: who holds it and the SHA-256 (hex) of the key itself. */
export interface ApiKeyEntry {
  readonly name: string;
  readonly sha256: string;
}

/** What an Authorization header says about the caller. */
export type Credential =
  | { readonly kind: 'none' }
  | { readonly kind: 'invalid' }
  | { readonly kind: 'key'; readonly name: string };

const NONE: Credential = { kind: 'none' };
const INVALID: Credential = { kind: 'invalid' };
const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/** Checks presented keys against the configured hashes without leaking which bytes matched. */
export class ApiKeyVerifier {
  private readonly entries: readonly { readonly name: string; readonly digest: Buffer }[];

  constructor(keys: readonly ApiKeyEntry[]) {
    this.entries = keys.map((key) => ({
      name: key.name,
      digest: Buffer.from(key.sha256.toLowerCase(), 'hex'),
    }));
  }

  /** Whether any key is configured (without one, no write can succeed). */
  get hasKeys(): boolean {
    return this.entries.length > 0;
  }

  /** Reads `Authorization: Bearer <key>`; compares the key's SHA-256 with every configured hash. */
  identify(authorization: string | undefined): Credential {
    if (authorization === undefined || authorization === '') return NONE;
    const match = BEARER.exec(authorization);
    if (!match) return INVALID;
    const digest = createHash('sha256').update(match[1]!, 'utf8').digest();
    let found: string | undefined;
    // Compare against every entry, even after a match, so timing does not reveal the key's position.
    for (const entry of this.entries) {
      if (entry.digest.length === digest.length && timingSafeEqual(entry.digest, digest) && !found) {
        found = entry.name;
      }
    }
    return found === undefined ? INVALID : { kind: 'key', name: found };
  }
}

/** The actor an API key acts as: recorded as the author of what it writes. */
export function apiKeyActor(name: string): Actor {
  return { id: `api-key:${name}`, name };
}
