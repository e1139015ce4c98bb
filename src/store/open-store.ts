// Chooses the store from a database URL: sqlite:<file> (the embedded default)
// or postgres://... (several servers sharing one database).
import { join, resolve } from 'node:path';
import type { Store } from './store.ts';
import { SqliteStore } from './sqlite/sqlite-store.ts';

export async function openStore(database: string | undefined, dataDir: string, sqlite: { backgroundCheckpoints?: boolean } = {}): Promise<Store> {
  if (database === undefined || database === '') return new SqliteStore(join(resolve(dataDir), 'eniplane.db'), sqlite);
  if (database.startsWith('sqlite:')) return new SqliteStore(resolve(database.slice('sqlite:'.length)), sqlite);
  if (database.startsWith('postgres://') || database.startsWith('postgresql://')) {
    const { PostgresStore } = await import('./postgres/postgres-store.ts');
    return PostgresStore.open(database);
  }
  throw new Error(`unsupported database URL "${database}" (use sqlite:<file> or postgres://...)`);
}
