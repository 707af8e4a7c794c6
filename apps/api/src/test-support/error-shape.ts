import { expect } from 'vitest';

const ERROR_KEYS = ['code', 'error', 'message', 'request_id'];

/**
 * The documented error shape: exactly {error, message, code, request_id} (plus error_id on 5xx, field on
 * VALIDATION), request_id echoing X-Request-Id, and nothing of the request's path echoed back.
 */
export function expectErrorShape(
  label: string,
  status: number,
  headers: Record<string, unknown>,
  text: string,
  path: string,
) {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`${label}: ${status} answered a body that is not JSON: ${text.slice(0, 200)}`);
  }
  // Optional extras: field (VALIDATION), error_id (5xx), balance/required (INSUFFICIENT_BALANCE), quote.
  const extras = ['field', 'error_id', 'balance', 'required', 'quote'];
  const keys = Object.keys(json).filter((key) => !extras.includes(key));
  expect(keys.sort(), label).toStrictEqual(ERROR_KEYS);
  for (const key of ERROR_KEYS) expect(typeof json[key], `${label} ${key}`).toBe('string');
  expect(json.request_id, label).toBe(headers['x-request-id']);
  for (const part of path.split(/[/?&=]/)) {
    if (part.length >= 24) expect(text, `${label} echoes its path`).not.toContain(part);
  }
}
