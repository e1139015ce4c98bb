// Wire tests (in-process) for ENI and instance life: create, attach, detach,
// delete, the instance-type limits, async states and account isolation.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { seedNetwork, startHarness } from '../support/in-process.ts';
import { assertError, wireFixture } from '../support/wire-fixture.ts';

const { h, net } = wireFixture();

async function instance(type = 'ecs.g7.large', vSwitchId = net.vSwitchId) {
  const r = await h.call('RunInstances', {
    InstanceType: type,
    VSwitchId: vSwitchId,
    SecurityGroupId: net.securityGroupId,
    ImageId: 'any-image',
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.InstanceIdSets.InstanceIdSet.length, 1);
  return r.body.InstanceIdSets.InstanceIdSet[0] as string;
}
async function eni(extra: Record<string, any> = {}) {
  const r = await h.call('CreateNetworkInterface', { VSwitchId: net.vSwitchId, SecurityGroupId: net.securityGroupId, ...extra });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.NetworkInterfaceId as string;
}
const attr = async (id: string) => (await h.call('DescribeNetworkInterfaceAttribute', { NetworkInterfaceId: id })).body;

describe('CreateNetworkInterface', () => {
  it('answers the full shape with types the SDK expects', async () => {
    const r = await h.call('CreateNetworkInterface', {
      VSwitchId: net.vSwitchId,
      SecurityGroupIds: [net.securityGroupId],
      NetworkInterfaceName: 'web-eni',
      Description: 'for the web tier',
      PrimaryIpAddress: '192.168.1.201',
      PrivateIpAddress: ['192.168.1.202', '192.168.1.203'],
      Ipv6AddressCount: 1,
      'Tag.1.Key': 'team',
      'Tag.1.Value': 'net',
    } as any);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const b = r.body;
    assert.match(b.NetworkInterfaceId, /^eni-bp[a-z0-9]{18}$/);
    assert.equal(b.Status, 'Available');
    assert.equal(b.Type, 'Secondary');
    assert.equal(b.PrivateIpAddress, '192.168.1.201');
    assert.match(b.MacAddress, /^00:16:3e(:[0-9a-f]{2}){3}$/);
    assert.equal(typeof b.OwnerId, 'string');
    assert.deepEqual(b.SecurityGroupIds, { SecurityGroupId: [net.securityGroupId] });
    assert.deepEqual(
      b.PrivateIpSets.PrivateIpSet.map((x: any) => [x.PrivateIpAddress, x.Primary]),
      [
        ['192.168.1.201', true],
        ['192.168.1.202', false],
        ['192.168.1.203', false],
      ],
    );
    assert.equal(b.Ipv6Sets.Ipv6Set.length, 1);
    assert.deepEqual(b.Tags, { Tag: [{ TagKey: 'team', TagValue: 'net' }] });
    assert.equal(b.ZoneId, 'cn-hangzhou-h');
  });

  it('refuses what the real API refuses', async () => {
    assertError(
      await h.call('CreateNetworkInterface', { VSwitchId: 'vsw-bpnotthere00000000', SecurityGroupId: net.securityGroupId }),
      404,
      'InvalidVSwitchId.NotFound',
    );
    assertError(await h.call('CreateNetworkInterface', { VSwitchId: net.vSwitchId }), 400, 'MissingParameter');
    assertError(
      await h.call('CreateNetworkInterface', { VSwitchId: net.vSwitchId, SecurityGroupId: 'sg-bpnotthere000000000' }),
      404,
      'InvalidSecurityGroupId.NotFound',
    );
    assertError(
      await h.call('CreateNetworkInterface', {
        VSwitchId: net.vSwitchId,
        SecurityGroupId: net.securityGroupId,
        SecondaryPrivateIpAddressCount: 10,
      }),
      403,
      'MaxEniPrivateIpsCountExceeded',
    );
    assertError(
      await h.call('CreateNetworkInterface', {
        VSwitchId: net.vSwitchId,
        SecurityGroupId: net.securityGroupId,
        PrimaryIpAddress: '192.168.1.255',
      }),
      403,
      'InvalidVSwitchId.IpInvalid',
    );
    const other = await seedNetwork(h, { cidr: '10.0.0.0/16', vswCidr: '10.0.1.0/24' });
    assertError(
      await h.call('CreateNetworkInterface', { VSwitchId: net.vSwitchId, SecurityGroupId: other.securityGroupId }),
      403,
      'InvalidOperation.VpcMismatch',
    );
    const sgs = [];
    for (let i = 0; i < 6; i++) sgs.push((await h.call('CreateSecurityGroup', { VpcId: net.vpcId })).body.SecurityGroupId);
    assertError(await h.call('CreateNetworkInterface', { VSwitchId: net.vSwitchId, SecurityGroupIds: sgs }), 400, 'JoinedGroupLimitExceed');
  });
});

describe('instances and their primary ENI', () => {
  it('RunInstances creates a Running instance whose primary ENI is InUse and cannot be detached or deleted', async () => {
    const id = await instance();
    const d = await h.call('DescribeInstances', { InstanceIds: JSON.stringify([id]) });
    assert.equal(d.body.Instances.Instance.length, 1);
    const inst = d.body.Instances.Instance[0];
    assert.equal(inst.Status, 'Running');
    const nic = inst.NetworkInterfaces.NetworkInterface[0];
    assert.equal(nic.Type, 'Primary');
    assert.equal(inst.VpcAttributes.PrivateIpAddress.IpAddress[0], nic.PrimaryIpAddress);
    const p = await attr(nic.NetworkInterfaceId);
    assert.equal(p.Status, 'InUse');
    assert.equal(p.InstanceId, id);
    assertError(
      await h.call('DetachNetworkInterface', { NetworkInterfaceId: nic.NetworkInterfaceId, InstanceId: id }),
      400,
      'InvalidOperation.DetachPrimaryEniNotAllowed',
    );
    assertError(
      await h.call('DeleteNetworkInterface', { NetworkInterfaceId: nic.NetworkInterfaceId }),
      403,
      'InvalidOperation.InvalidEniType',
    );
    // InUse: bound by the instance type (ecs.g7.large: 6 IPv4 per ENI, primary included).
    assert.equal(
      (await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: nic.NetworkInterfaceId, SecondaryPrivateIpAddressCount: 5 })).status,
      200,
    );
    const over = await h.call('AssignPrivateIpAddresses', {
      NetworkInterfaceId: nic.NetworkInterfaceId,
      SecondaryPrivateIpAddressCount: 1,
    });
    assertError(over, 403, 'InvalidOperation.Ipv4CountExceeded');
    assert.match(over.body.Message, /at most 6/);
  });

  it('a primary ENI needs its instance Running or Stopped; DeleteInstance needs Stopped', async () => {
    const id = await instance();
    assertError(await h.call('StartInstance', { InstanceId: id }), 403, 'IncorrectInstanceStatus');
    assertError(await h.call('DeleteInstance', { InstanceId: id }), 403, 'IncorrectInstanceStatus');
    assert.equal((await h.call('StopInstance', { InstanceId: id })).status, 200);
    const d = await h.call('DescribeInstances', { InstanceIds: JSON.stringify([id]) });
    assert.equal(d.body.Instances.Instance[0].Status, 'Stopped');
    assert.equal((await h.call('StartInstance', { InstanceId: id })).status, 200);
    assert.equal((await h.call('DeleteInstance', { InstanceId: id, Force: true })).status, 200);
    assertError(await h.call('StopInstance', { InstanceId: id }), 404, 'InvalidInstanceId.NotFound');
  });
});

describe('attach, detach, delete', () => {
  it('attach binds within the instance type limits; detach frees; a failover moves the ENI', async () => {
    const a = await instance();
    const b = await instance();
    const e = await eni({ SecondaryPrivateIpAddressCount: 2 });
    assert.equal((await h.call('AttachNetworkInterface', { NetworkInterfaceId: e, InstanceId: a })).status, 200);
    let x = await attr(e);
    assert.equal(x.Status, 'InUse');
    assert.equal(x.InstanceId, a);
    assert.equal(x.Attachment.InstanceId, a);
    assert.equal(x.Attachment.DeviceIndex, 1);
    assertError(await h.call('AttachNetworkInterface', { NetworkInterfaceId: e, InstanceId: b }), 400, 'InvalidOperation.InvalidEniState');
    assertError(await h.call('DeleteNetworkInterface', { NetworkInterfaceId: e }), 400, 'InvalidOperation.InvalidEniState');
    assertError(
      await h.call('DetachNetworkInterface', { NetworkInterfaceId: e, InstanceId: 'i-bpnotthere00000000000' }),
      404,
      'InvalidEcsId.NotFound',
    );
    assertError(await h.call('DetachNetworkInterface', { NetworkInterfaceId: e, InstanceId: b }), 404, 'InvalidEcsId.NotFound');
    assert.equal((await h.call('DetachNetworkInterface', { NetworkInterfaceId: e, InstanceId: a })).status, 200);
    assert.equal((await attr(e)).Status, 'Available');
    assert.equal((await h.call('AttachNetworkInterface', { NetworkInterfaceId: e, InstanceId: b })).status, 200);
    x = await attr(e);
    assert.equal(x.InstanceId, b);
    assert.equal(x.PrivateIpSets.PrivateIpSet.length, 3, 'the addresses follow the ENI');
    const list = await h.call('DescribeNetworkInterfaces', { InstanceId: b });
    assert.deepEqual(list.body.NetworkInterfaceSets.NetworkInterfaceSet.map((n: any) => n.Type).sort(), ['Primary', 'Secondary']);
  });

  it('refuses an ENI whose addresses exceed the instance type, a full instance, another zone, and a primary ENI', async () => {
    const a = await instance('ecs.g6.large'); // 2 ENIs, 6 IPv4 per ENI
    const big = await eni({ SecondaryPrivateIpAddressCount: 6 });
    assertError(
      await h.call('AttachNetworkInterface', { NetworkInterfaceId: big, InstanceId: a }),
      403,
      'InvalidOperation.Ipv4CountExceeded',
    );
    assert.equal((await h.call('AttachNetworkInterface', { NetworkInterfaceId: await eni(), InstanceId: a })).status, 200);
    assertError(
      await h.call('AttachNetworkInterface', { NetworkInterfaceId: await eni(), InstanceId: a }),
      403,
      'EniPerInstanceLimitExceeded',
    );
    const otherZone = await h.call('CreateVSwitch', { VpcId: net.vpcId, ZoneId: 'cn-hangzhou-i', CidrBlock: '192.168.30.0/24' });
    const far = await h.call('CreateNetworkInterface', { VSwitchId: otherZone.body.VSwitchId, SecurityGroupId: net.securityGroupId });
    assertError(
      await h.call('AttachNetworkInterface', { NetworkInterfaceId: far.body.NetworkInterfaceId, InstanceId: await instance() }),
      403,
      'InvalidOperation.AvailabilityZoneMismatch',
    );
    const primary = (await h.call('DescribeNetworkInterfaces', { InstanceId: a, Type: 'Primary' })).body.NetworkInterfaceSets
      .NetworkInterfaceSet[0].NetworkInterfaceId;
    assertError(
      await h.call('AttachNetworkInterface', { NetworkInterfaceId: primary, InstanceId: await instance() }),
      403,
      'InvalidOperation.InvalidEniType',
    );
  });

  it('deleting an instance deletes its primary ENI and detaches the others (DeleteOnRelease false)', async () => {
    const a = await instance();
    const keep = await eni();
    const drop = await eni({ DeleteOnRelease: true } as any);
    await h.call('AttachNetworkInterface', { NetworkInterfaceId: keep, InstanceId: a });
    await h.call('AttachNetworkInterface', { NetworkInterfaceId: drop, InstanceId: a });
    const primary = (await h.call('DescribeNetworkInterfaces', { InstanceId: a, Type: 'Primary' })).body.NetworkInterfaceSets
      .NetworkInterfaceSet[0].NetworkInterfaceId;
    await h.call('StopInstance', { InstanceId: a });
    assert.equal((await h.call('DeleteInstance', { InstanceId: a })).status, 200);
    assert.equal((await attr(keep)).Status, 'Available');
    assertError(await h.call('DescribeNetworkInterfaceAttribute', { NetworkInterfaceId: drop }), 404, 'InvalidEniId.NotFound');
    const gone = await h.call('DescribeNetworkInterfaces', { NetworkInterfaceId: [primary, drop] });
    assert.deepEqual(gone.body.NetworkInterfaceSets.NetworkInterfaceSet, [], 'unknown ids give an empty list');
  });

  it('ModifyNetworkInterfaceAttribute renames and replaces the security groups', async () => {
    const e = await eni();
    const sg2 = (await h.call('CreateSecurityGroup', { VpcId: net.vpcId, SecurityGroupType: 'enterprise' })).body.SecurityGroupId;
    assert.equal(
      (await h.call('ModifyNetworkInterfaceAttribute', { NetworkInterfaceId: e, NetworkInterfaceName: 'renamed', SecurityGroupId: [sg2] }))
        .status,
      200,
    );
    const x = await attr(e);
    assert.equal(x.NetworkInterfaceName, 'renamed');
    assert.deepEqual(x.SecurityGroupIds.SecurityGroupId, [sg2]);
    assertError(await h.call('DeleteSecurityGroup', { SecurityGroupId: sg2 }), 403, 'DependencyViolation');
  });
});

describe('asynchronous states', () => {
  // The server's clock is the test's: a transition is due transitionMs after it started, on this
  // clock, so each intermediate state holds until the test moves the clock, however slow the machine.
  it('Attaching/Detaching/Deleting are visible, then settle', async () => {
    const TRANSITION_MS = 150;
    let now = Date.now();
    const slow = await startHarness({ limits: { transitionMs: TRANSITION_MS }, clock: { nowMs: () => now } });
    /** Moves the clock to the due time of a transition started at `from` (or `offsetMs` around it). */
    const advanceTo = (from: number, offsetMs = 0) => {
      now = Math.max(now, from + TRANSITION_MS + offsetMs);
    };
    try {
      const n = await seedNetwork(slow);
      const ran = now;
      const run = await slow.call('RunInstances', {
        InstanceType: 'ecs.g7.large',
        VSwitchId: n.vSwitchId,
        SecurityGroupId: n.securityGroupId,
      });
      const id = run.body.InstanceIdSets.InstanceIdSet[0];
      const status = async () =>
        (await slow.call('DescribeInstances', { InstanceIds: JSON.stringify([id]) })).body.Instances.Instance[0].Status;
      assert.equal(await status(), 'Pending');
      const e = (await slow.call('CreateNetworkInterface', { VSwitchId: n.vSwitchId, SecurityGroupId: n.securityGroupId })).body
        .NetworkInterfaceId;
      assertError(
        await slow.call('AttachNetworkInterface', { NetworkInterfaceId: e, InstanceId: id }),
        400,
        'InvalidOperation.InvalidEcsState',
      );
      advanceTo(ran, -1);
      assert.equal(await status(), 'Pending', 'one ms before its due time');
      advanceTo(ran);
      assert.equal(await status(), 'Running', 'at its due time');

      const eniStatus = async () => (await slow.call('DescribeNetworkInterfaceAttribute', { NetworkInterfaceId: e })).body.Status;
      const attached = now;
      assert.equal((await slow.call('AttachNetworkInterface', { NetworkInterfaceId: e, InstanceId: id })).status, 200);
      assert.equal(await eniStatus(), 'Attaching');
      assertError(
        await slow.call('AssignPrivateIpAddresses', { NetworkInterfaceId: e, SecondaryPrivateIpAddressCount: 1 }),
        400,
        'InvalidOperation.InvalidEniState',
      );
      advanceTo(attached, -1);
      assert.equal(await eniStatus(), 'Attaching', 'one ms before its due time');
      advanceTo(attached);
      assert.equal(await eniStatus(), 'InUse');

      const detached = now;
      assert.equal((await slow.call('DetachNetworkInterface', { NetworkInterfaceId: e, InstanceId: id })).status, 200);
      assert.equal(await eniStatus(), 'Detaching');
      assert.equal(
        (await slow.call('DetachNetworkInterface', { NetworkInterfaceId: e, InstanceId: id })).status,
        200,
        'a re-sent Detach is accepted',
      );
      assert.equal(await eniStatus(), 'Detaching');
      advanceTo(detached);
      assert.equal(await eniStatus(), 'Available');

      const deleted = now;
      assert.equal((await slow.call('DeleteNetworkInterface', { NetworkInterfaceId: e })).status, 200);
      assert.equal(await eniStatus(), 'Deleting');
      const listed = async () =>
        (await slow.call('DescribeNetworkInterfaces', { NetworkInterfaceId: [e] })).body.NetworkInterfaceSets.NetworkInterfaceSet.length;
      assert.equal(await listed(), 1);
      advanceTo(deleted);
      assert.equal(await listed(), 0);
    } finally {
      await slow.close();
    }
  });
});
