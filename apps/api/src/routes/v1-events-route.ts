import type { OutgoingHttpHeaders } from 'node:http';
import { ValidationError } from '@coachwire/core';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { parseEventFilter } from '../events/event-filter.js';
import { ReplayScheduler } from '../events/replay-scheduler.js';
import type { StreamRefusal } from '../events/sse-hub.js';
import { SseStream } from '../events/sse-stream.js';
import { clientKeyOf } from '../http/client-key.js';
import { HttpError } from '../http/http-errors.js';
import { commonErrorResponses } from '../schemas/error-schema.js';

const EVENT_ID = /^\d{1,15}$/;

function parseLastEventId(value: string | undefined): number | null {
  if (value === undefined || value.trim() === '') return null;
  if (!EVENT_ID.test(value.trim())) {
    throw new ValidationError(
      'Last-Event-ID must be the id of an event this stream sent (digits only).',
      'last_event_id',
    );
  }
  return Number(value.trim());
}

/** Replay batches (100 events each) run per turn of the event loop, across all streams. */
const REPLAY_STEPS_PER_TURN = 4;

const STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
} as const;

/**
 * `GET /api/v1/events`: plan changes as server-sent events, with Last-Event-ID replay. `HEAD` answers the
 * same status and headers at once, opens no stream and holds no stream slot.
 */
export const v1EventsRoute: FastifyPluginAsyncTypebox = async (app) => {
  const { sseHub, eventLog, coachwireConfig } = app;
  const {
    max_sse_streams: maxStreams,
    max_sse_streams_per_client: maxPerClient,
    event_replay_max: replayMax,
  } = coachwireConfig.api;
  const tooManyStreams = (refusal: StreamRefusal) =>
    refusal === 'full'
      ? new HttpError(
          503,
          'SERVICE_UNAVAILABLE',
          `Too many event streams are open (at most ${maxStreams}). Retry later.`,
          { 'retry-after': '5' },
        )
      : new HttpError(
          429,
          'RATE_LIMITED',
          `This client has ${maxPerClient} event streams open, the most one client may (an API key, else an ` +
            'address). Close one first.',
          { 'retry-after': '5' },
        );
  // A few replay steps per turn of the event loop, whatever the number of replays (see ReplayScheduler).
  const scheduler = new ReplayScheduler(REPLAY_STEPS_PER_TURN);
  const querystring = Type.Object({
    last_event_id: Type.Optional(Type.String({ maxLength: 32 })),
    types: Type.Optional(
      Type.String({
        maxLength: 1000,
        description:
          'Comma-separated event types or domain wildcards: `market.traded`, `market.*`, `points.*`, `*`. ' +
          'Without `types` and `market_id` the stream carries plan events only, as it always did.',
      }),
    ),
    market_id: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: Number.MAX_SAFE_INTEGER,
        description: "Only this market's events (market events by default).",
      }),
    ),
  });
  const headers = Type.Object({ 'last-event-id': Type.Optional(Type.String({ maxLength: 32 })) });

  app.get(
    '/events',
    {
      // The HEAD below answers without opening a stream.
      exposeHeadRoute: false,
      schema: {
        tags: ['events'],
        summary: 'Plan, market and points changes as server-sent events',
        description:
          'Events `plan.created`, `plan.updated`, `plan.deleted`; with `?types=` also `market.created`, ' +
          '`market.traded`, `market.resolved`, `market.cancelled`, `market.unresolved` and `points.granted` ' +
          '(their data: `id`, `type`, `guild_id`, `market_id`, `occurred_at` and the payload in snake_case, e.g. ' +
          '`user_id`, `side`, `option_id`, `points`, `shares`, `probabilities`). Each frame has `id`, `event` and a ' +
          'JSON `data` line. Send `Last-Event-ID` (or `?last_event_id=`) to replay what happened after that id; without it ' +
          `the stream starts at the newest event. A replay sends at most ${replayMax} events (\`api.event_replay_max\`). ` +
          'When the events after the given id cannot be replayed (too many, pruned from the log, or an id the log ' +
          'never reached) the stream sends one `resync` event instead, whose data is ' +
          '`{"reason": "replay_limit" | "pruned" | "unknown_event_id", "latest_event_id": N}` and whose id is N: ' +
          'reload your state as on a first connection; the stream then goes on live after N. ' +
          `A \`: ping\` comment comes every ${coachwireConfig.api.sse_heartbeat_seconds} s. ` +
          `At most ${maxStreams} streams are open at once (503 past that) and ${maxPerClient} of one client, an ` +
          'API key or else an address (429); a stream that falls about 1 MB behind, or that more live events ' +
          'than a replay would send reach while it replays, is closed: reconnect with `Last-Event-ID`. ' +
          '`HEAD` answers the same headers without opening a stream.',
        querystring,
        headers,
        // Only the stream itself is text/event-stream: a refusal is JSON, as on every route.
        response: {
          200: {
            description: 'A text/event-stream that stays open.',
            content: { 'text/event-stream': { schema: Type.String() } },
          },
          ...commonErrorResponses,
        },
      },
    },
    async (request, reply) => {
      const lastEventId = parseLastEventId(request.headers['last-event-id'] ?? request.query.last_event_id);
      const filter = parseEventFilter(request.query.types, request.query.market_id);
      const client = clientKeyOf(request);
      const refusal = sseHub.tryReserve(client);
      if (refusal !== undefined) throw tooManyStreams(refusal);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        ...(reply.getHeaders() as OutgoingHttpHeaders),
        ...STREAM_HEADERS,
        connection: 'keep-alive',
      });
      raw.write(': connected\n\n');
      // Live events held during a replay are bounded like the replay itself.
      const stream = new SseStream(raw, filter, replayMax);
      sseHub.add(stream, client, (listener) => raw.once('close', listener));
      request.log.info({ last_event_id: lastEventId, open_streams: sseHub.size }, 'event stream opened');
      raw.once('close', () => request.log.info({ open_streams: sseHub.size }, 'event stream closed'));
      try {
        await stream.catchUp(eventLog, { lastEventId, replayMax, scheduler });
      } catch (error) {
        request.log.error({ err: error }, 'event stream replay failed');
        stream.end();
      }
    },
  );

  app.route({
    method: 'HEAD',
    url: '/events',
    schema: { hide: true, querystring, headers },
    handler: async (request, reply) => {
      parseLastEventId(request.headers['last-event-id'] ?? request.query.last_event_id);
      parseEventFilter(request.query.types, request.query.market_id);
      const refusal = sseHub.refusal(clientKeyOf(request));
      if (refusal !== undefined) throw tooManyStreams(refusal);
      return reply.code(200).headers(STREAM_HEADERS).send();
    },
  });
};
