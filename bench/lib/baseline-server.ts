// The baseline: a minimal fastify JSON endpoint, the ceiling for any fastify
// service on this machine. Prints its port.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => ({ RequestId: '00000000-0000-0000-0000-000000000000', ok: true }));
await app.listen({ host: '127.0.0.1', port: 0 });
const a = app.server.address();
console.log(`endpoint:    http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/`);
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
