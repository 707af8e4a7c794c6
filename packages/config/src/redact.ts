import type { CoachwireConfig } from './schema.js';

export const REDACTED = '[redacted]';

/** A deep copy safe to print or log: the token and API key hashes become "[redacted]" ("" stays ""). */
export function redactConfig(config: CoachwireConfig): CoachwireConfig {
  const copy = structuredClone(config);
  copy.discord.token = hide(copy.discord.token);
  for (const key of copy.api.keys) key.sha256 = hide(key.sha256);
  return copy;
}

function hide(secret: string): string {
  return secret === '' ? '' : REDACTED;
}
