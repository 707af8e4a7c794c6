import { createHash } from 'node:crypto';
import { type RequestContext, ValidationError } from '@coachwire/core';
import type { FastifyReply, FastifyRequest } from 'fastify';

const IDEMPOTENCY_KEY = /^[\x20-\x7e]{1,255}$/;

/**
 * Reads the required `Idempotency-Key` header (1–255 printable ASCII) and scopes it to the API key that sent
 * it, as Stripe scopes keys to an account: two integrations, or an integration and a Discord interaction id,
 * never share a key by accident. The ledger keeps the hash (its keys are at most 200 visible characters).
 * When the ledger answers from the key's stored result, a success or a refusal, the reply says so with
 * `Idempotent-Replayed: true`.
 */
export function idempotentRequest(
  request: FastifyRequest,
  reply: FastifyReply,
  guildId: string,
): RequestContext {
  const header = request.headers['idempotency-key'];
  const key = Array.isArray(header) ? header[0] : header;
  if (key === undefined || key === '') {
    throw new ValidationError(
      'This request changes state and needs an Idempotency-Key header (1 to 255 printable ASCII characters, ' +
        'e.g. a UUID). Send the same key again to retry it safely.',
      'idempotency-key',
    );
  }
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new ValidationError(
      'An Idempotency-Key is 1 to 255 printable ASCII characters.',
      'idempotency-key',
    );
  }
  const owner = request.credential.kind === 'key' ? request.credential.name : '';
  const digest = createHash('sha256').update(`${owner}\n${key}`).digest('base64url');
  return {
    guildId,
    idempotencyKey: `api:${digest}`,
    onReplay: () => {
      reply.header('idempotent-replayed', 'true');
    },
  };
}
