import { afterEach, describe, expect, it } from 'vitest';
import { type ApiFixture, createApiFixture, TRADER_KEY } from '../test-support/api-fixture.js';
import { listenOnLoopback } from '../test-support/listen.js';

const DESK = 'https://desk.example';

let fixture: ApiFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

async function serve(requireKeyForReads: boolean): Promise<string> {
  fixture = await createApiFixture({
    overrides: {
      api: { require_key_for_reads: requireKeyForReads },
      cors: { origins: ['*'], write_origins: [DESK] },
    },
  });
  return listenOnLoopback(fixture.app);
}

/** A browser's preflight: no credentials, only the method and headers the real request will send. */
function preflight(base: string, path: string, method: string, headers: string) {
  return fetch(base + path, {
    method: 'OPTIONS',
    headers: {
      origin: DESK,
      'access-control-request-method': method,
      'access-control-request-headers': headers,
    },
  });
}

/** Whether a browser would go on with the request after this preflight answer. */
function browserAllows(answer: Response, method: string, headers: string[]): boolean {
  const allowedHeaders = (answer.headers.get('access-control-allow-headers') ?? '')
    .toLowerCase()
    .split(/,\s*/);
  const allowedMethods = (answer.headers.get('access-control-allow-methods') ?? '').split(/,\s*/);
  return (
    answer.ok &&
    answer.headers.get('access-control-allow-origin') !== null &&
    allowedMethods.includes(method) &&
    headers.every((header) => allowedHeaders.includes(header))
  );
}

describe('CORS for browser integrations', () => {
  it('lets a write origin send the Idempotency-Key that market writes need, and read Idempotent-Replayed', async () => {
    const base = await serve(false);
    const headers = ['authorization', 'content-type', 'idempotency-key'];
    const answer = await preflight(base, '/api/v1/markets/1/bets', 'POST', headers.join(','));
    expect(browserAllows(answer, 'POST', headers)).toBe(true);

    const write = await fetch(`${base}/api/v1/markets/1/bets`, {
      method: 'POST',
      headers: {
        origin: DESK,
        authorization: `Bearer ${TRADER_KEY}`,
        'content-type': 'application/json',
        'idempotency-key': 'cors-1',
      },
      body: JSON.stringify({ user_id: '1', option: 0, amount: 1 }),
    });
    const exposed = (write.headers.get('access-control-expose-headers') ?? '').toLowerCase().split(/,\s*/);
    expect(exposed).toContain('idempotent-replayed');
  });

  it('answers the preflight of a keyed read when reads need a key, as browsers send none on a preflight', async () => {
    const base = await serve(true);
    for (const [path, method] of [
      ['/api/v1/plans', 'GET'],
      ['/api/v1/markets/1/bets', 'POST'],
    ] as const) {
      const answer = await preflight(base, path, method, 'authorization');
      expect(answer.status, `${method} ${path}`).toBe(204);
      expect(browserAllows(answer, method, ['authorization']), `${method} ${path}`).toBe(true);
    }
    // The request itself still needs its key.
    const anonymous = await fetch(`${base}/api/v1/plans`, { headers: { origin: DESK } });
    expect(anonymous.status).toBe(401);
  });
});
