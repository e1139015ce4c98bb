// The SDK compat suite on the PostgreSQL store: the same story, a server
// process on a fresh schema (dropped afterwards). CI always has PostgreSQL.
import { after, before } from 'node:test';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { dropSchema, freshSchemaName, urlWithSchema } from '../store/pg-support.ts';
import { storySuite } from './story.ts';
import { terraformSuite } from './terraform.ts';
import { tagClientsSuite } from './tag-clients.ts';

let server: ServerProcess;
const schema = freshSchemaName();
before(async () => {
  server = await startServerProcess({ args: ['--transition-ms', '100', '--database', urlWithSchema(schema)] });
});
after(async () => {
  await server?.stop();
  await dropSchema(schema);
});
storySuite('PostgreSQL', () => server);
terraformSuite('PostgreSQL', () => server);
tagClientsSuite('PostgreSQL', () => server);
