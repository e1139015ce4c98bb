// Chooses the store from a database URL: sqlite:<file> (the embedded default)
// or postgres://... (several servers sharing one database). The one opener:
// serve, migrate, accounts and the lab all come through here, so every SQLite
// file is made with the same page size and pragmas (sqlite-store.ts), every
// data directory is locked down, and AccessKey secrets are sealed with the key
// from ENIPLANE_SECRET_KEY or `<dataDir>/secret.key` (secret-box.ts): the key
// lives on this host, apart from the database, whichever the database is.
import { chmodSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Store } from './store.ts';
import { DeferredStore } from './deferred-store.ts';
import { SqliteStore } from './sqlite/sqlite-store.ts';
import { secretBoxFor } from './secret-box.ts';

export interface OpenStoreOptions {
  /** apply pending migrations on open (default true; `eniplane migrate` calls store.migrate() itself) */
  migrate?: boolean;
  /** PostgreSQL pool size (default from the URL's ?pool_max=) */
  poolMax?: number;
  /** SQLite: checkpoint from a worker thread (default true; short-lived commands need none) */
  backgroundCheckpoints?: boolean;
  /** where ENIPLANE_SECRET_KEY is read (default process.env) */
  env?: NodeJS.ProcessEnv;
}

/** The data directory is the owner's alone (0700), made so on creation and on every start. */
export function lockDownDataDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  return dir;
}

export async function openStore(database: string | undefined, dataDir: string, opts: OpenStoreOptions = {}): Promise<Store> {
  const dir = lockDownDataDir(resolve(dataDir));
  const secrets = secretBoxFor(dir, opts.env ?? process.env);
  const sqlite = (file: string) =>
    new SqliteStore(file, { migrate: opts.migrate, backgroundCheckpoints: opts.backgroundCheckpoints, secrets });
  let store: Store;
  if (database === undefined || database === '') store = sqlite(join(dir, 'eniplane.db'));
  else if (database.startsWith('sqlite:')) store = sqlite(resolve(database.slice('sqlite:'.length)));
  else if (database.startsWith('postgres://') || database.startsWith('postgresql://')) {
    const { PostgresStore } = await import('./postgres/postgres-store.ts');
    store = await PostgresStore.open(database, { migrate: opts.migrate, poolMax: opts.poolMax, secrets });
  } else {
    throw new Error(`unsupported database URL "${database}" (use sqlite:<file> or postgres://...)`);
  }
  if (opts.migrate === false) return store;
  // Rows written before secrets were sealed, or under a retired key: sealed now, in one transaction.
  // A row under a key this host does not hold stops the start here, not at the first request.
  try {
    await store.transaction((tx) => tx.accessKeys.reseal());
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
}

/** Back-off between connection attempts to an unreachable PostgreSQL: doubling from the first, capped. */
const RECONNECT_FIRST_MS = 250;
const RECONNECT_MAX_MS = 5000;

export interface WaitingOpen {
  store: Store;
  /** resolves with the real store once the database answered (migrated, secrets re-sealed); undefined: it answered at once */
  connected: Promise<Store> | undefined;
}

/** The database is out of reach (refused, reset, timed out, starting up), as opposed to a wrong URL, password or schema. */
async function isUnreachable(e: unknown): Promise<boolean> {
  const { isConnectionLoss } = await import('./postgres/pg-driver.ts');
  return isConnectionLoss(e) || isConnectionLoss((e as { cause?: unknown })?.cause);
}

/**
 * openStore for a server: when a PostgreSQL database is unreachable at start,
 * answers at once with a DeferredStore (every transaction StoreUnavailable)
 * and keeps trying in the background with bounded back-off, logging each
 * failure; once it connects, migrations run and `connected` resolves. Any
 * other failure (bad URL, authentication, a secret sealed under an unknown
 * key) rejects as openStore does, at start or when the database appears.
 */
export async function openStoreWaiting(
  database: string | undefined,
  dataDir: string,
  opts: OpenStoreOptions & { onRetry: (attempt: number, delayMs: number, error: unknown) => void },
): Promise<WaitingOpen> {
  const postgres = database !== undefined && /^postgres(ql)?:\/\//.test(database);
  try {
    return { store: await openStore(database, dataDir, opts), connected: undefined };
  } catch (e) {
    if (!postgres || !(await isUnreachable(e))) throw e;
    const deferred = new DeferredStore();
    let stopped = false;
    let wake: () => void = () => {};
    deferred.onClose(() => {
      stopped = true;
      wake();
    });
    const connected = (async () => {
      let delayMs = RECONNECT_FIRST_MS;
      let error: unknown = e;
      for (let attempt = 1; ; attempt++) {
        opts.onRetry(attempt, delayMs, error);
        await new Promise<void>((r) => {
          const t = setTimeout(r, delayMs);
          wake = () => {
            clearTimeout(t);
            r();
          };
        });
        // Closed while waiting: `connected` never settles (the server is going away, nothing to start).
        if (stopped) return new Promise<Store>(() => {});
        try {
          const store = await openStore(database, dataDir, opts);
          if (!(await deferred.connect(store))) return new Promise<Store>(() => {});
          return store;
        } catch (e2) {
          if (!(await isUnreachable(e2))) throw e2;
          error = e2;
          delayMs = Math.min(delayMs * 2, RECONNECT_MAX_MS);
        }
      }
    })();
    return { store: deferred, connected };
  }
}
