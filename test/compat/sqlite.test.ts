// The SDK compat suite on the embedded SQLite store.
import { after, before } from 'node:test';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { storySuite } from './story.ts';
import { terraformSuite } from './terraform.ts';
import { tagClientsSuite } from './tag-clients.ts';

let server: ServerProcess;
before(async () => {
  server = await startServerProcess({ args: ['--transition-ms', '100'] });
});
after(async () => {
  await server?.stop();
});
storySuite('SQLite', () => server);
terraformSuite('SQLite', () => server);
tagClientsSuite('SQLite', () => server);
