import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CoachwireConfig, type DeepPartial, loadConfig } from '@coachwire/config';
import type { Actor, Clock, PlanService } from '@coachwire/core';
import { type Coachwire, openCoachwire } from '@coachwire/runtime';
import {
  type BotStatusPort,
  type CoachwireDatabase,
  type CoachwireStore,
  sqliteDatabaseOf,
} from '@coachwire/storage';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { buildApp } from '../app.js';
import { openTestDatabase, type TestBackend } from './test-backend.js';

/**
 * A real API over a real database, plus a second connection acting as the bot: a SQLite file in a temp dir,
 * or a fresh PostgreSQL database when COACHWIRE_TEST_BACKEND=postgres (the `api-postgres` vitest project).
 */
export interface ApiFixture {
  readonly app: FastifyInstance;
  readonly config: CoachwireConfig;
  /** The database the fixture runs on. */
  readonly backend: TestBackend;
  readonly dir: string;
  /** The SQLite file (unused on PostgreSQL). */
  readonly dbPath: string;
  /** The app's runtime (built by openCoachwire, as the API process builds it). */
  readonly coachwire: Coachwire;
  /** The app's own SQLite connection, for tests that look inside the file (throws on PostgreSQL). */
  readonly database: CoachwireDatabase;
  /** A second runtime over the same database with its own PlanService: writes as the bot process would. */
  readonly bot: {
    readonly store: CoachwireStore;
    /** The bot's SQLite connection, for tests that seed or inspect rows directly (throws on PostgreSQL). */
    readonly database: CoachwireDatabase;
    readonly plans: PlanService;
    readonly status: BotStatusPort;
  };
  close(): Promise<void>;
}

/** The SHA-256 (hex) of `key`, as `api.keys[].sha256` holds it. */
export function sha256Hex(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Two integrations with keys; tests send `Authorization: Bearer <key>`. */
export const TRADER_KEY = 'cw_test_trader_key_7f3a9c';
export const REPORTER_KEY = 'cw_test_reporter_key_2b8e1d';
export const API_KEYS = [
  { name: 'trader', sha256: sha256Hex(TRADER_KEY) },
  { name: 'reporter', sha256: sha256Hex(REPORTER_KEY) },
];

export const DISCORD_ALICE: Actor = { id: '111111111111111111', name: 'alice' };
export const DISCORD_BOB: Actor = { id: '222222222222222222', name: 'bob' };

/** A fixed clock: "today" is 2026-11-20 in New York. */
export const FIXED_CLOCK: Clock = { now: () => Date.parse('2026-11-20T15:00:00Z') };
export const TODAY = '2026-11-20';

export interface FixtureOptions {
  readonly overrides?: DeepPartial<CoachwireConfig>;
  readonly logger?: pino.Logger;
  readonly clock?: Clock;
}

/** Builds a migrated database and an app over it (not listening: use app.inject, or app.listen for SSE). */
export async function createApiFixture(options: FixtureOptions = {}): Promise<ApiFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'coachwire-api-'));
  const dbPath = join(dir, 'plans.db');
  const testDatabase = await openTestDatabase();
  const config = loadConfig({
    env: {},
    argv: [],
    cwd: dir,
    overrides: {
      database: { path: dbPath, url: testDatabase.url },
      logging: { level: 'silent', file: '' },
      ...options.overrides,
      // A test worker stalled by the rest of the suite is not an overloaded server: no load shedding here.
      api: { keys: API_KEYS, max_event_loop_delay_ms: 0, ...options.overrides?.api },
    },
  });
  const clock = options.clock ?? FIXED_CLOCK;
  const logger = options.logger ?? pino({ level: 'silent' });
  const coachwire = await openCoachwire(config, { clock, logger, reportSlowCalls: true });
  const botRuntime = await openCoachwire(config, { clock, logger: pino({ level: 'silent' }) });
  const app = await buildApp({ config, coachwire, logger, eventPollIntervalMs: 50 });
  await app.ready();
  return {
    app,
    config,
    backend: testDatabase.backend,
    dir,
    dbPath,
    coachwire,
    // Getters: only a test that looks inside the SQLite file asks, and on PostgreSQL it gets a clear error.
    get database() {
      return sqliteDatabaseOf(coachwire.store);
    },
    bot: {
      store: botRuntime.store,
      get database() {
        return sqliteDatabaseOf(botRuntime.store);
      },
      plans: botRuntime.services.plans,
      status: botRuntime.repositories.botStatus,
    },
    async close() {
      await app.close();
      await coachwire.close();
      await botRuntime.close();
      await testDatabase.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
