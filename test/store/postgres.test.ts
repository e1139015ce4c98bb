// The store contract on PostgreSQL (a fresh schema per case, dropped after),
// then what only PostgreSQL has: URL settings, migrations racing at start,
// error mapping and retries, and the services on two "processes" (two
// stores, two address hints) sharing one schema.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { readFileSync } from 'node:fs';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { parsePgUrl } from '../../src/store/postgres/pg-config.ts';
import { migrationFiles } from '../../src/store/postgres/pg-migrate.ts';
import { numberPlaceholders } from '../../src/store/postgres/pg-driver.ts';
import { TransientConflict } from '../../src/store/store.ts';
import { createDeps } from '../../src/service/create-deps.ts';
import { ensureRootAccount } from '../../src/service/accounts.ts';
import { createSecurityGroup, createVpc, createVSwitch } from '../../src/service/networks.ts';
import { createEni } from '../../src/service/create-eni.ts';
import { assignPrivateIps, unassignPrivateIps } from '../../src/service/eni-addresses.ts';
import { attachEni, deleteEni } from '../../src/service/eni-lifecycle.ts';
import { deleteInstance, runInstances } from '../../src/service/instances.ts';
import { settleDue } from '../../src/service/transitions.ts';
import { isDomainError } from '../../src/domain/errors.ts';
import type { Clock } from '../../src/domain/ports.ts';
import type { ServiceDeps } from '../../src/service/deps.ts';
import { storeContract } from './contract.ts';
import { nonceKey } from '../../src/store/sql/nonce-key.ts';
import { PG_BASE_URL, dropSchema, freshSchemaName, pgUnavailable, querySchema, sweepStaleSchemas, urlWithSchema } from './pg-support.ts';

const unavailable = await pgUnavailable();
// A skipped case needs a written reason: this one is printed by the runner. CI always has the server.
const skip = unavailable !== undefined && !process.env.CI ? unavailable : false;

/** Stores opened by a case; closed and their schemas dropped even when the case fails. */
async function openFresh(
  opts: { poolMax?: number } = {},
): Promise<{ store: PostgresStore; schema: string; url: string; dispose(): Promise<void> }> {
  const schema = freshSchemaName();
  const url = urlWithSchema(schema);
  const store = await PostgresStore.open(url, opts);
  return {
    store,
    schema,
    url,
    async dispose() {
      await store.close().catch(() => undefined);
      await dropSchema(schema);
    },
  };
}

if (!skip) {
  before(() => sweepStaleSchemas());
  storeContract('postgres', () => openFresh());
}

describe('PostgresStore', { skip }, () => {
  describe('settings from the URL', () => {
    it('takes ?schema= and ?pool_max= out of the URL and sets search_path at connect', () => {
      const s = parsePgUrl('postgres://u:p@db.example:6543/app?schema=tenant_a&pool_max=4&sslmode=disable');
      assert.equal(s.schema, 'tenant_a');
      assert.equal(s.pool.max, 4);
      assert.equal(s.pool.connectionString, 'postgres://u:p@db.example:6543/app?sslmode=disable');
      assert.match(String(s.pool.options), /-c search_path=tenant_a/);
      assert.equal(s.pool.idleTimeoutMillis, 30_000);
    });

    it('honours libpq-style options=-c search_path=... and defaults the pool to 10', () => {
      const s = parsePgUrl('postgresql://u@h/db?options=-c%20search_path%3Dother_s');
      assert.equal(s.schema, 'other_s');
      assert.equal(s.pool.max, 10);
      assert.match(String(s.pool.options), /^-c search_path=other_s/);
      assert.equal(parsePgUrl('postgres://u@h/db').schema, undefined);
    });

    it('refuses schema names that would need quoting, and bad pool sizes', () => {
      assert.throws(() => parsePgUrl('postgres://u@h/db?schema=Bad-Name'), /invalid schema name/);
      assert.throws(() => parsePgUrl('postgres://u@h/db?schema=x;drop'), /invalid schema name/);
      assert.throws(() => parsePgUrl('postgres://u@h/db?pool_max=0'), /invalid pool_max/);
      assert.throws(() => parsePgUrl('not a url'), /invalid PostgreSQL URL/);
    });

    it('takes ?batch_max= out of the URL: 32 by default, 1..32', () => {
      const s = parsePgUrl('postgres://u@h/db?batch_max=1&sslmode=disable');
      assert.equal(s.batchMax, 1);
      assert.equal(s.pool.connectionString, 'postgres://u@h/db?sslmode=disable');
      assert.equal(parsePgUrl('postgres://u@h/db').batchMax, 32);
      assert.throws(() => parsePgUrl('postgres://u@h/db?batch_max=0'), /invalid batch_max/);
      assert.throws(() => parsePgUrl('postgres://u@h/db?batch_max=33'), /invalid batch_max/);
    });

    it('numbers ? placeholders outside quotes', () => {
      assert.equal(
        numberPlaceholders("SELECT * FROM t WHERE a = ? AND b = '?' AND c IN (?,?)"),
        "SELECT * FROM t WHERE a = $1 AND b = '?' AND c IN ($2,$3)",
      );
    });

    it('a bad URL or an unreachable server fails open() with a readable message and no open pool', async () => {
      await assert.rejects(
        PostgresStore.open('postgres://postgres@127.0.0.1:1/test?schema=x_unreachable'),
        /PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/test/,
      );
    });
  });

  describe('migrations', () => {
    it('concurrent starters on an empty schema apply each file once (advisory lock)', async () => {
      const schema = freshSchemaName();
      const url = urlWithSchema(schema);
      const stores: PostgresStore[] = [];
      try {
        const opened = await Promise.allSettled(Array.from({ length: 5 }, () => PostgresStore.open(url, { poolMax: 2 })));
        for (const o of opened) if (o.status === 'fulfilled') stores.push(o.value);
        assert.deepEqual(
          opened.filter((o) => o.status === 'rejected'),
          [],
        );
        const rows = await querySchema<{ version: string }>(schema, 'SELECT version FROM schema_migrations ORDER BY version');
        assert.deepEqual(
          rows.map((r) => r.version),
          migrationFiles(),
        );
        const again = await stores[0].migrate();
        assert.deepEqual({ schema: again.schema, applied: again.applied, unknown: again.unknown }, { schema, applied: [], unknown: [] });
        const tables = await querySchema<{ n: number }>(
          schema,
          'SELECT COUNT(*)::int AS n FROM information_schema.tables WHERE table_schema = $1',
          [schema],
        );
        assert.equal(tables[0].n, 22, 'the 21 tables and schema_migrations, all in the named schema');
      } finally {
        await Promise.all(stores.map((s) => s.close()));
        await dropSchema(schema);
      }
    });

    it('002 carries every live nonce over under the key the store computes (a replay across the upgrade is still one)', async () => {
      const schema = freshSchemaName();
      const c = new pg.Client({ connectionString: PG_BASE_URL });
      await c.connect();
      let store: PostgresStore | undefined;
      try {
        // A schema as the first release left it: only 001 applied, nonces stored as text (one non-ASCII).
        await c.query(`CREATE SCHEMA "${schema}"; SET search_path TO "${schema}"`);
        await c.query(readFileSync(new URL('../../src/store/postgres/migrations/001-initial.sql', import.meta.url), 'utf8'));
        await c.query(
          "CREATE TABLE schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL); INSERT INTO schema_migrations VALUES ('001-initial.sql', 'then')",
        );
        await c.query("INSERT INTO nonces VALUES ('key', 'n-1', 123), ('key', 'nonce-é-2', 456), ('other', 'n-1', 789)");
        store = await PostgresStore.open(urlWithSchema(schema));
        const rows = await querySchema<{ key: string; expires_ms: string }>(
          schema,
          'SELECT key::text, expires_ms::text FROM nonces ORDER BY expires_ms',
        );
        assert.deepEqual(
          rows.map((r) => [BigInt(r.key), Number(r.expires_ms)]),
          [
            [nonceKey('key', 'n-1'), 123],
            [nonceKey('key', 'nonce-é-2'), 456],
            [nonceKey('other', 'n-1'), 789],
          ],
        );
        assert.equal(
          await store.transaction((tx) => tx.nonces.add('key', 'nonce-é-2', 999)),
          false,
          'recorded before the upgrade: still a replay',
        );
        assert.equal(await store.transaction((tx) => tx.nonces.add('key', 'n-3', 999)), true);
      } finally {
        await store?.close();
        await c.end();
        await dropSchema(schema);
      }
    });

    it("006 moves eni_tags into the one tags table, with the ENI's account and region", async () => {
      const schema = freshSchemaName();
      const c = new pg.Client({ connectionString: PG_BASE_URL });
      await c.connect();
      let store: PostgresStore | undefined;
      try {
        await c.query(`CREATE SCHEMA "${schema}"; SET search_path TO "${schema}"`);
        await c.query(readFileSync(new URL('../../src/store/postgres/migrations/001-initial.sql', import.meta.url), 'utf8'));
        await c.query(
          "CREATE TABLE schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL); INSERT INTO schema_migrations VALUES ('001-initial.sql', 'then')",
        );
        await c.query(`INSERT INTO accounts VALUES ('acc', 'a', 'now');
          INSERT INTO vpcs VALUES ('vpc-1', 'acc', 'cn-hangzhou', 'rg', 'v', '', '10.0.0.0/8', NULL, 'Available', 'now');
          INSERT INTO vswitches VALUES ('vsw-1', 'acc', 'cn-hangzhou', 'vpc-1', 'cn-hangzhou-h', 'rg', 'v', '', '10.1.0.0/16', NULL, 'Available', 'now');
          INSERT INTO enis (id, account_id, region_id, zone_id, vpc_id, vswitch_id, resource_group_id, name, description, type, status, mac_address, delete_on_release, created_at)
            VALUES ('eni-1', 'acc', 'cn-hangzhou', 'cn-hangzhou-h', 'vpc-1', 'vsw-1', 'rg', '', '', 'Secondary', 'Available', '00:16:3e:00:00:01', 1, 'now');
          INSERT INTO eni_tags VALUES ('eni-1', 'team', 'net'), ('eni-1', 'creator', 'terway');`);
        store = await PostgresStore.open(urlWithSchema(schema));
        const eni = await store.transaction((tx) => tx.enis.get('acc', 'eni-1'));
        assert.deepEqual(eni?.tags, [
          { key: 'creator', value: 'terway' },
          { key: 'team', value: 'net' },
        ]);
        const rows = await querySchema<Record<string, string>>(
          schema,
          'SELECT resource_id, resource_type, account_id, region_id, key FROM tags ORDER BY key',
        );
        assert.deepEqual(
          rows.map((r) => Object.values(r).join(' ')),
          ['eni-1 eni acc cn-hangzhou creator', 'eni-1 eni acc cn-hangzhou team'],
        );
        assert.deepEqual(
          await querySchema(schema, "SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'eni_tags'", [
            schema,
          ]),
          [],
        );
      } finally {
        await store?.close();
        await c.end();
        await dropSchema(schema);
      }
    });

    it('migrate: false connects without touching the schema', async () => {
      const schema = freshSchemaName();
      const store = await PostgresStore.open(urlWithSchema(schema), { migrate: false });
      try {
        assert.deepEqual(await querySchema(schema, 'SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]), []);
      } finally {
        await store.close();
        await dropSchema(schema);
      }
    });
  });

  describe('transactions on PostgreSQL', () => {
    let t: Awaited<ReturnType<typeof openFresh>>;
    before(async () => {
      t = await openFresh();
      await t.store.transaction(async (tx) => {
        await tx.accounts.insert({ id: 'acc-1', name: 'root', createdAt: 'T' });
        await tx.kv.put('a', '0', null);
        await tx.kv.put('b', '0', null);
      });
    });
    after(() => t.dispose());

    it('a unique violation re-runs the callback, then surfaces as TransientConflict', async () => {
      const before = t.store.retries;
      let runs = 0;
      const err = await t.store
        .transaction(async (tx) => {
          runs++;
          await tx.accounts.insert({ id: 'acc-1', name: 'again', createdAt: 'T' });
        })
        .catch((e: unknown) => e);
      assert.ok(err instanceof TransientConflict, String(err));
      assert.equal(err.sqlState, '23505');
      assert.match(err.message, /unique violation \(accounts_pkey\)/);
      assert.equal(runs, 4);
      assert.equal(t.store.retries - before, 3);
    });

    it('a deadlock between two transactions is resolved by re-running the loser', async () => {
      const before = t.store.retries;
      // Rendezvous: both hold their first row lock before asking for the other's.
      let arrived = 0;
      let release!: () => void;
      const bothHoldOne = new Promise<void>((r) => (release = r));
      const arrive = async () => {
        if (++arrived === 2) release();
        await Promise.race([bothHoldOne, new Promise((r) => setTimeout(r, 200))]);
      };
      const body = (first: string, second: string) =>
        t.store.transaction(async (tx) => {
          await tx.kv.put(first, 'x', null);
          await arrive();
          await tx.kv.put(second, 'y', null);
          return 'done';
        });
      assert.deepEqual(await Promise.all([body('a', 'b'), body('b', 'a')]), ['done', 'done']);
      assert.ok(t.store.retries - before >= 1, 'one of them was chosen as the deadlock victim and re-run');
    });

    it('a failed statement fails the transaction even when the callback catches it', async () => {
      const events: string[] = [];
      const err = await t.store
        .transaction(async (tx) => {
          tx.onRollback(() => events.push('rollback'));
          await tx.kv.put('c', '1', null);
          await tx.vpcs.get('acc-1', 'x').then(() => tx.addresses.ipv4NumsInVSwitch('x'));
          // an error PostgreSQL raises: integer out of range
          await tx.securityGroups.adjustIpCount(['none'], 2 ** 40, { normal: 1, enterprise: 1 }).catch(() => events.push('caught'));
        })
        .catch((e: unknown) => e);
      assert.ok(err instanceof pg.DatabaseError, String(err));
      assert.deepEqual(events, ['caught', 'rollback']);
      assert.equal(await t.store.transaction((tx) => tx.kv.get('c', Date.now())), undefined);
    });

    it('read-only transactions refuse to write', async () => {
      await assert.rejects(
        t.store.transaction((tx) => tx.kv.put('ro', '1', null), { readOnly: true }),
        /read-only transaction/,
      );
    });

    it('prepared statements outdated by a schema change: the connections are retired, the transaction re-run', async () => {
      const u = await openFresh({ poolMax: 3 });
      try {
        await u.store.transaction((tx) => tx.accounts.insert({ id: 'a1', name: 'n', createdAt: 'T' }));
        // prepare SELECT * FROM accounts on every pooled connection
        await Promise.all(
          Array.from({ length: 3 }, () =>
            u.store.transaction(async (tx) => {
              await tx.accounts.get('a1');
              await new Promise((r) => setTimeout(r, 20));
            }),
          ),
        );
        // what a newer build's migration could do while this process runs
        await querySchema(u.schema, 'ALTER TABLE accounts ADD COLUMN note TEXT');
        const before = u.store.retries;
        const got = await Promise.all(Array.from({ length: 3 }, () => u.store.transaction((tx) => tx.accounts.get('a1'))));
        assert.deepEqual(
          got.map((a) => a?.id),
          ['a1', 'a1', 'a1'],
        );
        assert.ok(u.store.retries - before >= 1);
        assert.equal((await u.store.transaction((tx) => tx.accounts.get('a1')))?.name, 'n');
      } finally {
        await u.dispose();
      }
    });

    it('BIGINT columns come back as numbers', async () => {
      await t.store.transaction((tx) => tx.idempotency.put('acc-1', 'A', 'big', { paramsHash: 'h', result: 'r' }, 1_800_000_000_000));
      const rows = await querySchema<{ created_ms: unknown }>(t.schema, "SELECT created_ms FROM idempotency WHERE token = 'big'");
      assert.equal(rows[0].created_ms, '1800000000000', 'a plain pg client sees int8 as text');
      assert.equal(await t.store.transaction((tx) => tx.idempotency.purge(1_800_000_000_001)), 1);
    });
  });

  describe('assign and unassign in one call', () => {
    it('after the first on an ENI, each is one round trip (nonce included); every refusal is still the exact one', async () => {
      const t = await openFresh();
      try {
        const deps = createDeps(t.store, { limits: { basicSecurityGroupIpCapacity: 6 } });
        const caller = { accountId: (await ensureRootAccount(deps)).accountId };
        const vpc = await createVpc(deps, caller, { cidrBlock: '10.0.0.0/16' });
        const vsw = await createVSwitch(deps, caller, { vpcId: vpc.id, zoneId: 'cn-hangzhou-i', cidrBlock: '10.0.1.0/24' });
        const sg = await createSecurityGroup(deps, caller, { vpcId: vpc.id });
        const eni = (await createEni(deps, caller, { vSwitchId: vsw.id, securityGroupIds: [sg.id] })).id;
        let n = 0;
        const signed = () => ({
          ...caller,
          nonce: { accessKeyId: 'LTAItest', nonce: `n-${n++}`, expiresMs: Date.now() + 60_000, recorded: false },
        });
        const trips = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
          const at = t.store.roundTrips;
          const r = await f();
          return [r, t.store.roundTrips - at];
        };
        const code = (p: Promise<unknown>) =>
          p.then(
            () => 'ok',
            (e: unknown) => (isDomainError(e) ? e.code : Promise.reject(e)),
          );
        await assignPrivateIps(deps, signed(), { eniId: eni, request: { count: 1 } }); // learns the ENI's vSwitch
        const [two, assignTrips] = await trips(() => assignPrivateIps(deps, signed(), { eniId: eni, request: { count: 2 } }));
        assert.equal(assignTrips, 1);
        assert.equal(two.addresses.length, 2);
        const [, unassignTrips] = await trips(() => unassignPrivateIps(deps, signed(), { eniId: eni, addresses: [two.addresses[0]] }));
        assert.equal(unassignTrips, 1);
        // the nonce went in with the call: the same one again is a replay
        const replay = signed();
        await assignPrivateIps(deps, replay, { eniId: eni, request: { count: 1 } });
        assert.equal(
          await code(
            assignPrivateIps(deps, { ...replay, nonce: { ...replay.nonce, recorded: false } }, { eniId: eni, request: { count: 1 } }),
          ),
          'RequestReplayed',
        );
        // refusals come from the general path, unchanged: 1 primary + 3 held; the group holds 6 at most
        assert.equal(
          await code(assignPrivateIps(deps, signed(), { eniId: eni, request: { count: 3 } })),
          'SecurityGroupIpCapacityExceeded',
        );
        // an address of the vSwitch the ENI does not hold (assignment picks at random)
        const held = new Set((await querySchema<{ address: string }>(t.schema, 'SELECT address FROM private_ips')).map((r) => r.address));
        const notHeld = Array.from({ length: 240 }, (_, i) => `10.0.1.${i + 10}`).find((ip) => !held.has(ip))!;
        assert.equal(await code(unassignPrivateIps(deps, signed(), { eniId: eni, addresses: [notHeld] })), 'AddressNotAssigned');
        assert.equal(await code(assignPrivateIps(deps, signed(), { eniId: 'eni-missing', request: { count: 1 } })), 'EniNotFound');
        const rows = await querySchema<{ n: number; counted: number }>(
          t.schema,
          `SELECT (SELECT COUNT(*)::int FROM private_ips) AS n,
          (SELECT COALESCE(SUM(n), 0)::int FROM sg_ip_shards WHERE security_group_id = $1) AS counted`,
          [sg.id],
        );
        assert.deepEqual(rows[0], { n: 4, counted: 4 }, 'nothing of a refused call stayed');
      } finally {
        await t.dispose();
      }
    });
  });

  describe('services on two processes sharing one schema', () => {
    // Two ServiceDeps, each with its own store (pool) and its own in-memory address hints:
    // what two `eniplane serve` processes are, minus HTTP.
    let a: ServiceDeps;
    let b: ServiceDeps;
    let dispose: () => Promise<void>;
    const caller = { accountId: '' };
    let vSwitchId = '';
    let securityGroupId = '';
    let clockMs = Date.now();
    const clock: Clock = { nowMs: () => clockMs };

    before(async () => {
      const t = await openFresh();
      const other = await PostgresStore.open(t.url);
      dispose = async () => {
        await other.close();
        await t.dispose();
      };
      a = createDeps(t.store, { limits: { transitionMs: 1000 }, clock });
      b = createDeps(other, { limits: { transitionMs: 1000 }, clock });
      const [ra, rb] = await Promise.all([ensureRootAccount(a), ensureRootAccount(b)]);
      assert.equal(ra.accountId, rb.accountId, 'two processes starting at once make one root account');
      caller.accountId = ra.accountId;
      const vpc = await createVpc(a, caller, { cidrBlock: '10.0.0.0/16' });
      vSwitchId = (await createVSwitch(a, caller, { vpcId: vpc.id, zoneId: 'cn-hangzhou-i', cidrBlock: '10.0.1.0/28' })).id;
      securityGroupId = (await createSecurityGroup(a, caller, { vpcId: vpc.id })).id;
    });
    after(() => dispose());

    it('racing assigns from both processes fill a /28 exactly, never twice the same address', async () => {
      // /28: 16 addresses, 4 reserved, 12 usable; 3 ENIs (3 primaries) leave 9 secondaries.
      const enis: string[] = [];
      for (let i = 0; i < 3; i++)
        enis.push((await createEni(i % 2 ? a : b, caller, { vSwitchId, securityGroupIds: [securityGroupId] })).id);
      const results = await Promise.all(
        Array.from({ length: 24 }, (_, i) =>
          assignPrivateIps(i % 2 ? a : b, caller, { eniId: enis[i % 3], request: { count: 1 } }).then(
            (r) => r.addresses[0],
            (e: unknown) => (isDomainError(e) ? e.code : Promise.reject(e)),
          ),
        ),
      );
      const got = results.filter((r) => r.startsWith('10.'));
      assert.equal(got.length, 9, results.join());
      assert.equal(new Set(got).size, 9);
      assert.deepEqual([...new Set(results.filter((r) => !r.startsWith('10.')))], ['VSwitchIpNotEnough']);
      const rows = await querySchema<{ n: number; d: number }>(
        (a.store as PostgresStore).schema!,
        'SELECT COUNT(*)::int AS n, COUNT(DISTINCT address)::int AS d FROM private_ips WHERE vswitch_id = $1',
        [vSwitchId],
      );
      assert.deepEqual(rows[0], { n: 12, d: 12 });
      // freed on one process, taken on the other: b's hint thinks the vSwitch is full and must look again
      const held = await querySchema<{ address: string; eni_id: string }>(
        (a.store as PostgresStore).schema!,
        'SELECT address, eni_id FROM private_ips WHERE is_primary = 0 ORDER BY address',
      );
      const victim = held[0];
      await unassignPrivateIps(a, caller, { eniId: victim.eni_id, addresses: [victim.address] });
      const again = await assignPrivateIps(b, caller, { eniId: victim.eni_id, request: { count: 1 } });
      assert.equal(again.addresses.length, 1);
    });

    it('console sessions and other kv entries written by one process are read by the other', async () => {
      await a.store.transaction((tx) => tx.kv.put('session:abc', '{"accountId":"x"}', Date.now() + 60_000));
      assert.equal(await b.store.transaction((tx) => tx.kv.get('session:abc', Date.now()), { readOnly: true }), '{"accountId":"x"}');
      await b.store.transaction((tx) => tx.kv.delete('session:abc'));
      assert.equal(
        await a.store.transaction((tx) => tx.kv.get('session:abc', Date.now())),
        undefined,
        'a logout on one process ends the session on all',
      );
    });

    it('a transition started by a process that died is completed by another', async () => {
      const [instanceId] = await runInstances(a, caller, {
        instanceType: 'ecs.g7.large',
        vSwitchId: await bigVSwitch(),
        securityGroupIds: [securityGroupId],
        amount: 1,
      });
      clockMs += 2000;
      await settleDue(b);
      const eniId = (await createEni(a, caller, { vSwitchId: bigVsw, securityGroupIds: [securityGroupId], secondaryIpv4: { count: 2 } }))
        .id;
      await attachEni(a, caller, { eniId, instanceId });
      const doomed = (await createEni(a, caller, { vSwitchId: bigVsw, securityGroupIds: [securityGroupId], secondaryIpv4: { count: 3 } }))
        .id;
      await deleteEni(a, caller, { eniId: doomed });
      const sgBefore = await sgCount();
      // process a "dies": its pool closes with the transitions still pending
      await a.store.close();
      clockMs += 2000;
      // settlers of b race each other: every transition completes exactly once
      const settled = await Promise.all([settleDue(b), settleDue(b), settleDue(b)]);
      assert.equal(
        settled.reduce((x, y) => x + y, 0),
        2,
        settled.join(),
      );
      const rows = await querySchema<{ id: string; status: string; instance_id: string | null }>(
        (b.store as PostgresStore).schema!,
        'SELECT id, status, instance_id FROM enis WHERE id IN ($1, $2)',
        [eniId, doomed],
      );
      assert.deepEqual(rows, [{ id: eniId, status: 'InUse', instance_id: instanceId }]);
      assert.equal(await sgCount(), sgBefore - 4, 'the deleted ENI left the group counter once (primary + 3)');
    });

    let bigVsw = '';
    async function bigVSwitch(): Promise<string> {
      if (!bigVsw) {
        const vpcs = await querySchema<{ id: string }>((b.store as PostgresStore).schema!, 'SELECT id FROM vpcs');
        bigVsw = (await createVSwitch(b, caller, { vpcId: vpcs[0].id, zoneId: 'cn-hangzhou-i', cidrBlock: '10.0.2.0/24' })).id;
      }
      return bigVsw;
    }
    async function sgCount(): Promise<number> {
      const r = await querySchema<{ ip_count: number }>(
        (b.store as PostgresStore).schema!,
        'SELECT g.ip_count + (SELECT COALESCE(SUM(n), 0)::int FROM sg_ip_shards s WHERE s.security_group_id = g.id) AS ip_count FROM security_groups g WHERE id = $1',
        [securityGroupId],
      );
      return r[0].ip_count;
    }
  });
  // Races in the services that only several processes expose.
  describe('service races across processes', () => {
    interface Pair {
      a: ServiceDeps;
      b: ServiceDeps;
      caller: { accountId: string };
      vpcId: string;
      vSwitchId: string;
      sgId: string;
      schema: string;
      dispose(): Promise<void>;
    }
    async function pair(limits: Partial<ServiceDeps['limits']> = {}): Promise<Pair> {
      const t = await openFresh();
      const other = await PostgresStore.open(t.url);
      const a = createDeps(t.store, { limits: { transitionMs: 0, ...limits } });
      const b = createDeps(other, { limits: { transitionMs: 0, ...limits } });
      const caller = { accountId: (await ensureRootAccount(a)).accountId };
      const vpc = await createVpc(a, caller, { cidrBlock: '10.0.0.0/16' });
      const vSwitchId = (await createVSwitch(a, caller, { vpcId: vpc.id, zoneId: 'cn-hangzhou-i', cidrBlock: '10.0.1.0/24' })).id;
      const sgId = (await createSecurityGroup(a, caller, { vpcId: vpc.id })).id;
      return {
        a,
        b,
        caller,
        vpcId: vpc.id,
        vSwitchId,
        sgId,
        schema: t.schema,
        async dispose() {
          await other.close();
          await t.dispose();
        },
      };
    }
    const codeOf = (e: unknown) => (isDomainError(e) ? e.code : Promise.reject(e));

    it('a ClientToken sent to two processes at once: one piece of work, one answer', async () => {
      const p = await pair();
      try {
        const eniId = (await createEni(p.a, p.caller, { vSwitchId: p.vSwitchId, securityGroupIds: [p.sgId], secondaryIpv4: { count: 8 } }))
          .id;
        // one slot left on the Available ENI (10 with the primary): the twin that waits finds it taken
        const cmd = { eniId, request: { count: 1 }, clientToken: 'twin-token' };
        const r = await Promise.all([
          assignPrivateIps(p.a, p.caller, cmd).catch(codeOf),
          assignPrivateIps(p.b, p.caller, cmd).catch(codeOf),
        ]);
        assert.deepEqual(r[0], r[1], JSON.stringify(r));
      } finally {
        await p.dispose();
      }
    });

    it('racing CreateNetworkInterface on two processes keep the per-region ENI quota', async () => {
      const p = await pair({ enisPerRegion: 4 });
      try {
        const r = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            createEni(i % 2 ? p.a : p.b, p.caller, { vSwitchId: p.vSwitchId, securityGroupIds: [p.sgId] }).then(() => 'ok', codeOf),
          ),
        );
        assert.equal(r.filter((x) => x === 'ok').length, 4, r.join());
      } finally {
        await p.dispose();
      }
    });

    it('racing CreateVSwitch with one CIDR on two processes: one wins, the other is CidrOverlap', async () => {
      const p = await pair();
      try {
        const r = await Promise.all(
          Array.from({ length: 6 }, (_, i) =>
            createVSwitch(i % 2 ? p.a : p.b, p.caller, { vpcId: p.vpcId, zoneId: 'cn-hangzhou-i', cidrBlock: '10.0.9.0/24' }).then(
              () => 'ok',
              codeOf,
            ),
          ),
        );
        assert.deepEqual(
          r.filter((x) => x === 'ok'),
          ['ok'],
          r.join(),
        );
      } finally {
        await p.dispose();
      }
    });

    it('DeleteInstance racing assigns on its ENIs leaves every security-group counter true', async () => {
      const p = await pair();
      try {
        for (let round = 0; round < 3; round++) {
          const [instanceId] = await runInstances(p.a, p.caller, {
            instanceType: 'ecs.g7.large',
            vSwitchId: p.vSwitchId,
            securityGroupIds: [p.sgId],
            amount: 1,
          });
          const eniId = (await createEni(p.a, p.caller, { vSwitchId: p.vSwitchId, securityGroupIds: [p.sgId], deleteOnRelease: true })).id;
          await attachEni(p.a, p.caller, { eniId, instanceId });
          await Promise.all([
            ...Array.from({ length: 4 }, () => assignPrivateIps(p.b, p.caller, { eniId, request: { count: 1 } }).catch(codeOf)),
            deleteInstance(p.a, p.caller, { instanceId, force: true }),
          ]);
        }
        const rows = await querySchema<{ ip_count: number; n: number }>(
          p.schema,
          `SELECT g.ip_count + (SELECT COALESCE(SUM(n), 0)::int FROM sg_ip_shards s WHERE s.security_group_id = g.id) AS ip_count, (SELECT COUNT(*)::int FROM private_ips x
          JOIN eni_security_groups m ON m.eni_id = x.eni_id WHERE m.security_group_id = g.id) AS n FROM security_groups g`,
        );
        assert.equal(rows[0].ip_count, rows[0].n);
      } finally {
        await p.dispose();
      }
    });
  });
});
