// Migration 019 on both dialects: prefixes assigned before they counted in their
// security groups are added to the groups' counters, so that every later change
// (an unassign, an ENI deleted) leaves each counter equal to what its ENIs hold,
// and the capacity check is exact again. The pre-019 state is made by taking the
// prefixes back out of the counters and forgetting that 019 ran.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import type { Store } from '../../src/store/store.ts';
import { createDeps } from '../../src/service/create-deps.ts';
import { ensureRootAccount } from '../../src/service/accounts.ts';
import { createSecurityGroup, createVpc, createVSwitch } from '../../src/service/networks.ts';
import { createEni } from '../../src/service/create-eni.ts';
import { assignPrivateIps, unassignPrivateIps } from '../../src/service/eni-addresses.ts';
import { deleteEni } from '../../src/service/eni-lifecycle.ts';
import { isDomainError } from '../../src/domain/errors.ts';
import { dropSchema, freshSchemaName, querySchema, urlWithSchema } from './pg-support.ts';

const MIGRATION = '019-prefixes-in-security-groups.sql';
const CAPACITY = 12;

interface Dialect {
  open(): Promise<Store>;
  /** the group's counter as the repositories read it */
  counted(sg: string): Promise<number>;
  /** takes `k` out of the group's counter and forgets that 019 ran (the store is closed) */
  rewind(sg: string, k: number): Promise<void>;
  dispose(): Promise<void>;
}

function sqliteDialect(): Dialect {
  const dir = mkdtempSync(join(tmpdir(), 'eniplane-019-'));
  const file = join(dir, 'eniplane.db');
  const withDb = <T>(fn: (db: Database.Database) => T): T => {
    const db = new Database(file);
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };
  return {
    open: async () => new SqliteStore(file),
    counted: async (sg) =>
      withDb((db) => (db.prepare('SELECT ip_count AS n FROM security_groups WHERE id = ?').get(sg) as { n: number }).n),
    rewind: async (sg, k) =>
      withDb((db) => {
        db.prepare('UPDATE security_groups SET ip_count = ip_count - ? WHERE id = ?').run(k, sg);
        db.prepare('DELETE FROM schema_migrations WHERE version = ?').run(MIGRATION);
      }),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

function postgresDialect(): Dialect {
  const schema = freshSchemaName();
  return {
    open: () => PostgresStore.open(urlWithSchema(schema)),
    counted: async (sg) =>
      (
        await querySchema<{ n: number }>(
          schema,
          'SELECT (SELECT ip_count FROM security_groups WHERE id = $1) + (SELECT COALESCE(SUM(n), 0)::int FROM sg_ip_shards WHERE security_group_id = $1) AS n',
          [sg],
        )
      )[0]!.n,
    // As 007 left a group before any prefix counted: one shard with the addresses, room shared out.
    rewind: async (sg, k) => {
      const total = (
        await querySchema<{ n: number }>(schema, 'SELECT COALESCE(SUM(n), 0)::int AS n FROM sg_ip_shards WHERE security_group_id = $1', [
          sg,
        ])
      )[0]!.n;
      await querySchema(schema, 'DELETE FROM sg_ip_shards WHERE security_group_id = $1', [sg]);
      await querySchema(schema, 'INSERT INTO sg_ip_shards (security_group_id, shard, n, quota) VALUES ($1, 0, $2, $3)', [
        sg,
        total - k,
        CAPACITY,
      ]);
      await querySchema(schema, 'DELETE FROM schema_migrations WHERE version = $1', [MIGRATION]);
    },
    dispose: () => dropSchema(schema),
  };
}

const codeOf = (e: unknown) => (isDomainError(e) ? e.code : String(e));

async function story(d: Dialect) {
  let store = await d.open();
  let deps = createDeps(store, { limits: { basicSecurityGroupIpCapacity: CAPACITY, transitionMs: 0 } });
  const caller = { accountId: (await ensureRootAccount(deps)).accountId };
  const vpc = await createVpc(deps, caller, { cidrBlock: '10.0.0.0/16' });
  const vsw = await createVSwitch(deps, caller, { vpcId: vpc.id, zoneId: 'cn-hangzhou-i', cidrBlock: '10.0.0.0/20' });
  const sg = (await createSecurityGroup(deps, caller, { vpcId: vpc.id })).id;
  // Two ENIs: 1 + 3 prefixes, and 1 + 2 addresses: 7 in the group.
  const withPrefixes = await createEni(deps, caller, { vSwitchId: vsw.id, securityGroupIds: [sg], ipv4Prefixes: { count: 3 } });
  const plain = await createEni(deps, caller, { vSwitchId: vsw.id, securityGroupIds: [sg], secondaryIpv4: { count: 2 } });
  assert.equal(await d.counted(sg), 7);
  await store.close();

  // Before 019, the 3 prefixes were not counted.
  await d.rewind(sg, 3);
  assert.equal(await d.counted(sg), 4);
  store = await d.open();
  deps = createDeps(store, { limits: { basicSecurityGroupIpCapacity: CAPACITY, transitionMs: 0 } });
  try {
    assert.equal(await d.counted(sg), 7, '019 counts the prefixes already held');
    // Exact capacity after the migration: 5 more fit, the sixth does not.
    await assignPrivateIps(deps, caller, { eniId: plain.id, request: { count: 5 } });
    assert.equal(await d.counted(sg), CAPACITY);
    assert.equal(
      await assignPrivateIps(deps, caller, { eniId: plain.id, request: { count: 1 } }).then(
        () => 'assigned',
        (e) => codeOf(e),
      ),
      'SecurityGroupIpCapacityExceeded',
    );
    // Unassigning a prefix and deleting the ENI leave the counter equal to what is held.
    await unassignPrivateIps(deps, caller, { eniId: withPrefixes.id, addresses: [], prefixes: [withPrefixes.ipv4Prefixes[0]!] });
    assert.equal(await d.counted(sg), CAPACITY - 1);
    await deleteEni(deps, caller, { eniId: withPrefixes.id });
    assert.equal(await d.counted(sg), 8, 'the plain ENI alone: 1 + 7');
  } finally {
    await store.close();
  }
}

describe('migration 019: prefixes held before it count in their security groups', () => {
  const disposers: (() => Promise<void>)[] = [];
  after(async () => {
    for (const f of disposers) await f();
  });
  it('SQLite', async () => {
    const d = sqliteDialect();
    disposers.push(() => d.dispose());
    await story(d);
  });
  it('PostgreSQL', async () => {
    const d = postgresDialect();
    disposers.push(() => d.dispose());
    await story(d);
  });
});
