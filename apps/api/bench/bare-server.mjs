// The baseline: a bare Fastify server answering a constant JSON body of the requested size, no plugins.
import Fastify from 'fastify';

const port = Number(process.argv[2]);
const bodies = new Map();
const bodyOfSize = (size) => {
  let body = bodies.get(size);
  if (!body) {
    const filler = 'x'.repeat(Math.max(0, size - '{"plan":""}'.length));
    body = { plan: filler };
    bodies.set(size, body);
  }
  return body;
};

const app = Fastify({ logger: false });
app.get(
  '/',
  {
    schema: {
      querystring: { type: 'object', properties: { size: { type: 'integer' } } },
      response: { 200: { type: 'object', properties: { plan: { type: 'string' } } } },
    },
  },
  async (request) => bodyOfSize(request.query.size ?? 200),
);
await app.listen({ host: '127.0.0.1', port });
process.stdout.write('ready\n');
process.once('SIGTERM', () => app.close().then(() => process.exit(0)));
