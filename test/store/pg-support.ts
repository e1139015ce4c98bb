// PostgreSQL for tests: the server on 127.0.0.1:5432 (trust auth, database
// `test`; CI starts it), one fresh schema per store, always dropped.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const PG_BASE_URL = process.env.ENIPLANE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const PREFIX = 'eniplane_t_';
/** Schemas left by a killed test run are dropped once they are this old. */
const STALE_MS = 2 * 3600_000;

/** A unique schema name: prefix, creation time (for the stale sweep), pid, random. */
export function freshSchemaName(): string {
  return `${PREFIX}${Date.now().toString(36)}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export function urlWithSchema(schema: string, base = PG_BASE_URL): string {
  const u = new URL(base);
  u.searchParams.set('schema', schema);
  return u.toString();
}

async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>, base = PG_BASE_URL): Promise<T> {
  const c = new pg.Client({ connectionString: base, connectionTimeoutMillis: 3000 });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Why PostgreSQL tests cannot run here, or undefined when the server answers. */
export async function pgUnavailable(base = PG_BASE_URL): Promise<string | undefined> {
  try {
    await withAdmin((c) => c.query('SELECT 1'), base);
    return undefined;
  } catch (e) {
    return `PostgreSQL not reachable at ${base} (${(e as Error).message}); start it or set ENIPLANE_TEST_DATABASE_URL`;
  }
}

export async function dropSchema(schema: string, base = PG_BASE_URL): Promise<void> {
  if (!schema.startsWith(PREFIX)) throw new Error(`refusing to drop ${schema}`);
  await withAdmin((c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`), base);
}

/** Drops test schemas older than STALE_MS (a run that was killed before its `after`). */
export async function sweepStaleSchemas(): Promise<void> {
  await withAdmin(async (c) => {
    const rows = (await c.query<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1', [`${PREFIX}%`])).rows;
    for (const { nspname } of rows) {
      const born = parseInt(nspname.slice(PREFIX.length).split('_')[0], 36);
      if (Number.isFinite(born) && Date.now() - born > STALE_MS) await c.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`);
    }
  });
}

/** Runs SQL in a schema (assertions straight on the tables). */
export async function querySchema<R extends pg.QueryResultRow>(
  schema: string,
  sql: string,
  params: unknown[] = [],
  base = PG_BASE_URL,
): Promise<R[]> {
  return withAdmin(async (c) => {
    await c.query(`SET search_path TO "${schema}"`);
    return (await c.query<R>(sql, params)).rows;
  }, base);
}
