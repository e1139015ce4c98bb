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
