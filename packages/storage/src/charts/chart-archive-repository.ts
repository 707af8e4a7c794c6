import { planEventPayload } from '@coachwire/core';
import type { CoachwireDatabase } from '../database.js';
import { writeWhenUnlocked } from '../lock-waits.js';
import { toPlan } from '../plans/plan-rows.js';
import { type PlanStatements, preparePlanStatements } from '../plans/plan-statements.js';
import type { ChartArchivePort } from '../ports.js';
import { toCoachwireError } from '../storage-errors.js';
import { type ChartArchiveStatements, prepareChartArchiveStatements } from './chart-archive-statements.js';

/** A chart row as the archiver and the chart routes need it. */
export interface ArchivedChartRecord {
  readonly id: number;
  readonly planId: number;
  readonly url: string;
  readonly filename: string;
  readonly contentType: string | null;
  readonly size: number | null;
  readonly sha256: string | null;
  readonly archiveStatus: 'none' | 'pending' | 'archived' | 'failed';
  readonly archiveAttempts: number;
  readonly archiveError: string | null;
  /** Whether the chart's plan is live (not soft-deleted). */
  readonly planLive: boolean;
}

/** What the archiver learned about a downloaded chart. */
export interface ArchiveFacts {
  readonly sha256: string;
  readonly size: number;
  readonly contentType: string;
  readonly width: number | null;
  readonly height: number | null;
  readonly archivedAt: string;
}

type RawRecord = Omit<ArchivedChartRecord, 'planLive'> & { planLive: 0 | 1 };

/** The bookkeeping of chart archiving: which charts wait, which are archived under which hash. */
export class ChartArchiveRepository implements ChartArchivePort {
  readonly #handle: CoachwireDatabase;
  readonly #stmts: ChartArchiveStatements;
  /** The plan repository's own statements: events are read and written exactly as it does. */
  readonly #planStmts: PlanStatements;

  constructor(handle: CoachwireDatabase) {
    this.#handle = handle;
    this.#planStmts = preparePlanStatements(handle);
    this.#stmts = prepareChartArchiveStatements(handle);
  }

  /** A chart by id, or null. */
  async get(chartId: number): Promise<ArchivedChartRecord | null> {
    return this.#read(() => toRecord(this.#stmts.byId.get({ id: chartId })));
  }

  /** The newest archived chart with this hash, or null. */
  async getByHash(sha256: string): Promise<ArchivedChartRecord | null> {
    return this.#read(() => toRecord(this.#stmts.byHash.get({ sha256 })));
  }

  /** The charts of a plan, in order. */
  async ofPlan(planId: number): Promise<ArchivedChartRecord[]> {
    return this.#read(() => this.#stmts.ofPlan.all({ planId }).map(toLiveRecord));
  }

  /** Marks a plan's not-yet-archived charts as waiting for the archiver; returns how many. */
  async markPlanPending(planId: number): Promise<number> {
    return this.#write(() => this.#stmts.markPending.run({ planId }).changes);
  }

  /** Charts of live plans still waiting, with fewer than `maxAttempts` tries so far. */
  async listPending(maxAttempts: number, limit = 100): Promise<ArchivedChartRecord[]> {
    return this.#read(() => this.#stmts.pending.all({ maxAttempts, limit }).map(toLiveRecord));
  }

  /** Records one successful archive; see recordArchivedCharts. */
  recordArchived(chartId: number, facts: ArchiveFacts): Promise<void> {
    return this.recordArchivedCharts([{ chartId, facts }]);
  }

  /**
   * Records successful archives (the hash, size, real content type and pixel size) in one transaction. A chart
   * archived for the first time gets a stable URL from the API instead of its Discord link, so each plan with
   * such a chart gets one `plan.updated` event in the same transaction, however many of its charts changed;
   * re-archiving a chart that already had its stable URL changes no URL and writes no event.
   */
  async recordArchivedCharts(archives: readonly { chartId: number; facts: ArchiveFacts }[]): Promise<void> {
    if (archives.length === 0) return;
    await this.#write(() =>
      this.#handle.sqlite
        .transaction(() => {
          const changedPlans = new Map<number, string>();
          for (const { chartId, facts } of archives) {
            const before = this.#stmts.byId.get({ id: chartId });
            if (!before || this.#stmts.archived.run({ id: chartId, ...facts }).changes === 0) continue;
            const urlChanged = before.archiveStatus !== 'archived' || before.sha256 === null;
            if (urlChanged) changedPlans.set(before.planId, facts.archivedAt);
          }
          for (const [planId, archivedAt] of changedPlans) {
            const row = this.#planStmts.planById.get({ id: planId });
            if (!row) continue;
            this.#planStmts.insertEvent.run({
              type: 'plan.updated',
              planId: row.id,
              payload: JSON.stringify(planEventPayload(toPlan(row, []))),
              occurredAt: archivedAt,
            });
          }
        })
        .immediate(),
    );
  }

  /**
   * Records a failed attempt. The chart stays pending for a later retry until `maxAttempts`, or becomes
   * failed at once when `final` (the file was refused, not merely unreachable). Its original URL is kept.
   */
  async recordFailure(
    chartId: number,
    error: string,
    options: { maxAttempts: number; final?: boolean },
  ): Promise<void> {
    await this.#write(() =>
      this.#stmts.failure.run({
        id: chartId,
        error: error.slice(0, 500),
        maxAttempts: options.maxAttempts,
        final: options.final ? 1 : 0,
      }),
    );
  }

  /** Hashes that charts of live plans point to; everything else in the store may be collected. */
  async referencedHashes(options: { includeDeletedPlans?: boolean } = {}): Promise<Set<string>> {
    const statement = options.includeDeletedPlans
      ? this.#stmts.referencedByAnyPlan
      : this.#stmts.referencedByLivePlans;
    return this.#read(
      () => new Set(statement.all().flatMap((row) => (row.sha256 === null ? [] : [row.sha256]))),
    );
  }

  #read<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw toCoachwireError(this.#handle.path, 'read', error);
    }
  }

  /** One statement or one transaction; see writeWhenUnlocked. */
  async #write<T>(work: () => T): Promise<T> {
    try {
      return await writeWhenUnlocked(this.#handle, work);
    } catch (error) {
      throw toCoachwireError(this.#handle.path, 'write', error);
    }
  }
}

function toLiveRecord(row: RawRecord): ArchivedChartRecord {
  return { ...row, planLive: row.planLive === 1 };
}

function toRecord(row: RawRecord | undefined): ArchivedChartRecord | null {
  return row ? toLiveRecord(row) : null;
}
