// A TCP proxy in front of PostgreSQL that, once poisoned, ends each *new*
// connection the way a server going down under load does at its worst: the
// connection's ReadyForQuery and a FATAL 57P01 ("terminating connection due to
// administrator command") arrive in one socket read, then the socket closes.
// A client library hands the connection over on ReadyForQuery and emits the
// FATAL in the same tick, before any awaiting code has run: the moment a
// process without a synchronous 'error' listener dies. 127.0.0.1 only.
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface PgFatalProxy {
  port: number;
  /** from now on, new connections end with ReadyForQuery + FATAL in one write */
  poison(on: boolean): void;
  /** connections ended that way */
  readonly poisoned: number;
  close(): Promise<void>;
}

/** ErrorResponse: severity FATAL, SQLSTATE 57P01, the message PostgreSQL sends on pg_terminate_backend. */
function fatal57P01(): Buffer {
  const field = (t: string, v: string) => Buffer.concat([Buffer.from(t), Buffer.from(v), Buffer.from([0])]);
  const body = Buffer.concat([
    field('S', 'FATAL'),
    field('V', 'FATAL'),
    field('C', '57P01'),
    field('M', 'terminating connection due to administrator command'),
    Buffer.from([0]),
  ]);
  const head = Buffer.alloc(5);
  head.write('E', 0);
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

export async function startPgFatalProxy(target: { host: string; port: number }): Promise<PgFatalProxy> {
  let poisoning = false;
  let poisoned = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    sockets.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    if (!poisoning) {
      upstream.pipe(client);
      return;
    }
    // Server → client, whole messages only (type byte, int32 length), until the first ReadyForQuery ('Z').
    let pending = Buffer.alloc(0);
    upstream.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      let at = 0;
      while (pending.length - at >= 5) {
        const len = pending.readInt32BE(at + 1);
        if (pending.length - at < 1 + len) break;
        const type = String.fromCharCode(pending[at]);
        at += 1 + len;
        if (type === 'Z') {
          poisoned++;
          client.end(Buffer.concat([pending.subarray(0, at), fatal57P01()]));
          upstream.destroy();
          return;
        }
      }
    });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    poison(on) {
      poisoning = on;
    },
    get poisoned() {
      return poisoned;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
