// Wire tests (in-process) for the address actions: shapes and every error case.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { wireFixture } from '../support/wire-fixture.ts';

const { h, net } = wireFixture();

async function newEni(extra: Record<string, string | number | string[]> = {}) {
  const r = await h.call('CreateNetworkInterface', { VSwitchId: net.vSwitchId, SecurityGroupId: net.securityGroupId, ...extra });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.NetworkInterfaceId as string;
}

async function ownVSwitch(cidr: string): Promise<string> {
  const r = await h.call('CreateVSwitch', { VpcId: net.vpcId, ZoneId: 'cn-hangzhou-h', CidrBlock: cidr });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.VSwitchId as string;
}

function assertError(r: { status: number; body: Record<string, any> }, status: number, code: string) {
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.equal(r.body.Code, code);
  assert.match(r.body.RequestId, /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
  assert.equal(typeof r.body.Message, 'string');
  assert.ok(r.body.HostId);
  assert.ok(r.body.Recommend);
}

describe('AssignPrivateIpAddresses', () => {
  it('auto-assigns from the vSwitch CIDR and returns the wrapped set', async () => {
    const eni = await newEni();
    const r = await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: eni, SecondaryPrivateIpAddressCount: 3 });
    assert.equal(r.status, 200);
    const set = r.body.AssignedPrivateIpAddressesSet;
    assert.equal(set.NetworkInterfaceId, eni);
    assert.ok(Array.isArray(set.PrivateIpSet.PrivateIpAddress));
    assert.equal(set.PrivateIpSet.PrivateIpAddress.length, 3);
    for (const a of set.PrivateIpSet.PrivateIpAddress) {
      assert.match(a, /^192\.168\.1\.\d+$/);
      const last = Number(a.split('.')[3]);
      assert.ok(last >= 1 && last <= 252, `${a} is reserved`);
    }
    const d = await h.call('DescribeNetworkInterfaceAttribute', { NetworkInterfaceId: eni });
    const v4 = d.body.PrivateIpSets.PrivateIpSet.filter((x: any) => !x.Primary)
      .map((x: any) => x.PrivateIpAddress)
      .sort();
    assert.deepEqual(v4, [...set.PrivateIpSet.PrivateIpAddress].sort());
  });

  it('assigns named addresses, one-element lists stay arrays', async () => {
    // A vSwitch of its own: an earlier test's random pick could hold any address of the shared one.
    const eni = await newEni({ VSwitchId: await ownVSwitch('192.168.78.0/24') });
    const r = await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: eni, PrivateIpAddress: ['192.168.78.202'] });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress, ['192.168.78.202']);
  });

  it('refuses reserved and out-of-CIDR addresses with InvalidVSwitchId.IpInvalid', async () => {
    const eni = await newEni();
    for (const a of ['192.168.1.0', '192.168.1.253', '192.168.1.254', '192.168.1.255', '192.168.2.10', '10.0.0.1']) {
      assertError(
        await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: eni, PrivateIpAddress: [a] }),
        403,
        'InvalidVSwitchId.IpInvalid',
      );
    }
  });

  it('refuses a taken address, a repeated one and a malformed one', async () => {
    // A vSwitch of its own with fixed primaries: no earlier test's random pick can hold an address used here.
    const vsw = await ownVSwitch('192.168.77.0/24');
    const a = await newEni({ VSwitchId: vsw, PrimaryIpAddress: '192.168.77.70' });
    const b = await newEni({ VSwitchId: vsw, PrimaryIpAddress: '192.168.77.71' });
    assert.equal((await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: a, PrivateIpAddress: ['192.168.77.77'] })).status, 200);
    assertError(
      await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: b, PrivateIpAddress: ['192.168.77.77'] }),
      403,
      'InvalidIp.IpAssigned',
    );
    assertError(
      await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: b, PrivateIpAddress: ['192.168.77.78', '192.168.77.78'] }),
      403,
      'InvalidIp.IpRepeated',
    );
    assertError(
      await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: b, PrivateIpAddress: ['192.168.77.300'] }),
      403,
      'InvalidIp.Address',
    );
  });

  it('holds at most 10 private IPv4 on an Available ENI (primary included), all or nothing', async () => {
    const eni = await newEni();
    assert.equal((await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: eni, SecondaryPrivateIpAddressCount: 8 })).status, 200);
    const r = await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: eni, SecondaryPrivateIpAddressCount: 2 });
    assertError(r, 403, 'MaxEniPrivateIpsCountExceeded');
    assert.match(r.body.Message, /at most 10/);
    const d = await h.call('DescribeNetworkInterfaceAttribute', { NetworkInterfaceId: eni });
    assert.equal(d.body.PrivateIpSets.PrivateIpSet.length, 9, 'a refused request changes nothing');
    assert.equal((await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: eni, SecondaryPrivateIpAddressCount: 1 })).status, 200);
  });

  it('refuses both a list and a count, a missing ENI id, an unknown ENI and an unknown parameter', async () => {
    const eni = await newEni();
    assertError(
      await h.call('AssignPrivateIpAddresses', {
        NetworkInterfaceId: eni,
        SecondaryPrivateIpAddressCount: 1,
        PrivateIpAddress: ['192.168.1.90'],
      }),
      400,
      'InvalidParameter.Conflict',
    );
    assertError(await h.call('AssignPrivateIpAddresses', { SecondaryPrivateIpAddressCount: 1 }), 400, 'MissingParameter');
    assertError(
      await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: 'eni-bpdoesnotexist0000', SecondaryPrivateIpAddressCount: 1 }),
      404,
      'InvalidEniId.NotFound',
    );
    assertError(
      await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: eni, SecondaryPrivateIpAddressCount: 1, Bogus: 'x' }),
      400,
      'InvalidParameter',
    );
    assertError(
      await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: eni, SecondaryPrivateIpAddressCount: 'two' as unknown as number }),
      400,
      'InvalidParameter',
    );
  });

  it('fills a /29 to its 4 usable addresses, then InvalidVSwitchId.IpNotEnough naming the vSwitch', async () => {
    const small = await h.call('CreateVSwitch', { VpcId: net.vpcId, ZoneId: 'cn-hangzhou-h', CidrBlock: '192.168.9.0/29' });
    const e = await h.call('CreateNetworkInterface', { VSwitchId: small.body.VSwitchId, SecurityGroupId: net.securityGroupId });
    assert.equal(e.status, 200);
    assert.equal(
      (await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: e.body.NetworkInterfaceId, SecondaryPrivateIpAddressCount: 3 }))
        .status,
      200,
    );
    const r = await h.call('AssignPrivateIpAddresses', {
      NetworkInterfaceId: e.body.NetworkInterfaceId,
      SecondaryPrivateIpAddressCount: 1,
    });
    assertError(r, 403, 'InvalidVSwitchId.IpNotEnough');
    assert.equal(r.body.Message, `The specified VSwitch "${small.body.VSwitchId}" has not enough IpAddress.`);
    const v = await h.call('DescribeVSwitches', { VSwitchId: small.body.VSwitchId });
    assert.equal(v.body.VSwitches.VSwitch[0].AvailableIpAddressCount, 0);
  });

  it('ClientToken: same params replay the result, other params are a mismatch', async () => {
    const eni = await newEni();
    const first = await h.call('AssignPrivateIpAddresses', {
      NetworkInterfaceId: eni,
      SecondaryPrivateIpAddressCount: 2,
      ClientToken: 'tok-1',
    });
    const again = await h.call('AssignPrivateIpAddresses', {
      NetworkInterfaceId: eni,
      SecondaryPrivateIpAddressCount: 2,
      ClientToken: 'tok-1',
    });
    assert.deepEqual(again.body.AssignedPrivateIpAddressesSet, first.body.AssignedPrivateIpAddressesSet);
    const d = await h.call('DescribeNetworkInterfaceAttribute', { NetworkInterfaceId: eni });
    assert.equal(d.body.PrivateIpSets.PrivateIpSet.length, 3, 'work done once');
    assertError(
      await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: eni, SecondaryPrivateIpAddressCount: 3, ClientToken: 'tok-1' }),
      400,
      'IdempotentParameterMismatch',
    );
  });
});

describe('UnassignPrivateIpAddresses', () => {
  it('removes secondary addresses; the primary and unknown ones are IpUnassigned', async () => {
    const eni = await newEni({ SecondaryPrivateIpAddressCount: 2 });
    const d = await h.call('DescribeNetworkInterfaceAttribute', { NetworkInterfaceId: eni });
    const primary = d.body.PrivateIpAddress;
    const secondary = d.body.PrivateIpSets.PrivateIpSet.filter((x: any) => !x.Primary).map((x: any) => x.PrivateIpAddress);
    assertError(
      await h.call('UnassignPrivateIpAddresses', { NetworkInterfaceId: eni, PrivateIpAddress: [primary] }),
      403,
      'InvalidIp.IpUnassigned',
    );
    // An address of the vSwitch this ENI does not hold (its own three were picked at random).
    const notHeld = ['192.168.1.250', '192.168.1.249', '192.168.1.248', '192.168.1.247'].find(
      (a) => a !== primary && !secondary.includes(a),
    )!;
    assertError(
      await h.call('UnassignPrivateIpAddresses', { NetworkInterfaceId: eni, PrivateIpAddress: [notHeld] }),
      403,
      'InvalidIp.IpUnassigned',
    );
    const r = await h.call('UnassignPrivateIpAddresses', { NetworkInterfaceId: eni, PrivateIpAddress: [secondary[0]] });
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.body), ['RequestId']);
    const after = await h.call('DescribeNetworkInterfaceAttribute', { NetworkInterfaceId: eni });
    assert.deepEqual(after.body.PrivateIpSets.PrivateIpSet.map((x: any) => x.PrivateIpAddress).sort(), [primary, secondary[1]].sort());
    // The freed address can be named again.
    assert.equal((await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: eni, PrivateIpAddress: [secondary[0]] })).status, 200);
  });
});

describe('AssignIpv6Addresses / UnassignIpv6Addresses', () => {
  it('assigns from the /64 with the Ipv6Sets.Ipv6Address shape, unassigns, caps at 10', async () => {
    const eni = await newEni();
    const v = await h.call('DescribeVSwitches', { VSwitchId: net.vSwitchId });
    const prefix = (v.body.VSwitches.VSwitch[0].Ipv6CidrBlock as string).replace(/::\/64$/, ':');
    const r = await h.call('AssignIpv6Addresses', { NetworkInterfaceId: eni, Ipv6AddressCount: 2 });
    assert.equal(r.status, 200);
    assert.equal(r.body.NetworkInterfaceId, eni);
    assert.equal(r.body.Ipv6Sets.Ipv6Address.length, 2);
    for (const a of r.body.Ipv6Sets.Ipv6Address) assert.ok(a.startsWith(prefix), `${a} in ${prefix}`);
    const named = `${prefix}:abcd:1`;
    const m = await h.call('AssignIpv6Addresses', { NetworkInterfaceId: eni, Ipv6Address: [named.toUpperCase()] });
    assert.equal(m.status, 200);
    assert.deepEqual(m.body.Ipv6Sets.Ipv6Address, [named], 'canonical form');
    assertError(
      await h.call('AssignIpv6Addresses', { NetworkInterfaceId: eni, Ipv6Address: ['2001:db9::1'] }),
      403,
      'InvalidVSwitchId.IpInvalid',
    );
    assertError(await h.call('AssignIpv6Addresses', { NetworkInterfaceId: eni, Ipv6AddressCount: 8 }), 403, 'MaxEniIpv6IpsCountExceeded');
    assert.equal((await h.call('UnassignIpv6Addresses', { NetworkInterfaceId: eni, Ipv6Address: [named] })).status, 200);
    assertError(await h.call('UnassignIpv6Addresses', { NetworkInterfaceId: eni, Ipv6Address: [named] }), 403, 'InvalidIp.IpUnassigned');
    const d = await h.call('DescribeNetworkInterfaceAttribute', { NetworkInterfaceId: eni });
    assert.equal(d.body.Ipv6Sets.Ipv6Set.length, 2);
    assert.equal(typeof d.body.Ipv6Sets.Ipv6Set[0].Ipv6Address, 'string');
  });

  it('refuses IPv6 on a vSwitch without an IPv6 CIDR', async () => {
    const plain = await h.call('CreateVSwitch', { VpcId: net.vpcId, ZoneId: 'cn-hangzhou-h', CidrBlock: '192.168.20.0/24' });
    const e = await h.call('CreateNetworkInterface', { VSwitchId: plain.body.VSwitchId, SecurityGroupId: net.securityGroupId });
    assertError(
      await h.call('AssignIpv6Addresses', { NetworkInterfaceId: e.body.NetworkInterfaceId, Ipv6AddressCount: 1 }),
      403,
      'InvalidVSwitch.Ipv6NotTurnOn',
    );
  });
});
