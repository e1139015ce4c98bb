// `eniplane migrate`: applies the store's pending numbered migrations and
// exits. `serve` does the same at start (PostgreSQL under an advisory lock,
// so concurrent starters and this command never race); running it first lets
// a deployment upgrade the schema once, before rolling out the new processes.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { ConfigError } from './config.ts';

const migrateConfigSchema = z.object({
  /** sqlite:<file> or postgres://...[?schema=NAME]; default: the SQLite file in the data directory */
  database: z.string().optional(),
  data: z.string().min(1).default('./data'),
  json: z.boolean().default(false),
}).strict();

type MigrateConfig = z.infer<typeof migrateConfigSchema>;

function resolveMigrateConfig(flags: Record<string, unknown>, env: NodeJS.ProcessEnv): MigrateConfig {
  const merged: Record<string, unknown> = {};
  if (env.ENIPLANE_DATABASE_URL) merged.database = env.ENIPLANE_DATABASE_URL;
  if (env.ENIPLANE_DATA) merged.data = env.ENIPLANE_DATA;
  for (const [k, v] of Object.entries(flags)) if (v !== undefined) merged[k] = v;
  const r = migrateConfigSchema.safeParse(merged);
  if (!r.success) throw new ConfigError(`invalid settings:\n${r.error.issues.map((i) => `  --${i.path.join('.') || '(config)'}: ${i.message}`).join('\n')}`);
  const db = r.data.database;
  if (db !== undefined && db !== '' && !/^(sqlite:|postgres:\/\/|postgresql:\/\/)/.test(db)) {
    throw new ConfigError(`invalid settings:\n  --database: unsupported URL (use sqlite:<file> or postgres://...)`);
  }
  return r.data;
}

interface MigrateReport { database: string; target: string; applied: string[]; unknown: string[] }

async function migratePostgresUrl(url: string): Promise<MigrateReport> {
  const { PostgresStore } = await import('../store/postgres/postgres-store.ts');
  const { redactPgUrl } = await import('../store/postgres/pg-config.ts');
  let store;
  try {
    store = await PostgresStore.open(url, { migrate: false, poolMax: 1 });
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
  try {
    const r = await store.migrate();
    return { database: redactPgUrl(url), target: `schema ${r.schema}`, applied: r.applied, unknown: r.unknown };
  } finally {
    await store.close();
  }
}

async function migrateSqliteFile(file: string): Promise<MigrateReport> {
  const { default: Database } = await import('better-sqlite3');
  const { migrateSqlite } = await import('../store/sqlite/sqlite-store.ts');
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 10000');
    return { database: `sqlite:${file}`, target: file, applied: migrateSqlite(db), unknown: [] };
  } finally {
    db.close();
  }
}

export function registerMigrate(program: Command): void {
  program.command('migrate')
    .description('apply pending database migrations and exit (serve also applies them at start)')
    .option('--database <url>', 'sqlite:<file> or postgres://...[?schema=NAME] (ENIPLANE_DATABASE_URL)', undefined)
    .option('--data <dir>', 'data directory holding the default SQLite file (ENIPLANE_DATA)', undefined)
    .option('--json', 'JSON output', undefined)
    .action(async (flags: Record<string, unknown>) => {
      const config = resolveMigrateConfig(flags, process.env);
      const db = config.database;
      const report = db && /^postgres(ql)?:\/\//.test(db)
        ? await migratePostgresUrl(db)
        : await migrateSqliteFile(db ? resolve(db.slice('sqlite:'.length)) : join(resolve(config.data), 'eniplane.db'));
      if (config.json) {
        console.log(JSON.stringify(report));
        return;
      }
      console.log(report.applied.length > 0
        ? `${report.target}: applied ${report.applied.join(', ')}`
        : `${report.target}: up to date`);
      if (report.unknown.length > 0) {
        console.error(`warning: the database has migrations this build does not know (${report.unknown.join(', ')}): a newer eniplane ran against it`);
      }
    });
}
