import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

// A random prefix per process plus a counter: unique across restarts and instances, and cheaper than a
// random value per request.
const processPrefix = randomBytes(4).toString('hex');
let counter = 0;

/** The caller's X-Request-Id when it is safe to log and echo (≤ 64 of [A-Za-z0-9._-]), else a new id. */
export function requestIdFor(request: IncomingMessage): string {
  const incoming = request.headers['x-request-id'];
  if (typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming)) return incoming;
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  return `${processPrefix}-${counter.toString(36)}`;
}
