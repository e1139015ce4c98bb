// IP prefixes (terway's prefix mode, Terraform's ipv4_prefix_count) through the
// official ECS SDK (@alicloud/ecs20140526, the RPC signing terway's Go client
// uses) against real server processes: SQLite, and two servers on one
// PostgreSQL schema, which must never hand out overlapping prefixes and
// addresses between them.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { sdkClient, type SdkClient } from '../support/sdk-clients.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { dropSchema, freshSchemaName, urlWithSchema } from '../store/pg-support.ts';

const R = { RegionId: 'cn-hangzhou' };
const KEY = { id: `LTAI${randomBytes(10).toString('hex')}`, secret: randomBytes(15).toString('hex') };
const SEAL_KEY = randomBytes(32).toString('base64');
const schema = freshSchemaName();

let sqlite: ServerProcess | undefined;
const pg: ServerProcess[] = [];
before(async () => {
  const shared = { ENIPLANE_ROOT_ACCESS_KEY_ID: KEY.id, ENIPLANE_ROOT_ACCESS_KEY_SECRET: KEY.secret, ENIPLANE_SECRET_KEY: SEAL_KEY };
  sqlite = await startServerProcess({ args: ['--transition-ms', '50'] });
  // One after the other: the first migrates the schema.
  for (let i = 0; i < 2; i++) {
    pg.push(await startServerProcess({ args: ['--transition-ms', '50', '--database', urlWithSchema(schema)], env: shared }));
  }
});
after(async () => {
  await sqlite?.stop();
  for (const s of pg) await s.stop();
  await dropSchema(schema);
});

const toNum = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
/** [first, last] of an IPv4 CIDR */
function range(cidr: string): [number, number] {
  const [a, len] = cidr.split('/');
  const first = toNum(a!);
  return [first, first + 2 ** (32 - Number(len)) - 1];
}
const inRange = (n: number, [lo, hi]: [number, number]) => n >= lo && n <= hi;

async function network(c: SdkClient, n: number) {
  const vpc = await c.call('CreateVpc', { ...R, CidrBlock: '172.16.0.0/12', EnableIpv6: true, VpcName: `prefixes-${n}` });
  const vsw = await c.call('CreateVSwitch', {
    ...R,
    VpcId: vpc.VpcId,
    ZoneId: 'cn-hangzhou-h',
    CidrBlock: `172.16.${n}.0/24`,
    Ipv6CidrBlock: 1,
  });
  const sg = await c.call('CreateSecurityGroup', { ...R, VpcId: vpc.VpcId, SecurityGroupType: 'enterprise' });
  return { vpcId: vpc.VpcId as string, vSwitchId: vsw.VSwitchId as string, sg: sg.SecurityGroupId as string };
}

async function describeEni(c: SdkClient, id: string) {
  const r = await c.call('DescribeNetworkInterfaces', { ...R, NetworkInterfaceId: [id] });
  return r.NetworkInterfaceSets.NetworkInterfaceSet[0];
}
const v4Prefixes = (e: any): string[] => (e.Ipv4PrefixSets?.Ipv4PrefixSet ?? []).map((x: any) => x.Ipv4Prefix);
const v6Prefixes = (e: any): string[] => (e.Ipv6PrefixSets?.Ipv6PrefixSet ?? []).map((x: any) => x.Ipv6Prefix);

function assertAlignedIn(prefix: string, vswCidr: string) {
  const [a, len] = prefix.split('/');
  assert.equal(len, '28', prefix);
  assert.equal(toNum(a!) % 16, 0, `${prefix} is aligned`);
  const [lo, hi] = range(vswCidr);
  // Inside the vSwitch and clear of its reserved addresses (the first, the last three).
  assert.ok(toNum(a!) > lo && toNum(a!) + 15 < hi - 2, `${prefix} inside ${vswCidr}, clear of reserved addresses`);
}

async function story(c: SdkClient, n: number) {
  const net = await network(c, n);
  const cidr = `172.16.${n}.0/24`;

  // CreateNetworkInterface Ipv4PrefixCount (Terraform's ipv4_prefix_count).
  const created = await c.call('CreateNetworkInterface', { ...R, VSwitchId: net.vSwitchId, SecurityGroupId: net.sg, Ipv4PrefixCount: 2 });
  const eni = created.NetworkInterfaceId as string;
  const atCreate = v4Prefixes(created);
  assert.equal(atCreate.length, 2);
  for (const p of atCreate) assertAlignedIn(p, cidr);
  assert.ok(!atCreate.some((p) => inRange(toNum(created.PrivateIpAddress), range(p))), 'the primary address is outside every prefix');

  // AssignPrivateIpAddresses Ipv4PrefixCount (terway's prefix mode).
  const assigned = await c.call('AssignPrivateIpAddresses', { ...R, NetworkInterfaceId: eni, Ipv4PrefixCount: 3 });
  const more = assigned.AssignedPrivateIpAddressesSet.Ipv4PrefixSet.Ipv4Prefixes as string[];
  assert.equal(more.length, 3);
  assert.deepEqual(assigned.AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress, []);
  const all = [...atCreate, ...more];
  assert.equal(new Set(all).size, 5, 'no prefix twice');
  for (const p of all) assertAlignedIn(p, cidr);
  assert.deepEqual(v4Prefixes(await describeEni(c, eni)).sort(), [...all].sort());
  const attr = await c.call('DescribeNetworkInterfaceAttribute', { ...R, NetworkInterfaceId: eni });
  assert.deepEqual(v4Prefixes(attr).sort(), [...all].sort());

  // The real codes: overlap, not aligned, outside the vSwitch, addresses with prefixes, an address inside a prefix.
  const other = await c.call('CreateNetworkInterface', { ...R, VSwitchId: net.vSwitchId, SecurityGroupId: net.sg });
  const otherId = other.NetworkInterfaceId as string;
  assert.equal(
    (await c.fail('AssignPrivateIpAddresses', { ...R, NetworkInterfaceId: otherId, Ipv4Prefix: [all[0]] })).code,
    'InvalidIp.IpAssigned',
  );
  assert.equal(
    (await c.fail('AssignPrivateIpAddresses', { ...R, NetworkInterfaceId: otherId, Ipv4Prefix: [`172.16.${n}.8/28`] })).code,
    'InvalidParameter',
  );
  assert.equal(
    (await c.fail('AssignPrivateIpAddresses', { ...R, NetworkInterfaceId: otherId, Ipv4Prefix: [`172.16.${n}.0/27`] })).code,
    'InvalidParameter',
  );
  assert.equal(
    (await c.fail('AssignPrivateIpAddresses', { ...R, NetworkInterfaceId: otherId, Ipv4Prefix: [`172.17.${n}.16/28`] })).code,
    'InvalidVSwitchId.IpInvalid',
  );
  assert.equal(
    (await c.fail('AssignPrivateIpAddresses', { ...R, NetworkInterfaceId: otherId, Ipv4Prefix: [`172.16.${n}.240/28`] })).code,
    'InvalidVSwitchId.IpInvalid',
    'the block holding the reserved .253-.255',
  );
  assert.equal(
    (await c.fail('AssignPrivateIpAddresses', { ...R, NetworkInterfaceId: otherId, Ipv4PrefixCount: 1, SecondaryPrivateIpAddressCount: 1 }))
      .code,
    'InvalidParameter.Conflict',
  );
  assert.equal(
    (await c.fail('AssignPrivateIpAddresses', { ...R, NetworkInterfaceId: otherId, Ipv4PrefixCount: 11 })).code,
    'InvalidParameter',
  );
  const [first] = range(all[0]!);
  const inside = `172.16.${n}.${(first % 256) + 5}`;
  assert.equal(
    (await c.fail('AssignPrivateIpAddresses', { ...R, NetworkInterfaceId: otherId, PrivateIpAddress: [inside] })).code,
    'InvalidIp.IpAssigned',
  );

  // Each prefix counts as one address: 1 primary + 5 prefixes + 4 = the Available cap of 10.
  assert.equal(
    (await c.fail('AssignPrivateIpAddresses', { ...R, NetworkInterfaceId: eni, Ipv4PrefixCount: 5 })).code,
    'MaxEniPrivateIpsCountExceeded',
  );
  assert.equal(
    (await c.fail('AssignPrivateIpAddresses', { ...R, NetworkInterfaceId: eni, SecondaryPrivateIpAddressCount: 5 })).code,
    'MaxEniPrivateIpsCountExceeded',
  );

  // ClientToken: a retry answers the same prefix and assigns nothing more.
  const token = `prefix-${n}-${Date.now()}`;
  const once = await c.call('AssignPrivateIpAddresses', { ...R, NetworkInterfaceId: eni, Ipv4PrefixCount: 1, ClientToken: token });
  const twice = await c.call('AssignPrivateIpAddresses', { ...R, NetworkInterfaceId: eni, Ipv4PrefixCount: 1, ClientToken: token });
  assert.deepEqual(twice.AssignedPrivateIpAddressesSet.Ipv4PrefixSet, once.AssignedPrivateIpAddressesSet.Ipv4PrefixSet);
  assert.equal(v4Prefixes(await describeEni(c, eni)).length, 6);

  // Automatic addresses never land inside a prefix: fill the vSwitch's rest through other ENIs.
  const prefixRanges = v4Prefixes(await describeEni(c, eni)).map(range);
  const free = 252 - 16 * 6 - 2; // usable, minus the prefixes, minus the two primaries so far
  let got = 0;
  for (let k = 0; got < free && k < 40; k++) {
    const e = await c.call('CreateNetworkInterface', { ...R, VSwitchId: net.vSwitchId, SecurityGroupId: net.sg });
    got++;
    const want = Math.min(9, free - got);
    const r =
      want > 0
        ? await c.call('AssignPrivateIpAddresses', { ...R, NetworkInterfaceId: e.NetworkInterfaceId, SecondaryPrivateIpAddressCount: want })
        : { AssignedPrivateIpAddressesSet: { PrivateIpSet: { PrivateIpAddress: [] } } };
    got += want;
    for (const a of [e.PrivateIpAddress, ...r.AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress]) {
      assert.ok(!prefixRanges.some((pr) => inRange(toNum(a), pr)), `${a} is inside a prefix`);
    }
  }
  assert.equal(got, free);
  assert.equal(
    (await c.fail('AssignPrivateIpAddresses', { ...R, NetworkInterfaceId: otherId, SecondaryPrivateIpAddressCount: 1 })).code,
    'InvalidVSwitchId.IpNotEnough',
  );
  assert.equal(
    (await c.fail('AssignPrivateIpAddresses', { ...R, NetworkInterfaceId: otherId, Ipv4PrefixCount: 1 })).code,
    'InvalidVSwitchId.IpNotEnough',
  );

  // UnassignPrivateIpAddresses Ipv4Prefix.N (terway's release); then the block can be assigned again.
  const [gone, ...kept] = v4Prefixes(await describeEni(c, eni));
  assert.equal(
    (await c.fail('UnassignPrivateIpAddresses', { ...R, NetworkInterfaceId: otherId, Ipv4Prefix: [gone] })).code,
    'InvalidIp.IpUnassigned',
  );
  await c.call('UnassignPrivateIpAddresses', { ...R, NetworkInterfaceId: eni, Ipv4Prefix: [gone] });
  assert.deepEqual(v4Prefixes(await describeEni(c, eni)).sort(), [...kept].sort());
  const again = await c.call('AssignPrivateIpAddresses', { ...R, NetworkInterfaceId: otherId, Ipv4PrefixCount: 1 });
  assert.deepEqual(again.AssignedPrivateIpAddressesSet.Ipv4PrefixSet.Ipv4Prefixes, [gone]);

  // IPv6 /80 prefixes: AssignIpv6Addresses Ipv6PrefixCount, Describe's Ipv6PrefixSets, UnassignIpv6Addresses Ipv6Prefix.N.
  const vsw = (await c.call('DescribeVSwitches', { ...R, VSwitchId: net.vSwitchId })).VSwitches.VSwitch[0];
  const subnet = String(vsw.Ipv6CidrBlock).replace(/::\/64$/, '');
  const v6 = await c.call('AssignIpv6Addresses', { ...R, NetworkInterfaceId: otherId, Ipv6PrefixCount: 2 });
  const v6got = v6.Ipv6PrefixSets.Ipv6Prefix as string[];
  assert.equal(v6got.length, 2);
  for (const p of v6got) {
    assert.match(p, /\/80$/);
    assert.ok(p.startsWith(`${subnet}:`), `${p} in ${vsw.Ipv6CidrBlock}`);
  }
  assert.deepEqual(v6Prefixes(await describeEni(c, otherId)).sort(), [...v6got].sort());
  assert.equal(
    (await c.fail('AssignIpv6Addresses', { ...R, NetworkInterfaceId: eni, Ipv6Prefix: [v6got[0]] })).code,
    'InvalidIp.IpAssigned',
  );
  assert.equal(
    (await c.fail('AssignIpv6Addresses', { ...R, NetworkInterfaceId: eni, Ipv6Prefix: [`${subnet}:1::/64`] })).code,
    'InvalidParameter',
  );
  await c.call('UnassignIpv6Addresses', { ...R, NetworkInterfaceId: otherId, Ipv6Prefix: [v6got[0]] });
  assert.deepEqual(v6Prefixes(await describeEni(c, otherId)), [v6got[1]]);

  // DeleteNetworkInterface frees its prefixes: the vSwitch can hand them out again.
  await c.call('DeleteNetworkInterface', { ...R, NetworkInterfaceId: eni });
  for (let i = 0; i < 100; i++) {
    const left = await c.call('DescribeNetworkInterfaces', { ...R, NetworkInterfaceId: [eni] });
    if (left.NetworkInterfaceSets.NetworkInterfaceSet.length === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const reused = await c.call('AssignPrivateIpAddresses', { ...R, NetworkInterfaceId: otherId, Ipv4PrefixCount: 5 });
  assert.deepEqual(
    [...reused.AssignedPrivateIpAddressesSet.Ipv4PrefixSet.Ipv4Prefixes].sort(),
    [...kept].sort(),
    'the deleted ENI’s blocks are the only free ones',
  );
}

describe('IP prefixes through the official SDK', () => {
  it('SQLite: assign, describe, refuse, count, unassign, free on delete', async () => {
    await story(sdkClient('ecs-v2', sqlite!.endpoint, sqlite!.key), 1);
  });
  it('PostgreSQL: the same story', async () => {
    await story(sdkClient('ecs-v2', pg[0]!.endpoint, pg[0]!.key), 2);
  });

  it('two PostgreSQL servers never hand out overlapping prefixes and addresses', async () => {
    const [a, b] = pg.map((s) => sdkClient('ecs-v2', s.endpoint, KEY));
    const net = await network(a!, 3);
    // Two ENIs per server; prefixes on one, addresses on the other, all racing for one /24.
    const enis = await Promise.all(
      [a!, a!, b!, b!].map(
        async (c) =>
          (await c.call('CreateNetworkInterface', { ...R, VSwitchId: net.vSwitchId, SecurityGroupId: net.sg }))
            .NetworkInterfaceId as string,
      ),
    );
    // ecs: an Available ENI holds 10; 4 ENIs x 9 = 36 slots, racing prefixes (16 addresses each) and addresses.
    const work = enis.flatMap((eni, i) => {
      const c = i < 2 ? a! : b!;
      const prefixes = i % 2 === 0;
      return Array.from({ length: 9 }, () => async () => {
        try {
          await c.call('AssignPrivateIpAddresses', {
            ...R,
            NetworkInterfaceId: eni,
            ...(prefixes ? { Ipv4PrefixCount: 1 } : { SecondaryPrivateIpAddressCount: 1 }),
          });
        } catch (e: any) {
          // The /24 holds 14 blocks: running out is an answer, not a failure.
          if (!/IpNotEnough/.test(String(e.code ?? e.data?.Code ?? e.message))) throw e;
        }
      });
    });
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        for (let k = w; k < work.length; k += 8) await work[k]!();
      }),
    );
    const seen = await Promise.all(enis.map((e) => describeEni(a!, e)));
    const prefixes = seen.flatMap(v4Prefixes);
    const addresses = seen.flatMap((e: any) => e.PrivateIpSets.PrivateIpSet.map((x: any) => x.PrivateIpAddress as string));
    // Random addresses block blocks, so how many prefixes fit varies; both kinds must have been handed out.
    assert.ok(
      prefixes.length >= 2 && addresses.length >= 8,
      `both were assigned (${prefixes.length} prefixes, ${addresses.length} addresses)`,
    );
    assert.equal(new Set(prefixes).size, prefixes.length, 'no prefix twice');
    assert.equal(new Set(addresses).size, addresses.length, 'no address twice');
    for (const a of addresses) for (const p of prefixes) assert.ok(!inRange(toNum(a), range(p)), `${a} inside ${p}`);
  });
});
