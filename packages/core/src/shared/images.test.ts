import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sniffImage } from './images.js';

function pngHeader(width: number, height: number): Uint8Array {
  const bytes = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes, 0);
  bytes.writeUInt32BE(13, 8);
  bytes.write('IHDR', 12, 'ascii');
  bytes.writeUInt32BE(width, 16);
  bytes.writeUInt32BE(height, 20);
  return Buffer.concat([bytes, deflateSync(Buffer.alloc(4))]);
}

describe('sniffImage', () => {
  it('identifies each accepted format by its bytes and reads its size', () => {
    expect(sniffImage(pngHeader(640, 360))).toEqual({
      contentType: 'image/png',
      extension: 'png',
      width: 640,
      height: 360,
    });

    const jpeg = Buffer.from([
      0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0x2c, 0x02, 0x58,
      0x03,
    ]);
    expect(sniffImage(jpeg)).toMatchObject({ contentType: 'image/jpeg', width: 600, height: 300 });

    const gif = Buffer.from('GIF89a\x20\x00\x10\x00', 'latin1');
    expect(sniffImage(gif)).toMatchObject({ contentType: 'image/gif', width: 32, height: 16 });

    const webp = Buffer.alloc(30);
    webp.write('RIFF', 0, 'ascii');
    webp.write('WEBPVP8X', 8, 'ascii');
    webp.writeUIntLE(99, 24, 3);
    webp.writeUIntLE(49, 27, 3);
    expect(sniffImage(webp)).toMatchObject({ contentType: 'image/webp', width: 100, height: 50 });

    const bmp = Buffer.alloc(54);
    bmp.write('BM', 0, 'ascii');
    bmp.writeUInt32LE(40, 14);
    bmp.writeInt32LE(8, 18);
    bmp.writeInt32LE(-4, 22);
    expect(sniffImage(bmp)).toMatchObject({ contentType: 'image/bmp', width: 8, height: 4 });
  });

  it('refuses a file that only claims to be an image, and empty input', () => {
    expect(sniffImage(Buffer.from('this is not a png, whatever its name says'))).toBeNull();
    expect(sniffImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(sniffImage(new Uint8Array(0))).toBeNull();
  });

  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64 }),
        fc.constantFrom([], [0xff, 0xd8, 0xff], [0x89, 0x50, 0x4e, 0x47]),
        (tail, head) => {
          sniffImage(Uint8Array.from([...head, ...tail]));
        },
      ),
      { numRuns: 3000 },
    );
  });
});
