import {
  type LedgerStore,
  type MarketReadStore,
  type PlanEventLog,
  type PlanRepository,
  StorageUnavailableError,
} from '@coachwire/core';
import type { IntegrityReport } from './maintenance.js';
import type { LedgerReport } from './points/ledger-check.js';
import type {
  BotStatusPort,
  ChartArchivePort,
  MarketMessagePort,
  MemberNamePort,
  StoreEventLog,
} from './ports.js';
import { SchemaTooNewError } from './storage-errors.js';

/**
 * One open, migrated database behind backend-neutral ports: what a process gets from the composition root.
 * SQLite (`openSqliteStore`) is the embedded default; PostgreSQL is the second implementation.
 */
export interface CoachwireStore {
  readonly kind: 'sqlite' | 'postgres';
  /** The file path, or the URL with its password replaced by `***` (safe to print). */
  readonly location: string;
  readonly plans: PlanRepository & PlanEventLog;
  /** The event log of every domain (plans, markets, points), its pruning and wake-ups. */
  readonly eventLog: StoreEventLog;
  /** Chart rows and their archive state. */
  readonly charts: ChartArchivePort;
  /** The bot's heartbeat row. */
  readonly botStatus: BotStatusPort;
  /** Where the bot shows each market in Discord, and what it announced there. */
  readonly marketMessages: MarketMessagePort;
  /** Members' display names, as the bot last saw them. */
  readonly memberNames: MemberNamePort;
  /** The points ledger and markets. */
  readonly ledger: LedgerStore;
  /** The read side of markets. */
  readonly marketReads: MarketReadStore;
  /** Checks that the database answers; rejects with STORAGE_UNAVAILABLE when it does not. */
  ping(): Promise<void>;
  /** Number of plans stored: live ones, or every row with `includeDeleted`. */
  countPlans(options?: { includeDeleted?: boolean }): Promise<number>;
  /** The backend's own integrity checks, plus row counts. */
  integrityCheck(): Promise<IntegrityReport>;
  /** The ledger's invariants, checked from the raw tables. */
  checkLedger(): Promise<LedgerReport>;
  /** Closes the database. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Which step of opening a store failed: the composition root names a different fix for each. `schema` is a
 * database a newer release migrated (SchemaTooNewError), refused before anything was changed.
 */
export type StoreOpenStage = 'open' | 'schema' | 'migrate' | 'ping';

/**
 * Opening a store failed at `stage`. Still a STORAGE_UNAVAILABLE error with the backend's own message (the
 * path or the redacted URL and the driver's reason), so callers that only show the message see no change.
 */
export class StoreOpenError extends StorageUnavailableError {
  constructor(
    readonly stage: StoreOpenStage,
    error: unknown,
  ) {
    super(
      error instanceof Error ? error.message : String(error),
      error instanceof Error ? error.cause : undefined,
    );
  }
}

/** Runs one step of opening a store, reporting its failure as a StoreOpenError of that stage. */
export async function openingStage<T>(stage: StoreOpenStage, step: () => T | Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof StoreOpenError) throw error;
    throw new StoreOpenError(error instanceof SchemaTooNewError ? 'schema' : stage, error);
  }
}
