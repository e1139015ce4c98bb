// The scale-out store: several `eniplane serve` processes on one PostgreSQL.
// Correctness lives in the database, not in this process: every use case is
// one READ COMMITTED transaction on a pooled connection; uniqueness is
// enforced by keys (one address per vSwitch), limits by row locks
// (FOR UPDATE on the ENI / instance / security-group row), async transitions
// are claimed with FOR UPDATE SKIP LOCKED. When PostgreSQL aborts a
// transaction because of a concurrent one (deadlock, serialization failure,
// a twin's unique key) the whole callback runs again, a few times, then
// TransientConflict reaches the caller.
import type { SecretBox } from '../secret-box.ts';
import pg from 'pg';
import type { OneCallAddresses, Store, TransactionOptions, Tx } from '../store.ts';
import { TransientConflict } from '../store.ts';
import { createSqlTx } from '../sql/sql-tx.ts';
import { isConnectionLoss, isDatabaseError, mapPgError, PgDriver } from './pg-driver.ts';
import { DomainError } from '../../domain/errors.ts';
import { parsePgUrl, redactPgUrl } from './pg-config.ts';
import { migratePostgres, type MigrationResult } from './pg-migrate.ts';
import { oneCallAddresses } from './pg-one-call.ts';
import { watchDue } from './pg-due-watch.ts';

/** Runs of one transaction callback when PostgreSQL keeps aborting it for concurrent ones. */
const MAX_ATTEMPTS = 4;
const BEGIN_WRITE = 'BEGIN ISOLATION LEVEL READ COMMITTED';
// Read-only use cases (Describe*, paging) see one snapshot: the count and the page agree.
// A read-only REPEATABLE READ transaction never fails with a serialization error.
const BEGIN_READ = 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';
/** the settler's look: the earliest due time of either kind, through their partial indexes */
const NEXT_DUE =
  'SELECT LEAST((SELECT MIN(transition_due_ms) FROM enis WHERE transition_due_ms IS NOT NULL), ' +
  '(SELECT MIN(transition_due_ms) FROM instances WHERE transition_due_ms IS NOT NULL)) AS m';

export interface PostgresStoreOptions {
  /** apply pending migrations on open (default true; `eniplane migrate` does it explicitly) */
  migrate?: boolean;
  /** overrides ?pool_max= */
  poolMax?: number;
  /** seals AccessKey secrets at rest (secret-box.ts); openStore re-seals plain rows on open */
  secrets?: SecretBox;
  /** overrides ?batch_max= (1: each one-call request alone) */
  batchMax?: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  /** how many transaction attempts were re-run after a TransientConflict (for tests and benchmarks) */
  retries = 0;
  /** statements sent to PostgreSQL, BEGIN and COMMIT included: round trips (for benchmarks) */
  private readonly trips = { n: 0 };
  get roundTrips(): number {
    return this.trips.n;
  }

  /** assign/unassign in one statement (migrations 007, 018), in batches of the requests in flight (020) */
  readonly oneCall: OneCallAddresses;

  /** bumped when a connection meets a prepared statement outdated by a schema change: older connections are retired */
  private generation = 0;
  /** one driver per pooled connection (the shared repositories are built once per driver) and its generation */
  private readonly drivers = new WeakMap<pg.PoolClient, { driver: PgDriver; generation: number }>();

  /** the transition listeners this store started (stopped on close) */
  private readonly watchers = new Set<{ stop(): void }>();

  private constructor(
    private readonly pool: pg.Pool,
    readonly schema: string | undefined,
    private readonly secrets: SecretBox | undefined,
    private readonly clientConfig: pg.ClientConfig,
    batchMax: number,
  ) {
    this.oneCall = oneCallAddresses(async () => {
      const { client } = await this.acquire();
      return {
        client,
        counted: () => {
          this.trips.n++;
        },
        release: (broken, stale) => {
          if (stale) this.generation++;
          client.release(broken);
        },
      };
    }, batchMax);
  }

  /** One statement, its own snapshot, no BEGIN/COMMIT: one round trip. */
  async nextDueMs(): Promise<number | null> {
    this.trips.n++;
    try {
      const r = await this.pool.query<{ m: number | null }>({ name: 'eniplane_next_due', text: NEXT_DUE });
      return r.rows[0].m == null ? null : Number(r.rows[0].m);
    } catch (e) {
      if (isConnectionLoss(e)) throw new DomainError('StoreUnavailable', { reason: (e as Error).message });
      throw mapPgError(e);
    }
  }

  /** LISTEN on a connection of its own (migration 018's trigger notifies). */
  watchDue(onDue: (dueMs: number | 'unknown') => void): { stop(): void; isListening(): boolean } {
    const w = watchDue({ ...this.clientConfig, application_name: 'eniplane-due-watch' }, onDue);
    this.watchers.add(w);
    return {
      stop: () => {
        w.stop();
        this.watchers.delete(w);
      },
      isListening: w.isListening,
    };
  }

  /** Connects (checking the database answers), applies pending migrations, returns the store. */
  static async open(url: string, opts: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const settings = parsePgUrl(url);
    const pool = new pg.Pool({ ...settings.pool, ...(opts.poolMax !== undefined ? { max: opts.poolMax } : {}) });
    // An idle pooled connection that the server drops emits 'error' on the pool;
    // unhandled it would crash the process. The pool discards that connection.
    pool.on('error', () => undefined);
    // A connection the server ends while we hold it (PostgreSQL restarting, pg_terminate_backend)
    // emits 'error' outside any query; the query in flight, or the next one, fails instead and the
    // connection is released as broken. The listener goes on in 'connect', synchronously: the pool
    // drops its own listener as it hands a new connection over, and a FATAL that came in the same
    // socket read as the connection's ReadyForQuery is emitted before any awaiting code runs —
    // unhandled, it killed the process (a server on a loaded machine, PostgreSQL restarting).
    pool.on('connect', (client) => client.on('error', () => undefined));
    const { max: _max, idleTimeoutMillis: _idle, ...clientConfig } = settings.pool;
    const store = new PostgresStore(pool, settings.schema, opts.secrets, clientConfig, opts.batchMax ?? settings.batchMax);
    try {
      if (opts.migrate !== false) await store.migrate();
      else await pool.query('SELECT 1');
    } catch (e) {
      await pool.end().catch(() => undefined);
      throw new Error(`PostgreSQL at ${redactPgUrl(url)}: ${(e as Error).message}`, { cause: e });
    }
    return store;
  }

  /** Applies pending migrations (idempotent; concurrent callers serialize on an advisory lock). */
  async migrate(): Promise<MigrationResult> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      return await migratePostgres(client, this.schema);
    } catch (e) {
      broken = !isDatabaseError(e);
      throw e;
    } finally {
      client.release(broken);
    }
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>, opts?: TransactionOptions): Promise<T> {
    const readOnly = opts?.readOnly === true;
    const oneStatement = opts?.oneStatement === true;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(fn, readOnly, oneStatement);
      } catch (e) {
        // Not re-run: a COMMIT that lost its connection may have committed. The client retries.
        if (isConnectionLoss(e)) throw new DomainError('StoreUnavailable', { reason: (e as Error).message });
        if (!(e instanceof TransientConflict) || attempt >= MAX_ATTEMPTS) throw e;
        this.retries++;
        // Jittered backoff so the transactions that collided do not collide again in step.
        await sleep(Math.random() * 5 * attempt);
      }
    }
  }

  private async acquire(): Promise<{ client: pg.PoolClient; driver: PgDriver }> {
    for (;;) {
      const client = await this.pool.connect();
      const known = this.drivers.get(client);
      if (known === undefined) {
        // (its 'error' listener was added on 'connect', see open())
        const driver = new PgDriver(client, this.secrets, this.trips);
        this.drivers.set(client, { driver, generation: this.generation });
        return { client, driver };
      }
      if (known.generation === this.generation) {
        known.driver.reset();
        return { client, driver: known.driver };
      }
      client.release(true); // prepared before a schema change: close it, take (or open) another
    }
  }

  private async attempt<T>(fn: (tx: Tx) => Promise<T>, readOnly: boolean, oneStatement: boolean): Promise<T> {
    const { client, driver } = await this.acquire();
    // A connection that failed below the SQL level (socket closed, protocol error) is not reused.
    let broken: Error | boolean | undefined;
    try {
      const hooks: (() => void)[] = [];
      const undo: (() => void)[] = [];
      let result: T;
      if (oneStatement) {
        // One statement is its own transaction (autocommit): no BEGIN, no COMMIT, one round trip.
        const at = driver.statements;
        try {
          result = await fn(createSqlTx(driver, hooks, undo));
          driver.assertHealthy();
        } catch (e) {
          for (const h of undo) h();
          throw e;
        }
        if (driver.statements - at > 1) throw new Error(`a oneStatement transaction sent ${driver.statements - at} statements`);
        for (const h of hooks) h();
        return result;
      }
      try {
        await driver.exec(readOnly ? BEGIN_READ : BEGIN_WRITE);
        result = await fn(createSqlTx(driver, hooks, undo));
        // The callback may have caught a failed statement and gone on: the transaction is aborted regardless.
        driver.assertHealthy();
        this.trips.n++;
        await client.query('COMMIT').catch((e: unknown) => {
          throw mapPgError(e);
        });
      } catch (e) {
        // SQL-level errors leave the connection usable after ROLLBACK; if ROLLBACK itself fails, it is not.
        this.trips.n++;
        await client.query('ROLLBACK').catch((re: Error) => {
          broken = re;
        });
        for (const h of undo) h();
        throw e;
      }
      for (const h of hooks) h();
      return result;
    } finally {
      if (driver.stalePlans) this.generation++;
      client.release(broken ?? driver.stalePlans);
    }
  }

  async close(): Promise<void> {
    for (const w of this.watchers) w.stop();
    this.watchers.clear();
    await this.pool.end();
  }
}
