import { describe, expect, it } from 'vitest';
import { createClient, type HttpRequestFunction } from './index.js';

/** An undici-`request`-shaped function answering every call with one legacy plan, recording the URLs. */
function recordingRequest(urls: string[]): HttpRequestFunction {
  return async (url) => {
    urls.push(url);
    const text = JSON.stringify({ plan: 'Long above 5000', charts: [], author: 'alice' });
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: Object.assign(
        (async function* () {
          yield text;
        })(),
        { text: async () => text },
      ),
    };
  };
}

describe('the httpRequest option', () => {
  it('sends every request through the given function, under its new name and its deprecated one', async () => {
    for (const name of ['httpRequest', 'fetchImpl'] as const) {
      const urls: string[] = [];
      const client = createClient({
        baseUrl: 'http://127.0.0.1:9',
        [name]: recordingRequest(urls),
        retries: 0,
      });
      try {
        expect((await client.fetchCoachPlan('d', '2026-11-20')).plan).toBe('Long above 5000');
        expect(urls).toEqual(['http://127.0.0.1:9/api/coach-plans/?coach=d&date=2026-11-20']);
      } finally {
        await client.close();
      }
    }
  });
});
