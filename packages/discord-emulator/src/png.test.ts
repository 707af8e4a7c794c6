import { inflateSync, crc32 as nodeCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, encodeRgbPng, makePng } from './png.js';

/** Splits a PNG into its chunks, as a decoder does. */
function readChunks(png: Buffer): { type: string; data: Buffer; crc: number }[] {
  const chunks = [];
  let offset = 8;
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.subarray(offset + 4, offset + 8).toString('ascii');
    const data = png.subarray(offset + 8, offset + 8 + length);
    chunks.push({ type, data, crc: png.readUInt32BE(offset + 8 + length) });
    offset += 12 + length;
  }
  return chunks;
}

describe('makePng', () => {
  it('writes the PNG signature and IHDR with the requested size', () => {
    const png = makePng(120, 45);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const [header] = readChunks(png);
    expect(header?.type).toBe('IHDR');
    expect(header?.data.readUInt32BE(0)).toBe(120);
    expect(header?.data.readUInt32BE(4)).toBe(45);
  });

  it('gives every chunk a correct CRC and pixel data of the right length', () => {
    const png = makePng(7, 3);
    const chunks = readChunks(png);
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    for (const chunk of chunks) {
      expect(chunk.crc).toBe(nodeCrc32(Buffer.concat([Buffer.from(chunk.type, 'ascii'), chunk.data])));
    }
    const pixels = inflateSync(chunks[1]!.data);
    expect(pixels.length).toBe(3 * (1 + 7 * 3));
  });

  it('computes the standard CRC-32 check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('refuses a size that is not a positive integer', () => {
    expect(() => makePng(0, 10)).toThrow(RangeError);
  });

  it('encodes given RGB pixels row by row, each row after its filter byte', () => {
    const rgb = Buffer.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9]);
    const pixels = inflateSync(readChunks(encodeRgbPng(2, 2, rgb))[1]!.data);
    expect([...pixels]).toEqual([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 9, 9, 9]);
    expect(() => encodeRgbPng(2, 2, rgb.subarray(1))).toThrow(RangeError);
  });
});
