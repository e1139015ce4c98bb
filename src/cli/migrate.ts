// `eniplane migrate`: applies the store's pending numbered migrations and
// exits. `serve` does the same at start (PostgreSQL under an advisory lock,
// so concurrent starters and this command never race); running it first lets
// a deployment upgrade the schema once, before rolling out the new processes.
// The store is opened by the one opener serve uses, so a new SQLite file gets
// the same page size and pragmas.
import type { Command } from 'commander';
import { ConfigError, STORE_SETTINGS, defineSettings, switchSchema } from './settings.ts';
import { openStore } from '../store/open-store.ts';
import type { MigrationReport } from '../store/store.ts';

export const migrateSettings = defineSettings('migrate', {
  ...STORE_SETTINGS,
  json: { flag: '--json', help: 'JSON output', schema: switchSchema() },
});

async function migrateStore(database: string | undefined, data: string): Promise<MigrationReport & { database: string }> {
  let store;
  try {
    store = await openStore(database, data, { migrate: false, poolMax: 1, backgroundCheckpoints: false });
  } catch (e) {
    // Unreachable or refused PostgreSQL: the user's to fix (the message has the password redacted).
    throw new ConfigError((e as Error).message);
  }
  try {
    const r = await store.migrate();
    const shown =
      store.kind === 'postgres' ? (await import('../store/postgres/pg-config.ts')).redactPgUrl(database!) : `sqlite:${r.target}`;
    return { database: shown, target: r.target, applied: r.applied, unknown: r.unknown };
  } finally {
    await store.close();
  }
}

export function registerMigrate(program: Command): void {
  migrateSettings
    .register(program.command('migrate').description('apply pending database migrations and exit (serve also applies them at start)'))
    .action(async (flags: Record<string, unknown>) => {
      const config = migrateSettings.resolve(flags, process.env);
      const report = await migrateStore(config.database, config.data);
      if (config.json) {
        console.log(JSON.stringify(report));
        return;
      }
      console.log(report.applied.length > 0 ? `${report.target}: applied ${report.applied.join(', ')}` : `${report.target}: up to date`);
      if (report.unknown.length > 0) {
        console.error(
          `warning: the database has migrations this build does not know (${report.unknown.join(', ')}): a newer eniplane ran against it`,
        );
      }
    });
}
