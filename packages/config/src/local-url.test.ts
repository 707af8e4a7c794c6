import { describe, expect, it } from 'vitest';
import { localApiUrl } from './local-url.js';

describe('localApiUrl', () => {
  it('reaches a wildcard listen address through loopback', () => {
    expect(localApiUrl('0.0.0.0', 5000)).toBe('http://127.0.0.1:5000');
    expect(localApiUrl('::', 5000, '/docs')).toBe('http://127.0.0.1:5000/docs');
    expect(localApiUrl('', 8080, '/health')).toBe('http://127.0.0.1:8080/health');
  });

  it('keeps a named host and brackets an IPv6 address', () => {
    expect(localApiUrl('127.0.0.1', 5000, '/docs')).toBe('http://127.0.0.1:5000/docs');
    expect(localApiUrl('api.internal', 5000)).toBe('http://api.internal:5000');
    expect(localApiUrl('::1', 5000, '/health')).toBe('http://[::1]:5000/health');
  });
});
