import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '@coachwire/api';
import { type CoachwireConfig, createLogger, loadConfig } from '@coachwire/config';
import type { Actor, Clock, PlanService } from '@coachwire/core';
import { openCoachwire } from '@coachwire/runtime';
import { type CoachwireDatabase, type CoachwireStore, sqliteDatabaseOf } from '@coachwire/storage';
import { request } from 'undici';

/** The key TradingAgents would hold; the API only knows its SHA-256. */
export const TRADINGAGENTS_KEY = 'cw_contract_tradingagents_key_5d1e';
export const ALICE: Actor = { id: '111111111111111111', name: 'alice' };
/** "Today" for the API and the bot: 2026-11-20 in New York. */
export const TODAY = '2026-11-20';
const fixedClock: Clock = { now: () => Date.parse('2026-11-20T15:00:00Z') };

/** One answer the API sent, with its final status. */
export interface ServedResponse {
  method: string;
  url: string;
  status: number;
  ifNoneMatch: string | undefined;
  requestId: string | undefined;
}

/** The real API app listening on 127.0.0.1, over a real SQLite file, plus the bot's own connection. */
export interface RealApi {
  baseUrl: string;
  app: Awaited<ReturnType<typeof buildApp>>;
  config: CoachwireConfig;
  /** The bot's PlanService over a second connection to the same file. */
  bot: PlanService;
  /** The bot runtime's store, as the bot process writes through it. */
  botStore: CoachwireStore;
  /** The bot runtime's SQLite connection, for tests that count rows directly. */
  botDatabase: CoachwireDatabase;
  /** Every response the server sent, in order. */
  served: ServedResponse[];
  /** Served responses whose URL is exactly `url`. */
  /** The answers to `url` so far, once each has been sent in full. */
  servedFor(url: string): Promise<ServedResponse[]>;
  /** What the server answers to a plain GET, parsed, for comparing with what the client returns. */
  getJson(path: string): Promise<{ status: number; body: unknown }>;
  /**
   * Resolves once the API has seen every change the bot wrote so far. The API drops its response cache
   * when its event poller sees a change (every 50 ms here), so a bot write is visible after that.
   */
  changesSeen(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the API app over a runtime built by openCoachwire, as the API process builds it. */
export async function startRealApi(options: { keyedReads?: boolean } = {}): Promise<RealApi> {
  const dir = mkdtempSync(join(tmpdir(), 'coachwire-client-contract-'));
  const dbPath = join(dir, 'plans.db');
  const config = loadConfig({
    env: {},
    argv: [],
    cwd: dir,
    overrides: {
      database: { path: dbPath },
      logging: { level: 'silent', file: '' },
      api: {
        // A test worker stalled by the rest of the suite is not an overloaded server: no load shedding.
        max_event_loop_delay_ms: 0,
        require_key_for_reads: options.keyedReads === true,
        keys: [
          { name: 'tradingagents', sha256: createHash('sha256').update(TRADINGAGENTS_KEY).digest('hex') },
        ],
      },
      charts: { public_base_url: 'https://plans.example.test' },
      rate_limits: {
        api_per_ip: { max: 100_000, window_seconds: 60 },
        api_per_key: { max: 100_000, window_seconds: 60 },
      },
    },
  });
  // A silent pino logger, as the API's own tests use.
  const logger = createLogger({ config: config.logging, name: 'api' });
  const coachwire = await openCoachwire(config, { clock: fixedClock, logger, reportSlowCalls: true });
  // The bot's runtime: a second connection to the same file, configured alike.
  const botRuntime = await openCoachwire(config, { clock: fixedClock, logger });
  const bot = botRuntime.services.plans;
  const botStore = botRuntime.store;
  const botDatabase = sqliteDatabaseOf(botStore);
  const app = await buildApp({ config, coachwire, eventPollIntervalMs: 50 });
  const served: ServedResponse[] = [];
  const finished = new Map<ServedResponse, Promise<void>>();
  const finishers = new WeakMap<object, { entry: ServedResponse; finish: () => void }>();
  // Recorded when the request arrives (so it is listed before the client can have the answer) and completed
  // in onResponse, which sees the final status: route-level hooks such as the API's 304 run after app-level ones.
  app.addHook('onRequest', async (req) => {
    const ifNoneMatch = req.headers['if-none-match'];
    const entry: ServedResponse = {
      method: req.method,
      url: req.url,
      status: 0,
      ifNoneMatch: typeof ifNoneMatch === 'string' ? ifNoneMatch : undefined,
      // The API echoes its request id as X-Request-Id; it is fixed once the request arrives.
      requestId: req.id,
    };
    let finish = () => {};
    finished.set(entry, new Promise<void>((resolve) => (finish = resolve)));
    finishers.set(req, { entry, finish });
    served.push(entry);
  });
  app.addHook('onResponse', async (req, reply) => {
    const recorded = finishers.get(req);
    if (!recorded) return;
    recorded.entry.status = reply.statusCode;
    recorded.finish();
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    app,
    config,
    bot,
    botStore,
    botDatabase,
    served,
    servedFor: async (url) => {
      const matching = served.filter((response) => response.url === url);
      await Promise.all(matching.map((response) => finished.get(response)));
      return matching;
    },
    async getJson(path) {
      const response = await request(baseUrl + path, { headers: { accept: 'application/json' } });
      return { status: response.statusCode, body: await response.body.json() };
    },
    async changesSeen() {
      // A poll already running may have read before the write; the second one starts after it.
      await app.eventPoller.pollNow();
      await app.eventPoller.pollNow();
    },
    async close() {
      await app.close();
      await coachwire.close();
      await botRuntime.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
