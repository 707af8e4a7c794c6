import { deflateSync, crc32 as zlibCrc32 } from 'node:zlib';

// A real PNG (signature, IHDR, IDAT, IEND; every chunk CRC-checked) so chart screenshots in
// tests go through the same decoders and size checks as real uploads.
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** CRC-32 (the PNG/zlib polynomial) of the given bytes; Node's own since 20.15. */
export function crc32(bytes: Uint8Array): number {
  return zlibCrc32(bytes);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** Throws a RangeError unless both sides are positive integers. */
export function assertPngSize(width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`PNG size must be positive integers, got ${width}x${height}`);
  }
}

/** Encodes `width * height` RGB pixels (3 bytes each, row by row) as a truecolour PNG. */
export function encodeRgbPng(width: number, height: number, rgb: Uint8Array): Buffer {
  assertPngSize(width, height);
  if (rgb.length !== width * height * 3)
    throw new RangeError(`expected ${width * height * 3} RGB bytes, got ${rgb.length}`);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: truecolour RGB
  // bytes 10-12: compression, filter and interlace methods, all 0
  const rowLength = 1 + width * 3; // each scanline starts with its filter type byte (0 = none)
  const scanlines = Buffer.alloc(rowLength * height);
  for (let y = 0; y < height; y++) {
    scanlines.set(rgb.subarray(y * width * 3, (y + 1) * width * 3), y * rowLength + 1);
  }
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(scanlines)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A valid RGB PNG of the given size, filled with a diagonal gradient (so images differ by size). */
export function makePng(width: number, height: number): Buffer {
  assertPngSize(width, height);
  const rgb = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const offset = (y * width + x) * 3;
      rgb[offset] = (x * 255) / Math.max(1, width - 1);
      rgb[offset + 1] = (y * 255) / Math.max(1, height - 1);
      rgb[offset + 2] = 128;
    }
  }
  return encodeRgbPng(width, height, rgb);
}
