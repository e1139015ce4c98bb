// The server processes a replay (terway's prefix and trunk modes, Terraform's
// prefixes) runs against, and what terway's two replays share: one on SQLite and one on PostgreSQL on a fresh
// schema, both with 100 ms transitions, started before the file's tests and
// stopped (the schema dropped) after them.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { dropSchema, freshSchemaName, urlWithSchema } from '../store/pg-support.ts';

export type ReplayStore = 'SQLite' | 'PostgreSQL';

/** Registers the before/after hooks; each entry is set once `before` has run. */
export function replayServers(): Record<ReplayStore, ServerProcess | undefined> {
  const servers: Record<ReplayStore, ServerProcess | undefined> = { SQLite: undefined, PostgreSQL: undefined };
  const schema = freshSchemaName();
  before(async () => {
    servers.SQLite = await startServerProcess({ args: ['--transition-ms', '100'] });
    servers.PostgreSQL = await startServerProcess({ args: ['--transition-ms', '100', '--database', urlWithSchema(schema)] });
  });
  after(async () => {
    await servers.SQLite?.stop();
    await servers.PostgreSQL?.stop();
    await dropSchema(schema);
  });
  return servers;
}

/** What terway's client sends with every call (client/types.go eniDescription, maxSinglePageSize). */
export const TERWAY = { region: { RegionId: 'cn-hangzhou' }, description: 'interface create by terway', maxResults: 500 } as const;

/** backoff.ExponentialBackoffWithInitialDelay / WaitForNetworkInterface: poll, bounded in count. */
export async function poll<T>(what: string, get: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  let v = await get();
  for (let i = 0; i < 200 && !done(v); i++) {
    await new Promise((r) => setTimeout(r, 50));
    v = await get();
  }
  assert.ok(done(v), `${what}: still ${JSON.stringify(v)}`);
  return v;
}
