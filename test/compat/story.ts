// The seed's story, walked end to end through each unmodified official SDK
// against a real server process: network, instances with primary ENIs, a
// secondary ENI, auto and manual secondary IPv4/IPv6, the limits, refusals,
// unassign, failover from one instance to a standby, delete. Exported so each
// storage backend runs it (sqlite.test.ts, postgres.test.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FLAVOURS, sdkClient, type SdkClient, type SdkError } from '../support/sdk-clients.ts';
import type { ServerProcess } from '../support/server-process.ts';

async function waitFor<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > end) assert.fail(`${what}: still ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function expectError(c: SdkClient, e: SdkError, code: string, status: number) {
  assert.equal(e.code, code, e.message);
  // The ecs SDK raises on the HTTP status; pop-core ignores it and reads only Code.
  if (c.flavour.startsWith('ecs')) assert.equal(e.statusCode, status);
}

export function storySuite(label: string, server: () => ServerProcess): void {
  describe(`seed story over ${label}`, () => {
    FLAVOURS.forEach((flavour, n) => {
      it(`via ${flavour}`, async () => {
        const c = sdkClient(flavour, server().endpoint, server().key);
        const R = { RegionId: 'cn-hangzhou' };
        // A network of the seed's shape: 192.168.1.0/24, gateway .253.
        const vpc = await c.call('CreateVpc', { ...R, CidrBlock: '192.168.0.0/16', EnableIpv6: true, VpcName: `story-${n}` });
        const vsw = await c.call('CreateVSwitch', {
          ...R,
          VpcId: vpc.VpcId,
          ZoneId: 'cn-hangzhou-h',
          CidrBlock: '192.168.1.0/24',
          Ipv6CidrBlock: 1,
        });
        const sg = await c.call('CreateSecurityGroup', { ...R, VpcId: vpc.VpcId, SecurityGroupType: 'normal' });
        const vsws = await c.call('DescribeVSwitches', { ...R, VSwitchId: vsw.VSwitchId });
        assert.equal(Number(vsws.VSwitches.VSwitch[0].AvailableIpAddressCount), 252);

        // The active instance with the seed's primary address (192.168.1.201), and a standby.
        const runA = {
          ...R,
          InstanceType: 'ecs.g7.large',
          VSwitchId: vsw.VSwitchId,
          SecurityGroupId: sg.SecurityGroupId,
          PrivateIpAddress: '192.168.1.201',
          ImageId: 'aliyun_3_x64',
          ClientToken: `run-${flavour}`,
        };
        const [a] = (await c.call('RunInstances', runA)).InstanceIdSets.InstanceIdSet as string[];
        assert.deepEqual((await c.call('RunInstances', runA)).InstanceIdSets.InstanceIdSet, [a], 'ClientToken replays RunInstances');
        // The primary ENI takes the seed's two secondary addresses by hand.
        const primaryOfA = (await c.call('DescribeNetworkInterfaces', { ...R, InstanceId: a, Type: 'Primary' })).NetworkInterfaceSets
          .NetworkInterfaceSet[0];
        assert.equal(primaryOfA.PrivateIpAddress, '192.168.1.201');
        const statusOf = async (id: string) =>
          (await c.call('DescribeInstances', { ...R, InstanceIds: JSON.stringify([id]) })).Instances.Instance[0].Status;
        await waitFor(
          'instance A running',
          () => statusOf(a),
          (s) => s === 'Running',
        );
        const manual = await c.call('AssignPrivateIpAddresses', {
          ...R,
          NetworkInterfaceId: primaryOfA.NetworkInterfaceId,
          PrivateIpAddress: ['192.168.1.202', '192.168.1.203'],
        });
        assert.deepEqual(manual.AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress, ['192.168.1.202', '192.168.1.203']);
        const [b] = (
          await c.call('RunInstances', {
            ...R,
            InstanceType: 'ecs.g7.large',
            VSwitchId: vsw.VSwitchId,
            SecurityGroupId: sg.SecurityGroupId,
          })
        ).InstanceIdSets.InstanceIdSet as string[];
        await waitFor(
          'instance B running',
          () => statusOf(b),
          (s) => s === 'Running',
        );

        // A secondary ENI: auto-assigned and manual IPv4 and IPv6.
        const eni = await c.call('CreateNetworkInterface', {
          ...R,
          VSwitchId: vsw.VSwitchId,
          SecurityGroupIds: [sg.SecurityGroupId],
          NetworkInterfaceName: 'failover-eni',
          ClientToken: `eni-${flavour}`,
        });
        const eniAgain = await c.call('CreateNetworkInterface', {
          ...R,
          VSwitchId: vsw.VSwitchId,
          SecurityGroupIds: [sg.SecurityGroupId],
          NetworkInterfaceName: 'failover-eni',
          ClientToken: `eni-${flavour}`,
        });
        assert.equal(eniAgain.NetworkInterfaceId, eni.NetworkInterfaceId, 'ClientToken replays CreateNetworkInterface');
        assert.equal(eni.Status, 'Available');
        const id = eni.NetworkInterfaceId as string;
        // Tag it, find it again by tag, read its tags back.
        await c.call('TagResources', { ...R, ResourceType: 'eni', ResourceId: [id], Tag: [{ Key: 'role', Value: `failover-${n}` }] });
        const byTag = await c.call('DescribeNetworkInterfaces', { ...R, Tag: [{ Key: 'role', Value: `failover-${n}` }], MaxResults: 10 });
        assert.deepEqual(
          byTag.NetworkInterfaceSets.NetworkInterfaceSet.map((e: any) => e.NetworkInterfaceId),
          [id],
        );
        const tagged = await c.call('ListTagResources', { ...R, ResourceType: 'eni', ResourceId: [id] });
        assert.deepEqual(
          tagged.TagResources.TagResource.map((t: any) => [t.ResourceId, t.ResourceType, t.TagKey, t.TagValue]),
          [[id, 'eni', 'role', `failover-${n}`]],
        );
        expectError(
          c,
          await c.fail('TagResources', {
            ...R,
            ResourceType: 'eni',
            ResourceId: ['eni-bpdoesnotexist0000'],
            Tag: [{ Key: 'k', Value: 'v' }],
          }),
          'InvalidResourceId.NotFound',
          404,
        );
        // The seed's manual address, or the next one if a primary picked at random above already holds it.
        const held = new Set(
          (
            (await c.call('DescribeNetworkInterfaces', { ...R, VSwitchId: vsw.VSwitchId, MaxResults: 100 })).NetworkInterfaceSets
              .NetworkInterfaceSet as any[]
          ).flatMap((e) => e.PrivateIpSets.PrivateIpSet.map((x: any) => x.PrivateIpAddress as string)),
        );
        const manualAddr = ['192.168.1.210', '192.168.1.211', '192.168.1.212', '192.168.1.213'].find((x) => !held.has(x))!;
        await c.call('AssignPrivateIpAddresses', { ...R, NetworkInterfaceId: id, PrivateIpAddress: [manualAddr] });
        const auto = await c.call('AssignPrivateIpAddresses', { ...R, NetworkInterfaceId: id, SecondaryPrivateIpAddressCount: 2 });
        assert.equal(auto.AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress.length, 2);
        const v6 = await c.call('AssignIpv6Addresses', { ...R, NetworkInterfaceId: id, Ipv6AddressCount: 1 });
        assert.equal(v6.Ipv6Sets.Ipv6Address.length, 1);
        const prefix = String(vsws.VSwitches.VSwitch[0].Ipv6CidrBlock).replace(/::\/64$/, '::');
        const v6manual = await c.call('AssignIpv6Addresses', { ...R, NetworkInterfaceId: id, Ipv6Address: [`${prefix}a:b`] });
        assert.deepEqual(v6manual.Ipv6Sets.Ipv6Address, [`${prefix}a:b`]);

        // Refusals: reserved (the seed's gateway .253), outside the CIDR, taken, the 11th address on an Available ENI.
        expectError(
          c,
          await c.fail('AssignPrivateIpAddresses', { ...R, NetworkInterfaceId: id, PrivateIpAddress: ['192.168.1.253'] }),
          'InvalidVSwitchId.IpInvalid',
          403,
        );
        expectError(
          c,
          await c.fail('AssignPrivateIpAddresses', { ...R, NetworkInterfaceId: id, PrivateIpAddress: ['192.168.2.9'] }),
          'InvalidVSwitchId.IpInvalid',
          403,
        );
        expectError(
          c,
          await c.fail('AssignPrivateIpAddresses', { ...R, NetworkInterfaceId: id, PrivateIpAddress: ['192.168.1.202'] }),
          'InvalidIp.IpAssigned',
          403,
        );
        await c.call('AssignPrivateIpAddresses', { ...R, NetworkInterfaceId: id, SecondaryPrivateIpAddressCount: 6 });
        expectError(
          c,
          await c.fail('AssignPrivateIpAddresses', { ...R, NetworkInterfaceId: id, SecondaryPrivateIpAddressCount: 1 }),
          'MaxEniPrivateIpsCountExceeded',
          403,
        );
        expectError(
          c,
          await c.fail('DescribeNetworkInterfaceAttribute', { ...R, NetworkInterfaceId: 'eni-bpdoesnotexist0000' }),
          'InvalidEniId.NotFound',
          404,
        );

        // Verify the assignment (the seed's "ENI details"): 10 IPv4 with one primary, 2 IPv6.
        let attr = await c.call('DescribeNetworkInterfaceAttribute', { ...R, NetworkInterfaceId: id });
        assert.equal(attr.PrivateIpSets.PrivateIpSet.length, 10);
        assert.equal(attr.PrivateIpSets.PrivateIpSet.filter((x: any) => x.Primary === true || x.Primary === 'true').length, 1);
        assert.equal(attr.Ipv6Sets.Ipv6Set.length, 2);
        assert.equal(typeof attr.OwnerId, 'string');

        // Unassign down to the instance type's figure (ecs.g7.large: 6 IPv4 per ENI), then bind to A.
        const secondaries = attr.PrivateIpSets.PrivateIpSet.filter((x: any) => !(x.Primary === true || x.Primary === 'true')).map(
          (x: any) => x.PrivateIpAddress,
        );
        expectError(
          c,
          await c.fail('AttachNetworkInterface', { ...R, NetworkInterfaceId: id, InstanceId: a }),
          'InvalidOperation.Ipv4CountExceeded',
          403,
        );
        await c.call('UnassignPrivateIpAddresses', {
          ...R,
          NetworkInterfaceId: id,
          PrivateIpAddress: secondaries.filter((x: string) => x !== manualAddr).slice(0, 4),
        });
        await c.call('AttachNetworkInterface', { ...R, NetworkInterfaceId: id, InstanceId: a });
        const eniStatus = async () => (await c.call('DescribeNetworkInterfaceAttribute', { ...R, NetworkInterfaceId: id })).Status;
        await waitFor('attached to A', eniStatus, (s) => s === 'InUse');
        expectError(
          c,
          await c.fail('AssignPrivateIpAddresses', { ...R, NetworkInterfaceId: id, SecondaryPrivateIpAddressCount: 1 }),
          'InvalidOperation.Ipv4CountExceeded',
          403,
        );

        // Failover: A fails (stopped); unbind the ENI from A and bind it to the standby B.
        // StopInstance has no RegionId in the SDK model: the server's default region applies.
        await c.call('StopInstance', { InstanceId: a });
        await c.call('DetachNetworkInterface', { ...R, NetworkInterfaceId: id, InstanceId: a });
        await waitFor('detached', eniStatus, (s) => s === 'Available');
        await c.call('AttachNetworkInterface', { ...R, NetworkInterfaceId: id, InstanceId: b });
        await waitFor('attached to B', eniStatus, (s) => s === 'InUse');
        attr = await c.call('DescribeNetworkInterfaceAttribute', { ...R, NetworkInterfaceId: id });
        assert.equal(attr.InstanceId, b);
        assert.ok(
          attr.PrivateIpSets.PrivateIpSet.some((x: any) => x.PrivateIpAddress === manualAddr),
          'the secondary addresses follow the ENI',
        );
        const onB = await c.call('DescribeNetworkInterfaces', { ...R, InstanceId: b, MaxResults: 50 });
        assert.ok(onB.NetworkInterfaceSets.NetworkInterfaceSet.some((x: any) => x.NetworkInterfaceId === id));

        // Clean up: unassign IPv6, unbind, delete; the ENI then disappears from Describe.
        await c.call('UnassignIpv6Addresses', { ...R, NetworkInterfaceId: id, Ipv6Address: [`${prefix}a:b`] });
        await c.call('DetachNetworkInterface', { ...R, NetworkInterfaceId: id, InstanceId: b });
        await waitFor('detached from B', eniStatus, (s) => s === 'Available');
        await c.call('DeleteNetworkInterface', { ...R, NetworkInterfaceId: id });
        await waitFor(
          'deleted',
          async () =>
            (await c.call('DescribeNetworkInterfaces', { ...R, NetworkInterfaceId: [id] })).NetworkInterfaceSets.NetworkInterfaceSet.length,
          (len) => len === 0,
        );
        expectError(c, await c.fail('DeleteNetworkInterface', { ...R, NetworkInterfaceId: id }), 'InvalidEniId.NotFound', 404);
        const types = await c.call('DescribeInstanceTypes', { InstanceTypes: ['ecs.g7.large'] });
        assert.equal(Number(types.InstanceTypes.InstanceType[0].EniPrivateIpAddressQuantity), 6);
      });
    });
  });
}
