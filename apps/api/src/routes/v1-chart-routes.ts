import { NotFoundError } from '@coachwire/core';
import { type ArchivedChartRecord, isSha256 } from '@coachwire/storage';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { parseByteRange } from '../http/byte-range.js';
import { matchesIfNoneMatch } from '../http/etag.js';
import { notModifiedResponse } from '../plugins/documented-responses.js';
import { commonErrorResponses } from '../schemas/error-schema.js';

const ChartIdParams = Type.Object({ id: Type.Integer({ minimum: 1, description: 'Chart id.' }) });
const ChartHashParams = Type.Object({
  sha256: Type.String({ pattern: '^[0-9a-fA-F]{64}$', description: 'SHA-256 of the image, hex.' }),
});
const binary = {
  description: 'The image bytes (206 with Content-Range for a Range request).',
  content: { 'image/*': { schema: { type: 'string', format: 'binary' } } },
};
const responses = {
  200: binary,
  206: binary,
  304: notModifiedResponse,
  404: Type.Ref('ErrorResponse'),
  416: Type.Ref('ErrorResponse', { description: 'The Range asks for bytes the image does not have.' }),
};

/** A year: a chart's bytes never change under its URL. Private when reads need a key, so shared caches keep none. */
const cacheControl = (keyedReads: boolean) =>
  `${keyedReads ? 'private' : 'public'}, max-age=31536000, immutable`;

/** Archived chart images: stable URLs that outlive Discord's expiring attachment links. */
export const v1ChartRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { storage, chartStore } = app;
  const CACHE_CONTROL = cacheControl(app.coachwireConfig.api.require_key_for_reads);

  const serve = async (request: FastifyRequest, reply: FastifyReply, chart: ArchivedChartRecord | null) => {
    if (chart?.archiveStatus !== 'archived' || !chart.sha256 || !chart.planLive) {
      throw new NotFoundError(
        'No archived chart here. Its plan may be deleted, or the chart not archived yet.',
      );
    }
    const stored = await chartStore.stat(chart.sha256);
    if (!stored) {
      request.log.error({ chartId: chart.id, sha256: chart.sha256 }, 'archived chart file is missing');
      throw new NotFoundError('The chart file is missing from the archive.');
    }
    const etag = `"${chart.sha256}"`;
    reply
      .header('etag', etag)
      .header('cache-control', CACHE_CONTROL)
      .header('accept-ranges', 'bytes')
      .header('content-type', chart.contentType ?? 'application/octet-stream')
      .header('x-content-type-options', 'nosniff');
    if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) return reply.code(304).send();
    const range = parseByteRange(request.headers.range, stored.size);
    if (range === 'unsatisfiable') {
      // Not the image: no ETag, and no year in a cache (one keyed on the URL alone would serve it for the chart).
      reply.removeHeader('etag');
      return reply
        .code(416)
        .header('cache-control', 'no-store')
        .header('content-range', `bytes */${stored.size}`)
        .header('content-type', 'application/json; charset=utf-8')
        .send({
          error: 'Range Not Satisfiable',
          message: `The chart has ${stored.size} bytes.`,
          code: 'VALIDATION',
          request_id: request.id,
        });
    }
    if (range) {
      reply
        .code(206)
        .header('content-range', `bytes ${range.start}-${range.end}/${stored.size}`)
        .header('content-length', range.end - range.start + 1);
      return reply.send(chartStore.read(chart.sha256, range));
    }
    reply.header('content-length', stored.size);
    return reply.send(chartStore.read(chart.sha256));
  };

  app.get(
    '/charts/:id',
    {
      schema: {
        tags: ['charts'],
        summary: 'An archived chart image by chart id (ETag = its SHA-256, Range supported)',
        params: ChartIdParams,
        response: { ...responses, ...commonErrorResponses },
      },
    },
    async (request, reply) => serve(request, reply, await storage.charts.get(request.params.id)),
  );

  app.get(
    '/charts/by-hash/:sha256',
    {
      schema: {
        tags: ['charts'],
        summary: 'An archived chart image by the SHA-256 of its bytes',
        params: ChartHashParams,
        response: { ...responses, ...commonErrorResponses },
      },
    },
    async (request, reply) => {
      const sha256 = request.params.sha256.toLowerCase();
      return serve(request, reply, isSha256(sha256) ? await storage.charts.getByHash(sha256) : null);
    },
  );
};
