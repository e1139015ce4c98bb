// terway's trunk mode, replayed request for request against real server
// processes (SQLite, and PostgreSQL on a fresh schema; 100 ms transitions) through official SDKs: the RPC-style
// HMAC-SHA1 signing terway's Go SDK uses (ecs-v2) and pop-core's POST. Read from
// terway's source (AliyunContainerService/terway, pkg/aliyun/client, daemon/,
// pkg/factory/aliyun, pkg/controller/{eni,pod-eni}); each step names the
// function it replays.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sdkClient, type Flavour, type SdkClient } from '../support/sdk-clients.ts';
import type { ServerProcess } from '../support/server-process.ts';
import { poll, replayServers, TERWAY } from './replay-servers.ts';

const servers = replayServers();

const R = TERWAY.region;
const DESCRIPTION = TERWAY.description;
const MAX_RESULTS = TERWAY.maxResults;

/** ECSService.DescribeNetworkInterface: VpcId, NetworkInterfaceId.N, InstanceId, Type, Status, Tag.N, MaxResults=500, NextToken. */
async function describeNetworkInterface(
  c: SdkClient,
  q: { vpcId?: string; eniIds?: string[]; instanceId?: string; type?: string; status?: string },
): Promise<any[]> {
  const out: any[] = [];
  let nextToken = '';
  for (let page = 0; page < 20; page++) {
    const r = await c.call('DescribeNetworkInterfaces', {
      ...R,
      ...(nextToken ? { NextToken: nextToken } : {}),
      ...(q.vpcId ? { VpcId: q.vpcId } : {}),
      ...(q.eniIds ? { NetworkInterfaceId: q.eniIds } : {}),
      ...(q.instanceId ? { InstanceId: q.instanceId } : {}),
      ...(q.type ? { Type: q.type } : {}),
      ...(q.status ? { Status: q.status } : {}),
      MaxResults: MAX_RESULTS,
    });
    const items = r.NetworkInterfaceSets.NetworkInterfaceSet as any[];
    out.push(...items);
    if (items.length < MAX_RESULTS || !r.NextToken) break;
    nextToken = r.NextToken;
  }
  return out;
}

async function replay(server: ServerProcess, flavour: Flavour, n: number): Promise<void> {
  const c = sdkClient(flavour, server.endpoint, server.key);
  const vpc = await c.call('CreateVpc', { ...R, CidrBlock: '172.16.0.0/12', VpcName: `terway-${n}` });
  const vsw = await c.call('CreateVSwitch', { ...R, VpcId: vpc.VpcId, ZoneId: 'cn-hangzhou-h', CidrBlock: `172.16.${n}.0/24` });
  const sg = await c.call('CreateSecurityGroup', { ...R, VpcId: vpc.VpcId });
  const [node] = (
    await c.call('RunInstances', { ...R, InstanceType: 'ecs.g7.2xlarge', VSwitchId: vsw.VSwitchId, SecurityGroupId: sg.SecurityGroupId })
  ).InstanceIdSets.InstanceIdSet as string[];
  await poll(
    'node running',
    async () => (await c.call('DescribeInstances', { ...R, InstanceIds: JSON.stringify([node]) })).Instances.Instance[0].Status,
    (s) => s === 'Running',
  );

  // client/limit.go GetInstanceType: MemberAdapterLimit = EniTotalQuantity - EniQuantity when EniTrunkSupported.
  const [type] = (await c.call('DescribeInstanceTypes', { InstanceTypes: ['ecs.g7.2xlarge'] })).InstanceTypes.InstanceType;
  assert.equal(type.EniTrunkSupported, true);
  const memberAdapterLimit = Number(type.EniTotalQuantity) - Number(type.EniQuantity);
  assert.equal(memberAdapterLimit, 6);

  // daemon.initTrunk → factory/aliyun CreateNetworkInterface(trunk) → ECSService.CreateNetworkInterface
  // (CreateNetworkInterfaceOptions.Finish: InstanceType=Trunk, SecurityGroupIds, Description, Tag, ClientToken, SourceDestCheck=false).
  const createTrunk = {
    ...R,
    VSwitchId: vsw.VSwitchId,
    InstanceType: 'Trunk',
    SecurityGroupIds: [sg.SecurityGroupId],
    Description: DESCRIPTION,
    Tag: [{ Key: 'creator', Value: 'terway' }],
    ClientToken: `trunk-${flavour}`,
    SourceDestCheck: false,
  };
  const trunk = await c.call('CreateNetworkInterface', createTrunk);
  assert.equal(trunk.Type, 'Trunk'); // FromCreateResp keeps Type
  // ... then AttachNetworkInterface with TrunkNetworkInstanceID nil ...
  await c.call('AttachNetworkInterface', { ...R, NetworkInterfaceId: trunk.NetworkInterfaceId, InstanceId: node });
  // ... and "we check openAPI at last to ensure the eni is at InUse status": DescribeNetworkInterface([id]).
  await poll(
    'trunk InUse',
    () => describeNetworkInterface(c, { eniIds: [trunk.NetworkInterfaceId] }),
    (s) => s[0]?.Status === 'InUse',
  );

  // factory/aliyun GetAttachedNetworkInterface: the node's ENIs by id; Trunk = (Type == "Trunk").
  const attached = await describeNetworkInterface(c, { eniIds: [trunk.NetworkInterfaceId] });
  assert.deepEqual(
    attached.map((e) => [e.NetworkInterfaceId, e.Type]),
    [[trunk.NetworkInterfaceId, 'Trunk']],
  );

  // controller/pod-eni: a member per pod, created as a Secondary ENI with the controller's tags ...
  const memberTags = [
    { Key: 'ack.aliyun.com', Value: `cluster-${n}` },
    { Key: 'creator', Value: 'terway-controller' },
  ];
  const members: string[] = [];
  for (let i = 0; i < 2; i++) {
    const m = await c.call('CreateNetworkInterface', {
      ...R,
      VSwitchId: vsw.VSwitchId,
      InstanceType: 'Secondary',
      SecurityGroupIds: [sg.SecurityGroupId],
      Description: DESCRIPTION,
      Tag: memberTags,
      ClientToken: `member-${flavour}-${i}`,
    });
    assert.equal(m.Type, 'Secondary');
    // ... controller/eni attach → AttachNetworkInterfaceV2 with TrunkNetworkInstanceID, then DescribeNetworkInterfaceV2([id]) until InUse.
    await c.call('AttachNetworkInterface', {
      ...R,
      NetworkInterfaceId: m.NetworkInterfaceId,
      InstanceId: node,
      TrunkNetworkInstanceId: trunk.NetworkInterfaceId,
    });
    const [bound] = await poll(
      'member InUse',
      () => describeNetworkInterface(c, { eniIds: [m.NetworkInterfaceId] }),
      (s) => s[0]?.Status === 'InUse',
    );
    // FromDescribeResp: Type, InstanceId (or Attachment.InstanceId), Attachment.TrunkNetworkInterfaceId.
    assert.equal(bound.Type, 'Member');
    assert.equal(bound.InstanceId || bound.Attachment.InstanceId, node);
    assert.equal(bound.Attachment.TrunkNetworkInterfaceId, trunk.NetworkInterfaceId);
    members.push(m.NetworkInterfaceId);
  }

  // ECSService.DescribeNetworkInterfaceAttribute (Attribute=basic) on the trunk: its members.
  const attr = await c.call('DescribeNetworkInterfaceAttribute', {
    ...R,
    NetworkInterfaceId: trunk.NetworkInterfaceId,
    Attribute: 'basic',
  });
  assert.equal(attr.Type, 'Trunk');
  assert.deepEqual([...attr.Attachment.MemberNetworkInterfaceIds.MemberNetworkInterfaceId].sort(), [...members].sort());

  // Not a terway call: a trunk holding members refuses to go, with the code Terraform retries on.
  const early = await c.fail('DeleteNetworkInterface', { ...R, NetworkInterfaceId: trunk.NetworkInterfaceId });
  assert.equal(early.code, 'InvalidOperation.HasMemberEniAttached', early.message);

  // pod-eni gcMemberENI: DescribeNetworkInterface(vpc, Type=Member, Status=InUse), then for each leaked one
  // DetachNetworkInterface(eni, InstanceID, TrunkNetworkInterfaceID).
  const inUse = await describeNetworkInterface(c, { vpcId: vpc.VpcId, type: 'Member', status: 'InUse' });
  assert.deepEqual(inUse.map((e) => e.NetworkInterfaceId).sort(), [...members].sort());
  for (const e of inUse) {
    await c.call('DetachNetworkInterface', {
      ...R,
      NetworkInterfaceId: e.NetworkInterfaceId,
      InstanceId: e.InstanceId || e.Attachment.InstanceId,
      TrunkNetworkInstanceId: e.Attachment.TrunkNetworkInterfaceId,
    });
  }

  // gcSecondaryENI on the next pass: DescribeNetworkInterface(vpc, Type=Secondary, Status=Available) → DeleteNetworkInterface,
  // which polls describeNetworkInterfaceByID until the ENI is gone.
  const freed = await poll(
    'members Available as Secondary',
    () => describeNetworkInterface(c, { vpcId: vpc.VpcId, type: 'Secondary', status: 'Available' }),
    (s) => members.every((id) => s.some((e) => e.NetworkInterfaceId === id)),
  );
  for (const e of freed.filter((x) => members.includes(x.NetworkInterfaceId))) {
    assert.equal(e.Attachment.TrunkNetworkInterfaceId ?? '', '');
    await c.call('DeleteNetworkInterface', { ...R, NetworkInterfaceId: e.NetworkInterfaceId });
    await poll(
      'member deleted',
      () => describeNetworkInterface(c, { eniIds: [e.NetworkInterfaceId] }),
      (s) => s.length === 0,
    );
  }
  const after = await c.call('DescribeNetworkInterfaceAttribute', {
    ...R,
    NetworkInterfaceId: trunk.NetworkInterfaceId,
    Attribute: 'basic',
  });
  assert.deepEqual(after.Attachment.MemberNetworkInterfaceIds.MemberNetworkInterfaceId, []);
}

for (const label of ['SQLite', 'PostgreSQL'] as const) {
  describe(`terway's trunk mode over ${label}`, () => {
    (['ecs-v2', 'popcore-post'] as Flavour[]).forEach((flavour, n) => {
      it(`via ${flavour}`, () => replay(servers[label]!, flavour, n + 1));
    });
  });
}
