/** An image format Coachwire accepts as a chart, identified by its bytes. */
export interface ImageInfo {
  readonly contentType: 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp' | 'image/bmp';
  readonly extension: 'png' | 'jpg' | 'gif' | 'webp' | 'bmp';
  /** Pixel dimensions when the header holds them; null when the header is truncated. */
  readonly width: number | null;
  readonly height: number | null;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, prefix: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + prefix.length) return false;
  return prefix.every((value, index) => bytes[offset + index] === value);
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

/**
 * Identifies a chart image by its magic bytes (never by its name) and reads its pixel size.
 * Returns null for anything that is not png, jpeg, gif, webp or bmp.
 * Kept in-house rather than using image-size: five formats need a few bounded header reads, and image-size's
 * generic walkers have had repeated infinite-loop advisories on crafted files (see images-untrusted.test.ts).
 */
export function sniffImage(bytes: Uint8Array): ImageInfo | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (startsWith(bytes, PNG_SIGNATURE)) {
    // The first chunk must be IHDR: width and height are big-endian at 16 and 20.
    const hasHeader = bytes.length >= 24 && ascii(bytes, 12, 4) === 'IHDR';
    return {
      contentType: 'image/png',
      extension: 'png',
      width: hasHeader ? view.getUint32(16) : null,
      height: hasHeader ? view.getUint32(20) : null,
    };
  }
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) {
    return { contentType: 'image/jpeg', extension: 'jpg', ...jpegSize(bytes, view) };
  }
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') {
    const complete = bytes.length >= 10;
    return {
      contentType: 'image/gif',
      extension: 'gif',
      width: complete ? view.getUint16(6, true) : null,
      height: complete ? view.getUint16(8, true) : null,
    };
  }
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') {
    return { contentType: 'image/webp', extension: 'webp', ...webpSize(bytes, view) };
  }
  if (bytes.length >= 26 && ascii(bytes, 0, 2) === 'BM' && view.getUint32(14, true) >= 12) {
    const headerSize = view.getUint32(14, true);
    const width = headerSize === 12 ? view.getUint16(18, true) : Math.abs(view.getInt32(18, true));
    const height = headerSize === 12 ? view.getUint16(20, true) : Math.abs(view.getInt32(22, true));
    return { contentType: 'image/bmp', extension: 'bmp', width, height };
  }
  return null;
}

function jpegSize(bytes: Uint8Array, view: DataView): { width: number | null; height: number | null } {
  // Walk the marker segments to the first start-of-frame (SOF0..SOF15 except DHT, JPG, DAC).
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return { width: null, height: null };
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset++;
      continue;
    }
    const length = view.getUint16(offset + 2);
    const isStartOfFrame =
      marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isStartOfFrame) return { height: view.getUint16(offset + 5), width: view.getUint16(offset + 7) };
    if (length < 2) return { width: null, height: null };
    offset += 2 + length;
  }
  return { width: null, height: null };
}

function webpSize(bytes: Uint8Array, view: DataView): { width: number | null; height: number | null } {
  const chunk = ascii(bytes, 12, 4);
  if (chunk === 'VP8X' && bytes.length >= 30) {
    const width = 1 + (bytes[24]! | (bytes[25]! << 8) | (bytes[26]! << 16));
    const height = 1 + (bytes[27]! | (bytes[28]! << 8) | (bytes[29]! << 16));
    return { width, height };
  }
  if (chunk === 'VP8 ' && bytes.length >= 30) {
    return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
  }
  if (chunk === 'VP8L' && bytes.length >= 25) {
    const bits = view.getUint32(21, true);
    return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
  }
  return { width: null, height: null };
}
