// IP prefixes beyond Assign/Unassign/Create, through the official SDKs against a
// real server process on SQLite and on PostgreSQL:
// - a basic security group's capacity counts each prefix as one address (the
//   "Basic and advanced security groups" page counts IPv4 and IPv6 prefixes),
//   on every path that moves the count: assign, unassign, create, delete, a
//   change of groups, and PostgreSQL's one-call automatic assign;
// - an ENI's prefixes count against the instance type's cap when it is attached
//   (AttachNetworkInterface, RunInstances NetworkInterface.N.NetworkInterfaceId)
//   and show in DescribeInstances;
// - RunInstances' NetworkInterface.N has no prefix fields in the SDK models: a
//   client that sends one anyway (pop-core builds any name) gets InvalidParameter.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sdkClient, type SdkClient } from '../support/sdk-clients.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { dropSchema, freshSchemaName, urlWithSchema } from '../store/pg-support.ts';

const R = { RegionId: 'cn-hangzhou' };
const CAPACITY = 24;
const schema = freshSchemaName();
const args = ['--transition-ms', '0', '--basic-security-group-ip-capacity', String(CAPACITY)];

let sqlite: ServerProcess | undefined;
let pg: ServerProcess | undefined;
before(async () => {
  sqlite = await startServerProcess({ args });
  pg = await startServerProcess({ args: [...args, '--database', urlWithSchema(schema)] });
});
after(async () => {
  await sqlite?.stop();
  await pg?.stop();
  await dropSchema(schema);
});

const v4Prefixes = (e: any): string[] => (e.Ipv4PrefixSets?.Ipv4PrefixSet ?? []).map((x: any) => x.Ipv4Prefix);
const v6Prefixes = (e: any): string[] => (e.Ipv6PrefixSets?.Ipv6PrefixSet ?? []).map((x: any) => x.Ipv6Prefix);
const FULL = 'SecurityGroupInstanceLimitExceed';

async function network(c: SdkClient) {
  // A /16 vSwitch: random single addresses leave plenty of aligned /28 blocks free.
  const vpc = await c.call('CreateVpc', { ...R, CidrBlock: '10.0.0.0/8', EnableIpv6: true });
  const vsw = await c.call('CreateVSwitch', {
    ...R,
    VpcId: vpc.VpcId,
    ZoneId: 'cn-hangzhou-h',
    CidrBlock: '10.1.0.0/16',
    Ipv6CidrBlock: 1,
  });
  const basic = async () => (await c.call('CreateSecurityGroup', { ...R, VpcId: vpc.VpcId })).SecurityGroupId as string;
  return { vpcId: vpc.VpcId as string, vSwitchId: vsw.VSwitchId as string, basic };
}

/** An ENI holding `secondaries` automatic addresses besides its primary (1 + secondaries in its groups). */
async function eniWith(c: SdkClient, vSwitchId: string, sg: string, secondaries: number): Promise<string> {
  const e = await c.call('CreateNetworkInterface', {
    ...R,
    VSwitchId: vSwitchId,
    SecurityGroupId: sg,
    ...(secondaries ? { SecondaryPrivateIpAddressCount: secondaries } : {}),
  });
  return e.NetworkInterfaceId as string;
}

async function describeEni(c: SdkClient, id: string) {
  return (await c.call('DescribeNetworkInterfaces', { ...R, NetworkInterfaceId: [id] })).NetworkInterfaceSets.NetworkInterfaceSet[0];
}

async function securityGroupCapacity(c: SdkClient) {
  const net = await network(c);
  const sg = await net.basic();
  // A: its primary and 3 IPv4 prefixes (4), then one IPv6 prefix (5).
  const a = await c.call('CreateNetworkInterface', { ...R, VSwitchId: net.vSwitchId, SecurityGroupId: sg, Ipv4PrefixCount: 3 });
  const eniA = a.NetworkInterfaceId as string;
  const v6 = await c.call('AssignIpv6Addresses', { ...R, NetworkInterfaceId: eniA, Ipv6PrefixCount: 1 });
  assert.equal(v6.Ipv6PrefixSets.Ipv6Prefix.length, 1);
  // B: 1 + 9 (15); C: 1 + 2, then 2 more by count (20); F: 1 + 3 (24: the group is full). C stays
  // well under its own cap of 10, so the group's capacity is what refuses it below.
  await eniWith(c, net.vSwitchId, sg, 9);
  const eniC = await eniWith(c, net.vSwitchId, sg, 2);
  await c.call('AssignPrivateIpAddresses', { ...R, NetworkInterfaceId: eniC, SecondaryPrivateIpAddressCount: 2 });
  await eniWith(c, net.vSwitchId, sg, 3);

  // Full only because the prefixes count: a prefix, an IPv6 prefix, a new ENI, and an automatic
  // address (on PostgreSQL the one-call assign, whose counters are the same shards) are refused.
  assert.equal((await c.fail('AssignPrivateIpAddresses', { ...R, NetworkInterfaceId: eniA, Ipv4PrefixCount: 1 })).code, FULL);
  assert.equal((await c.fail('AssignIpv6Addresses', { ...R, NetworkInterfaceId: eniA, Ipv6PrefixCount: 1 })).code, FULL);
  assert.equal(
    (await c.fail('AssignPrivateIpAddresses', { ...R, NetworkInterfaceId: eniC, SecondaryPrivateIpAddressCount: 1 })).code,
    FULL,
  );
  assert.equal(
    (await c.fail('CreateNetworkInterface', { ...R, VSwitchId: net.vSwitchId, SecurityGroupId: sg, Ipv4PrefixCount: 1 })).code,
    FULL,
  );

  // Unassigning a prefix frees one: an automatic address fits again, and then the group is full again.
  const [gone] = v4Prefixes(await describeEni(c, eniA));
  await c.call('UnassignPrivateIpAddresses', { ...R, NetworkInterfaceId: eniA, Ipv4Prefix: [gone] });
  await c.call('AssignPrivateIpAddresses', { ...R, NetworkInterfaceId: eniC, SecondaryPrivateIpAddressCount: 1 });
  assert.equal(
    (await c.fail('AssignPrivateIpAddresses', { ...R, NetworkInterfaceId: eniC, SecondaryPrivateIpAddressCount: 1 })).code,
    FULL,
  );
  // The IPv6 prefix likewise (23 left).
  await c.call('UnassignIpv6Addresses', { ...R, NetworkInterfaceId: eniA, Ipv6Prefix: v6Prefixes(await describeEni(c, eniA)) });

  // Changing A's groups moves its primary and both prefixes (3): a second group at 22 cannot take them.
  const sg2 = await net.basic();
  await eniWith(c, net.vSwitchId, sg2, 9);
  await eniWith(c, net.vSwitchId, sg2, 9);
  await eniWith(c, net.vSwitchId, sg2, 1);
  assert.equal((await c.fail('ModifyNetworkInterfaceAttribute', { ...R, NetworkInterfaceId: eniA, SecurityGroupId: [sg2] })).code, FULL);
  const sg3 = await net.basic();
  await c.call('ModifyNetworkInterfaceAttribute', { ...R, NetworkInterfaceId: eniA, SecurityGroupId: [sg3] });
  // sg3 holds A's 3 now and sg has 20: both take exactly what is left of their capacity.
  await c.call('AssignPrivateIpAddresses', { ...R, NetworkInterfaceId: eniA, Ipv4PrefixCount: 1 });
  const d = await c.call('CreateNetworkInterface', { ...R, VSwitchId: net.vSwitchId, SecurityGroupId: sg, Ipv4PrefixCount: 3 });
  assert.equal(v4Prefixes(d).length, 3);
  assert.equal(
    (await c.fail('AssignPrivateIpAddresses', { ...R, NetworkInterfaceId: d.NetworkInterfaceId, Ipv4PrefixCount: 1 })).code,
    FULL,
  );

  // Deleting an ENI frees its prefixes in its groups too: D's 4 leave sg, and 4 fit again.
  await c.call('DeleteNetworkInterface', { ...R, NetworkInterfaceId: d.NetworkInterfaceId });
  const e = await c.call('CreateNetworkInterface', { ...R, VSwitchId: net.vSwitchId, SecurityGroupId: sg, Ipv4PrefixCount: 3 });
  assert.equal(v4Prefixes(e).length, 3);
  assert.equal(
    (await c.fail('AssignPrivateIpAddresses', { ...R, NetworkInterfaceId: eniC, SecondaryPrivateIpAddressCount: 1 })).code,
    FULL,
  );
}

async function attachCountsPrefixes(c: SdkClient, pop: SdkClient) {
  const net = await network(c);
  const sg = (await c.call('CreateSecurityGroup', { ...R, VpcId: net.vpcId, SecurityGroupType: 'enterprise' })).SecurityGroupId as string;
  const run = (extra: Record<string, unknown> = {}) =>
    c.call('RunInstances', { ...R, InstanceType: 'ecs.g7.large', VSwitchId: net.vSwitchId, SecurityGroupId: sg, ImageId: 'img', ...extra });
  const instanceId = (await run()).InstanceIdSets.InstanceIdSet[0] as string;

  // ecs.g7.large: 6 private IPv4 per ENI. Primary + 6 prefixes is 7: too many to attach.
  const big = await c.call('CreateNetworkInterface', { ...R, VSwitchId: net.vSwitchId, SecurityGroupId: sg, Ipv4PrefixCount: 6 });
  const eni = big.NetworkInterfaceId as string;
  assert.equal(
    (await c.fail('AttachNetworkInterface', { ...R, NetworkInterfaceId: eni, InstanceId: instanceId })).code,
    'InvalidOperation.Ipv4CountExceeded',
  );
  assert.equal(
    (
      await c.fail('RunInstances', {
        ...R,
        InstanceType: 'ecs.g7.large',
        VSwitchId: net.vSwitchId,
        SecurityGroupId: sg,
        ImageId: 'img',
        NetworkInterface: [{ NetworkInterfaceId: eni }],
      })
    ).code,
    'InvalidOperation.Ipv4CountExceeded',
  );
  // One prefix fewer (6 slots) and it attaches; DescribeInstances shows its prefixes.
  const [gone, ...kept] = v4Prefixes(big);
  await c.call('UnassignPrivateIpAddresses', { ...R, NetworkInterfaceId: eni, Ipv4Prefix: [gone] });
  await c.call('AttachNetworkInterface', { ...R, NetworkInterfaceId: eni, InstanceId: instanceId });
  const inst = (await c.call('DescribeInstances', { ...R, InstanceIds: JSON.stringify([instanceId]) })).Instances.Instance[0];
  const shown = inst.NetworkInterfaces.NetworkInterface.find((x: any) => x.NetworkInterfaceId === eni);
  assert.deepEqual(v4Prefixes(shown).sort(), [...kept].sort());
  // InUse, the type's cap binds: no seventh slot.
  assert.equal(
    (await c.fail('AssignPrivateIpAddresses', { ...R, NetworkInterfaceId: eni, Ipv4PrefixCount: 1 })).code,
    'InvalidOperation.Ipv4CountExceeded',
  );

  // RunInstances attaching an existing ENI with prefixes at creation: they stay on it.
  const small = await c.call('CreateNetworkInterface', { ...R, VSwitchId: net.vSwitchId, SecurityGroupId: sg, Ipv4PrefixCount: 2 });
  const withEni = await run({ NetworkInterface: [{ NetworkInterfaceId: small.NetworkInterfaceId }] });
  const second = (await c.call('DescribeInstances', { ...R, InstanceIds: JSON.stringify(withEni.InstanceIdSets.InstanceIdSet) })).Instances
    .Instance[0].NetworkInterfaces.NetworkInterface;
  const attached = second.find((x: any) => x.NetworkInterfaceId === small.NetworkInterfaceId);
  assert.deepEqual(v4Prefixes(attached).sort(), v4Prefixes(small).sort());

  // No SDK model gives RunInstances' NetworkInterface.N a prefix field; sent anyway, it is refused.
  for (const field of ['Ipv4PrefixCount', 'Ipv6PrefixCount', 'Ipv4Prefix.1']) {
    const r = await pop.fail('RunInstances', {
      InstanceType: 'ecs.g7.large',
      VSwitchId: net.vSwitchId,
      SecurityGroupId: sg,
      ImageId: 'img',
      'NetworkInterface.1.InstanceType': 'Secondary',
      [`NetworkInterface.1.${field}`]: field === 'Ipv4Prefix.1' ? '10.1.0.16/28' : '1',
    });
    assert.equal(r.code, 'InvalidParameter', field);
  }
}

describe('IP prefixes in security-group capacity and on attach, through the official SDKs', () => {
  it('SQLite: each prefix is one address in its groups; attach and DescribeInstances count and show them', async () => {
    const c = sdkClient('ecs-v2', sqlite!.endpoint, sqlite!.key);
    await securityGroupCapacity(c);
    await attachCountsPrefixes(c, sdkClient('popcore-post', sqlite!.endpoint, sqlite!.key));
  });
  it('PostgreSQL: the same, the one-call assign included', async () => {
    const c = sdkClient('ecs-v2', pg!.endpoint, pg!.key);
    await securityGroupCapacity(c);
    await attachCountsPrefixes(c, sdkClient('popcore-post', pg!.endpoint, pg!.key));
  });
});
