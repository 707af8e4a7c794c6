import { describe, expect, it } from 'vitest';
import { createClient } from './index.js';

describe('client options', () => {
  it('refuses an API key with a line break or a space, without repeating the key', () => {
    for (const apiKey of ['cw_secret_key\n', 'cw secret', 'cw_\u00e9t\u00e9']) {
      let thrown: unknown;
      try {
        createClient({ baseUrl: 'http://127.0.0.1:1', apiKey });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(TypeError);
      expect((thrown as Error).message).toContain('apiKey must be printable ASCII');
      expect((thrown as Error).message).not.toContain('secret');
    }
  });

  it('takes a printable key, and none', async () => {
    await createClient({ baseUrl: 'http://127.0.0.1:1', apiKey: 'cw_live_AbC-123._~+/=' }).close();
    await createClient({ baseUrl: 'http://127.0.0.1:1' }).close();
  });
});
