// From a postgres:// URL to pg pool settings. Two eniplane parameters are
// taken out of the URL before pg sees it:
//   ?schema=NAME   every connection's search_path is NAME (created on migrate),
//                  so tests (or tenants) can share one database, one schema each;
//   ?pool_max=N    connections per process (default 10);
//   ?batch_max=N   one-call assigns/unassigns sent as one statement at most
//                  (default 32; 1: each alone, no batching; pg-one-call.ts).
// `options=-c search_path=...` (libpq style) is honoured as well.
import pg from 'pg';

export interface PgSettings {
  pool: pg.PoolConfig;
  /** the schema named by ?schema= or options' search_path, if any (else: the server's current_schema()) */
  schema: string | undefined;
  /** ?batch_max=: one-call requests per statement at most (1: no batching) */
  batchMax: number;
}

/** Lower-case identifiers only: they need no quoting in search_path or DDL. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export const DEFAULT_POOL_MAX = 10;
/** A batch runs each element in a subtransaction: past 64 a transaction's snapshot overflows its cache. */
const BATCH_MAX_BOUND = 32;

/** int8 (COUNT(*), BIGINT ms columns) as a JS number: every value stored here is below 2^53. */
export const int8AsNumber: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === pg.types.builtins.INT8 && format !== 'binary') return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

export function parsePgUrl(url: string): PgSettings {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error('invalid PostgreSQL URL (expected postgres://user[:password]@host[:port]/database[?schema=name])');
  }
  const schemaParam = u.searchParams.get('schema') ?? undefined;
  const poolMaxParam = u.searchParams.get('pool_max') ?? undefined;
  const batchMaxParam = u.searchParams.get('batch_max') ?? undefined;
  const options = u.searchParams.get('options') ?? undefined;
  u.searchParams.delete('schema');
  u.searchParams.delete('pool_max');
  u.searchParams.delete('batch_max');
  u.searchParams.delete('options');

  let schema = schemaParam;
  const fromOptions = options?.match(/(?:^|\s)-c\s*search_path=([^\s,]+)/)?.[1];
  if (schema === undefined && fromOptions !== undefined) schema = fromOptions.replace(/^"(.*)"$/, '$1');
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new Error(`invalid schema name "${schema}" (lower-case letters, digits and _, at most 63)`);
  }
  let max = DEFAULT_POOL_MAX;
  if (poolMaxParam !== undefined) {
    max = Number(poolMaxParam);
    if (!Number.isInteger(max) || max < 1 || max > 100) throw new Error(`invalid pool_max "${poolMaxParam}" (1..100)`);
  }
  let batchMax = BATCH_MAX_BOUND;
  if (batchMaxParam !== undefined) {
    batchMax = Number(batchMaxParam);
    if (!Number.isInteger(batchMax) || batchMax < 1 || batchMax > BATCH_MAX_BOUND)
      throw new Error(`invalid batch_max "${batchMaxParam}" (1..${BATCH_MAX_BOUND})`);
  }
  const startup = [options, schemaParam !== undefined ? `-c search_path=${schemaParam}` : undefined]
    // A session stuck inside a transaction (a hung process) must not hold row locks forever.
    .concat('-c idle_in_transaction_session_timeout=60000')
    .filter((x): x is string => x !== undefined && x !== '')
    .join(' ');
  return {
    schema,
    batchMax,
    pool: {
      connectionString: u.toString(),
      options: startup,
      application_name: 'eniplane',
      max,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: 10_000,
      types: int8AsNumber,
    },
  };
}

/** The URL with its password hidden, for logs and messages. */
export function redactPgUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparsable)';
  }
}
