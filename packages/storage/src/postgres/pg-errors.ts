import { CoachwireError, ConflictError, StorageUnavailableError } from '@coachwire/core';
import { driverError } from '../storage-errors.js';

/** PostgreSQL's SQLSTATE for a unique violation. */
export const PG_UNIQUE_VIOLATION = '23505';
/** PostgreSQL's SQLSTATE for a table that does not exist. */
export const PG_UNDEFINED_TABLE = '42P01';

/** The SQLSTATE (or Node errno code, e.g. ECONNREFUSED) behind `error`, under drizzle's wrapper. */
export function pgErrorCode(error: unknown): string | undefined {
  const code = (driverError(error) as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * A StorageUnavailableError naming the server (`host:port/database`) and the driver's reason, never SQL, its
 * parameters or the password: drizzle's wrapper (which carries the SQL) is dropped and the password, should
 * the driver ever echo it, is blanked out.
 */
export function pgStorageUnavailable(
  target: string,
  action: string,
  error: unknown,
  password = '',
): StorageUnavailableError {
  const cause = driverError(error);
  const code = pgErrorCode(error);
  let reason = cause?.message || (code ? '' : 'unknown error');
  // pg's own words for it ("SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string") name no fix.
  if (/client password must be a (non-empty )?string/.test(reason)) {
    reason =
      'the server asks for a password and none was given (put it in the URL, postgres://user:PASSWORD@host/db, or set PGPASSWORD)';
  }
  // pg's words name neither the setting that asked for TLS nor that `sslmode=require` (or `prefer`) means
  // verify-full to pg, so a URL written for libpq fails against a server without TLS.
  if (/server does not support SSL/i.test(reason)) {
    reason =
      'the URL asks for TLS (sslmode=require, prefer, verify-ca or verify-full, or ssl=true) and the server does not offer it; drop that parameter (or set sslmode=disable) for a server without TLS, or turn ssl on in its postgresql.conf';
  }
  if (password) reason = reason.split(password).join('***');
  const codeSuffix = code && !reason.includes(code) ? ` (${code})` : '';
  const message = `Cannot ${action} the PostgreSQL database at ${target}: ${reason}${codeSuffix}`;
  // The cause is kept for logs only when it cannot leak the password.
  const safeCause = cause && password && cause.message.includes(password) ? undefined : cause;
  return new StorageUnavailableError(message, safeCause);
}

/**
 * Maps anything a PostgreSQL storage call threw to a CoachwireError, like toCoachwireError does for SQLite:
 * CoachwireErrors pass through, a unique violation becomes CONFLICT (with `conflictMessage`, when the caller
 * expects one), everything else STORAGE_UNAVAILABLE.
 */
export function toPgCoachwireError(
  target: string,
  action: string,
  error: unknown,
  options: { readonly conflictMessage?: string | undefined; readonly password?: string | undefined } = {},
): CoachwireError {
  if (error instanceof CoachwireError) return error;
  if (options.conflictMessage && pgErrorCode(error) === PG_UNIQUE_VIOLATION) {
    return new ConflictError(options.conflictMessage, driverError(error));
  }
  return pgStorageUnavailable(target, action, error, options.password);
}
