import { assertPngSize, encodeRgbPng } from './png.js';

// Chart screenshots for mock mode and tests: a candlestick chart on a price axis with the plan's levels drawn
// across it, in the dark style of the charting sites coaches screenshot. Drawn pixel by pixel (no canvas
// dependency); prices are plain numbers in any unit (mock data uses cents).

/** One bar of the chart. */
export interface ChartCandle {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

/** A horizontal price line: an entry, a stop, a target or a plain support/resistance level. */
export interface ChartLevel {
  readonly price: number;
  readonly kind: 'entry' | 'stop' | 'target' | 'level';
}

export interface CandlestickChartInput {
  readonly width: number;
  readonly height: number;
  readonly candles: readonly ChartCandle[];
  readonly levels?: readonly ChartLevel[];
  /** Digits after the decimal point of the axis labels; prices are divided by 10^decimals. Default 2. */
  readonly decimals?: number;
}

type Rgb = readonly [number, number, number];

const BACKGROUND: Rgb = [19, 23, 34];
const GRID: Rgb = [42, 46, 57];
const AXIS: Rgb = [120, 123, 134];
const LABEL: Rgb = [178, 181, 190];
const UP: Rgb = [38, 166, 154];
const DOWN: Rgb = [239, 83, 80];
const LEVEL_COLOURS: Record<ChartLevel['kind'], Rgb> = {
  entry: [41, 98, 255],
  stop: DOWN,
  target: UP,
  level: [178, 181, 190],
};

// A 3x5 pixel font for the axis labels: digits and the decimal point, one string of rows per glyph.
const GLYPHS: Record<string, readonly string[]> = {
  '0': ['111', '101', '101', '101', '111'],
  '1': ['010', '110', '010', '010', '111'],
  '2': ['111', '001', '111', '100', '111'],
  '3': ['111', '001', '111', '001', '111'],
  '4': ['101', '101', '111', '001', '001'],
  '5': ['111', '100', '111', '001', '111'],
  '6': ['111', '100', '111', '101', '111'],
  '7': ['111', '001', '010', '010', '010'],
  '8': ['111', '101', '111', '101', '111'],
  '9': ['111', '101', '111', '001', '111'],
  '.': ['000', '000', '000', '000', '010'],
};
const GLYPH_SCALE = 2;

/** An RGB raster with the few drawing operations a chart needs. */
class Raster {
  readonly pixels: Buffer;

  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb,
  ) {
    this.pixels = Buffer.alloc(width * height * 3);
    this.fillRect(0, 0, width - 1, height - 1, background);
  }

  setPixel(x: number, y: number, [r, g, b]: Rgb): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const offset = (Math.round(y) * this.width + Math.round(x)) * 3;
    this.pixels[offset] = r;
    this.pixels[offset + 1] = g;
    this.pixels[offset + 2] = b;
  }

  fillRect(x0: number, y0: number, x1: number, y1: number, colour: Rgb): void {
    for (let y = Math.min(y0, y1); y <= Math.max(y0, y1); y++)
      for (let x = Math.min(x0, x1); x <= Math.max(x0, x1); x++) this.setPixel(x, y, colour);
  }

  /** A horizontal line; `dash` draws `dash` pixels on, `dash` off. */
  horizontal(y: number, x0: number, x1: number, colour: Rgb, dash = 0): void {
    for (let x = x0; x <= x1; x++)
      if (dash === 0 || Math.floor((x - x0) / dash) % 2 === 0) this.setPixel(x, y, colour);
  }

  vertical(x: number, y0: number, y1: number, colour: Rgb): void {
    for (let y = Math.min(y0, y1); y <= Math.max(y0, y1); y++) this.setPixel(x, y, colour);
  }

  text(x: number, y: number, text: string, colour: Rgb): void {
    let cursor = x;
    for (const character of text) {
      const glyph = GLYPHS[character];
      if (glyph)
        glyph.forEach((row, gy) => {
          for (let gx = 0; gx < row.length; gx++)
            if (row[gx] === '1')
              this.fillRect(
                cursor + gx * GLYPH_SCALE,
                y + gy * GLYPH_SCALE,
                cursor + (gx + 1) * GLYPH_SCALE - 1,
                y + (gy + 1) * GLYPH_SCALE - 1,
                colour,
              );
        });
      cursor += 4 * GLYPH_SCALE;
    }
  }
}

/** Renders a candlestick chart with its price axis and level lines as a PNG. */
export function renderCandlestickChart(input: CandlestickChartInput): Buffer {
  const { width, height, candles } = input;
  assertPngSize(width, height);
  if (candles.length === 0) throw new RangeError('a candlestick chart needs at least one candle');
  const levels = input.levels ?? [];
  const decimals = input.decimals ?? 2;
  const raster = new Raster(width, height, BACKGROUND);
  const plot = { left: 8, top: 10, right: width - 64, bottom: height - 18 };
  if (plot.right - plot.left < candles.length || plot.bottom - plot.top < 20)
    throw new RangeError(`${width}x${height} is too small for ${candles.length} candles`);

  const prices = [
    ...candles.flatMap((candle) => [candle.high, candle.low]),
    ...levels.map((level) => level.price),
  ];
  const padding = (Math.max(...prices) - Math.min(...prices)) * 0.06 || 1;
  const top = Math.max(...prices) + padding;
  const bottom = Math.min(...prices) - padding;
  const yOf = (price: number) =>
    Math.round(plot.top + ((top - price) / (top - bottom)) * (plot.bottom - plot.top));

  // Grid and axes: five price lines labelled on the right, a vertical line every tenth candle.
  const slot = (plot.right - plot.left) / candles.length;
  for (let line = 0; line <= 4; line++) {
    const price = bottom + ((top - bottom) * line) / 4;
    const y = yOf(price);
    raster.horizontal(y, plot.left, plot.right, GRID);
    raster.horizontal(y, plot.right, plot.right + 4, AXIS);
    raster.text(plot.right + 7, y - 5, formatPrice(price, decimals), LABEL);
  }
  for (let index = 0; index < candles.length; index += 10)
    raster.vertical(Math.round(plot.left + slot * (index + 0.5)), plot.top, plot.bottom, GRID);
  raster.vertical(plot.right, plot.top, plot.bottom + 4, AXIS);
  raster.horizontal(plot.bottom, plot.left, plot.right, AXIS);

  candles.forEach((candle, index) => {
    const colour = candle.close >= candle.open ? UP : DOWN;
    const centre = Math.round(plot.left + slot * (index + 0.5));
    const half = Math.max(0, Math.floor((slot * 0.7) / 2));
    raster.vertical(centre, yOf(candle.high), yOf(candle.low), colour);
    raster.fillRect(centre - half, yOf(candle.open), centre + half, yOf(candle.close), colour);
  });

  // Levels last, so they read over the candles; each gets a price tag on the axis in its colour.
  for (const level of levels) {
    const colour = LEVEL_COLOURS[level.kind];
    const y = yOf(level.price);
    raster.horizontal(y, plot.left, plot.right, colour, level.kind === 'level' ? 2 : 6);
    raster.fillRect(plot.right + 1, y - 7, width - 1, y + 6, colour);
    raster.text(plot.right + 7, y - 5, formatPrice(level.price, decimals), BACKGROUND);
  }
  return encodeRgbPng(width, height, raster.pixels);
}

function formatPrice(price: number, decimals: number): string {
  return (price / 10 ** decimals).toFixed(decimals);
}
