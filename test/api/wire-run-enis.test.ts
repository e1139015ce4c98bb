// Wire tests (in-process) for RunInstances' NetworkInterface.N: the primary ENI's settings
// (InstanceType=Primary) applied and read back, secondary ENIs made or attached with the instance,
// and the conflicts with the top-level parameters a primary NetworkInterface.N stands for.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { seedNetwork, startHarness, type Harness } from '../support/in-process.ts';

let h: Harness;
let net: Awaited<ReturnType<typeof seedNetwork>>;
let otherVsw: string;
let otherSg: string;
before(async () => {
  h = await startHarness();
  net = await seedNetwork(h);
  otherVsw = (await h.call('CreateVSwitch', { VpcId: net.vpcId, ZoneId: 'cn-hangzhou-h', CidrBlock: '192.168.2.0/24' })).body.VSwitchId;
  otherSg = (await h.call('CreateSecurityGroup', { VpcId: net.vpcId })).body.SecurityGroupId;
});
after(() => h.close());

type Params = Record<string, string | number | boolean | string[]>;
function assertError(r: { status: number; body: Record<string, any> }, status: number, code: string) {
  assert.equal(r.body.Code, code, JSON.stringify(r.body));
  assert.equal(r.status, status);
}
const base = (): Params => ({ InstanceType: 'ecs.g7.large', ImageId: 'img-1' });
async function run(params: Params): Promise<string> {
  const r = await h.call('RunInstances', { ...base(), ...params });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.InstanceIdSets.InstanceIdSet[0];
}
async function enisOf(instanceId: string): Promise<any[]> {
  const b = (await h.call('DescribeNetworkInterfaces', { InstanceId: instanceId })).body;
  return (b.NetworkInterfaceSets.NetworkInterfaceSet as any[]).sort((a, b) => a.Attachment.DeviceIndex - b.Attachment.DeviceIndex);
}

describe('RunInstances NetworkInterface.N', () => {
  it('applies a Primary one to the primary ENI and returns it in DescribeNetworkInterfaces and DescribeInstances', async () => {
    const id = await run({
      'NetworkInterface.1.InstanceType': 'Primary',
      'NetworkInterface.1.VSwitchId': net.vSwitchId,
      'NetworkInterface.1.SecurityGroupIds.1': net.securityGroupId,
      'NetworkInterface.1.SecurityGroupIds.2': otherSg,
      'NetworkInterface.1.PrimaryIpAddress': '192.168.1.50',
      'NetworkInterface.1.NetworkInterfaceName': 'eth0-name',
      'NetworkInterface.1.Description': 'primary one',
      'NetworkInterface.1.QueueNumber': 4,
      'NetworkInterface.1.NetworkInterfaceTrafficMode': 'HighPerformance',
      'NetworkInterface.1.QueuePairNumber': 2,
      'NetworkInterface.1.SourceDestCheck': true,
      'NetworkInterface.1.SecondaryPrivateIpAddressCount': 2,
      'NetworkInterface.1.Ipv6AddressCount': 2,
    });
    const [p] = await enisOf(id);
    assert.equal(p.Type, 'Primary');
    assert.deepEqual(
      [p.VSwitchId, p.PrivateIpAddress, p.NetworkInterfaceName, p.Description, p.QueueNumber, p.NetworkInterfaceTrafficMode],
      [net.vSwitchId, '192.168.1.50', 'eth0-name', 'primary one', 4, 'HighPerformance'],
    );
    assert.equal(p.QueuePairNumber, 2);
    assert.equal(p.SourceDestCheck, true);
    assert.deepEqual(p.SecurityGroupIds.SecurityGroupId, [net.securityGroupId, otherSg]);
    assert.equal(p.PrivateIpSets.PrivateIpSet.length, 3);
    assert.equal(p.Ipv6Sets.Ipv6Set.length, 2);
    const i = (await h.call('DescribeInstances', { InstanceIds: JSON.stringify([id]) })).body.Instances.Instance[0];
    assert.equal(i.VpcAttributes.PrivateIpAddress.IpAddress[0], '192.168.1.50');
    assert.deepEqual(i.SecurityGroupIds.SecurityGroupId, [net.securityGroupId, otherSg]);
  });

  it('makes Secondary ones with the instance (defaults: its vSwitch and groups, DeleteOnRelease true) or attaches an existing one', async () => {
    const spare = (await h.call('CreateNetworkInterface', { VSwitchId: net.vSwitchId, SecurityGroupId: net.securityGroupId })).body
      .NetworkInterfaceId as string;
    const id = await run({
      InstanceType: 'ecs.g7.xlarge',
      VSwitchId: net.vSwitchId,
      SecurityGroupId: net.securityGroupId,
      'NetworkInterface.1.InstanceType': 'Secondary',
      'NetworkInterface.1.VSwitchId': otherVsw,
      'NetworkInterface.1.SecurityGroupId': otherSg,
      'NetworkInterface.1.PrimaryIpAddress': '192.168.2.20',
      'NetworkInterface.1.NetworkInterfaceName': 'eth1-name',
      'NetworkInterface.1.Description': 'second',
      'NetworkInterface.1.SecondaryPrivateIpAddressCount': 1,
      'NetworkInterface.1.DeleteOnRelease': false,
      'NetworkInterface.1.QueueNumber': 2,
      'NetworkInterface.2.Description': 'third, by default Secondary',
      'NetworkInterface.3.NetworkInterfaceId': spare,
    });
    const [p, s1, s2, s3] = await enisOf(id);
    assert.equal(p.Type, 'Primary');
    assert.deepEqual(
      [s1.Type, s1.Status, s1.Attachment.DeviceIndex, s1.VSwitchId, s1.PrivateIpAddress, s1.NetworkInterfaceName, s1.Description],
      ['Secondary', 'InUse', 1, otherVsw, '192.168.2.20', 'eth1-name', 'second'],
    );
    assert.deepEqual(s1.SecurityGroupIds.SecurityGroupId, [otherSg]);
    assert.equal(s1.PrivateIpSets.PrivateIpSet.length, 2);
    assert.equal(s1.QueueNumber, 2);
    assert.equal(s1.DeleteOnRelease, false);
    assert.deepEqual(
      [s2.VSwitchId, s2.Description, s2.DeleteOnRelease, s2.Attachment.DeviceIndex],
      [net.vSwitchId, 'third, by default Secondary', true, 2],
    );
    assert.deepEqual(s2.SecurityGroupIds.SecurityGroupId, [net.securityGroupId]);
    assert.deepEqual([s3.NetworkInterfaceId, s3.Status, s3.Attachment.DeviceIndex], [spare, 'InUse', 3]);
    // Released with the instance per DeleteOnRelease: s1 stays (Available), s2 goes, the attached spare stays (false by default).
    await h.call('DeleteInstance', { InstanceId: id, Force: true });
    const left = (await h.call('DescribeNetworkInterfaces', { NetworkInterfaceId: [s1.NetworkInterfaceId, s2.NetworkInterfaceId, spare] }))
      .body.NetworkInterfaceSets.NetworkInterfaceSet as any[];
    assert.deepEqual(
      left.map((e) => [e.NetworkInterfaceId, e.Status]).sort(),
      [
        [s1.NetworkInterfaceId, 'Available'],
        [spare, 'Available'],
      ].sort(),
    );
  });

  it('Amount > 1 makes the secondary ENIs for every instance', async () => {
    const r = await h.call('RunInstances', {
      ...base(),
      VSwitchId: net.vSwitchId,
      SecurityGroupId: net.securityGroupId,
      Amount: 2,
      'NetworkInterface.1.Description': 'each',
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    for (const id of r.body.InstanceIdSets.InstanceIdSet as string[]) {
      const enis = await enisOf(id);
      assert.deepEqual(
        enis.map((e) => [e.Type, e.Description]),
        [
          ['Primary', ''],
          ['Secondary', 'each'],
        ],
      );
    }
  });

  it('refuses what the real API refuses', async () => {
    const primary = { 'NetworkInterface.1.InstanceType': 'Primary', 'NetworkInterface.1.SecurityGroupId': net.securityGroupId };
    // Every ENI and instance of the account before the refusals: none of them may add one.
    const count = async () => ({
      enis: (await h.call('DescribeNetworkInterfaces', { PageSize: 1 })).body.TotalCount,
      instances: (await h.call('DescribeInstances', { PageSize: 1 })).body.TotalCount,
    });
    const made = await count();
    // The primary's VSwitchId stands for the top-level one: both, differing, conflict; neither is missing.
    assertError(
      await h.call('RunInstances', { ...base(), ...primary, VSwitchId: net.vSwitchId, 'NetworkInterface.1.VSwitchId': otherVsw }),
      400,
      'InvalidParameter.Conflict',
    );
    assertError(await h.call('RunInstances', { ...base(), ...primary }), 400, 'MissingParameter');
    assertError(
      await h.call('RunInstances', { ...base(), ...primary, 'NetworkInterface.1.VSwitchId': net.vSwitchId, SecurityGroupId: otherSg }),
      400,
      'InvalidParameter.Conflict',
    );
    assertError(
      await h.call('RunInstances', {
        ...base(),
        ...primary,
        'NetworkInterface.1.VSwitchId': net.vSwitchId,
        PrivateIpAddress: '192.168.1.60',
        'NetworkInterface.1.PrimaryIpAddress': '192.168.1.61',
      }),
      400,
      'InvalidParameter.Conflict',
    );
    assertError(
      await h.call('RunInstances', {
        ...base(),
        ...primary,
        'NetworkInterface.1.VSwitchId': net.vSwitchId,
        Ipv6AddressCount: 1,
        'NetworkInterface.1.Ipv6AddressCount': 1,
      }),
      400,
      'InvalidParameter.Conflict',
    );
    const top = { VSwitchId: net.vSwitchId, SecurityGroupId: net.securityGroupId };
    // Two primaries; IPv6 on a secondary; an existing ENI with creation settings; an unknown field.
    assertError(
      await h.call('RunInstances', {
        ...base(),
        ...top,
        'NetworkInterface.1.InstanceType': 'Primary',
        'NetworkInterface.2.InstanceType': 'Primary',
      }),
      400,
      'InvalidParameter',
    );
    assertError(await h.call('RunInstances', { ...base(), ...top, 'NetworkInterface.1.Ipv6AddressCount': 1 }), 400, 'InvalidParameter');
    assertError(
      await h.call('RunInstances', {
        ...base(),
        ...top,
        'NetworkInterface.1.NetworkInterfaceId': 'eni-x',
        'NetworkInterface.1.Description': 'dd',
      }),
      400,
      'InvalidParameter.Conflict',
    );
    assertError(await h.call('RunInstances', { ...base(), ...top, 'NetworkInterface.1.Bogus': 'x' }), 400, 'InvalidParameter');
    // More ENIs than the type holds (ecs.g7.large: 3 with the primary).
    assertError(
      await h.call('RunInstances', {
        ...base(),
        ...top,
        'NetworkInterface.1.Description': 'aa',
        'NetworkInterface.2.Description': 'bb',
        'NetworkInterface.3.Description': 'cc',
      }),
      403,
      'EniPerInstanceLimitExceeded',
    );
    // A secondary in another zone; a named address with Amount > 1.
    const zoneB = (await h.call('CreateVSwitch', { VpcId: net.vpcId, ZoneId: 'cn-hangzhou-i', CidrBlock: '192.168.9.0/24' })).body
      .VSwitchId;
    assertError(
      await h.call('RunInstances', { ...base(), ...top, 'NetworkInterface.1.VSwitchId': zoneB }),
      403,
      'InvalidOperation.AvailabilityZoneMismatch',
    );
    assertError(
      await h.call('RunInstances', { ...base(), ...top, Amount: 2, 'NetworkInterface.1.PrimaryIpAddress': '192.168.1.77' }),
      400,
      'InvalidParameter.Conflict',
    );
    // Nothing was made by any refused call.
    // (Counted, not looked up by address: earlier tests' random picks may hold .60, .61 or .77.)
    assert.deepEqual(await count(), made);
  });
});
