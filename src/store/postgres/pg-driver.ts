// The SqlDriver over one pooled pg connection inside a transaction: numbers
// the shared SQL's `?` placeholders, and turns PostgreSQL's "a concurrent
// transaction got in the way" errors into TransientConflict.
import type { SecretBox } from '../secret-box.ts';
import pg from 'pg';
import type { SqlDriver } from '../sql/driver.ts';
import { TransientConflict } from '../store.ts';

/** SQLSTATEs after which re-running the whole transaction is the right answer. */
const TRANSIENT: Readonly<Record<string, string>> = {
  '40001': 'serialization failure',
  '40P01': 'deadlock detected',
  // A racing twin committed the same key first (MAC, ClientToken row, account name ...):
  // the re-run sees its row and decides with that knowledge.
  '23505': 'unique violation',
  // A racing transaction removed (or has not yet committed) a referenced row: the re-run
  // sees the current state and answers NotFound / DependencyViolation as it should.
  '23503': 'foreign key violation',
  // An address lock another transaction held past 100 ms (migration 007): run again.
  '55P03': 'lock not available',
};

export function isDatabaseError(e: unknown): e is pg.DatabaseError {
  return e instanceof pg.DatabaseError;
}

/**
 * A prepared statement that no longer fits the table (a newer build's migration
 * ran while this process kept its connections): the connection must go, then a
 * re-run on a fresh one prepares the statement again.
 */
function isStalePlan(e: unknown): boolean {
  return isDatabaseError(e) && e.code === '0A000' && /cached plan/.test(e.message);
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTCONN', 'EHOSTUNREACH']);

/**
 * The database is out of reach, not the request wrong: the server restarting or
 * shutting down (SQLSTATE class 57P: admin/crash shutdown, "cannot connect
 * now"), a connection exception (class 08), or a socket that closed under pg.
 * Such a request answers ServiceUnavailable (503), which clients retry.
 */
export function isConnectionLoss(e: unknown): boolean {
  if (isDatabaseError(e)) return e.code !== undefined && (e.code.startsWith('57P') || e.code.startsWith('08'));
  if (!(e instanceof Error)) return false;
  const code = (e as NodeJS.ErrnoException).code;
  if (code !== undefined && CONNECTION_CODES.has(code)) return true;
  return /Connection terminated|connection error|not queryable|timeout exceeded when trying to connect|terminating connection/i.test(
    e.message,
  );
}

/** Maps a pg error to TransientConflict when a re-run can succeed; anything else is returned as is. */
export function mapPgError(e: unknown): unknown {
  if (isStalePlan(e)) return new TransientConflict('prepared statement outdated by a schema change', '0A000', { cause: e });
  if (isDatabaseError(e) && e.code !== undefined && TRANSIENT[e.code] !== undefined) {
    const where = e.constraint ? ` (${e.constraint})` : e.table ? ` (${e.table})` : '';
    return new TransientConflict(`${TRANSIENT[e.code]}${where}`, e.code, { cause: e });
  }
  return e;
}

const numberedCache = new Map<string, string>();
const NUMBERED_CACHE_MAX = 2000;

/**
 * Named (server-side prepared) statements: PostgreSQL parses and plans each
 * statement text once per connection instead of on every call. The shared SQL
 * is a bounded set of texts (IN lists vary only in length), so is the set of
 * names; past the bound, statements simply run unnamed.
 */
const statementNames = new Map<string, string>();
const STATEMENT_NAMES_MAX = 1000;
function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < STATEMENT_NAMES_MAX) {
    name = `eniplane_${statementNames.size}`;
    statementNames.set(text, name);
  }
  return name;
}

/** `?` → `$1, $2 ...`, leaving quoted strings and identifiers alone. */
export function numberPlaceholders(sql: string): string {
  const hit = numberedCache.get(sql);
  if (hit !== undefined) return hit;
  let out = '';
  let n = 0;
  let quote: string | null = null;
  for (const ch of sql) {
    if (quote !== null) {
      if (ch === quote) quote = null;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === '?') {
      out += `$${++n}`;
    } else {
      out += ch;
    }
  }
  if (numberedCache.size >= NUMBERED_CACHE_MAX) numberedCache.clear();
  numberedCache.set(sql, out);
  return out;
}

export class PgDriver implements SqlDriver {
  readonly dialect = 'postgres' as const;
  /** the first error of this transaction: PostgreSQL refuses every later statement, so we repeat it instead */
  private failure: { error: unknown } | undefined;
  /** the connection holds outdated prepared statements and must not go back to the pool */
  stalePlans = false;

  /** trips counts round trips to the server (for benchmarks: `PostgresStore.roundTrips`) */
  constructor(
    private readonly client: pg.PoolClient,
    readonly secrets?: SecretBox,
    private readonly trips: { n: number } = { n: 0 },
  ) {}

  /** a new transaction on this connection */
  reset(): void {
    this.failure = undefined;
  }

  async all<R>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.query(sql, params)).rows as R[];
  }

  async get<R>(sql: string, params: unknown[] = []): Promise<R | undefined> {
    return (await this.query(sql, params)).rows[0] as R | undefined;
  }

  async run(sql: string, params: unknown[] = []): Promise<{ changes: number }> {
    return { changes: (await this.query(sql, params)).rowCount ?? 0 };
  }

  /** Throws the transaction's first failure, if a caller caught it and went on. */
  assertHealthy(): void {
    if (this.failure) throw this.failure.error;
  }

  async exec(sql: string): Promise<void> {
    await this.query(sql, []);
  }

  private async query(sql: string, params: unknown[]): Promise<pg.QueryResult> {
    this.assertHealthy();
    try {
      const text = numberPlaceholders(sql);
      this.trips.n++;
      return await this.client.query({ name: params.length > 0 ? statementName(text) : undefined, text, values: params });
    } catch (e) {
      if (isStalePlan(e)) this.stalePlans = true;
      const mapped = mapPgError(e);
      this.failure = { error: mapped };
      throw mapped;
    }
  }
}
