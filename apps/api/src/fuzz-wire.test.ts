import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, createApiFixture, DISCORD_ALICE } from './test-support/api-fixture.js';
import { expectErrorShape } from './test-support/error-shape.js';
import { METHODS, randomPath } from './test-support/fuzz-requests.js';
import { type RawResponse, sendRaw } from './test-support/raw-http.js';

// Raw bytes on a real socket, for what Node's HTTP parser answers before Fastify sees a request. Each request
// is sent with a half-close (so an incomplete one ends and is answered too). Node treats a client's half-close
// as an abort, its default policy, so an answer that needs a database round trip is dropped: this suite runs
// on SQLite only (its answers are ready before the close is read); fuzz.test.ts covers the routes on both
// backends through inject.
describe('fuzzing the API with malformed HTTP', () => {
  let fixture: ApiFixture;
  beforeAll(async () => {
    fixture = await createApiFixture({
      overrides: { rate_limits: { api_per_ip: { max: 1_000_000, window_seconds: 60 } } },
    });
    await fixture.bot.plans.post(DISCORD_ALICE, { coach: 'd', text: 'seed plan' });
  });
  afterAll(async () => {
    await fixture.close();
  });

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
