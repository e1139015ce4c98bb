// terway's prefix mode, replayed request for request against real server
// processes (SQLite, and PostgreSQL on a fresh schema; 100 ms transitions)
// through official SDKs: the RPC-style HMAC-SHA1 signing terway's Go SDK uses
// (ecs-v2) and pop-core's POST. Read from terway's source
// (AliyunContainerService/terway): the ECS client in pkg/aliyun/client
// (ecs.go, ecs_2.go, options.go, types.go, token.go, errors/errors.go) and its
// caller in prefix mode, pkg/controller/multi-ip/node/pool.go (createENI,
// syncWithAPI, syncPrefixAllocation → assignIPv4Prefix/assignIPv6Prefix,
// handleStatus). Each step names the function it replays.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sdkClient, type Flavour, type SdkClient } from '../support/sdk-clients.ts';
import type { ServerProcess } from '../support/server-process.ts';
import { poll, replayServers, TERWAY } from './replay-servers.ts';

const servers = replayServers();

const R = TERWAY.region;
const DESCRIPTION = TERWAY.description;
const MAX_RESULTS = TERWAY.maxResults;
const IP_NOT_ENOUGH = 'InvalidVSwitchId.IpNotEnough'; // errors.InvalidVSwitchIDIPNotEnough
const toNum = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);

/**
 * ECSService.DescribeNetworkInterface2 (DescribeNetworkInterfaceV2): the options' filters, MaxResults=500 and a NextToken
 * loop; each item through FromDescribeResp, which reads the prefixes from Ipv4PrefixSets.Ipv4PrefixSet[].Ipv4Prefix and
 * Ipv6PrefixSets.Ipv6PrefixSet[].Ipv6Prefix.
 */
async function describeNetworkInterfaceV2(c: SdkClient, q: { eniIds?: string[]; instanceId?: string }) {
  const out: { id: string; type: string; status: string; instanceId: string; v4: string[]; v6: string[]; ips: string[] }[] = [];
  let nextToken = '';
  for (let page = 0; page < 20; page++) {
    const r = await c.call('DescribeNetworkInterfaces', {
      ...R,
      ...(nextToken ? { NextToken: nextToken } : {}),
      ...(q.eniIds ? { NetworkInterfaceId: q.eniIds } : {}),
      ...(q.instanceId ? { InstanceId: q.instanceId } : {}),
      MaxResults: MAX_RESULTS,
    });
    const items = r.NetworkInterfaceSets.NetworkInterfaceSet as any[];
    for (const e of items) {
      out.push({
        id: e.NetworkInterfaceId,
        type: e.Type,
        status: e.Status,
        instanceId: e.InstanceId || e.Attachment?.InstanceId || '',
        v4: (e.Ipv4PrefixSets.Ipv4PrefixSet as any[]).map((p) => p.Ipv4Prefix),
        v6: (e.Ipv6PrefixSets.Ipv6PrefixSet as any[]).map((p) => p.Ipv6Prefix),
        ips: (e.PrivateIpSets.PrivateIpSet as any[]).map((p) => p.PrivateIpAddress),
      });
    }
    if (items.length < MAX_RESULTS || !r.NextToken) break;
    nextToken = r.NextToken;
  }
  return out;
}

async function replay(server: ServerProcess, flavour: Flavour, n: number): Promise<void> {
  const c = sdkClient(flavour, server.endpoint, server.key);
  // A dual-stack cluster: the node in one vSwitch, and a small pod vSwitch (a /26: of its four aligned /28s the
  // first holds the reserved .0 and the last the reserved .61-.63, so at most two prefixes fit).
  const vpc = await c.call('CreateVpc', { ...R, CidrBlock: '172.16.0.0/12', EnableIpv6: true, VpcName: `terway-prefix-${n}` });
  const nodeVsw = await c.call('CreateVSwitch', {
    ...R,
    VpcId: vpc.VpcId,
    ZoneId: 'cn-hangzhou-h',
    CidrBlock: `172.16.${n}.0/24`,
    Ipv6CidrBlock: n,
  });
  const podCidr = `172.16.${100 + n}.0/26`;
  const podVsw = await c.call('CreateVSwitch', {
    ...R,
    VpcId: vpc.VpcId,
    ZoneId: 'cn-hangzhou-h',
    CidrBlock: podCidr,
    Ipv6CidrBlock: 100 + n,
  });
  const sg = await c.call('CreateSecurityGroup', { ...R, VpcId: vpc.VpcId });
  const [node] = (
    await c.call('RunInstances', {
      ...R,
      InstanceType: 'ecs.g7.2xlarge',
      VSwitchId: nodeVsw.VSwitchId,
      SecurityGroupId: sg.SecurityGroupId,
    })
  ).InstanceIdSets.InstanceIdSet as string[];
  await poll(
    'node running',
    async () => (await c.call('DescribeInstances', { ...R, InstanceIds: JSON.stringify([node]) })).Instances.Instance[0].Status,
    (s) => s === 'Running',
  );

  // pool.go createENI → ECSService.CreateNetworkInterface, CreateNetworkInterfaceOptions.Finish: prefix mode zeroes
  // the address counts, so no SecondaryPrivateIpAddressCount/Ipv6AddressCount; Ipv4PrefixCount and Ipv6PrefixCount;
  // Tag creator=terway; SourceDestCheck=false; a ClientToken from IdempotentKeyGen (a UUID per argument hash).
  const createENI = (vSwitchId: string, v4: number, v6: number, clientToken: string) => ({
    ...R,
    VSwitchId: vSwitchId,
    InstanceType: 'Secondary',
    SecurityGroupIds: [sg.SecurityGroupId],
    Description: DESCRIPTION,
    ...(v4 > 0 ? { Ipv4PrefixCount: v4 } : {}),
    ...(v6 > 0 ? { Ipv6PrefixCount: v6 } : {}),
    Tag: [{ Key: 'creator', Value: 'terway' }],
    SourceDestCheck: false,
    ClientToken: clientToken,
  });
  const created = await c.call('CreateNetworkInterface', createENI(podVsw.VSwitchId, 1, 1, randomUUID()));
  // FromCreateResp: "Record prefixes from the API response" (createENI stores them in the Node CR as Attaching).
  const createdV4 = (created.Ipv4PrefixSets.Ipv4PrefixSet as any[]).map((p) => p.Ipv4Prefix as string);
  const createdV6 = (created.Ipv6PrefixSets.Ipv6PrefixSet as any[]).map((p) => p.Ipv6Prefix as string);
  assert.equal(createdV4.length, 1);
  assert.equal(createdV6.length, 1);
  assert.match(createdV6[0]!, /\/80$/);
  assert.equal(created.Type, 'Secondary');
  const eni = created.NetworkInterfaceId as string;

  // ENITaskQueue attach: AttachNetworkInterface, then DescribeNetworkInterfaceV2([id]) until InUse.
  await c.call('AttachNetworkInterface', { ...R, NetworkInterfaceId: eni, InstanceId: node });
  await poll(
    'eni InUse',
    () => describeNetworkInterfaceV2(c, { eniIds: [eni] }),
    (s) => s[0]?.status === 'InUse',
  );

  // syncWithAPI: DescribeNetworkInterfaceV2(InstanceID=node), Primary ENIs dropped; mergeIPPrefixes takes the prefixes.
  const synced = (await describeNetworkInterfaceV2(c, { instanceId: node })).filter((e) => e.type !== 'Primary');
  assert.deepEqual(
    synced.map((e) => [e.id, e.v4, e.v6]),
    [[eni, createdV4, createdV6]],
  );

  // syncPrefixAllocation → assignIPv4Prefix → ECSService.AssignPrivateIPAddress2 (AssignPrivateIPAddressOptions.Finish:
  // NetworkInterfaceId, Ipv4PrefixCount = min(remaining, maxPrefixPerAPICall), ClientToken); the prefixes come back in
  // AssignedPrivateIpAddressesSet.Ipv4PrefixSet.Ipv4Prefixes. Demand more than the pod vSwitch holds, one at a time.
  const held = [...createdV4];
  let notEnough: { code: string; token: string } | undefined;
  for (let i = 0; i < 4 && !notEnough; i++) {
    const token = randomUUID();
    const request = { ...R, NetworkInterfaceId: eni, Ipv4PrefixCount: 1, ClientToken: token };
    try {
      const r = await c.call('AssignPrivateIpAddresses', request);
      held.push(...(r.AssignedPrivateIpAddressesSet.Ipv4PrefixSet.Ipv4Prefixes as string[]));
    } catch (e: any) {
      notEnough = { code: e.code, token };
    }
  }
  // The code pool.go branches on (isIPNotEnough / vswpool.Block): the vSwitch has no aligned free /28 left.
  assert.equal(notEnough?.code, IP_NOT_ENOUGH);
  assert.ok(held.length >= 1 && held.length <= 2, `at most two /28s fit in ${podCidr}: ${held}`);
  const base = toNum(podCidr.split('/')[0]!);
  for (const p of held) assert.ok([base + 16, base + 32].includes(toNum(p.split('/')[0]!)), `${p} is .16/28 or .32/28`);
  // createENI in the full vSwitch answers the same code; pool.go blocks the vSwitch (n.vswpool.Block) and the rollback
  // puts the ClientToken back for the same arguments. The next reconcile's vswpool.GetOne picks the node's vSwitch.
  const full = await c.fail('CreateNetworkInterface', createENI(podVsw.VSwitchId, 1, 0, randomUUID()));
  assert.equal(full.code, IP_NOT_ENOUGH);
  const second = await c.call('CreateNetworkInterface', createENI(nodeVsw.VSwitchId, 2, 0, randomUUID()));
  const eni2 = second.NetworkInterfaceId as string;
  assert.equal((second.Ipv4PrefixSets.Ipv4PrefixSet as any[]).length, 2);
  await c.call('AttachNetworkInterface', { ...R, NetworkInterfaceId: eni2, InstanceId: node });
  await poll(
    'eni2 InUse',
    () => describeNetworkInterfaceV2(c, { eniIds: [eni2] }),
    (s) => s[0]?.status === 'InUse',
  );
  // syncPrefixAllocation, dual-stack: an ENI with IPv4 prefixes and no IPv6 prefix gets one → assignIPv6Prefix →
  // ECSService.AssignIpv6Addresses2 (NetworkInterfaceId, Ipv6PrefixCount=1, ClientToken); resp.Ipv6PrefixSets.Ipv6Prefix.
  const v6 = await c.call('AssignIpv6Addresses', { ...R, NetworkInterfaceId: eni2, Ipv6PrefixCount: 1, ClientToken: randomUUID() });
  const eni2V6 = v6.Ipv6PrefixSets.Ipv6Prefix as string[];
  assert.equal(eni2V6.length, 1);
  assert.deepEqual(v6.Ipv6Sets.Ipv6Address, [], 'prefixes only, no addresses');
  const both = await describeNetworkInterfaceV2(c, { instanceId: node });
  assert.deepEqual(both.find((e) => e.id === eni2)?.v6, eni2V6);
  assert.deepEqual([...(both.find((e) => e.id === eni)?.v4 ?? [])].sort(), [...held].sort());
  // Prefixes are not addresses: PrivateIpSets holds the primary only.
  assert.equal(both.find((e) => e.id === eni)?.ips.length, 1);

  // handleStatus: prefixes marked Deleting → ECSService.UnAssignPrivateIPAddresses2: UnassignPrivateIpAddresses with
  // NetworkInterfaceId and Ipv4Prefix.N only (no ClientToken).
  const release = held[held.length - 1]!;
  await c.call('UnassignPrivateIpAddresses', { ...R, NetworkInterfaceId: eni, Ipv4Prefix: [release] });
  // A pass before the CR caught up sends it again: InvalidIp.IpUnassigned, which UnAssignPrivateIPAddresses2 treats as success.
  const again = await c.fail('UnassignPrivateIpAddresses', { ...R, NetworkInterfaceId: eni, Ipv4Prefix: [release] });
  assert.equal(again.code, 'InvalidIp.IpUnassigned');
  // ... and UnAssignIpv6Addresses2: UnassignIpv6Addresses NetworkInterfaceId + Ipv6Prefix.N; the same code on a repeat.
  await c.call('UnassignIpv6Addresses', { ...R, NetworkInterfaceId: eni, Ipv6Prefix: createdV6 });
  const again6 = await c.fail('UnassignIpv6Addresses', { ...R, NetworkInterfaceId: eni, Ipv6Prefix: createdV6 });
  assert.equal(again6.code, 'InvalidIp.IpUnassigned');
  // NeedSyncOpenAPI: the next syncWithAPI reads the prefixes back without the released ones.
  const resynced = await describeNetworkInterfaceV2(c, { instanceId: node });
  const first = resynced.find((e) => e.id === eni)!;
  assert.deepEqual([...first.v4].sort(), held.filter((p) => p !== release).sort());
  assert.deepEqual(first.v6, []);

  // The failed AssignPrivateIPAddress2 put its ClientToken back (rollBackFunc → IdempotentKeyGen.PutBack), so the next
  // request with the same arguments carries the same token. With a block free again it must succeed, not replay the error.
  const reuse = await c.call('AssignPrivateIpAddresses', {
    ...R,
    NetworkInterfaceId: eni,
    Ipv4PrefixCount: 1,
    ClientToken: notEnough!.token,
  });
  assert.deepEqual(reuse.AssignedPrivateIpAddressesSet.Ipv4PrefixSet.Ipv4Prefixes, [release]);

  // Releasing an ENI: DetachNetworkInterface, WaitForNetworkInterface Available, then ECSService.DeleteNetworkInterface,
  // which polls describeNetworkInterfaceByID until the ENI is gone; InvalidEniId.NotFound on a repeat counts as success.
  for (const id of [eni, eni2]) {
    await c.call('DetachNetworkInterface', { ...R, NetworkInterfaceId: id, InstanceId: node });
    await poll(
      'eni Available',
      () => describeNetworkInterfaceV2(c, { eniIds: [id] }),
      (s) => s[0]?.status === 'Available',
    );
    await c.call('DeleteNetworkInterface', { ...R, NetworkInterfaceId: id });
    await poll(
      'eni deleted',
      () => describeNetworkInterfaceV2(c, { eniIds: [id] }),
      (s) => s.length === 0,
    );
    assert.equal((await c.fail('DeleteNetworkInterface', { ...R, NetworkInterfaceId: id })).code, 'InvalidEniId.NotFound');
  }
  // The pod vSwitch's blocks are free again: createENI there succeeds.
  const fresh = await c.call('CreateNetworkInterface', createENI(podVsw.VSwitchId, 1, 0, randomUUID()));
  assert.equal((fresh.Ipv4PrefixSets.Ipv4PrefixSet as any[]).length, 1);
  await c.call('DeleteNetworkInterface', { ...R, NetworkInterfaceId: fresh.NetworkInterfaceId });
}

for (const label of ['SQLite', 'PostgreSQL'] as const) {
  describe(`terway's prefix mode over ${label}`, () => {
    (['ecs-v2', 'popcore-post'] as Flavour[]).forEach((flavour, n) => {
      it(`via ${flavour}`, () => replay(servers[label]!, flavour, n + 1));
    });
  });
}
