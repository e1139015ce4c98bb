// Closing without dropping what was accepted. Once close begins the server
// stops accepting connections; on the ones already open, every request is
// still served, and its answer says `Connection: close` (the request in flight
// included), so each connection ends after at most one more answer. node would
// cut idle keep-alive connections at once, but a busy client may be writing its
// next request into one right then (a reset it cannot tell from a lost write):
// an idle connection is cut only after IDLE_GRACE_MS of quiet. After `drainMs`
// whatever is left is cut, so a stuck client cannot hold the process.
import type { Socket } from 'node:net';
import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';

/** Quiet time after which an idle connection is cut while draining: far above a busy client's turnaround. */
const IDLE_GRACE_MS = 1000;
const SWEEP_MS = 100;

type HttpSocket = Socket & { _httpMessage?: ServerResponse | null };

export function registerGracefulClose(server: FastifyInstance): { close(drainMs: number): Promise<void> } {
  // Per connection, not per request: the hot path pays nothing for this.
  const sockets = new Set<HttpSocket>();
  server.server.on('connection', (s: HttpSocket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  server.addHook('preClose', (done) => {
    // fastify itself sets Connection: close on requests routed from now on; this covers the ones in flight.
    for (const s of sockets) {
      const res = s._httpMessage;
      if (res && !res.headersSent) res.shouldKeepAlive = false;
    }
    done();
  });
  return {
    async close(drainMs) {
      const http = server.server;
      // node's server.close() cuts idle connections at once; here they get IDLE_GRACE_MS (see above).
      const nodeCloseIdle = http.closeIdleConnections.bind(http);
      http.closeIdleConnections = () => {};
      const idleSince = new Map<HttpSocket, number>();
      const sweep = setInterval(() => {
        const now = Date.now();
        for (const s of sockets) {
          if (s._httpMessage) idleSince.delete(s);
          else if (!idleSince.has(s)) idleSince.set(s, now);
          else if (now - idleSince.get(s)! >= IDLE_GRACE_MS) s.destroy();
        }
      }, SWEEP_MS);
      const cut = setTimeout(() => http.closeAllConnections(), drainMs);
      try {
        await server.close();
      } finally {
        clearInterval(sweep);
        clearTimeout(cut);
        http.closeIdleConnections = nodeCloseIdle;
      }
    },
  };
}
