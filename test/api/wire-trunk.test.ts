// Wire tests (in-process) for trunk mode: Trunk ENIs, members bound with
// TrunkNetworkInstanceId, the member quota and the codes of the real API.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadInstanceFacts } from '../../src/service/instance-metadata.ts';
import { assertError, wireFixture } from '../support/wire-fixture.ts';

const { h, net } = wireFixture();

async function ok(action: string, params: Record<string, any>) {
  const r = await h.call(action, params);
  assert.equal(r.status, 200, `${action}: ${JSON.stringify(r.body)}`);
  return r.body;
}
// ecs.g7.2xlarge: EniQuantity 4, EniTotalQuantity 10 → 6 members; ecs.g7.large has no room for members.
async function instance(type = 'ecs.g7.2xlarge') {
  const b = await ok('RunInstances', {
    InstanceType: type,
    VSwitchId: net.vSwitchId,
    SecurityGroupId: net.securityGroupId,
    ImageId: 'any-image',
  });
  return b.InstanceIdSets.InstanceIdSet[0] as string;
}
async function eni(extra: Record<string, any> = {}) {
  return (await ok('CreateNetworkInterface', { VSwitchId: net.vSwitchId, SecurityGroupId: net.securityGroupId, ...extra }))
    .NetworkInterfaceId as string;
}
const attr = (id: string) => ok('DescribeNetworkInterfaceAttribute', { NetworkInterfaceId: id });
const membersOf = async (trunk: string) =>
  (await attr(trunk)).Attachment.MemberNetworkInterfaceIds?.MemberNetworkInterfaceId as string[] | undefined;
const bind = (eniId: string, instanceId: string, trunk: string) =>
  h.call('AttachNetworkInterface', { NetworkInterfaceId: eniId, InstanceId: instanceId, TrunkNetworkInstanceId: trunk });

describe('Trunk ENIs', () => {
  it('CreateNetworkInterface InstanceType=Trunk makes a Trunk ENI; other types are refused', async () => {
    const b = await ok('CreateNetworkInterface', { VSwitchId: net.vSwitchId, SecurityGroupId: net.securityGroupId, InstanceType: 'Trunk' });
    assert.equal(b.Type, 'Trunk');
    assert.equal(b.Status, 'Available');
    assert.equal((await attr(b.NetworkInterfaceId)).Type, 'Trunk');
    assertError(
      await h.call('CreateNetworkInterface', { VSwitchId: net.vSwitchId, SecurityGroupId: net.securityGroupId, InstanceType: 'Member' }),
      400,
      'InvalidParameter',
    );
  });

  it('attaches only to an instance type that supports trunking', async () => {
    const trunk = await eni({ InstanceType: 'Trunk' });
    const plain = await instance('ecs.g7.large');
    assertError(
      await h.call('AttachNetworkInterface', { NetworkInterfaceId: trunk, InstanceId: plain }),
      403,
      'InvalidOperation.InstanceTypeNotSupportEniTrunking',
    );
    assert.equal((await attr(trunk)).Status, 'Available');
    const types = await ok('DescribeInstanceTypes', { 'InstanceTypes.1': 'ecs.g7.large', 'InstanceTypes.2': 'ecs.g7.2xlarge' });
    const supported = Object.fromEntries(types.InstanceTypes.InstanceType.map((t: any) => [t.InstanceTypeId, t.EniTrunkSupported]));
    assert.deepEqual(supported, { 'ecs.g7.large': false, 'ecs.g7.2xlarge': true });
  });
});

describe('member ENIs', () => {
  let inst: string;
  let trunk: string;
  before(async () => {
    inst = await instance();
    trunk = await eni({ InstanceType: 'Trunk' });
    await ok('AttachNetworkInterface', { NetworkInterfaceId: trunk, InstanceId: inst });
  });

  it('bind through the trunk and read back as terway reads them', async () => {
    const m = await eni();
    await ok('AttachNetworkInterface', { NetworkInterfaceId: m, InstanceId: inst, TrunkNetworkInstanceId: trunk });
    const a = await attr(m);
    assert.equal(a.Type, 'Member');
    assert.equal(a.Status, 'InUse');
    assert.equal(a.InstanceId, inst);
    assert.equal(a.Attachment.InstanceId, inst);
    assert.equal(a.Attachment.TrunkNetworkInterfaceId, trunk);
    assert.deepEqual(await membersOf(trunk), [m]);
    // gcMemberENI's listing: Type=Member, Status=InUse; the trunk under Type=Trunk.
    const listed = await ok('DescribeNetworkInterfaces', { VpcId: net.vpcId, Type: 'Member', Status: 'InUse', MaxResults: 500 });
    assert.deepEqual(
      listed.NetworkInterfaceSets.NetworkInterfaceSet.map((e: any) => [e.NetworkInterfaceId, e.Type, e.Attachment.TrunkNetworkInterfaceId]),
      [[m, 'Member', trunk]],
    );
    const trunks = await ok('DescribeNetworkInterfaces', { InstanceId: inst, Type: 'Trunk' });
    assert.deepEqual(
      trunks.NetworkInterfaceSets.NetworkInterfaceSet.map((e: any) => e.NetworkInterfaceId),
      [trunk],
    );
    // The guest's metadata lists the trunk as a NIC, not the member.
    const nics = (await loadInstanceFacts(h.deps, inst))!.metadata.interfaces.map((i) => i.networkInterfaceId);
    assert.ok(nics.includes(trunk));
    assert.ok(!nics.includes(m));

    // Unbound (naming its trunk, as gcMemberENI does), it is a Secondary again.
    await ok('DetachNetworkInterface', { NetworkInterfaceId: m, InstanceId: inst, TrunkNetworkInstanceId: trunk });
    const d = await attr(m);
    assert.equal(d.Type, 'Secondary');
    assert.equal(d.Status, 'Available');
    assert.deepEqual(d.Attachment, {});
    assert.deepEqual(await membersOf(trunk), []);
    await ok('DeleteNetworkInterface', { NetworkInterfaceId: m });
  });

  it('refuse a "trunk" that is not one, a member that is not Secondary, a detach naming another trunk', async () => {
    const s = await eni();
    await ok('AttachNetworkInterface', { NetworkInterfaceId: s, InstanceId: inst });
    const m = await eni();
    assertError(await bind(m, inst, s), 403, 'InvalidOperation.EniTypeNotSupportTrunking');
    const otherTrunk = await eni({ InstanceType: 'Trunk' });
    assertError(await bind(otherTrunk, inst, trunk), 403, 'InvalidOperation.EniTypeNotSupportTrunking');
    assertError(await bind(m, inst, otherTrunk), 403, 'InvalidOperation.InvalidTrunkEniStatus');
    assertError(await bind(m, inst, 'eni-bpnotthere0000000000'), 404, 'InvalidEniId.NotFound');
    assert.equal((await attr(m)).Status, 'Available');

    await ok('AttachNetworkInterface', { NetworkInterfaceId: m, InstanceId: inst, TrunkNetworkInstanceId: trunk });
    assertError(
      await h.call('DetachNetworkInterface', { NetworkInterfaceId: m, InstanceId: inst, TrunkNetworkInstanceId: otherTrunk }),
      403,
      'InvalidParameter.EniNotBelongTrunk',
    );
    assertError(
      await h.call('DetachNetworkInterface', { NetworkInterfaceId: s, InstanceId: inst, TrunkNetworkInstanceId: trunk }),
      403,
      'InvalidParameter.EniNotBelongTrunk',
    );
    assert.equal((await attr(m)).Type, 'Member');
    await ok('DetachNetworkInterface', { NetworkInterfaceId: m, InstanceId: inst, TrunkNetworkInstanceId: trunk });
    await ok('DetachNetworkInterface', { NetworkInterfaceId: s, InstanceId: inst });
  });

  it('count against EniTotalQuantity - EniQuantity, not against EniQuantity', async () => {
    const members: string[] = [];
    for (let i = 0; i < 6; i++) {
      const m = await eni();
      await ok('AttachNetworkInterface', { NetworkInterfaceId: m, InstanceId: inst, TrunkNetworkInstanceId: trunk });
      members.push(m);
    }
    const seventh = await eni();
    const r = await bind(seventh, inst, trunk);
    assertError(r, 403, 'EniPerInstanceLimitExceeded');
    assert.match(r.body.Message, /member ENIs .*\(6:/);
    // EniQuantity 4 = primary + trunk + two more secondaries, members notwithstanding.
    const s1 = await eni();
    const s2 = await eni();
    const s3 = await eni();
    await ok('AttachNetworkInterface', { NetworkInterfaceId: s1, InstanceId: inst });
    await ok('AttachNetworkInterface', { NetworkInterfaceId: s2, InstanceId: inst });
    assertError(await h.call('AttachNetworkInterface', { NetworkInterfaceId: s3, InstanceId: inst }), 403, 'EniPerInstanceLimitExceeded');
    assert.deepEqual(await membersOf(trunk), [...members].sort());

    // A trunk with members can be neither detached nor deleted.
    assertError(
      await h.call('DetachNetworkInterface', { NetworkInterfaceId: trunk, InstanceId: inst }),
      403,
      'InvalidOperation.HasMemberEniAttached',
    );
    assertError(await h.call('DeleteNetworkInterface', { NetworkInterfaceId: trunk }), 403, 'InvalidOperation.HasMemberEniAttached');
    assert.equal((await attr(trunk)).Status, 'InUse');

    for (const m of members) await ok('DetachNetworkInterface', { NetworkInterfaceId: m, InstanceId: inst, TrunkNetworkInstanceId: trunk });
    await ok('DetachNetworkInterface', { NetworkInterfaceId: s1, InstanceId: inst });
    await ok('DetachNetworkInterface', { NetworkInterfaceId: s2, InstanceId: inst });
  });

  it("hold a member's addresses to the instance type's per-ENI caps", async () => {
    const m = await eni();
    await ok('AttachNetworkInterface', { NetworkInterfaceId: m, InstanceId: inst, TrunkNetworkInstanceId: trunk });
    // ecs.g7.2xlarge: 15 IPv4 per ENI, the primary included.
    await ok('AssignPrivateIpAddresses', { NetworkInterfaceId: m, SecondaryPrivateIpAddressCount: 14 });
    assertError(
      await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: m, SecondaryPrivateIpAddressCount: 1 }),
      403,
      'InvalidOperation.Ipv4CountExceeded',
    );
    await ok('DetachNetworkInterface', { NetworkInterfaceId: m, InstanceId: inst, TrunkNetworkInstanceId: trunk });
  });

  it('the trunk, its members gone, detaches and deletes like any ENI', async () => {
    const i2 = await instance();
    const t2 = await eni({ InstanceType: 'Trunk' });
    await ok('AttachNetworkInterface', { NetworkInterfaceId: t2, InstanceId: i2 });
    const m = await eni();
    await ok('AttachNetworkInterface', { NetworkInterfaceId: m, InstanceId: i2, TrunkNetworkInstanceId: t2 });
    await ok('DetachNetworkInterface', { NetworkInterfaceId: m, InstanceId: i2, TrunkNetworkInstanceId: t2 });
    await ok('DetachNetworkInterface', { NetworkInterfaceId: t2, InstanceId: i2 });
    await ok('DeleteNetworkInterface', { NetworkInterfaceId: t2 });
    assertError(await h.call('DescribeNetworkInterfaceAttribute', { NetworkInterfaceId: t2 }), 404, 'InvalidEniId.NotFound');
  });

  it('deleting the instance releases its members as Secondary ENIs', async () => {
    const i3 = await instance();
    const t3 = await eni({ InstanceType: 'Trunk' });
    await ok('AttachNetworkInterface', { NetworkInterfaceId: t3, InstanceId: i3 });
    const m = await eni();
    await ok('AttachNetworkInterface', { NetworkInterfaceId: m, InstanceId: i3, TrunkNetworkInstanceId: t3 });
    await ok('DeleteInstance', { InstanceId: i3, Force: true });
    const a = await attr(m);
    assert.deepEqual([a.Type, a.Status, a.InstanceId], ['Secondary', 'Available', '']);
    assert.equal((await attr(t3)).Status, 'Available');
  });
});
