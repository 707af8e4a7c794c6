// A/B of the per-request parts the API adds to Fastify: each variant is a Fastify app with one route
// answering a constant string, plus one part configured as the API does it (or an alternative).
// Each variant is a child process loaded by autocannon like the API bench; the figure is the server's CPU
// time per answered request, medians of rounds run in alternating order.
// Run: `node bench/components.bench.mjs` (BENCH_SECONDS per round, default 3; BENCH_ROUNDS, default 5;
// BENCH_VARIANTS, comma-separated names, always including bare). `node bench/components.bench.mjs NAME PORT`
// serves one variant on PORT (api.bench.mjs runs 'standard parts' that way, beside the API); its route
// answers a body of `?size=` bytes, as bare-server.mjs does.
// The API today is 'cors static joined' (its read origin a function, so answers vary by Origin; write
// routes and write preflights override the origin per route; see plugins/cors.ts) + 'logger child' +
// 'prom labels object'; the others are the alternatives weighed for issue 12.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createLogger } from '@coachwire/config';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import autocannon from 'autocannon';
import Fastify, { LogController } from 'fastify';
import pino from 'pino';
import { Counter, Histogram, Registry } from 'prom-client';
import { KEEP_TICK_OBJECTS_FLAGS } from './bench-support.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const EXPOSED = [
  'ETag',
  'X-Request-Id',
  'Retry-After',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
];
const ALLOWED = ['Authorization', 'Content-Type', 'If-None-Match', 'Last-Event-ID', 'X-Request-Id'];
const METHODS = ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE', 'OPTIONS'];
const BODY = JSON.stringify({ plan: 'x'.repeat(240) });
const bodies = new Map();
/** A JSON body of `size` bytes (the API answer's size), kept once built. */
const bodyOfSize = (size) => {
  let body = bodies.get(size);
  if (body === undefined) {
    body = JSON.stringify({ plan: 'x'.repeat(Math.max(0, size - '{"plan":""}'.length)) });
    bodies.set(size, body);
  }
  return body;
};

const corsRead = { methods: METHODS, allowedHeaders: ALLOWED, exposedHeaders: EXPOSED, origin: '*' };
const corsWrite = { ...corsRead, origin: false };
const joined = (options) => ({
  ...options,
  methods: options.methods.join(', '),
  allowedHeaders: options.allowedHeaders.join(', '),
  exposedHeaders: options.exposedHeaders.join(', '),
});
const READ = new Set(['GET', 'HEAD']);
const delegatorOf = (read, write) => (request, callback) => {
  const preflight = request.headers['access-control-request-method'];
  const method = request.method === 'OPTIONS' && typeof preflight === 'string' ? preflight : request.method;
  callback(null, READ.has(method.toUpperCase()) ? read : write);
};

function metrics() {
  const registry = new Registry();
  const labelNames = ['method', 'route', 'status'];
  const counter = new Counter({ name: 'c', help: 'c', labelNames, registers: [registry] });
  const histogram = new Histogram({ name: 'h', help: 'h', labelNames, registers: [registry] });
  return { counter, histogram };
}

// The API's logger (its redaction paths included) and a plain pino, to see what redaction adds to a child.
const logger = createLogger({ config: { level: 'warn', file: '' }, name: 'api', stdout: false });
const plainLogger = pino({ level: 'warn' }, { write() {} });

const variants = {
  bare: () => {},
  'cors static': (app) => app.register(cors, corsRead),
  'cors static joined': (app) => app.register(cors, joined(corsRead)),
  'cors delegator': (app) => app.register(cors, { delegator: delegatorOf(corsRead, corsWrite) }),
  'cors delegator joined': (app) =>
    app.register(cors, { delegator: delegatorOf(joined(corsRead), joined(corsWrite)) }),
  'logger child': { loggerInstance: logger },
  'logger child without redaction': { loggerInstance: plainLogger },
  'logger without child': { loggerInstance: logger, childLoggerFactory: (parent) => parent },
  // Fastify passes `{}` as the child's options when a route sets no log level or serializers; pino builds a
  // child without options on a shorter path.
  'logger child without options': {
    loggerInstance: logger,
    childLoggerFactory: (parent, bindings, options) =>
      options.level === undefined && options.serializers === undefined
        ? parent.child(bindings)
        : parent.child(bindings, options),
  },
  'rate-limit': (app) => app.register(rateLimit, { global: true, max: 1_000_000, timeWindow: 60_000 }),
  'under-pressure': (app) => app.register(underPressure, { maxEventLoopDelay: 1000, retryAfter: 5 }),
  // Every standard part each API request passes through, configured as the API configures them under the
  // API bench's configuration (API keys set, so the rate limit's key, maximum and window are functions of
  // the request), with none of the API's own code: the fastest the API could be while it keeps these parts.
  'standard parts': {
    loggerInstance: logger,
    setup: async (app) => {
      await app.register(cors, {
        ...joined(corsRead),
        origin: (origin, callback) => callback(null, origin === undefined ? false : '*'),
      });
      await app.register(underPressure, { maxEventLoopDelay: 1000, retryAfter: 5 });
      await app.register(rateLimit, {
        global: true,
        keyGenerator: (request) => `ip:${request.ip}`,
        max: () => 1_000_000_000,
        timeWindow: () => 60_000,
      });
      const { histogram } = metrics();
      app.addHook('onRequest', (request, reply, done) => {
        reply.header('x-request-id', request.id);
        done();
      });
      app.addHook('onResponse', (request, reply, done) => {
        histogram.observe(
          { method: request.method, route: request.routeOptions.url, status: String(reply.statusCode) },
          reply.elapsedTime / 1000,
        );
        done();
      });
    },
  },
  'prom labels object': (app) => {
    const { counter, histogram } = metrics();
    app.addHook('onResponse', (request, reply, done) => {
      const labels = {
        method: request.method,
        route: request.routeOptions.url,
        status: String(reply.statusCode),
      };
      counter.inc(labels);
      histogram.observe(labels, reply.elapsedTime / 1000);
      done();
    });
  },
  'prom histogram only': (app) => {
    const { histogram } = metrics();
    app.addHook('onResponse', (request, reply, done) => {
      const labels = {
        method: request.method,
        route: request.routeOptions.url,
        status: String(reply.statusCode),
      };
      histogram.observe(labels, reply.elapsedTime / 1000);
      done();
    });
  },
  'prom histogram cached child': (app) => {
    const { histogram } = metrics();
    const children = new Map();
    app.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url;
      const key = `${request.method} ${reply.statusCode} ${route}`;
      let child = children.get(key);
      if (child === undefined) {
        child = histogram.labels(request.method, route, String(reply.statusCode));
        children.set(key, child);
      }
      child.observe(reply.elapsedTime / 1000);
      done();
    });
  },
  'prom cached children': (app) => {
    const { counter, histogram } = metrics();
    const children = new Map();
    app.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url;
      const key = `${request.method} ${reply.statusCode} ${route}`;
      let child = children.get(key);
      if (child === undefined) {
        const labels = [request.method, route, String(reply.statusCode)];
        child = { requests: counter.labels(...labels), durations: histogram.labels(...labels) };
        children.set(key, child);
      }
      child.requests.inc();
      child.durations.observe(reply.elapsedTime / 1000);
      done();
    });
  },
};

async function build(name) {
  const variant = variants[name];
  if (variant === undefined) throw new Error(`No variant ${name}: ${Object.keys(variants).join(', ')}.`);
  const { setup, ...options } = typeof variant === 'function' ? { setup: variant } : variant;
  const app = Fastify(
    Object.keys(options).length > 0
      ? { ...options, logController: new LogController({ disableRequestLogging: true }) }
      : {},
  );
  await setup?.(app);
  app.get('/plan', async (request, reply) => {
    const size = Number(request.query.size);
    return reply
      .type('application/json; charset=utf-8')
      .send(Number.isInteger(size) && size > 0 ? bodyOfSize(size) : BODY);
  });
  return app;
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function startVariant(name) {
  const child = spawn(process.execPath, [...KEEP_TICK_OBJECTS_FLAGS, fileURLToPath(import.meta.url), name], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise((resolve) => child.stdout.once('data', (chunk) => resolve(Number(chunk))));
  return { name, child, url: `http://127.0.0.1:${port}/plan?coach=d` };
}

async function round(server, seconds) {
  const before = cpuSeconds(server.child.pid);
  const result = await autocannon({ url: server.url, connections: 32, duration: seconds });
  return ((cpuSeconds(server.child.pid) - before) * 1e6) / result.requests.total;
}

if (process.argv[2] !== undefined) {
  const app = await build(process.argv[2]);
  await app.listen({ host: '127.0.0.1', port: Number(process.argv[3] ?? 0) });
  process.stdout.write(String(app.server.address().port));
  process.once('SIGTERM', () => app.close().then(() => process.exit(0)));
} else {
  const names = (process.env.BENCH_VARIANTS ?? Object.keys(variants).join(',')).split(',');
  const unknown = names.filter((name) => variants[name] === undefined);
  if (unknown.length > 0) {
    console.error(
      `BENCH_VARIANTS: no variant ${unknown.join(', ')}. Fix: use some of ${Object.keys(variants).join(', ')}.`,
    );
    process.exit(1);
  }
  const servers = await Promise.all(names.map(startVariant));
  try {
    for (const server of servers) await round(server, 1); // warm up
    const results = Object.fromEntries(names.map((name) => [name, []]));
    for (let index = 0; index < ROUNDS; index++) {
      for (const server of index % 2 === 0 ? servers : [...servers].reverse())
        results[server.name].push(await round(server, SECONDS));
    }
    const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const bare = median(results.bare);
    console.table(
      names.map((name) => ({
        variant: name,
        cpu_us_per_request: median(results[name]).toFixed(1),
        added_us: (median(results[name]) - bare).toFixed(1),
        runs: results[name].map((value) => value.toFixed(1)).join(' '),
      })),
    );
  } finally {
    for (const server of servers) server.child.kill('SIGTERM');
  }
}
