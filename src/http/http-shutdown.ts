import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/**
 * On shutdown, closes connections that never carried a request. Node's server.close() ends idle
 * keep-alive connections, but not one that was opened and never used (browsers and HTTP clients
 * open such spare connections ahead of time): the server would wait for it until headersTimeout,
 * a minute by default, before the process could stop.
 */
export function closeUnusedConnectionsOnShutdown(fastify: FastifyInstance): void {
  const unused = new Set<Socket>();
  fastify.server.on('connection', (socket: Socket) => {
    unused.add(socket);
    socket.once('close', () => unused.delete(socket));
  });
  fastify.server.on('request', (request: { socket: Socket }) => unused.delete(request.socket));
  fastify.addHook('preClose', (done) => {
    for (const socket of unused) socket.destroy();
    done();
  });
}
