import type { ByteRange } from '@coachwire/storage';

/**
 * Reads a `Range: bytes=...` header for a file of `size` bytes. Returns null when there is no usable single
 * range (serve the whole file), 'unsatisfiable' for a range outside the file (416), else the inclusive range.
 */
export function parseByteRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | null {
  if (header === undefined) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  // Several ranges, other units or garbage: RFC 9110 lets a server ignore Range and send the whole file.
  if (!match || (match[1] === '' && match[2] === '')) return null;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}
