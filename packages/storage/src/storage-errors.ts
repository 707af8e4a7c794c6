import { CoachwireError, ConflictError, StorageUnavailableError } from '@coachwire/core';
import { DrizzleQueryError } from 'drizzle-orm';

interface CodedError extends Error {
  readonly code: string;
}

/**
 * The driver error under drizzle's wrapper. DrizzleQueryError carries the SQL and its parameters
 * (plan text), so it is never kept as a cause; only the driver's own error is.
 */
export function driverError(error: unknown): Error | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    if (typeof (current as Partial<CodedError>).code === 'string') return current;
    current = current.cause;
  }
  return error instanceof Error && !(error instanceof DrizzleQueryError) ? error : undefined;
}

/** The driver's error code behind `error` (e.g. `SQLITE_CONSTRAINT_UNIQUE`, or `ENOTDIR` from the file system). */
export function driverErrorCode(error: unknown): string | undefined {
  const cause = driverError(error);
  const code = (cause as Partial<CodedError> | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A StorageUnavailableError naming the database path and the driver's message (never SQL or parameters). */
export function storageUnavailable(path: string, action: string, error: unknown): StorageUnavailableError {
  const cause = driverError(error);
  const code = driverErrorCode(error);
  const reason = cause ? cause.message : 'unknown error';
  const codeSuffix = code && !reason.includes(code) ? ` (${code})` : '';
  return new StorageUnavailableError(
    `Cannot ${action} the database at ${path}: ${reason}${codeSuffix}`,
    cause,
  );
}

/**
 * Maps anything a storage call threw to a CoachwireError: already-mapped errors pass through, a unique
 * violation becomes CONFLICT, and every other failure (SQLITE_BUSY, CANTOPEN, READONLY, IOERR, CORRUPT,
 * NOTADB, FULL, a file-system error, ...) becomes STORAGE_UNAVAILABLE, so no raw driver error leaves the package.
 */
export function toCoachwireError(path: string, action: string, error: unknown): CoachwireError {
  if (error instanceof CoachwireError) return error;
  const code = driverErrorCode(error);
  if (code === 'SQLITE_CONSTRAINT_UNIQUE') {
    return new ConflictError(
      'A live plan already exists for this coach and trading date.',
      driverError(error),
    );
  }
  return storageUnavailable(path, action, error);
}

/**
 * The database has migrations this release does not know: a newer release migrated it. Running this release on
 * it could fail on any statement or write rows the newer schema forbids, so every open and migration refuses it.
 */
export class SchemaTooNewError extends StorageUnavailableError {
  constructor(
    location: string,
    readonly unknownMigrations: number,
  ) {
    super(
      `The database at ${location} was migrated by a newer Coachwire release: ${unknownMigrations} of its ` +
        `migrations ${unknownMigrations === 1 ? 'is' : 'are'} unknown to this one, which leaves it unchanged.`,
    );
  }
}
