import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createClient, type HttpRequestFunction, TimeoutError } from './index.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function heapUsedAfterGc(): number {
  for (let pass = 0; pass < 3; pass++) collectGarbage();
  return process.memoryUsage().heapUsed;
}

/** A transport of the caller's own that answers every request at once. */
const answersAtOnce: HttpRequestFunction = async () => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: {
    text: async () => '{"id":1}',
    async *[Symbol.asyncIterator]() {
      yield '{"id":1}';
    },
  },
});

describe('a long-lived client on its own transport', () => {
  it('keeps no memory per call when its attempts have a short timeout', async () => {
    // Below 2 s an attempt gets a precise timer besides close()'s signal (see request-executor.ts).
    const client = createClient({
      baseUrl: 'http://127.0.0.1:1',
      httpRequest: answersAtOnce,
      timeoutMs: 1_000,
      cache: false,
    });
    for (let call = 0; call < 10_000; call++) await client.getPlan(1);
    const before = heapUsedAfterGc();
    for (let call = 0; call < 60_000; call++) await client.getPlan(1);
    const grown = heapUsedAfterGc() - before;
    await client.close();
    // About 80 bytes a call (5 MB here) when every attempt left an entry on the client's close signal.
    expect(grown).toBeLessThan(1_500_000);
  }, 60_000);

  it('still ends an attempt at its short timeout, and a call in flight at close()', async () => {
    const never: HttpRequestFunction = (_url, options) =>
      new Promise((_resolve, reject) =>
        options.signal?.addEventListener('abort', () => reject(options.signal?.reason), { once: true }),
      );
    const timed = createClient({
      baseUrl: 'http://127.0.0.1:1',
      httpRequest: never,
      timeoutMs: 50,
      retries: 0,
    });
    expect(await timed.getPlan(1).catch((error: unknown) => error)).toBeInstanceOf(TimeoutError);
    await timed.close();

    const closed = createClient({ baseUrl: 'http://127.0.0.1:1', httpRequest: never, timeoutMs: 1_000 });
    const pending = closed.getPlan(1).catch((error: unknown) => error);
    await closed.close();
    expect(String(await pending)).toContain('closed');
  });
});
