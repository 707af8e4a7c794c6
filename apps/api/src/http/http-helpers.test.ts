import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { parseApiFlags } from '../cli-flags.js';
import { sha256Hex } from '../test-support/api-fixture.js';
import { ApiKeyVerifier, apiKeyActor } from './api-keys.js';
import { matchesIfNoneMatch, weakEtag } from './etag.js';
import { requestIdFor } from './request-id.js';
import { ResponseCache } from './response-cache.js';

describe('ApiKeyVerifier', () => {
  const verifier = new ApiKeyVerifier([
    { name: 'trader', sha256: sha256Hex('key-one') },
    { name: 'reporter', sha256: sha256Hex('key-two').toUpperCase() },
  ]);

  it('names the holder of a configured key, whatever the case of the configured hash', () => {
    expect(verifier.identify('Bearer key-one')).toStrictEqual({ kind: 'key', name: 'trader' });
    expect(verifier.identify('bearer   key-two ')).toStrictEqual({ kind: 'key', name: 'reporter' });
  });

  it('tells a missing header from a wrong key or scheme', () => {
    expect(verifier.identify(undefined).kind).toBe('none');
    expect(verifier.identify('').kind).toBe('none');
    for (const header of [
      'Bearer key-three',
      'Basic a2V5LW9uZQ==',
      'Bearer',
      'key-one',
      'Bearer key-one extra',
    ]) {
      expect(verifier.identify(header).kind, header).toBe('invalid');
    }
  });

  it('acts as api-key:<name>', () => {
    expect(apiKeyActor('trader')).toStrictEqual({ id: 'api-key:trader', name: 'trader' });
  });
});

describe('ETags', () => {
  it('gives equal bodies equal weak tags and different bodies different ones', () => {
    expect(weakEtag('{"a":1}')).toBe(weakEtag('{"a":1}'));
    expect(weakEtag('{"a":1}')).not.toBe(weakEtag('{"a":2}'));
    expect(weakEtag('x')).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
  });

  it('matches If-None-Match lists, strong forms and *', () => {
    const tag = weakEtag('body');
    expect(matchesIfNoneMatch(tag, tag)).toBe(true);
    expect(matchesIfNoneMatch(`W/"nope", ${tag}`, tag)).toBe(true);
    expect(matchesIfNoneMatch(tag.slice(2), tag)).toBe(true);
    expect(matchesIfNoneMatch('*', tag)).toBe(true);
    expect(matchesIfNoneMatch('W/"nope"', tag)).toBe(false);
    expect(matchesIfNoneMatch(undefined, tag)).toBe(false);
  });
});

describe('ResponseCache', () => {
  it('keeps bodies until cleared, and refuses a body read before a clear', () => {
    const cache = new ResponseCache(10, 60_000);
    const generation = cache.generation;
    cache.set('a', 'one', generation);
    expect(cache.get('a')?.body).toBe('one');
    const staleRead = cache.generation;
    cache.clear();
    expect(cache.get('a')).toBeUndefined();
    cache.set('a', 'stale', staleRead);
    expect(cache.get('a')).toBeUndefined();
  });

  it('finds a body kept with a data version only at that same version', () => {
    const cache = new ResponseCache(10, 60_000);
    cache.set('page', 'at 7', cache.generation, 7);
    expect(cache.get('page', 7)?.body).toBe('at 7');
    expect(cache.get('page', 8)).toBeUndefined();
    expect(cache.get('page')).toBeUndefined();
    cache.set('page', 'at 8', cache.generation, 8);
    expect(cache.get('page', 8)?.body).toBe('at 8');
    expect(cache.get('page', 7)).toBeUndefined();
  });

  it('evicts the oldest entry when full and stores nothing when disabled', () => {
    const cache = new ResponseCache(2, 60_000);
    for (const key of ['a', 'b', 'c']) cache.set(key, key, cache.generation);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('c')?.body).toBe('c');
    const disabled = new ResponseCache(0, 60_000);
    disabled.set('a', 'x', disabled.generation);
    expect(disabled.get('a')).toBeUndefined();
  });
});

describe('request ids', () => {
  const request = (id?: string) =>
    ({ headers: id === undefined ? {} : { 'x-request-id': id } }) as IncomingMessage;

  it('keeps a safe incoming id and generates distinct safe ids otherwise', () => {
    expect(requestIdFor(request('abc-1.2_3'))).toBe('abc-1.2_3');
    const generated = new Set([
      requestIdFor(request()),
      requestIdFor(request('bad id')),
      requestIdFor(request()),
    ]);
    expect(generated.size).toBe(3);
    for (const id of generated) expect(id).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
  });
});

describe('parseApiFlags', () => {
  it('reads --config, --port and --host in both spellings', () => {
    expect(parseApiFlags(['--config', 'c.yaml', '--port=8080', '--host', '127.0.0.1'])).toStrictEqual({
      help: false,
      configPath: 'c.yaml',
      port: 8080,
      host: '127.0.0.1',
    });
  });

  it('refuses unknown flags, missing values and bad ports', () => {
    expect(() => parseApiFlags(['--verbose'])).toThrow(/Unknown argument/);
    expect(() => parseApiFlags(['--port'])).toThrow(/needs a value/);
    for (const port of ['0', '70000', '80a']) expect(() => parseApiFlags(['--port', port])).toThrow(/--port/);
  });
});
