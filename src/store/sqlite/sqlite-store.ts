// The embedded default store: one SQLite file in WAL mode. One connection
// writes (BEGIN IMMEDIATE, so a second process on the same file waits for the
// lock instead of failing mid-transaction), another reads concurrently, and a
// worker thread's own connection checkpoints the WAL (checkpointer.ts).
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import type { SecretBox } from '../secret-box.ts';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MigrationReport, Store, Tx } from '../store.ts';
import type { SqlDriver } from '../sql/driver.ts';
import { createSqlTx } from '../sql/sql-tx.ts';
import { nonceKey } from '../sql/nonce-key.ts';
import { Mutex } from '../mutex.ts';
import { FALLBACK_AUTOCHECKPOINT_PAGES, startCheckpointer, type Checkpointer } from './checkpointer.ts';

const PAGE_SIZE = 1024;
const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

class SqliteDriver implements SqlDriver {
  readonly dialect = 'sqlite' as const;
  private readonly cache = new Map<string, Database.Statement>();
  constructor(
    private readonly db: Database.Database,
    readonly secrets?: SecretBox,
  ) {}
  private stmt(sql: string): Database.Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }
  async all<R>(sql: string, params: unknown[] = []): Promise<R[]> {
    return this.stmt(sql).all(...params) as R[];
  }
  async get<R>(sql: string, params: unknown[] = []): Promise<R | undefined> {
    return this.stmt(sql).get(...params) as R | undefined;
  }
  async run(sql: string, params: unknown[] = []): Promise<{ changes: number }> {
    return { changes: this.stmt(sql).run(...params).changes };
  }
}

function open(file: string): Database.Database {
  const db = new Database(file);
  // Small pages: a commit appends every page it touched to the WAL, and an
  // address change touches a handful of B-tree pages; 1 KiB pages make that
  // about 40% cheaper than 4 KiB (bench/assign). Only takes effect on a new file.
  db.pragma(`page_size = ${PAGE_SIZE}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL'); // durable across process crashes in WAL; an OS crash may lose the last commits
  db.pragma('busy_timeout = 10000');
  db.pragma('foreign_keys = ON');
  // 32 MiB of page cache per connection (SQLite's default is 2 MiB): the nonce and address
  // indexes are written at random places, and a miss costs a read system call.
  db.pragma('cache_size = -32768');
  return db;
}

function migrateSqlite(db: Database.Database): string[] {
  // For 003-nonce-key.sql: the stored text's new key, computed by the same code the store uses.
  db.function('eniplane_nonce_key', { deterministic: true }, (accessKeyId, nonce) => nonceKey(String(accessKeyId), String(nonce)));
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  const done = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: string }[]).map((r) => r.version));
  const applied: string[] = [];
  for (const file of readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    if (done.has(file)) continue;
    const sql = readFileSync(join(MIGRATIONS_DIR, file), 'utf8');
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(file, new Date().toISOString());
    }).immediate();
    applied.push(file);
  }
  return applied;
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private readonly writer: Database.Database;
  private readonly reader: Database.Database;
  /** never writes nor holds a transaction: its data_version moves on every commit, ours or another process's */
  private readonly watcher: Database.Database;
  private readonly dataVersion: Database.Statement;
  private readonly writerDriver: SqliteDriver;
  private readonly readerDriver: SqliteDriver;
  private readonly writeLock = new Mutex();
  private readonly readLock = new Mutex();
  private readonly checkpointer: Checkpointer | undefined;
  // The transaction-control statements every write runs, prepared once.
  private readonly begin: Database.Statement;
  private readonly savepoint: Database.Statement;
  private readonly release: Database.Statement;
  private readonly rollbackTo: Database.Statement;

  /**
   * file: a path, or ':memory:'-like paths are refused (WAL needs a file; use a temp dir in tests).
   * backgroundCheckpoints (default true): checkpoint from a worker thread, see checkpointer.ts.
   * migrate (default true): apply pending migrations on open (`eniplane migrate` calls migrate() itself).
   */
  constructor(
    readonly file: string,
    opts: { backgroundCheckpoints?: boolean; migrate?: boolean; secrets?: SecretBox } = {},
  ) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    // The database and its -wal/-shm (SQLite gives them the database's mode) are the owner's alone.
    if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
    this.writer = open(file);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
    if (opts.migrate !== false) migrateSqlite(this.writer);
    this.reader = open(file);
    this.watcher = new Database(file, { readonly: true });
    this.dataVersion = this.watcher.prepare('PRAGMA data_version').pluck();
    this.writerDriver = new SqliteDriver(this.writer, opts.secrets);
    this.readerDriver = new SqliteDriver(this.reader, opts.secrets);
    this.begin = this.writer.prepare('BEGIN IMMEDIATE');
    this.savepoint = this.writer.prepare('SAVEPOINT eniplane_tx');
    this.release = this.writer.prepare('RELEASE eniplane_tx');
    this.rollbackTo = this.writer.prepare('ROLLBACK TO eniplane_tx');
    if (opts.backgroundCheckpoints !== false) {
      this.writer.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
      // Harmless when it happens (the writer's inline checkpoint takes over), but worth seeing.
      this.checkpointer = startCheckpointer(file, (message) =>
        process.emitWarning(`background WAL checkpoint failed: ${message}`, 'EniplaneWarning'),
      );
    }
  }

  /**
   * Group commit. Each write transaction runs in a SAVEPOINT inside one
   * shared BEGIN IMMEDIATE; the group COMMITs once no transaction is waiting
   * for the writer any more, and only then are its members answered. Under
   * concurrency many requests share one commit (the expensive part: the WAL
   * append and, at checkpoints, the fsync); alone, a transaction commits at
   * once. A member that throws is rolled back to its savepoint and changes
   * nothing; a failed COMMIT fails every member (none was acknowledged).
   */
  private group: { members: { commit: () => void; fail: (e: unknown) => void }[] } | null = null;

  transaction<T>(fn: (tx: Tx) => Promise<T>, opts?: { readOnly?: boolean }): Promise<T> {
    if (opts?.readOnly === true) return this.readTransaction(fn);
    return this.groupedWrite(fn);
  }

  private readTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.readLock.run(async () => {
      this.reader.exec('BEGIN DEFERRED');
      try {
        return await fn(createSqlTx(this.readerDriver, [], []));
      } finally {
        if (this.reader.inTransaction) this.reader.exec('COMMIT');
      }
    });
  }

  private async groupedWrite<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const db = this.writer;
    const member = await this.writeLock.run(async () => {
      // The group's first member needs no savepoint: nothing else is in the transaction yet,
      // so undoing it is undoing the transaction (and alone, the common case, it is spared two statements).
      const first = !this.group;
      if (first) {
        this.begin.run();
        this.group = { members: [] };
        setImmediate(() => void this.commitGroup());
      } else {
        this.savepoint.run();
      }
      const hooks: (() => void)[] = [];
      const undo: (() => void)[] = [];
      let result: T;
      try {
        result = await fn(createSqlTx(this.writerDriver, hooks, undo));
        if (!first) this.release.run();
      } catch (e) {
        if (first) {
          if (db.inTransaction) db.exec('ROLLBACK');
          this.group = null; // whoever comes next opens a new one (the scheduled commit finds it, or none)
        } else {
          this.rollbackTo.run();
          this.release.run();
        }
        for (const h of undo) h();
        throw e;
      }
      let settle!: { commit: () => void; fail: (e: unknown) => void };
      const committed = new Promise<T>((resolve, reject) => {
        settle = {
          commit: () => {
            for (const h of hooks) h();
            resolve(result);
          },
          fail: (e) => {
            for (const h of undo) h();
            reject(e);
          },
        };
      });
      this.group!.members.push(settle);
      return { committed };
    });
    return member.committed;
  }

  /** Queued behind every transaction waiting now, so they all join this commit. */
  private commitGroup(): Promise<void> {
    return this.writeLock.run(async () => {
      const g = this.group;
      if (!g) return;
      this.group = null;
      try {
        this.writer.exec('COMMIT');
      } catch (e) {
        if (this.writer.inTransaction) this.writer.exec('ROLLBACK');
        for (const m of g.members) m.fail(e);
        return;
      }
      for (const m of g.members) m.commit();
    });
  }

  commitCounter(): number {
    return this.dataVersion.get() as number;
  }

  /** Applies pending migrations; reports what it applied and what the file knows that this build does not. */
  async migrate(): Promise<MigrationReport> {
    const applied = migrateSqlite(this.writer);
    const known = new Set(readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')));
    const recorded = (this.writer.prepare('SELECT version FROM schema_migrations').all() as { version: string }[]).map((r) => r.version);
    return { target: this.file, applied, unknown: recorded.filter((v) => !known.has(v)) };
  }

  async close(): Promise<void> {
    await this.checkpointer?.stop();
    await this.commitGroup();
    await this.writeLock.run(async () => this.writer.close());
    await this.readLock.run(async () => this.reader.close());
    this.watcher.close();
  }
}
