import type { Plan } from '@coachwire/core';
import type { ArchiveFacts, ChartArchivePort, ChartStore } from '@coachwire/storage';
import { ChartDownloadError, type ChartDownloadOptions, downloadChart } from './download-chart.js';

/** A chart the archiver refused, with a reason fit for a note in Discord. */
export interface RefusedChart {
  readonly chartId: number;
  readonly filename: string;
  readonly reason: string;
}

export interface ArchiveOutcome {
  readonly archived: number;
  readonly refused: RefusedChart[];
  /** Charts that could not be fetched now; they keep their URL and are retried by `retryPending`. */
  readonly deferred: number;
}

export interface ArchiverLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface ChartArchiverOptions {
  readonly store: ChartStore;
  readonly archive: ChartArchivePort;
  readonly download: ChartDownloadOptions;
  readonly logger: ArchiverLogger;
  /** In-process tries per chart before it waits for the next sweep. */
  readonly attemptsPerRun?: number;
  /** Total tries over all sweeps before a chart is marked failed for good. */
  readonly maxAttempts?: number;
  readonly retryDelayMs?: number;
  readonly now?: () => Date;
}

/**
 * Keeps charts that would otherwise expire with their Discord links: downloads each, checks it, and stores
 * it content-addressed. Runs off the reply path; nothing about the plan itself depends on it.
 */
export class ChartArchiver {
  readonly #options: ChartArchiverOptions;
  readonly #inFlight = new Set<Promise<unknown>>();

  constructor(options: ChartArchiverOptions) {
    this.#options = options;
  }

  /** Archives the charts of a plan that was just posted or edited. */
  archivePlan(plan: Plan): Promise<ArchiveOutcome> {
    if (plan.charts.length === 0) return Promise.resolve({ archived: 0, refused: [], deferred: 0 });
    const { archive } = this.#options;
    return this.#track(
      (async () => {
        await archive.markPlanPending(plan.id);
        const charts = (await archive.ofPlan(plan.id)).filter((chart) => chart.archiveStatus === 'pending');
        return this.#archiveAll(charts);
      })(),
    );
  }

  /** Retries every chart still pending (bounded by maxAttempts); call it on a timer. */
  retryPending(): Promise<ArchiveOutcome> {
    return this.#track(
      (async () => this.#archiveAll(await this.#options.archive.listPending(this.#maxAttempts)))(),
    );
  }

  /** Resolves when every archive started so far has finished (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  get #maxAttempts(): number {
    return this.#options.maxAttempts ?? 5;
  }

  #track<T>(work: Promise<T>): Promise<T> {
    this.#inFlight.add(work);
    void work.finally(() => this.#inFlight.delete(work)).catch(() => {});
    return work;
  }

  async #archiveAll(charts: { id: number; url: string; filename: string }[]): Promise<ArchiveOutcome> {
    let deferred = 0;
    const refused: RefusedChart[] = [];
    const archived: { chartId: number; facts: ArchiveFacts }[] = [];
    for (const chart of charts) {
      const result = await this.#archiveOne(chart);
      if (result === 'deferred') deferred++;
      else if ('facts' in result) archived.push({ chartId: chart.id, facts: result.facts });
      else refused.push(result);
    }
    // One transaction for the whole batch: a plan whose charts moved to stable URLs gets one event, not one per chart.
    await this.#options.archive.recordArchivedCharts(archived);
    // Not `sha256`: the logger blanks that key (API key hashes travel under it), and this one names the file.
    for (const { chartId, facts } of archived)
      this.#options.logger.info({ chartId, contentSha256: facts.sha256, size: facts.size }, 'chart archived');
    return { archived: archived.length, refused, deferred };
  }

  /** Downloads and stores one chart; its facts are recorded by the caller, with the rest of the batch. */
  async #archiveOne(chart: {
    id: number;
    url: string;
    filename: string;
  }): Promise<{ facts: ArchiveFacts } | 'deferred' | RefusedChart> {
    const { archive, store, logger } = this.#options;
    const attempts = this.#options.attemptsPerRun ?? 3;
    let lastError: ChartDownloadError | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const { bytes, image } = await downloadChart(chart.url, this.#options.download);
        const { sha256, size } = await store.put(bytes);
        return {
          facts: {
            sha256,
            size,
            contentType: image.contentType,
            width: image.width,
            height: image.height,
            archivedAt: (this.#options.now?.() ?? new Date()).toISOString(),
          },
        };
      } catch (error) {
        lastError =
          error instanceof ChartDownloadError
            ? error
            : new ChartDownloadError('network', (error as Error).message);
        if (lastError.final) break;
        if (attempt < attempts) await delay((this.#options.retryDelayMs ?? 500) * 2 ** (attempt - 1));
      }
    }
    const error = lastError!;
    await archive.recordFailure(chart.id, `${error.problem}: ${error.message}`, {
      maxAttempts: this.#maxAttempts,
      final: error.final,
    });
    logger.warn({ chartId: chart.id, problem: error.problem, reason: error.message }, 'chart not archived');
    return error.final ? { chartId: chart.id, filename: chart.filename, reason: error.message } : 'deferred';
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
