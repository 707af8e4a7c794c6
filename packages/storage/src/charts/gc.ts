import { createHash } from 'node:crypto';
import type { ChartStore } from './chart-store.js';

export interface ChartGcReport {
  readonly scanned: number;
  readonly removed: string[];
  readonly keptReferenced: number;
  readonly keptRecent: number;
}

/**
 * Removes stored chart files that no live plan references, once they are older than the grace period
 * (so a chart archived a moment before its plan row commits is never collected). `dryRun` only reports.
 */
export async function collectUnreferencedCharts(options: {
  readonly store: ChartStore;
  readonly referenced: ReadonlySet<string>;
  readonly graceMs: number;
  readonly now: Date;
  readonly dryRun?: boolean;
}): Promise<ChartGcReport> {
  const removed: string[] = [];
  let scanned = 0;
  let keptReferenced = 0;
  let keptRecent = 0;
  for await (const stored of options.store.list()) {
    scanned++;
    if (options.referenced.has(stored.sha256)) keptReferenced++;
    else if (options.now.getTime() - stored.modifiedAt.getTime() < options.graceMs) keptRecent++;
    else {
      if (!options.dryRun) await options.store.delete(stored.sha256);
      removed.push(stored.sha256);
    }
  }
  return { scanned, removed, keptReferenced, keptRecent };
}

export interface ChartVerifyReport {
  readonly checked: number;
  /** Files whose bytes no longer hash to their name. */
  readonly corrupt: { readonly sha256: string; readonly actual: string }[];
  /** Hashes referenced by charts but absent from the store. */
  readonly missing: string[];
}

/** Re-hashes every stored file and reports corruption and referenced files that are missing. */
export async function verifyChartStore(
  store: ChartStore,
  referenced: ReadonlySet<string>,
): Promise<ChartVerifyReport> {
  const corrupt: { sha256: string; actual: string }[] = [];
  const present = new Set<string>();
  let checked = 0;
  for await (const stored of store.list()) {
    checked++;
    present.add(stored.sha256);
    const hash = createHash('sha256');
    for await (const chunk of store.read(stored.sha256)) hash.update(chunk as Buffer);
    const actual = hash.digest('hex');
    if (actual !== stored.sha256) corrupt.push({ sha256: stored.sha256, actual });
  }
  const missing = [...referenced].filter((sha256) => !present.has(sha256));
  return { checked, corrupt, missing };
}
