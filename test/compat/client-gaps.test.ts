// Issue 10's client gaps (client-gaps.ts) on both stores: a server process on SQLite and one on a
// fresh PostgreSQL schema (dropped afterwards).
import { after, before } from 'node:test';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { dropSchema, freshSchemaName, urlWithSchema } from '../store/pg-support.ts';
import { clientGapsSuite } from './client-gaps.ts';

let sqlite: ServerProcess;
let postgres: ServerProcess;
const schema = freshSchemaName();
before(async () => {
  [sqlite, postgres] = await Promise.all([
    startServerProcess({ args: ['--transition-ms', '100'] }),
    startServerProcess({ args: ['--transition-ms', '100', '--database', urlWithSchema(schema)] }),
  ]);
});
after(async () => {
  await Promise.all([sqlite?.stop(), postgres?.stop()]);
  await dropSchema(schema);
});
clientGapsSuite('SQLite', () => sqlite);
clientGapsSuite('PostgreSQL', () => postgres);
