import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type ChartCandle, renderCandlestickChart } from './chart-image.js';

/** The RGB pixels of a PNG this package wrote (filter 0 on every row). */
function decode(png: Buffer): { width: number; height: number; pixel: (x: number, y: number) => string } {
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const idat: Buffer[] = [];
  for (let offset = 8; offset < png.length; ) {
    const length = png.readUInt32BE(offset);
    if (png.subarray(offset + 4, offset + 8).toString('ascii') === 'IDAT')
      idat.push(png.subarray(offset + 8, offset + 8 + length));
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const pixel = (x: number, y: number) => {
    const at = y * (1 + width * 3) + 1 + x * 3;
    return [raw[at], raw[at + 1], raw[at + 2]].join(',');
  };
  return { width, height, pixel };
}

const UP = '38,166,154';
const DOWN = '239,83,80';
const BACKGROUND = '19,23,34';

describe('renderCandlestickChart', () => {
  const candles: ChartCandle[] = [
    { open: 100_00, high: 104_00, low: 99_00, close: 103_00 },
    { open: 103_00, high: 103_50, low: 97_00, close: 98_00 },
    { open: 98_00, high: 101_00, low: 96_00, close: 100_50 },
  ];

  it('draws rising candles green and falling ones red on a dark background', () => {
    const png = renderCandlestickChart({ width: 300, height: 200, candles });
    const { width, height, pixel } = decode(png);
    expect([width, height]).toEqual([300, 200]);
    expect(pixel(2, 2)).toBe(BACKGROUND);
    // The plot spans x 8..236 (64 px of price axis on the right); three candles, one slot of 76 px each.
    const column = (x: number) => Array.from({ length: height }, (_, y) => pixel(x, y));
    expect(column(8 + 38)).toContain(UP);
    expect(column(8 + 76 + 38)).toContain(DOWN);
    expect(column(8 + 152 + 38)).toContain(UP);
  });

  it('draws each level across the plot in its colour, with a price tag on the axis', () => {
    const png = renderCandlestickChart({
      width: 300,
      height: 200,
      candles,
      levels: [{ price: 102_00, kind: 'stop' }],
    });
    const { pixel } = decode(png);
    const rows = Array.from({ length: 200 }, (_, y) => y).filter((y) => pixel(290, y) === DOWN);
    expect(rows.length).toBeGreaterThan(5);
    const y = rows[Math.floor(rows.length / 2)]!;
    expect([10, 11, 12, 13, 14, 15].map((x) => pixel(x, y))).toContain(DOWN);
  });

  it('refuses an empty series or a size too small to draw it', () => {
    expect(() => renderCandlestickChart({ width: 300, height: 200, candles: [] })).toThrow(RangeError);
    expect(() => renderCandlestickChart({ width: 70, height: 30, candles })).toThrow(RangeError);
  });
});
