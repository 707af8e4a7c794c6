import { type AddressInfo, connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, createApiFixture } from '../test-support/api-fixture.js';
import { type RawResponse, sendRaw } from '../test-support/raw-http.js';

const SHAPE = ['code', 'error', 'message', 'request_id'];

function expectErrorShape(response: RawResponse | null, status: number): Record<string, string> {
  expect(response).not.toBeNull();
  expect(response!.status).toBe(status);
  expect(response!.headers['content-type']).toMatch(/^application\/json/);
  const body = JSON.parse(response!.body) as Record<string, string>;
  expect(Object.keys(body).sort()).toStrictEqual(SHAPE);
  expect(body.request_id).toBe(response!.headers['x-request-id']);
  return body;
}

describe('errors raised before a route runs keep the error shape', () => {
  let fixture: ApiFixture;
  let port: number;
  beforeAll(async () => {
    fixture = await createApiFixture();
    await fixture.app.listen({ host: '127.0.0.1', port: 0 });
    port = (fixture.app.server.address() as AddressInfo).port;
  });
  afterAll(() => fixture.close());

  it("answers what Node's parser refuses (a malformed request line, a bad header) in JSON", async () => {
    for (const request of [
      'GARBAGE\r\n\r\n',
      'GET / HTTP/9.9\r\nHost: x\r\n\r\n',
      'GET /api/v1/plans HTTP/1.1\r\nHost: x\r\nBad Header Name: 1\r\n\r\n',
      'GET /api/v1/plans HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n',
    ]) {
      const body = expectErrorShape(await sendRaw(port, request), 400);
      expect(body.code).toBe('BAD_REQUEST');
      expect(body.message).not.toContain('GARBAGE');
    }
  });

  it('answers oversize headers with 431 in JSON', async () => {
    const request = `GET /api/v1/plans HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`;
    expect(expectErrorShape(await sendRaw(port, request), 431).code).toBe('HEADERS_TOO_LARGE');
  });

  it('answers an HTTP/1.1 request without Host with 400 in JSON', async () => {
    const response = await sendRaw(port, 'GET /api/v1/coaches HTTP/1.1\r\nConnection: close\r\n\r\n');
    expect(expectErrorShape(response, 400).message).toContain('Host');
    const http10 = await sendRaw(port, 'GET /api/v1/coaches HTTP/1.0\r\n\r\n');
    expect(http10?.status).toBe(200);
  });

  it('maps an over-long path parameter to 414 URI_TOO_LONG without echoing the path', async () => {
    const id = 'q'.repeat(300);
    for (const url of [
      `/api/v1/plans/${id}`,
      `/api/v1/coaches/${id}/plans/2026-11-20`,
      `/api/v1/charts/${id}`,
    ]) {
      const response = await fixture.app.inject({ url, headers: { 'x-request-id': 'trace-414' } });
      expect(response.statusCode, url).toBe(414);
      expect(Object.keys(response.json()).sort()).toStrictEqual(SHAPE);
      expect(response.json()).toMatchObject({ code: 'URI_TOO_LONG', request_id: 'trace-414' });
      expect(response.headers['x-request-id']).toBe('trace-414');
      expect(response.body).not.toContain('qqqqqqqqqq');
    }
  });

  it('maps a path that does not decode to 400 without echoing it', async () => {
    const response = await fixture.app.inject({ url: '/api/v1/plans/%E0%A4%Azzsecretzz' });
    expect(response.statusCode).toBe(400);
    expect(Object.keys(response.json()).sort()).toStrictEqual(SHAPE);
    expect(response.body).not.toContain('zzsecretzz');
  });
});

describe('a request that stops arriving', () => {
  let fixture: ApiFixture;
  let port: number;
  beforeAll(async () => {
    fixture = await createApiFixture({ overrides: { api: { request_timeout_seconds: 1 } } });
    await fixture.app.listen({ host: '127.0.0.1', port: 0 });
    port = (fixture.app.server.address() as AddressInfo).port;
  });
  afterAll(() => fixture.close());

  /** Sends `head` and the first byte of a body it announces as longer, then waits (socket left open). */
  const unfinished = (head: string) =>
    new Promise<{ response: string; closed: boolean }>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port });
      let response = '';
      socket.on('data', (chunk: Buffer) => {
        response += chunk.toString();
      });
      socket.on('error', reject);
      socket.on('close', () => resolve({ response, closed: true }));
      socket.write(head);
    });

  it('gets 408 REQUEST_TIMEOUT in JSON and its connection closed, whether its body has a length or chunks', async () => {
    for (const head of [
      'POST /api/v1/plans HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
      'POST /api/v1/plans HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n',
    ]) {
      const { response, closed } = await unfinished(head);
      expect(closed).toBe(true);
      expect(response).toMatch(/^HTTP\/1\.1 408 /);
      expect(JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4)).code).toBe('REQUEST_TIMEOUT');
    }
  });
});
