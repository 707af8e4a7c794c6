// Child process for client.bench.mjs: answers every request with the same legacy plan JSON.
import { createServer } from 'node:http';

const body = JSON.stringify({
  plan: 'Long above 5000, stop 4950, targets 5050 / 5100',
  charts: ['http://127.0.0.1/charts/1.png', 'http://127.0.0.1/charts/2.png'],
  author: 'alice',
  created_at: '2026-11-20T08:00:00Z',
  edited_at: null,
  channel: 'coach-d-plans',
});

const server = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(body);
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  process.send?.({ baseUrl: `http://127.0.0.1:${server.address().port}` });
});
process.on('disconnect', () => process.exit(0));
