// terraform-provider-alicloud's alicloud_ecs_network_interface with IPv4
// prefixes (ipv4_prefix_count, ipv4_prefixes), replayed request for request
// against real server processes (SQLite, and PostgreSQL on a fresh schema)
// through pop-core's signed RPC POST, as test/compat/terraform.ts does. Read
// from the provider's Go source (aliyun/terraform-provider-alicloud,
// alicloud/resource_alicloud_ecs_network_interface.go and service_alicloud_ecs.go);
// each step names the function it replays. A Terraform plan after apply or
// refresh must show no diff: the state the Read sets has to equal what the
// configuration says, and a second refresh has to read the same.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerProcess } from '../support/server-process.ts';
import { replayServers } from './replay-servers.ts';
import { clientToken, orNull, provider, waitForState } from './terraform.ts';

type Body = Record<string, any>;
const REGION = 'cn-hangzhou';

const servers = replayServers();

const toNum = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
const sorted = (xs: string[]) => [...xs].sort();

async function replay(server: ServerProcess): Promise<void> {
  const tf = provider(server);
  const { rpcPost } = tf;

  // The network the ENIs live in (alicloud_vpc, alicloud_vswitch, alicloud_security_group; terraform.ts replays them fully).
  const vpc = await rpcPost('Vpc', 'CreateVpc', { RegionId: REGION, ClientToken: clientToken('CreateVpc'), CidrBlock: '172.16.0.0/12' });
  const vsw = await rpcPost('Vpc', 'CreateVSwitch', {
    RegionId: REGION,
    ClientToken: clientToken('CreateVSwitch'),
    CidrBlock: '172.16.2.0/24',
    VpcId: vpc.VpcId,
    ZoneId: 'cn-hangzhou-h',
  });
  const vswId = vsw.VSwitchId as string;
  const sg = await rpcPost('Ecs', 'CreateSecurityGroup', {
    RegionId: REGION,
    ClientToken: clientToken('CreateSecurityGroup'),
    SecurityGroupType: 'normal',
    VpcId: vpc.VpcId,
  });
  const sgId = sg.SecurityGroupId as string;

  // EcsService.DescribeEcsNetworkInterface: DescribeNetworkInterfaces NetworkInterfaceId.1; none, or another id, is NotFound.
  const describeEcsNetworkInterface = async (id: string) => {
    const r = await rpcPost('Ecs', 'DescribeNetworkInterfaces', { RegionId: REGION, NetworkInterfaceId: [id] });
    const o = (r.NetworkInterfaceSets.NetworkInterfaceSet as Body[])[0];
    if (!o || o.NetworkInterfaceId !== id) throw Object.assign(new Error('NotFound'), { code: 'NotFound' });
    return o;
  };
  // EcsService.EcsNetworkInterfaceStateRefreshFunc
  const eniState = async (id: string) => {
    const o = await orNull(() => describeEcsNetworkInterface(id));
    return { object: o, state: String(o?.Status ?? '') };
  };
  // resourceAliCloudEcsNetworkInterfaceRead: DescribeEcsNetworkInterface, then EcsService.ListTagResources(id, "eni").
  const readEni = async (id: string) => {
    const o = await describeEcsNetworkInterface(id);
    const tags = await rpcPost('Ecs', 'ListTagResources', { RegionId: REGION, ResourceType: 'eni', 'ResourceId.1': id });
    const privateIps = (o.PrivateIpSets.PrivateIpSet as Body[]).filter((s) => !s.Primary).map((s) => s.PrivateIpAddress);
    const ipv6 = (o.Ipv6Sets.Ipv6Set as Body[]).map((s) => s.Ipv6Address);
    const prefixes = (o.Ipv4PrefixSets.Ipv4PrefixSet as Body[]).map((s) => s.Ipv4Prefix as string);
    return {
      description: o.Description,
      network_interface_name: o.NetworkInterfaceName,
      primary_ip_address: o.PrivateIpAddress,
      private_ip_addresses: privateIps,
      secondary_private_ip_address_count: privateIps.length,
      ipv6_addresses: ipv6,
      ipv6_address_count: ipv6.length,
      ipv4_prefixes: prefixes,
      ipv4_prefix_count: prefixes.length,
      security_group_ids: o.SecurityGroupIds.SecurityGroupId,
      status: o.Status,
      tags: Object.fromEntries((tags.TagResources.TagResource as Body[]).map((t) => [t.TagKey, t.TagValue])),
      vswitch_id: o.VSwitchId,
      instance_type: o.Type,
    };
  };
  type EniState = Awaited<ReturnType<typeof readEni>>;
  /** A prefix is an aligned /28 of the vSwitch, clear of the primary address. */
  const assertPrefixes = (s: EniState) => {
    for (const p of s.ipv4_prefixes) {
      const [a, len] = p.split('/');
      assert.equal(len, '28', p);
      assert.equal(toNum(a!) % 16, 0, `${p} aligned`);
      assert.ok(p.startsWith('172.16.2.'), `${p} inside the vSwitch`);
      const primary = toNum(String(s.primary_ip_address));
      assert.ok(primary < toNum(a!) || primary > toNum(a!) + 15, `${p} clear of the primary ${s.primary_ip_address}`);
    }
  };
  // resourceAliCloudEcsNetworkInterfaceUpdate's ipv4_prefix_count branch: AssignPrivateIpAddresses Ipv4PrefixCount=diff
  // when it grows; UnassignPrivateIpAddresses Ipv4Prefix.1..diff from the state's ipv4_prefixes when it shrinks
  // (Set.List() order, here the Read's); both with a fresh ClientToken. Then EcsService.WaitForModifyIpv4PrefixCount:
  // DescribeEcsNetworkInterface until len(Ipv4PrefixSets.Ipv4PrefixSet) == the new count. Then the Read.
  const updatePrefixCount = async (id: string, state: EniState, count: number) => {
    const old = state.ipv4_prefix_count;
    if (count === state.ipv4_prefixes.length) return readEni(id);
    const diff = count - old;
    if (diff > 0) {
      const request = {
        RegionId: REGION,
        NetworkInterfaceId: id,
        ClientToken: clientToken('AssignPrivateIpAddresses'),
        Ipv4PrefixCount: diff,
      };
      await rpcPost('Ecs', 'AssignPrivateIpAddresses', request);
    } else {
      const request: Record<string, unknown> = {
        RegionId: REGION,
        NetworkInterfaceId: id,
        ClientToken: clientToken('UnassignPrivateIpAddresses'),
      };
      state.ipv4_prefixes.slice(0, -diff).forEach((p, i) => (request[`Ipv4Prefix.${i + 1}`] = p));
      await rpcPost('Ecs', 'UnassignPrivateIpAddresses', request);
    }
    await waitForState(
      'WaitForModifyIpv4PrefixCount',
      async () => {
        const o = await describeEcsNetworkInterface(id);
        return { object: o, state: String((o.Ipv4PrefixSets.Ipv4PrefixSet as Body[]).length) };
      },
      [String(count)],
    );
    return readEni(id);
  };
  // resourceAliCloudEcsNetworkInterfaceUpdate's ipv4_prefixes branch: UnassignPrivateIpAddresses Ipv4Prefix.N for
  // old - new, AssignPrivateIpAddresses Ipv4Prefix.N for new - old (each with a fresh ClientToken), then
  // EcsService.WaitForModifyIpv4Prefix: DescribeEcsNetworkInterface until the sorted lists are equal. Then the Read.
  const updatePrefixes = async (id: string, state: EniState, wanted: string[]) => {
    const remove = state.ipv4_prefixes.filter((p) => !wanted.includes(p));
    const create = wanted.filter((p) => !state.ipv4_prefixes.includes(p));
    for (const [action, list] of [
      ['UnassignPrivateIpAddresses', remove],
      ['AssignPrivateIpAddresses', create],
    ] as const) {
      if (list.length === 0) continue;
      const request: Record<string, unknown> = { RegionId: REGION, NetworkInterfaceId: id, ClientToken: clientToken(action) };
      list.forEach((p, i) => (request[`Ipv4Prefix.${i + 1}`] = p));
      await rpcPost('Ecs', action, request);
    }
    await waitForState(
      'WaitForModifyIpv4Prefix',
      async () => {
        const o = await describeEcsNetworkInterface(id);
        return { object: o, state: JSON.stringify(sorted((o.Ipv4PrefixSets.Ipv4PrefixSet as Body[]).map((s) => s.Ipv4Prefix))) };
      },
      [JSON.stringify(sorted(wanted))],
    );
    return readEni(id);
  };
  // resourceAliCloudEcsNetworkInterfaceDelete: DeleteNetworkInterface, then wait until DescribeEcsNetworkInterface is NotFound.
  const destroy = async (id: string) => {
    await rpcPost('Ecs', 'DeleteNetworkInterface', { NetworkInterfaceId: id, RegionId: REGION });
    await waitForState('eni gone', () => eniState(id), []);
  };

  // ---- resource "alicloud_ecs_network_interface" "count" { ipv4_prefix_count = 2, tags = {...} } ----
  // resourceAliCloudEcsNetworkInterfaceCreate: ipv4_prefixes (Optional+Computed, unset) is not sent, nor any
  // secondary-address field (they conflict with ipv4_prefix_count); Ipv4PrefixCount is, by GetOkExists.
  const created = await rpcPost('Ecs', 'CreateNetworkInterface', {
    Description: 'tf prefixes',
    NetworkInterfaceName: 'tf-prefix-count',
    RegionId: REGION,
    SecurityGroupIds: [sgId],
    'Tag.1.Key': 'managed-by',
    'Tag.1.Value': 'terraform',
    VSwitchId: vswId,
    Ipv4PrefixCount: 2,
  });
  const countId = created.NetworkInterfaceId as string;
  // ... BuildStateConf([], ["Available"], ..., EcsNetworkInterfaceStateRefreshFunc).WaitForState(), then the Read.
  await waitForState('eni Available', () => eniState(countId), ['Available']);
  const afterCreate = await readEni(countId);
  assert.equal(afterCreate.ipv4_prefix_count, 2, 'the plan after apply: ipv4_prefix_count = 2 as configured');
  assertPrefixes(afterCreate);
  assert.equal(new Set(afterCreate.ipv4_prefixes).size, 2);
  assert.deepEqual(
    [afterCreate.private_ip_addresses, afterCreate.secondary_private_ip_address_count, afterCreate.ipv6_address_count],
    [[], 0, 0],
    'prefixes are not secondary addresses: the Computed secondary_private_ip_address_count stays 0',
  );
  assert.deepEqual(afterCreate.tags, { 'managed-by': 'terraform' });
  assert.deepEqual(
    [afterCreate.network_interface_name, afterCreate.description, afterCreate.status, afterCreate.instance_type],
    ['tf-prefix-count', 'tf prefixes', 'Available', 'Secondary'],
  );
  // terraform refresh, twice: the same state, so a plan shows no diff.
  assert.deepEqual(await readEni(countId), afterCreate, 'a refresh reads what the apply did');
  assert.deepEqual(await readEni(countId), afterCreate, 'a second refresh reads the same');

  // ipv4_prefix_count = 2 -> 5: AssignPrivateIpAddresses Ipv4PrefixCount=3.
  const grown = await updatePrefixCount(countId, afterCreate, 5);
  assert.equal(grown.ipv4_prefix_count, 5);
  assertPrefixes(grown);
  assert.equal(new Set(grown.ipv4_prefixes).size, 5);
  for (const p of afterCreate.ipv4_prefixes) assert.ok(grown.ipv4_prefixes.includes(p), `${p} kept when the count grows`);
  assert.deepEqual(await readEni(countId), grown, 'a refresh after growing reads the same');

  // ipv4_prefix_count = 5 -> 1: UnassignPrivateIpAddresses with the first four prefixes of the state.
  const shrunk = await updatePrefixCount(countId, grown, 1);
  assert.deepEqual(shrunk.ipv4_prefixes, grown.ipv4_prefixes.slice(4), 'the one not named in Ipv4Prefix.N stays');
  assert.deepEqual(await readEni(countId), shrunk, 'a refresh after shrinking reads the same');
  // ipv4_prefix_count = 1 -> 0, and the provider's retry of that Unassign (NeedRetry/OperationConflict) with the same
  // request, ClientToken included: the retry answers as the first call did.
  const lastUnassign = {
    RegionId: REGION,
    NetworkInterfaceId: countId,
    ClientToken: clientToken('UnassignPrivateIpAddresses'),
    'Ipv4Prefix.1': shrunk.ipv4_prefixes[0],
  };
  await rpcPost('Ecs', 'UnassignPrivateIpAddresses', lastUnassign);
  await rpcPost('Ecs', 'UnassignPrivateIpAddresses', lastUnassign);
  const none = await readEni(countId);
  assert.deepEqual([none.ipv4_prefix_count, none.ipv4_prefixes], [0, []]);

  // ---- resource "alicloud_ecs_network_interface" "list" { ipv4_prefixes = [...] } ----
  // resourceAliCloudEcsNetworkInterfaceCreate with Ipv4Prefix (a Set's List(), flattened to Ipv4Prefix.N).
  // The blocks a configuration can name: aligned /28s of 172.16.2.0/24 clear of the reserved .0 and .253-.255
  // and of the primary addresses (the server picks those at random).
  const freeBlocks = (primaries: string[]) =>
    Array.from({ length: 14 }, (_, i) => `172.16.2.${16 * (i + 1)}/28`).filter((b) =>
      primaries.every((a) => toNum(a) < toNum(b.split('/')[0]!) || toNum(a) > toNum(b.split('/')[0]!) + 15),
    );
  const [w1, w2] = freeBlocks([String(none.primary_ip_address)]);
  const wanted = sorted([w1!, w2!]);
  const listed = await rpcPost('Ecs', 'CreateNetworkInterface', {
    NetworkInterfaceName: 'tf-prefix-list',
    RegionId: REGION,
    SecurityGroupIds: [sgId],
    VSwitchId: vswId,
    Ipv4Prefix: wanted,
  });
  const listId = listed.NetworkInterfaceId as string;
  await waitForState('eni Available', () => eniState(listId), ['Available']);
  const listState = await readEni(listId);
  assert.deepEqual(sorted(listState.ipv4_prefixes), wanted, 'the plan after apply: the set as configured');
  assert.equal(listState.ipv4_prefix_count, 2);
  assertPrefixes(listState);
  assert.deepEqual(await readEni(listId), listState, 'a second refresh reads the same');
  // ipv4_prefixes = [w1, w3]: Unassign w2, Assign a third block w3 ( clear of both primaries), WaitForModifyIpv4Prefix.
  const w3 = freeBlocks([String(none.primary_ip_address), String(listState.primary_ip_address)]).find((b) => !wanted.includes(b));
  assert.ok(w3, 'a third block is free');
  const changed = await updatePrefixes(listId, listState, [w1!, w3]);
  assert.deepEqual(sorted(changed.ipv4_prefixes), sorted([w1!, w3]));
  assert.equal(changed.ipv4_prefix_count, 2);
  assert.deepEqual(await readEni(listId), changed, 'a refresh after the change reads the same');
  // A prefix another ENI holds: the apply fails with the code the provider reports (not retried: not OperationConflict).
  const taken = await tf.rpcError('Ecs', 'AssignPrivateIpAddresses', {
    RegionId: REGION,
    NetworkInterfaceId: countId,
    ClientToken: clientToken('AssignPrivateIpAddresses'),
    'Ipv4Prefix.1': w3,
  });
  assert.equal(taken.code, 'InvalidIp.IpAssigned');

  // ---- terraform destroy ----
  await destroy(listId);
  await destroy(countId);
  // What the ENIs held is free again: a new ENI may take the prefix the list resource had.
  const again = await rpcPost('Ecs', 'CreateNetworkInterface', {
    RegionId: REGION,
    SecurityGroupIds: [sgId],
    VSwitchId: vswId,
    Ipv4Prefix: [w3],
  });
  await waitForState('eni Available', () => eniState(again.NetworkInterfaceId), ['Available']);
  await destroy(again.NetworkInterfaceId);
  assert.ok(tf.sent.length > 30, `the replay made ${tf.sent.length} calls`);
}

for (const label of ['SQLite', 'PostgreSQL'] as const) {
  describe(`terraform-provider-alicloud alicloud_ecs_network_interface with IPv4 prefixes over ${label}`, () => {
    it('ipv4_prefix_count and ipv4_prefixes: create, refresh twice, count up and down, set change, destroy', () => replay(servers[label]!));
  });
}
