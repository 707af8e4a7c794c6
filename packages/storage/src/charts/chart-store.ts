import type { Readable } from 'node:stream';

/** A stored chart file, named by the SHA-256 of its bytes. */
export interface StoredChart {
  readonly sha256: string;
  readonly size: number;
  readonly modifiedAt: Date;
}

/** An inclusive byte range, as HTTP Range headers name them. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Where archived chart bytes live, content-addressed. The filesystem implementation is the default;
 * an S3-compatible store fits the same shape (put = PUT object, read with a range = ranged GET, list = ListObjects).
 */
export interface ChartStore {
  /** Stores the bytes under their SHA-256; idempotent. Never leaves a partial file visible. */
  put(bytes: Uint8Array): Promise<{ sha256: string; size: number; created: boolean }>;
  /** Size and time of a stored file, or null. */
  stat(sha256: string): Promise<StoredChart | null>;
  /** A stream of the file's bytes (or of one range of them). */
  read(sha256: string, range?: ByteRange): Readable;
  /** Removes a file; no error when it is already gone. */
  delete(sha256: string): Promise<void>;
  /** Every stored file. */
  list(): AsyncIterable<StoredChart>;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** True for a lower-case hex SHA-256, the only names a chart store accepts (no path tricks). */
export function isSha256(value: string): boolean {
  return SHA256_HEX.test(value);
}
