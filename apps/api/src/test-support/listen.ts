import type { FastifyInstance } from 'fastify';

/** The port tests listen on: 0 (any free port) unless COACHWIRE_TEST_PORT confines them to a given one. */
const LISTEN_PORT = Number(process.env.COACHWIRE_TEST_PORT ?? 0);

/** Makes `app` listen on 127.0.0.1 and answers its base URL, e.g. `http://127.0.0.1:41234`. */
export async function listenOnLoopback(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: LISTEN_PORT });
  const address = app.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}
