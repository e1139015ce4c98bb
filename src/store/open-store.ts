// Chooses the store from a database URL: sqlite:<file> (the embedded default)
// or postgres://... (several servers sharing one database). The one opener:
// serve, migrate, accounts and the lab all come through here, so every SQLite
// file is made with the same page size and pragmas (sqlite-store.ts).
import { join, resolve } from 'node:path';
import type { Store } from './store.ts';
import { SqliteStore } from './sqlite/sqlite-store.ts';

export interface OpenStoreOptions {
  /** apply pending migrations on open (default true; `eniplane migrate` calls store.migrate() itself) */
  migrate?: boolean;
  /** PostgreSQL pool size (default from the URL's ?pool_max=) */
  poolMax?: number;
  /** SQLite: checkpoint from a worker thread (default true; short-lived commands need none) */
  backgroundCheckpoints?: boolean;
}

export async function openStore(database: string | undefined, dataDir: string, opts: OpenStoreOptions = {}): Promise<Store> {
  const sqlite = (file: string) => new SqliteStore(file, { migrate: opts.migrate, backgroundCheckpoints: opts.backgroundCheckpoints });
  if (database === undefined || database === '') return sqlite(join(resolve(dataDir), 'eniplane.db'));
  if (database.startsWith('sqlite:')) return sqlite(resolve(database.slice('sqlite:'.length)));
  if (database.startsWith('postgres://') || database.startsWith('postgresql://')) {
    const { PostgresStore } = await import('./postgres/postgres-store.ts');
    return PostgresStore.open(database, { migrate: opts.migrate, poolMax: opts.poolMax });
  }
  throw new Error(`unsupported database URL "${database}" (use sqlite:<file> or postgres://...)`);
}
