import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { ensureDirectory } from '../database.js';
import { type ByteRange, type ChartStore, isSha256, type StoredChart } from './chart-store.js';

/**
 * Chart files on the local filesystem under `<dir>/<first two hex>/<sha256>`.
 * Writes go to `<dir>/.tmp/`, are fsynced, then renamed into place, so a crash never leaves half a file
 * under a real name.
 */
export class FsChartStore implements ChartStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = path.resolve(dir);
  }

  async put(bytes: Uint8Array): Promise<{ sha256: string; size: number; created: boolean }> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const target = this.pathOf(sha256);
    if (await stat(target).catch(() => null)) {
      // Refresh its time: gc spares files younger than its grace period, so a file just referenced again
      // (the same image re-archived) cannot be collected by a gc that listed references a moment earlier.
      const now = new Date();
      await utimes(target, now, now);
      return { sha256, size: bytes.byteLength, created: false };
    }
    const tmpDir = path.join(this.dir, '.tmp');
    // Not mkdir's recursive mode: it never returns for a path such as /proc/x, where every mkdir is ENOENT.
    ensureDirectory(tmpDir);
    ensureDirectory(path.dirname(target));
    const tmp = path.join(tmpDir, `${sha256}.${randomBytes(6).toString('hex')}`);
    const handle = await open(tmp, 'wx', 0o644);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(tmp, target);
      await syncDirectory(path.dirname(target));
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
    return { sha256, size: bytes.byteLength, created: true };
  }

  async stat(sha256: string): Promise<StoredChart | null> {
    if (!isSha256(sha256)) return null;
    // Only "not there" is null: a directory this user cannot read must not pass for lost files.
    const info = await stat(this.pathOf(sha256)).catch(unlessMissing);
    return info?.isFile() ? { sha256, size: info.size, modifiedAt: info.mtime } : null;
  }

  read(sha256: string, range?: ByteRange): Readable {
    if (!isSha256(sha256)) throw new Error(`Not a chart hash: ${sha256.slice(0, 80)}`);
    return createReadStream(this.pathOf(sha256), range ? { start: range.start, end: range.end } : {});
  }

  async delete(sha256: string): Promise<void> {
    if (!isSha256(sha256)) return;
    await rm(this.pathOf(sha256), { force: true });
  }

  async *list(): AsyncIterable<StoredChart> {
    // No directory yet is no charts yet; one that cannot be read, or is a file (ENOTDIR), is an error.
    const shards = await readdir(this.dir, { withFileTypes: true }).catch((error: unknown) => {
      if ((error as { code?: unknown }).code === 'ENOENT') return [];
      throw error;
    });
    for (const shard of shards) {
      if (!shard.isDirectory() || !/^[0-9a-f]{2}$/.test(shard.name)) continue;
      for (const name of await readdir(path.join(this.dir, shard.name))) {
        const stored = await this.stat(name);
        if (stored) yield stored;
      }
    }
  }

  /** The file path of a hash (for diagnostics and tests). */
  pathOf(sha256: string): string {
    return path.join(this.dir, sha256.slice(0, 2), sha256);
  }
}

/** For a `.catch`: null when the path does not exist (ENOENT, or ENOTDIR inside a path); any other error is thrown. */
function unlessMissing(error: unknown): null {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return null;
  throw error;
}

async function syncDirectory(directory: string): Promise<void> {
  // Makes the rename durable; some filesystems refuse fsync on a directory, which is harmless.
  const handle = await open(directory, 'r').catch(() => null);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // ignored: see above
  } finally {
    await handle.close();
  }
}
