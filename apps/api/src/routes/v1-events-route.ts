import type { OutgoingHttpHeaders } from 'node:http';
import { ValidationError } from '@coachwire/core';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { SseStream } from '../events/sse-stream.js';
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

/** `GET /api/v1/events`: plan changes as server-sent events, with Last-Event-ID replay. */
export const v1EventsRoute: FastifyPluginAsyncTypebox = async (app) => {
  const { sseHub, storage, coachwireConfig } = app;

  app.get(
    '/events',
    {
      schema: {
        tags: ['events'],
        summary: 'Plan changes as server-sent events',
        description:
          'Events `plan.created`, `plan.updated`, `plan.deleted`; each frame has `id`, `event` and a JSON `data` ' +
          'line. Send `Last-Event-ID` (or `?last_event_id=`) to replay what happened after that id; without it ' +
          `the stream starts at the newest event. A \`: ping\` comment comes every ${coachwireConfig.api.sse_heartbeat_seconds} s.`,
        querystring: Type.Object({ last_event_id: Type.Optional(Type.String({ maxLength: 32 })) }),
        headers: Type.Object({ 'last-event-id': Type.Optional(Type.String({ maxLength: 32 })) }),
        produces: ['text/event-stream'],
        response: {
          200: Type.String({ description: 'A text/event-stream that stays open.' }),
          ...commonErrorResponses,
        },
      },
    },
    async (request, reply) => {
      const lastEventId = parseLastEventId(request.headers['last-event-id'] ?? request.query.last_event_id);
      if (!sseHub.tryReserve()) {
        throw new HttpError(
          503,
          'SERVICE_UNAVAILABLE',
          `Too many event streams are open (at most ${coachwireConfig.api.max_sse_streams}). Retry later.`,
          { 'retry-after': '5' },
        );
      }
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        ...(reply.getHeaders() as OutgoingHttpHeaders),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      raw.write(': connected\n\n');
      const stream = new SseStream(raw);
      sseHub.add(stream, (listener) => raw.once('close', listener));
      request.log.info({ last_event_id: lastEventId, open_streams: sseHub.size }, 'event stream opened');
      raw.once('close', () => request.log.info({ open_streams: sseHub.size }, 'event stream closed'));
      try {
        await stream.catchUp(storage.repository, lastEventId);
      } catch (error) {
        request.log.error({ err: error }, 'event stream replay failed');
        stream.end();
      }
    },
  );
};
