// Numbered migrations for PostgreSQL (migrations/NNN-*.sql), applied in one
// transaction under an advisory lock, so several `eniplane serve` processes
// starting at once (or `eniplane migrate` beside them) apply each file exactly
// once; the losers wait, then find nothing left to do. DDL is transactional
// in PostgreSQL: a failing file leaves the schema as it was.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import type { MigrationReport } from '../store.ts';

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export function migrationFiles(): string[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d+-.*\.sql$/.test(f))
    .sort();
}

export interface MigrationResult extends MigrationReport {
  schema: string;
}

/**
 * Brings `schema` (or, when undefined, the connection's current schema) up to
 * date. The client's search_path must already point at the schema when given.
 */
export async function migratePostgres(client: pg.ClientBase, schema: string | undefined): Promise<MigrationResult> {
  await client.query('BEGIN');
  try {
    const target = schema ?? (await client.query<{ s: string | null }>('SELECT current_schema() AS s')).rows[0]?.s;
    if (!target) throw new Error('no schema to migrate: search_path names no existing schema (add ?schema=NAME to the URL)');
    // Per-schema lock: two schemas in one database migrate independently. Held until COMMIT.
    await client.query("SELECT pg_advisory_xact_lock(hashtext('eniplane:migrate'), hashtext($1))", [target]);
    const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [target]);
    if (exists.rowCount === 0) await client.query(`CREATE SCHEMA "${target}"`);
    await client.query(`SET LOCAL search_path TO "${target}"`);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
    const done = new Set((await client.query<{ version: string }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    const files = migrationFiles();
    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file)) continue;
      await client.query(readFileSync(join(MIGRATIONS_DIR, file), 'utf8'));
      await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [file, new Date().toISOString()]);
      applied.push(file);
    }
    await client.query('COMMIT');
    const known = new Set(files);
    return { schema: target, target: `schema ${target}`, applied, unknown: [...done].filter((v) => !known.has(v)).sort() };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}
