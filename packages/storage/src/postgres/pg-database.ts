import {
  type CoachwireError,
  misreadsUserInfo,
  redactUrlPassword,
  urlPassword,
  ValidationError,
} from '@coachwire/core';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { StorageLogger } from '../database.js';
import { pgStorageUnavailable, toPgCoachwireError } from './pg-errors.js';
import * as pgSchema from './pg-schema.js';

export type PgSchema = typeof pgSchema;
export type PgDatabase = NodePgDatabase<PgSchema>;

export interface OpenPostgresOptions {
  /** `postgres://user:password@host:5432/database`; the password is a secret and never printed. */
  readonly url: string;
  /** Connections in the pool (each API or bot process has its own pool). */
  readonly poolSize: number;
  readonly logger?: StorageLogger | undefined;
  /** How long opening a connection may take before it fails; a dead host must not hang a process. */
  readonly connectTimeoutMs?: number | undefined;
}

/** An open PostgreSQL database: the pg pool, drizzle over it, and names of it that are safe to print. */
export interface PgHandle {
  readonly pool: pg.Pool;
  readonly db: PgDatabase;
  /** The URL with its password replaced by `***`. */
  readonly location: string;
  /** `host:port/database`, for error messages. */
  readonly target: string;
  readonly logger: StorageLogger | undefined;
  /** Maps a failed call to a CoachwireError naming the server, never the password (see pg-errors.ts). */
  toError(action: string, error: unknown, conflictMessage?: string): CoachwireError;
  /** A client outside the pool with the pool's settings, for a connection held open (LISTEN). Not connected. */
  newClient(overrides?: pg.ClientConfig): pg.Client;
  close(): Promise<void>;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
/** The longest one statement may run (migrations, which may rebuild big tables, lift it: pg-migrate.ts). */
export const STATEMENT_TIMEOUT_MS = 60_000;
/** How long a request may wait for a free pooled connection while the others are busy. */
export const POOL_WAIT_TIMEOUT_MS = 30_000;

const URL_EXAMPLE = 'postgres://user:password@host:5432/database';

/**
 * The URL with its password replaced by `***` (safe to log), whether it sits in the user info or in a
 * `?password=` parameter (which pg also reads); anything unparsable is not echoed at all.
 */
export function redactUrl(url: string): string {
  return redactUrlPassword(url);
}

interface ParsedPgUrl {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly password: string;
}

/**
 * What to do about a password with a character that means something in a URL: `/`, `?` and `#` end the
 * user info early, `%` starts an escape. Passwords from `openssl rand -base64` hold `/` and `+`.
 */
const PERCENT_ENCODING_HINT =
  'a user name or password holding any of @ : / ? # % must be percent-encoded in the URL (e.g. / as %2F, # as %23, @ as %40, % as %25)';

/** Checks the URL before any connection, so a typo gets a clear error instead of a driver's guess. */
export function parsePgUrl(url: string): ParsedPgUrl {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ValidationError(
      `database.url is not a valid URL; expected ${URL_EXAMPLE}, and ${PERCENT_ENCODING_HINT}.`,
      'database.url',
    );
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new ValidationError(
      `database.url must start with postgres:// or postgresql:// (got ${parsed.protocol}//); expected ${URL_EXAMPLE}.`,
      'database.url',
    );
  }
  // A password that needed percent-encoding would send the connection to a piece of it as the host.
  if (misreadsUserInfo(parsed)) {
    throw new ValidationError(
      `database.url cannot be read as ${URL_EXAMPLE}: ${PERCENT_ENCODING_HINT}.`,
      'database.url',
    );
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!parsed.hostname || !database) {
    throw new ValidationError(
      `database.url ${redactUrl(url)} must name a host and a database; expected ${URL_EXAMPLE}.`,
      'database.url',
    );
  }
  const port = parsed.port ? Number(parsed.port) : 5432;
  return { host: parsed.hostname, port, database, password: urlPassword(url) };
}

/** int8 (and integral numeric, e.g. sum(bigint)) as a JS number; a value beyond 2^53 would lose points. */
function toSafeNumber(text: string): number {
  const value = Number(text);
  if (/^-?\d+$/.test(text) && !Number.isSafeInteger(value)) {
    throw new RangeError(`integer ${text} from PostgreSQL is beyond Number.MAX_SAFE_INTEGER`);
  }
  return value;
}

let parsersInstalled = false;

/**
 * Points, shares and ids are bigint columns; every reader wants numbers. drizzle's node-postgres session
 * falls back to pg's global parsers for these types, so the parsers are set globally (once, for this
 * package's copy of pg) rather than per pool.
 */
function installNumberParsers(): void {
  if (parsersInstalled) return;
  pg.types.setTypeParser(pg.types.builtins.INT8, toSafeNumber);
  pg.types.setTypeParser(pg.types.builtins.NUMERIC, toSafeNumber);
  parsersInstalled = true;
}

/**
 * Opens a pool to the PostgreSQL server and checks one connection, so a wrong password, a closed port or a
 * missing database is reported at start as STORAGE_UNAVAILABLE naming `host:port/database` (never the password).
 */
export async function openPostgres(options: OpenPostgresOptions): Promise<PgHandle> {
  const url = parsePgUrl(options.url);
  if (!Number.isInteger(options.poolSize) || options.poolSize < 1) {
    throw new ValidationError(
      `database.poolSize must be a positive integer (got ${options.poolSize}).`,
      'database.poolSize',
    );
  }
  installNumberParsers();
  const target = `${url.host}:${url.port}/${url.database}`;
  const location = redactUrl(options.url);
  // Every wait is bounded, so a host that dies mid-query cannot hold a request, its row locks or a shutdown
  // for TCP's ~15 minutes: the server cancels a statement after STATEMENT_TIMEOUT_MS and ends a transaction
  // left idle; the client gives up on an answer a little later (a dead host cannot cancel anything); and
  // keepalive probes start after 10 s of silence (also noticing a dead LISTEN connection).
  const clientConfig: pg.ClientConfig = {
    connectionString: options.url,
    connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    idle_in_transaction_session_timeout: STATEMENT_TIMEOUT_MS,
    query_timeout: STATEMENT_TIMEOUT_MS + 5_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    application_name: 'coachwire',
  };
  // pg-pool uses one setting for two waits: a new connection's handshake, and a request's wait for a free
  // connection. A dead host must fail fast, but a burst of requests queueing behind a busy pool is normal
  // (seen under load: bets refused after 5 s in the queue), so the queue gets the longer limit and the
  // handshake keeps the short one through the client class the pool creates.
  const handshake = clientConfig;
  class HandshakeTimedClient extends pg.Client {
    constructor(config?: pg.ClientConfig) {
      super({ ...config, connectionTimeoutMillis: handshake.connectionTimeoutMillis });
    }
  }
  const pool = new pg.Pool({
    ...clientConfig,
    connectionTimeoutMillis: Math.max(POOL_WAIT_TIMEOUT_MS, clientConfig.connectionTimeoutMillis ?? 0),
    Client: HandshakeTimedClient,
    max: options.poolSize,
  });
  // The server ending a connection (restart, failover, pg_terminate_backend) makes its client emit 'error'.
  // pg-pool listens only while the client is idle: one lent out to a transaction, between two statements, had
  // no listener, and the event killed the process. Every client gets one for its whole life; the statement
  // that uses it next fails (STORAGE_UNAVAILABLE) and the pool discards it on release.
  pool.on('connect', (client) => {
    client.on('error', (error) => {
      options.logger?.warn(
        { database: location, reason: pgStorageUnavailable(target, 'use', error, url.password).message },
        'PostgreSQL connection lost; the pool replaces it',
      );
    });
  });
  // The pool re-emits an idle client's error here, already logged above; without a listener it would throw.
  pool.on('error', () => undefined);
  // The check uses a client of its own rather than the pool's: when pg fails a handshake on its side (a server
  // asking for a password the URL does not hold), the pool forgets the client but leaves its socket open, and
  // the process would wait for the server's authentication_timeout. end() on a client closes its socket.
  const check = new HandshakeTimedClient(clientConfig);
  try {
    await check.connect();
  } catch (error) {
    await check.end().catch(() => undefined);
    await pool.end().catch(() => undefined);
    throw pgStorageUnavailable(target, 'connect to', error, url.password);
  }
  await check.end();
  const db = drizzle(pool, { schema: pgSchema });
  let closed: Promise<void> | undefined;
  return {
    pool,
    db,
    location,
    target,
    logger: options.logger,
    toError(action, error, conflictMessage) {
      return toPgCoachwireError(target, action, error, { conflictMessage, password: url.password });
    },
    newClient(overrides = {}) {
      const client = new pg.Client({ ...clientConfig, ...overrides });
      // As for the pool's clients: the server ending the connection between two statements (a migration's,
      // say) must not kill the process. The owner's next query fails with it; the LISTEN client logs its own.
      client.on('error', () => undefined);
      return client;
    },
    close() {
      closed ??= pool.end();
      return closed;
    },
  };
}
