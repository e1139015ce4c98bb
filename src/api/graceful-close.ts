// Closing without dropping what was accepted: once close begins, new requests
// (on connections that are still open) get 503 ServiceUnavailable with
// `Connection: close`; the requests in flight finish and their answers say
// `Connection: close` too, so no keep-alive client writes into a socket about to
// go; idle connections are closed as they become idle; after `drainMs` whatever
// is left is cut (a bound, so a stuck client cannot hold the process).
import type { Socket } from 'node:net';
import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { SERVICE_UNAVAILABLE, sendInShape } from './http-errors.ts';

/** How often idle connections are swept while draining (a response that just finished leaves one). */
const IDLE_SWEEP_MS = 100;

export function registerGracefulClose(server: FastifyInstance): { close(drainMs: number): Promise<void> } {
  let closing = false;
  // Per connection, not per request: the hot path pays nothing for this.
  const sockets = new Set<Socket>();
  server.server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  server.addHook('preClose', (done) => {
    closing = true;
    for (const s of sockets) {
      // node keeps the response being written on its socket; one whose head is not yet sent will say Connection: close.
      const res = (s as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
      if (res && !res.headersSent) res.shouldKeepAlive = false;
    }
    done();
  });
  server.addHook('onRequest', (_req, reply, done) => {
    if (closing) {
      sendInShape(reply, SERVICE_UNAVAILABLE(), { close: true });
      return;
    }
    done();
  });
  return {
    async close(drainMs) {
      const sweep = setInterval(() => server.server.closeIdleConnections(), IDLE_SWEEP_MS);
      const cut = setTimeout(() => server.server.closeAllConnections(), drainMs);
      try {
        await server.close();
      } finally {
        clearInterval(sweep);
        clearTimeout(cut);
      }
    },
  };
}
