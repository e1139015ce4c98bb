// Chooses the store from a database URL: sqlite:<file> (the embedded default)
// or postgres://... (several servers sharing one database).
import { chmodSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Store } from './store.ts';
import { SqliteStore } from './sqlite/sqlite-store.ts';
import { secretBoxFor } from './secret-box.ts';

/** The data directory is the owner's alone (0700), made so on creation and on every start. */
export function lockDownDataDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  return dir;
}

/**
 * AccessKey secrets are sealed with the key from ENIPLANE_SECRET_KEY or `<dataDir>/secret.key`
 * (secret-box.ts): the key lives on this host, apart from the database, whichever the database is.
 */
export async function openStore(database: string | undefined, dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<Store> {
  const dir = lockDownDataDir(resolve(dataDir));
  const secrets = secretBoxFor(dir, env);
  let store: Store;
  if (database === undefined || database === '' || database.startsWith('sqlite:')) {
    store = new SqliteStore(database ? resolve(database.slice('sqlite:'.length)) : join(dir, 'eniplane.db'), { secrets });
  } else if (database.startsWith('postgres://') || database.startsWith('postgresql://')) {
    const { PostgresStore } = await import('./postgres/postgres-store.ts');
    store = await PostgresStore.open(database, { secrets });
  } else {
    throw new Error(`unsupported database URL "${database}" (use sqlite:<file> or postgres://...)`);
  }
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
