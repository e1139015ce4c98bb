// `eniplane migrate` (src/cli/migrate.ts), driven through commander in-process
// the way main.ts will register it: SQLite file and PostgreSQL schema.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { registerMigrate } from '../../src/cli/migrate.ts';
import { ConfigError } from '../../src/cli/config.ts';
import { migrationFiles } from '../../src/store/postgres/pg-migrate.ts';
import { dropSchema, freshSchemaName, pgUnavailable, querySchema, urlWithSchema } from './pg-support.ts';

async function migrate(...args: string[]): Promise<Record<string, unknown>> {
  const program = new Command('eniplane').exitOverride();
  registerMigrate(program);
  const lines: string[] = [];
  const log = console.log;
  console.log = (s: string) => {
    lines.push(s);
  };
  try {
    await program.parseAsync(['node', 'eniplane', 'migrate', '--json', ...args]);
  } finally {
    console.log = log;
  }
  return JSON.parse(lines.join('\n'));
}

describe('eniplane migrate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eniplane-migrate-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('creates and migrates the SQLite file in the data directory, then reports it up to date', async () => {
    const first = await migrate('--data', dir);
    const files = readdirSync(new URL('../../src/store/sqlite/migrations/', import.meta.url))
      .filter((f) => f.endsWith('.sql'))
      .sort();
    assert.ok(files.length >= 2, 'the initial schema and at least one later migration');
    assert.deepEqual(first.applied, files, 'every migration, in order');
    assert.equal(first.target, join(dir, 'eniplane.db'));
    assert.deepEqual((await migrate('--database', `sqlite:${join(dir, 'eniplane.db')}`)).applied, []);
  });

  it('makes a new SQLite file with the page size serve uses (the one opener)', async () => {
    const file = join(dir, 'paged.db');
    await migrate('--database', `sqlite:${file}`);
    const store = new SqliteStore(join(dir, 'served.db'), { backgroundCheckpoints: false });
    await store.close();
    const pageSize = (f: string) => {
      const db = new Database(f, { readonly: true });
      try {
        return db.pragma('page_size', { simple: true });
      } finally {
        db.close();
      }
    };
    assert.equal(pageSize(file), pageSize(join(dir, 'served.db')));
    assert.equal(pageSize(file), 1024, 'the WAL tuning of sqlite-store.ts');
  });

  it('refuses an unsupported database URL as a user error', async () => {
    await assert.rejects(migrate('--database', 'mysql://x'), (e: unknown) => e instanceof ConfigError && /unsupported URL/.test(e.message));
  });

  it('migrates a PostgreSQL schema (created when missing), once', async (t) => {
    const down = await pgUnavailable();
    if (down && !process.env.CI) return t.skip(down);
    const schema = freshSchemaName();
    try {
      const first = await migrate('--database', urlWithSchema(schema));
      assert.deepEqual(first.applied, migrationFiles());
      assert.equal(first.target, `schema ${schema}`);
      assert.deepEqual((await migrate('--database', urlWithSchema(schema))).applied, []);
      assert.equal(
        (await querySchema<{ n: number }>(schema, 'SELECT COUNT(*)::int AS n FROM schema_migrations'))[0].n,
        migrationFiles().length,
      );
    } finally {
      await dropSchema(schema);
    }
  });

  it('reports an unreachable PostgreSQL as a user error, password hidden', async () => {
    await assert.rejects(
      migrate('--database', 'postgres://u:secret@127.0.0.1:1/db'),
      (e: unknown) => e instanceof ConfigError && /u:\*\*\*@127\.0\.0\.1:1/.test(e.message) && !/secret/.test(e.message),
    );
  });
});
