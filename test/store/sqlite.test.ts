// The store contract on SQLite: a fresh file in a temp dir per case.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { storeContract } from './contract.ts';
import { FALLBACK_AUTOCHECKPOINT_PAGES } from '../../src/store/sqlite/checkpointer.ts';
import { nonceKey } from '../../src/store/sql/nonce-key.ts';
import { Where } from '../../src/store/sql/query.ts';
import { whereTagged, whereTaggedPlanned } from '../../src/store/sql/tag-repo.ts';

storeContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'eniplane-store-'));
  const store = new SqliteStore(join(dir, 'eniplane.db'));
  return {
    store,
    async dispose() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SQLite migrations and checkpoints', () => {
  it('a database from the first release migrates (002 WITHOUT ROWID, 003 nonce keys, 004 no expiry index, 005 addresses keyed by ENI, 007 one tags table) and keeps every row and nonce', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eniplane-mig-'));
    try {
      const file = join(dir, 'eniplane.db');
      // A database as the first release left it: only 001 applied, with rows in both tables.
      const old = new Database(file);
      old.exec(readFileSync(new URL('../../src/store/sqlite/migrations/001-initial.sql', import.meta.url), 'utf8'));
      old.exec(
        "CREATE TABLE schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL); INSERT INTO schema_migrations VALUES ('001-initial.sql', 'then')",
      );
      old.exec(`INSERT INTO accounts VALUES ('acc', 'a', 'now');
        INSERT INTO vpcs VALUES ('vpc-1', 'acc', 'cn-hangzhou', 'rg', 'v', '', '10.0.0.0/8', NULL, 'Available', 'now');
        INSERT INTO vswitches VALUES ('vsw-1', 'acc', 'cn-hangzhou', 'vpc-1', 'cn-hangzhou-h', 'rg', 'v', '', '10.1.0.0/16', NULL, 'Available', 'now');
        INSERT INTO enis (id, account_id, region_id, zone_id, vpc_id, vswitch_id, resource_group_id, name, description, type, status, mac_address, delete_on_release, created_at)
          VALUES ('eni-1', 'acc', 'cn-hangzhou', 'cn-hangzhou-h', 'vpc-1', 'vsw-1', 'rg', '', '', 'Secondary', 'Available', '00:16:3e:00:00:01', 1, 'now');
        INSERT INTO private_ips VALUES ('vsw-1', '10.1.0.5', 4, 167837701, 'eni-1', 1, 1), ('vsw-1', '10.1.0.6', 4, 167837702, 'eni-1', 0, 2);
        INSERT INTO eni_tags VALUES ('eni-1', 'team', 'net');
        INSERT INTO nonces VALUES ('key', 'n-1', 123), ('key', 'n-2', 456);`);
      old.close();

      const store = new SqliteStore(file);
      const eni = await store.transaction((tx) => tx.enis.get('acc', 'eni-1'));
      assert.deepEqual(
        eni?.addresses.map((a) => [a.address, a.primary]),
        [
          ['10.1.0.5', true],
          ['10.1.0.6', false],
        ],
      );
      assert.deepEqual(eni?.tags, [{ key: 'team', value: 'net' }], '007 moved eni_tags into tags');
      assert.equal(
        await store.transaction((tx) => tx.nonces.add('key', 'n-1', 999)),
        false,
        'a nonce recorded before the migration is still a replay',
      );
      assert.equal(await store.transaction((tx) => tx.nonces.add('key', 'n-3', 999)), true);
      await store.close();

      const db = new Database(file, { readonly: true });
      assert.throws(() => db.prepare('SELECT rowid FROM private_ips').all(), /no such column: rowid/, 'private_ips has no rowid');
      // 005: keyed by ENI, one unique index for the per-vSwitch uniqueness and lookups by address, nothing else.
      const indexes = (
        db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'private_ips'").all() as { name: string }[]
      ).map((r) => r.name);
      assert.deepEqual(
        indexes.filter((n) => !n.startsWith('sqlite_autoindex')),
        ['private_ips_address_vswitch'],
      );
      const unique = (db.prepare('PRAGMA index_list(private_ips)').all() as { name: string; unique: number }[]).find(
        (i) => i.name === 'private_ips_address_vswitch',
      );
      assert.equal(unique?.unique, 1, 'an address is unique in its vSwitch');
      assert.deepEqual(
        (db.prepare('PRAGMA index_info(private_ips_address_vswitch)').all() as { name: string }[]).map((c) => c.name),
        ['address', 'vswitch_id'],
      );
      // Each nonce under the key the store computes, its expiry kept: n-2 was carried over too, not only the one probed above.
      const rows = db.prepare('SELECT key, expires_ms FROM nonces ORDER BY expires_ms').safeIntegers(true).all() as {
        key: bigint;
        expires_ms: bigint;
      }[];
      assert.deepEqual(
        rows.map((r) => [r.key, Number(r.expires_ms)]),
        [
          [nonceKey('key', 'n-1'), 123],
          [nonceKey('key', 'n-2'), 456],
          [nonceKey('key', 'n-3'), 999],
        ],
      );
      assert.deepEqual(
        db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'nonces'").all(),
        [],
        'no expiry index (004): the purge sweeps key ranges',
      );
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("Describe tag filters are index ranges of tags_by_key, a resource's tags its key range", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eniplane-plan-'));
    try {
      const file = join(dir, 'eniplane.db');
      await new SqliteStore(file).close();
      const db = new Database(file, { readonly: true });
      const plan = (sql: string, params: unknown[]) =>
        (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
      const scope = { accountId: 'acc', regionId: 'cn-hangzhou', resourceType: 'eni' as const };
      // DescribeNetworkInterfaces with Tag.1 (key and value) and Tag.2 (key only), as the ENI repository builds it.
      const w = whereTagged(new Where().eq('account_id', 'acc').eq('region_id', 'cn-hangzhou'), scope, [
        { key: 'creator', value: 'terway' },
        { key: 'ack.aliyun.com' },
      ]);
      const enis = plan(`SELECT * FROM enis${w.sql()} ORDER BY id LIMIT 500`, w.params);
      assert.match(
        enis,
        /tags USING COVERING INDEX tags_by_key \(account_id=\? AND region_id=\? AND resource_type=\? AND key=\? AND value=\?\)/,
      );
      assert.match(enis, /tags USING COVERING INDEX tags_by_key \(account_id=\? AND region_id=\? AND resource_type=\? AND key=\?\)/);
      assert.doesNotMatch(enis, /SCAN tags/);
      // A tag most ENIs carry is probed per ENI on the (resource, key) key instead, walking the account's ENIs in id order.
      const driver = {
        dialect: 'sqlite' as const,
        all: async () => [],
        run: async () => ({ changes: 0 }),
        get: async <R>(sql: string) => ({ n: sql.includes('FROM tags') ? 90 : 100 }) as R,
      };
      const probed = await whereTaggedPlanned(driver, 'enis', new Where().eq('account_id', 'acc').eq('region_id', 'cn-hangzhou'), scope, [
        { key: 'creator', value: 'terway' },
      ]);
      const common = plan(`SELECT * FROM enis${probed.sql()} ORDER BY id LIMIT 500`, probed.params);
      assert.match(common, /SEARCH enis USING INDEX enis_account_region \(account_id=\? AND region_id=\?\)/);
      assert.match(common, /SEARCH t (EXISTS )?USING PRIMARY KEY \(resource_id=\? AND key=\?\)/);
      assert.doesNotMatch(common, /SCAN/);
      // An ENI's own tags (loaded with it): the primary key's range.
      assert.match(
        plan('SELECT key, value FROM tags WHERE resource_id = ?', ['eni-1']),
        /SEARCH tags USING PRIMARY KEY \(resource_id=\?\)/,
      );
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a worker thread checkpoints the WAL while the writer keeps committing, and the data stays whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eniplane-ckpt-'));
    try {
      const file = join(dir, 'eniplane.db');
      const store = new SqliteStore(file);
      const initialSize = statSync(file).size;
      // The writer itself only checkpoints past the fallback, so below it any growth of the file is the worker's.
      const writer = (store as unknown as { writer: Database.Database }).writer;
      assert.equal(writer.pragma('wal_autocheckpoint', { simple: true }), FALLBACK_AUTOCHECKPOINT_PAGES);
      // Past SQLite's default inline threshold (1000 pages) many times over, but under the writer's fallback.
      const rows = 12_000;
      for (let i = 0; i < rows; i += 200) {
        await Promise.all(
          Array.from({ length: 200 }, (_, j) => store.transaction((tx) => tx.kv.put(`ckpt-${i + j}`, 'x'.repeat(60), null))),
        );
      }
      // Nothing but a checkpoint moves pages from the WAL into the database file. The worker runs
      // every few ms; give it a bounded while. (Only reading sizes here: a probe connection's own
      // checkpoint call would do the work it is meant to observe.)
      let grown = false;
      for (let i = 0; i < 200 && !grown; i++) {
        await new Promise((r) => setTimeout(r, 25));
        grown = statSync(file).size > initialSize + 512 * 1024;
      }
      assert.ok(grown, `the database file grew from ${initialSize} to ${statSync(file).size} bytes before close`);
      const walPages = statSync(`${file}-wal`).size / 1024;
      assert.ok(
        walPages < FALLBACK_AUTOCHECKPOINT_PAGES,
        `the WAL (${walPages.toFixed(0)} pages) never reached the writer's inline fallback`,
      );
      await store.close();
      const db = new Database(file, { readonly: true });
      assert.equal((db.prepare("SELECT COUNT(*) AS n FROM kv WHERE key LIKE 'ckpt-%'").get() as { n: number }).n, rows);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
