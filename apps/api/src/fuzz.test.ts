import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, createApiFixture, DISCORD_ALICE } from './test-support/api-fixture.js';
import { fuzzedRequest, METHODS, randomPath } from './test-support/fuzz-requests.js';
import { type RawResponse, sendRaw } from './test-support/raw-http.js';

const ERROR_KEYS = ['code', 'error', 'message', 'request_id'];

/**
 * The documented error shape: exactly {error, message, code, request_id} (plus error_id on 5xx, field on
 * VALIDATION), request_id echoing X-Request-Id, and nothing of the request's path echoed back.
 */
function expectErrorShape(
  label: string,
  status: number,
  headers: Record<string, unknown>,
  text: string,
  path: string,
) {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`${label}: ${status} answered a body that is not JSON: ${text.slice(0, 200)}`);
  }
  // Optional extras: field (VALIDATION), error_id (5xx), balance/required (INSUFFICIENT_BALANCE), quote.
  const extras = ['field', 'error_id', 'balance', 'required', 'quote'];
  const keys = Object.keys(json).filter((key) => !extras.includes(key));
  expect(keys.sort(), label).toStrictEqual(ERROR_KEYS);
  for (const key of ERROR_KEYS) expect(typeof json[key], `${label} ${key}`).toBe('string');
  expect(json.request_id, label).toBe(headers['x-request-id']);
  for (const part of path.split(/[/?&=]/)) {
    if (part.length >= 24) expect(text, `${label} echoes its path`).not.toContain(part);
  }
}

describe('fuzzing the API with random requests', () => {
  let fixture: ApiFixture;
  beforeAll(async () => {
    fixture = await createApiFixture({
      overrides: { rate_limits: { api_per_ip: { max: 1_000_000, window_seconds: 60 } } },
    });
    await fixture.bot.plans.post(DISCORD_ALICE, { coach: 'd', text: 'seed plan' });
    // A market to trade on, resolve and cancel (ids 1 and 2).
    for (const mechanism of ['cpmm', 'pool'] as const) {
      await fixture.coachwire.services.markets.create(
        DISCORD_ALICE,
        { guildId: '900000000000000001', idempotencyKey: `seed-${mechanism}` },
        { question: 'Seed?', mechanism, closesAt: '2026-11-21T21:00:00Z' },
      );
    }
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('never answers 5xx and always answers errors in the JSON error shape', async () => {
    await fc.assert(
      fc.asyncProperty(fuzzedRequest, async ({ path, ...request }) => {
        const response = await fixture.app.inject(request);
        const label = `${request.method} ${request.url}`;
        expect(response.statusCode, label).toBeLessThan(500);
        if (response.statusCode >= 400 && request.method !== 'HEAD')
          expectErrorShape(label, response.statusCode, response.headers, response.body, path);
      }),
      { numRuns: 3000 },
    );
    expect((await fixture.coachwire.store.checkLedger()).violations).toStrictEqual([]);
  }, 120_000);

  it("answers malformed HTTP on the wire, which Node's parser sees first, in the error shape too", async () => {
    await fixture.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (fixture.app.server.address() as AddressInfo).port;
    const token = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}$/);
    const junk = fc.string({ unit: 'binary-ascii', maxLength: 30 });
    const method = fc.oneof(fc.constantFrom(...METHODS), token, junk);
    const target = fc.oneof(randomPath, junk, fc.constantFrom('*', 'http://x/', ''));
    const version = fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.x', 'HTTPS/1.1', '');
    const header = fc.oneof(
      fc.tuple(token, fc.string({ maxLength: 40 })).map(([name, value]) => `${name}: ${value}`),
      junk,
      fc.constantFrom(
        `X-Big: ${'b'.repeat(20_000)}`,
        'Content-Length: 5\r\nContent-Length: 6',
        'Transfer-Encoding: chunked, gzip',
        'Content-Length: -1',
        'Host: a\r\nHost: b',
      ),
    );
    const request = fc
      .tuple(method, target, version, fc.boolean(), fc.array(header, { maxLength: 4 }))
      .map(([verb, path, http, withHost, headers]) => ({
        path,
        text: [
          `${verb} ${path} ${http}`,
          ...(withHost ? ['Host: fuzz'] : []),
          ...headers,
          'Connection: close',
        ]
          .join('\r\n')
          .concat('\r\n\r\n'),
        head: verb === 'HEAD',
      }));
    await fc.assert(
      fc.asyncProperty(request, async ({ path, text, head }) => {
        const response: RawResponse | null = await sendRaw(port, text);
        const label = JSON.stringify(text.slice(0, 120));
        expect(response, `${label}: no answer`).not.toBeNull();
        expect(response!.status, label).toBeLessThan(500);
        if (response!.status >= 400 && !head && response!.body !== '')
          expectErrorShape(label, response!.status, response!.headers, response!.body, path);
        if (response!.status >= 400 && !head)
          expect(response!.body, `${label}: empty error body`).not.toBe('');
      }),
      { numRuns: 400 },
    );
  }, 120_000);
});
