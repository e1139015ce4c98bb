// A rolling upgrade past migration 022: while processes of the previous build
// still run beside the new one, they send migration 020's eniplane_calls_v1
// and 018's v2 statements. On a schema migrated to 022 those must still assign
// and unassign, move the security group's count, and leave rows the new build
// reads back as its own (the migration keeps them for exactly this).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { createDeps } from '../../src/service/create-deps.ts';
import { ensureRootAccount } from '../../src/service/accounts.ts';
import { createSecurityGroup, createVpc, createVSwitch } from '../../src/service/networks.ts';
import { createEni } from '../../src/service/create-eni.ts';
import { describeEni } from '../../src/service/describe-enis.ts';
import { assignPrivateIps } from '../../src/service/eni-addresses.ts';
import { parseIpv4 } from '../../src/ipam/index.ts';
import type { Caller, ServiceDeps } from '../../src/service/deps.ts';
import { dropSchema, freshSchemaName, pgUnavailable, querySchema, urlWithSchema } from './pg-support.ts';

const unavailable = await pgUnavailable();
const skip = unavailable !== undefined && !process.env.CI ? unavailable : false;

describe('a process of the previous build on a schema migrated to 022', { skip }, () => {
  const schema = freshSchemaName();
  let store: PostgresStore;
  let deps: ServiceDeps;
  let caller: Caller;
  let eni: string;
  let vsw: string;
  let sg: string;
  before(async () => {
    store = await PostgresStore.open(urlWithSchema(schema));
    deps = createDeps(store);
    caller = { accountId: (await ensureRootAccount(deps)).accountId };
    const vpc = await createVpc(deps, caller, { cidrBlock: '10.0.0.0/8' });
    vsw = (await createVSwitch(deps, caller, { vpcId: vpc.id, zoneId: 'cn-hangzhou-h', cidrBlock: '10.1.0.0/24' })).id;
    sg = (await createSecurityGroup(deps, caller, { vpcId: vpc.id, type: 'enterprise' })).id;
    eni = (await createEni(deps, caller, { vSwitchId: vsw, securityGroupIds: [sg] })).id;
    await assignPrivateIps(deps, caller, { eniId: eni, request: { count: 1 } }); // the new build's own
  });
  after(async () => {
    await store?.close().catch(() => undefined);
    await dropSchema(schema);
  });

  const sgCount = async () =>
    (
      await querySchema<{ n: number }>(schema, 'SELECT COALESCE(SUM(n), 0)::int AS n FROM sg_ip_shards WHERE security_group_id = $1', [sg])
    )[0].n;
  const held = async () => (await describeEni(deps, caller, { eniId: eni })).addresses.filter((a) => !a.primary).map((a) => a.address);
  /** an assign element as the previous build's pg-one-call.ts built it (migration 020's order) */
  const assignElement = (address: string, seq: number) => [
    'a',
    caller.accountId,
    'cn-hangzhou',
    eni,
    vsw,
    4,
    1,
    [address],
    [parseIpv4(address)],
    seq,
    true,
    10,
    0,
    2000,
    65536,
    null,
    null,
    null,
    null,
    null,
    null,
  ];

  it('assigns and unassigns through eniplane_calls_v1 and the v2 functions, and the new build reads the rows', async () => {
    const before = await sgCount();
    // two addresses nobody holds (the new build's own assign picked one at random)
    const taken = new Set(
      (await querySchema<{ address: string }>(schema, 'SELECT address FROM private_ips WHERE vswitch_id = $1', [vsw])).map(
        (r) => r.address,
      ),
    );
    const [a, b] = Array.from({ length: 200 }, (_, i) => `10.1.0.${i + 50}`).filter((x) => !taken.has(x));
    const [v1] = await querySchema<{ r: unknown }>(schema, 'SELECT eniplane_calls_v1($1::jsonb, $2::jsonb) AS r', [
      JSON.stringify([assignElement(a, 1)]),
      JSON.stringify([{ 'ecs.g7.large': [15, 15] }]),
    ]);
    assert.deepEqual(v1.r, [{ a: [a] }]);
    assert.ok((await held()).includes(a), 'the new build reads the old build assign');
    assert.equal(await sgCount(), before + 1);

    // 018's function takes the same values after the kind, the type caps themselves in place of their index
    const v2Values = assignElement(b, 2).slice(1);
    v2Values[11] = '{}';
    const [v2] = await querySchema<{ a: string[] }>(
      schema,
      'SELECT eniplane_assign_addresses_v2($1, $2, $3, $4, $5, $6, $7::text[], $8::bigint[], $9, $10, $11, $12::jsonb, $13, $14, $15, $16, $17, $18, $19, $20) AS a',
      v2Values,
    );
    assert.deepEqual(v2.a, [b]);
    assert.equal(await sgCount(), before + 2);

    const [u1] = await querySchema<{ r: unknown }>(schema, 'SELECT eniplane_calls_v1($1::jsonb, $2::jsonb) AS r', [
      JSON.stringify([['u', caller.accountId, 'cn-hangzhou', eni, 4, [a], null, null, null, null, null, null]]),
      '[]',
    ]);
    assert.deepEqual(u1.r, [{ v: vsw }]);
    const [u2] = await querySchema<{ v: string }>(
      schema,
      'SELECT eniplane_unassign_addresses_v2($1, $2, $3, $4, $5::text[], $6, $7, $8, $9, $10, $11) AS v',
      [caller.accountId, 'cn-hangzhou', eni, 4, [b], null, null, null, null, null, null],
    );
    assert.equal(u2.v, vsw);
    const now = await held();
    assert.ok(!now.includes(a) && !now.includes(b), 'both gone for the new build too');
    assert.equal(now.length, 1, 'the new build assign is untouched');
    assert.equal(await sgCount(), before);

    // and the new build's own path keeps working on the same rows
    const again = await assignPrivateIps(deps, caller, { eniId: eni, request: { addresses: [a] } });
    assert.deepEqual(again.addresses, [a]);
    assert.equal(await sgCount(), before + 1);
  });
});
