import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sniffImage } from './images.js';

// Chart bytes come from anyone who can post in the channel. The sniffer is kept in-house instead of using
// image-size (which has had several infinite-loop advisories in its box and segment walkers), so these
// properties are what makes that choice safe: any input ends quickly, never throws, and never widens the
// five-type allowlist.
const HEADERS: Record<string, number[]> = {
  'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  'image/jpeg': [0xff, 0xd8, 0xff],
  'image/gif': [...Buffer.from('GIF89a')],
  'image/webp': [...Buffer.from('RIFF'), 0, 0, 0, 0, ...Buffer.from('WEBP')],
  'image/bmp': [...Buffer.from('BM')],
};

describe('sniffImage on untrusted bytes', () => {
  it('answers any header followed by any bytes without throwing, within the allowlist', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(HEADERS)),
        fc.uint8Array({ maxLength: 600 }),
        (type, tail) => {
          const info = sniffImage(Uint8Array.from([...HEADERS[type]!, ...tail]));
          if (info === null) return type === 'image/bmp';
          expect(info.contentType).toBe(type);
          for (const size of [info.width, info.height])
            expect(size === null || Number.isInteger(size)).toBe(true);
          return true;
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('stops at JPEG segments that do not advance instead of looping', () => {
    // A zero-length segment, then a run of fill bytes: a walker that trusts the length never gets past them.
    const zeroLength = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x00, ...new Array(64).fill(0)]);
    expect(sniffImage(zeroLength)).toEqual({
      contentType: 'image/jpeg',
      extension: 'jpg',
      width: null,
      height: null,
    });
    const fill = Uint8Array.from([0xff, 0xd8, ...new Array(4096).fill(0xff)]);
    expect(sniffImage(fill)?.width).toBeNull();
  });

  it('refuses anything without one of the five signatures', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const info = sniffImage(bytes);
        if (info !== null) expect(Object.keys(HEADERS)).toContain(info.contentType);
      }),
      { numRuns: 2000 },
    );
  });
});
