// AccessKey secrets at rest, file modes and the audit trail's table, on SQLite.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { openStore } from '../../src/store/open-store.ts';
import { SECRET_KEY_FILE } from '../../src/store/secret-box.ts';
import { createDeps } from '../../src/service/create-deps.ts';
import { createAccount } from '../../src/service/accounts.ts';
import { secretsContract } from './secrets-contract.ts';
import { auditContract } from './audit-contract.ts';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'eniplane-secrets-'));
  dirs.push(d);
  return d;
};
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('SQLite: AccessKey secrets at rest', () => {
  secretsContract(() => {
    const file = join(tmp(), 'eniplane.db');
    const raw = <R>(fn: (db: Database.Database) => R): R => {
      const db = new Database(file);
      try {
        return fn(db);
      } finally {
        db.close();
      }
    };
    return {
      open: async (secrets) => new SqliteStore(file, { secrets, backgroundCheckpoints: false }),
      rows: async () =>
        raw(
          (db) =>
            db.prepare('SELECT id, secret, secret_key_id FROM access_keys ORDER BY id').all() as {
              id: string;
              secret: string;
              secret_key_id: string | null;
            }[],
        ),
      exec: async (sql, params) => {
        raw((db) => db.prepare(sql).run(...params));
      },
    };
  });
});

describe('SQLite: the audit trail', () => {
  auditContract(async () => new SqliteStore(join(tmp(), 'eniplane.db'), { backgroundCheckpoints: false }));
});

const mode = (p: string) => statSync(p).mode & 0o777;

describe("SQLite: what the server writes is the owner's alone", () => {
  it('a new data dir is 0700; the database, its -wal and -shm, and secret.key are 0600; the secret is not in any of them', async () => {
    const dir = join(tmp(), 'data');
    const store = await openStore(undefined, dir, { env: {} });
    try {
      const { key } = await createAccount(createDeps(store), 'someone');
      assert.equal(mode(dir), 0o700);
      for (const f of ['eniplane.db', 'eniplane.db-wal', 'eniplane.db-shm', SECRET_KEY_FILE]) assert.equal(mode(join(dir, f)), 0o600, f);
      for (const f of ['eniplane.db', 'eniplane.db-wal'])
        assert.ok(!readFileSync(join(dir, f)).includes(key.secret), `${f} holds the plain secret`);
    } finally {
      await store.close();
    }
  });

  it('on start, an existing data dir and files with loose modes are tightened, and plain secrets are sealed', async () => {
    const dir = join(tmp(), 'data');
    mkdirSync(dir, { mode: 0o755 });
    // A database written by an older eniplane: plain secrets, 0644.
    const old = new SqliteStore(join(dir, 'eniplane.db'), { backgroundCheckpoints: false });
    const { key } = await createAccount(createDeps(old), 'legacy');
    await old.close();
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'eniplane.db'), 0o644);
    writeFileSync(join(dir, 'unrelated.txt'), 'x');
    const store = await openStore(undefined, dir, { env: {} });
    try {
      assert.equal(mode(dir), 0o700);
      assert.equal(mode(join(dir, 'eniplane.db')), 0o600);
      const row = new Database(join(dir, 'eniplane.db'), { readonly: true })
        .prepare('SELECT secret, secret_key_id FROM access_keys WHERE id = ?')
        .get(key.id) as { secret: string; secret_key_id: string | null };
      assert.notEqual(row.secret_key_id, null);
      assert.notEqual(row.secret, key.secret);
      assert.equal((await store.transaction((tx) => tx.accessKeys.get(key.id), { readOnly: true }))?.secret, key.secret);
    } finally {
      await store.close();
    }
  });

  it('ENIPLANE_SECRET_KEY is used instead of a key file (none is written)', async () => {
    const dir = join(tmp(), 'data');
    const env = { ENIPLANE_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') };
    const store = await openStore(undefined, dir, { env });
    await createAccount(createDeps(store), 'env-keyed');
    await store.close();
    assert.throws(() => statSync(join(dir, SECRET_KEY_FILE)));
    await assert.rejects(
      openStore(undefined, dir, { env: { ENIPLANE_SECRET_KEY: 'c2hvcnQ=' } }),
      /32 bytes/,
      'a key of the wrong size is refused',
    );
  });
});
