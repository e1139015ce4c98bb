// Wire tests (in-process) for IP prefixes: the CreateNetworkInterface forms, caps per family,
// ClientToken on Unassign, Describe shapes, DescribeInstances' NetworkInterfaces.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { seedNetwork, startHarness, type Harness } from '../support/in-process.ts';

let h: Harness;
let net: Awaited<ReturnType<typeof seedNetwork>>;
before(async () => {
  h = await startHarness();
  net = await seedNetwork(h);
});
after(() => h.close());

function code(r: { status: number; body: Record<string, any> }, status: number, expected: string) {
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.equal(r.body.Code, expected);
}

describe('IP prefixes on the wire', () => {
  it('CreateNetworkInterface: named prefixes, both families, conflicts with addresses of the family', async () => {
    const vsw = await h.call('CreateVSwitch', {
      VpcId: net.vpcId,
      ZoneId: 'cn-hangzhou-h',
      CidrBlock: '192.168.90.0/24',
      Ipv6CidrBlock: 2,
    });
    assert.equal(vsw.status, 200, JSON.stringify(vsw.body));
    const vSwitchId = vsw.body.VSwitchId as string;
    const base = { VSwitchId: vSwitchId, SecurityGroupId: net.securityGroupId, PrimaryIpAddress: '192.168.90.5' };
    code(
      await h.call('CreateNetworkInterface', { ...base, Ipv4PrefixCount: 1, SecondaryPrivateIpAddressCount: 1 }),
      400,
      'InvalidParameter.Conflict',
    );
    code(
      await h.call('CreateNetworkInterface', { ...base, Ipv4PrefixCount: 1, Ipv4Prefix: ['192.168.90.16/28'] }),
      400,
      'InvalidParameter.Conflict',
    );
    code(await h.call('CreateNetworkInterface', { ...base, Ipv4Prefix: ['192.168.90.0/28'] }), 403, 'InvalidVSwitchId.IpInvalid');
    // 1 primary + 10 prefixes: over the Available cap of 10
    code(await h.call('CreateNetworkInterface', { ...base, Ipv4PrefixCount: 10 }), 403, 'MaxEniPrivateIpsCountExceeded');
    code(await h.call('CreateNetworkInterface', { ...base, Ipv6PrefixCount: 11 }), 400, 'InvalidParameter');
    const ok = await h.call('CreateNetworkInterface', { ...base, Ipv4Prefix: ['192.168.90.16/28'], Ipv6PrefixCount: 2 });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.deepEqual(ok.body.Ipv4PrefixSets, { Ipv4PrefixSet: [{ Ipv4Prefix: '192.168.90.16/28' }] });
    assert.equal(ok.body.Ipv6PrefixSets.Ipv6PrefixSet.length, 2);
    const eni = ok.body.NetworkInterfaceId as string;

    // IPv6: 2 prefixes + 8 addresses fill the Available cap of 10; one more of either is refused
    assert.equal((await h.call('AssignIpv6Addresses', { NetworkInterfaceId: eni, Ipv6AddressCount: 8 })).status, 200);
    code(await h.call('AssignIpv6Addresses', { NetworkInterfaceId: eni, Ipv6PrefixCount: 1 }), 403, 'MaxEniIpv6IpsCountExceeded');
    code(
      await h.call('AssignIpv6Addresses', { NetworkInterfaceId: eni, Ipv6PrefixCount: 1, Ipv6AddressCount: 1 }),
      400,
      'InvalidParameter.Conflict',
    );

    // Unassign with a ClientToken: a retry answers as the first call did
    const unassign = { NetworkInterfaceId: eni, Ipv4Prefix: ['192.168.90.16/28'], ClientToken: 'unassign-prefix-1' };
    assert.equal((await h.call('UnassignPrivateIpAddresses', unassign)).status, 200);
    assert.equal((await h.call('UnassignPrivateIpAddresses', unassign)).status, 200);
    code(
      await h.call('UnassignPrivateIpAddresses', { NetworkInterfaceId: eni, Ipv4Prefix: ['192.168.90.16/28'] }),
      403,
      'InvalidIp.IpUnassigned',
    );
    code(
      await h.call('UnassignPrivateIpAddresses', { NetworkInterfaceId: eni, Ipv4Prefix: ['192.168.90.17/28'] }),
      400,
      'InvalidParameter',
    );
    code(await h.call('UnassignPrivateIpAddresses', { NetworkInterfaceId: eni }), 400, 'MissingParameter');
    const d = await h.call('DescribeNetworkInterfaceAttribute', { NetworkInterfaceId: eni });
    assert.deepEqual(d.body.Ipv4PrefixSets, { Ipv4PrefixSet: [] });
    assert.equal(d.body.Ipv6PrefixSets.Ipv6PrefixSet.length, 2);
  });

  it('CreateNetworkInterface: an automatic primary address steers clear of the named prefixes', async () => {
    // A /26: .16/28 and .32/28 are its only wholly free blocks (.0 and .61-.63 are reserved). Named, they leave the
    // primary .1-.15 or .48-.60; a primary picked first would land inside them about one time in two.
    const vsw = await h.call('CreateVSwitch', { VpcId: net.vpcId, ZoneId: 'cn-hangzhou-h', CidrBlock: '192.168.91.0/26' });
    assert.equal(vsw.status, 200, JSON.stringify(vsw.body));
    const toNum = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
    for (let i = 0; i < 8; i++) {
      const r = await h.call('CreateNetworkInterface', {
        VSwitchId: vsw.body.VSwitchId,
        SecurityGroupId: net.securityGroupId,
        Ipv4Prefix: ['192.168.91.16/28', '192.168.91.32/28'],
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const primary = toNum(r.body.PrivateIpAddress as string) - toNum('192.168.91.0');
      assert.ok(primary < 16 || primary >= 48, `primary ${r.body.PrivateIpAddress as string} outside both prefixes`);
      assert.equal((await h.call('DeleteNetworkInterface', { NetworkInterfaceId: r.body.NetworkInterfaceId })).status, 200);
    }
  });
});
