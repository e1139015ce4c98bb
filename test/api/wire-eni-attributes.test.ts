// Wire tests (in-process) for what an ENI stores and returns (traffic mode, queues,
// SourceDestCheck, DeleteOnRelease, NetworkCardIndex), every DescribeNetworkInterfaces
// filter value of the model, NextToken in both paging modes, and ClientToken on the unassigns.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, freeAddress, wireFixture } from '../support/wire-fixture.ts';

const { h, net } = wireFixture();

async function eni(extra: Record<string, any> = {}) {
  const r = await h.call('CreateNetworkInterface', { VSwitchId: net.vSwitchId, SecurityGroupId: net.securityGroupId, ...extra });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}
const listed = async (id: string) =>
  (await h.call('DescribeNetworkInterfaces', { NetworkInterfaceId: [id] })).body.NetworkInterfaceSets.NetworkInterfaceSet[0];
const attr = async (id: string) => (await h.call('DescribeNetworkInterfaceAttribute', { NetworkInterfaceId: id })).body;

describe('ENI attributes: stored and returned', () => {
  it('CreateNetworkInterface keeps traffic mode, queues, SourceDestCheck and DeleteOnRelease', async () => {
    const c = await eni({
      NetworkInterfaceTrafficMode: 'HighPerformance',
      QueueNumber: 4,
      QueuePairNumber: 2,
      SourceDestCheck: true,
      DeleteOnRelease: true,
      RxQueueSize: 1024,
    });
    assert.equal(c.SourceDestCheck, true);
    const l = await listed(c.NetworkInterfaceId);
    assert.deepEqual(
      [l.NetworkInterfaceTrafficMode, l.QueueNumber, l.QueuePairNumber, l.SourceDestCheck, l.DeleteOnRelease],
      ['HighPerformance', 4, 2, true, true],
    );
    const a = await attr(c.NetworkInterfaceId);
    assert.deepEqual(a.NetworkInterfaceTrafficConfig, {
      NetworkInterfaceTrafficMode: 'HighPerformance',
      QueueNumber: 4,
      QueuePairNumber: 2,
    });
    const plain = await listed((await eni()).NetworkInterfaceId);
    assert.deepEqual(
      [plain.NetworkInterfaceTrafficMode, plain.QueueNumber, plain.QueuePairNumber, plain.SourceDestCheck, plain.DeleteOnRelease],
      ['Standard', 1, 0, false, false],
    );
  });
  it('ModifyNetworkInterfaceAttribute changes each field, flat or in NetworkInterfaceTrafficConfig; the rest stays', async () => {
    const id = (await eni({ QueueNumber: 2 })).NetworkInterfaceId;
    assert.equal(
      (await h.call('ModifyNetworkInterfaceAttribute', { NetworkInterfaceId: id, SourceDestCheck: true, QueueNumber: 8 })).status,
      200,
    );
    let l = await listed(id);
    assert.deepEqual([l.SourceDestCheck, l.QueueNumber, l.NetworkInterfaceTrafficMode], [true, 8, 'Standard']);
    const r = await h.call('ModifyNetworkInterfaceAttribute', {
      NetworkInterfaceId: id,
      'NetworkInterfaceTrafficConfig.NetworkInterfaceTrafficMode': 'HighPerformance',
      'NetworkInterfaceTrafficConfig.QueuePairNumber': 3,
      'ConnectionTrackingConfiguration.UdpTimeout': 60,
    } as any);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    l = await listed(id);
    assert.deepEqual([l.NetworkInterfaceTrafficMode, l.QueuePairNumber, l.QueueNumber, l.SourceDestCheck], ['HighPerformance', 3, 8, true]);
  });
  it('connection tracking and enhanced network: set, read back with Attribute, defaults otherwise', async () => {
    const id = (await eni({ 'ConnectionTrackingConfiguration.UdpTimeout': 60 })).NetworkInterfaceId;
    const ct = async () =>
      (await h.call('DescribeNetworkInterfaceAttribute', { NetworkInterfaceId: id, Attribute: 'connectionTrackingConfiguration' })).body
        .ConnectionTrackingConfiguration;
    assert.deepEqual(await ct(), { TcpClosedAndTimeWaitTimeout: 3, TcpEstablishedTimeout: 910, UdpTimeout: 60 });
    assert.equal('EnhancedNetwork' in (await attr(id)), false, 'none set, none reported');
    const r = await h.call('ModifyNetworkInterfaceAttribute', {
      NetworkInterfaceId: id,
      'ConnectionTrackingConfiguration.TcpEstablishedTimeout': 600,
      'EnhancedNetwork.EnableRss': true,
      'EnhancedNetwork.VirtualFunctionQuantity': 2,
    } as any);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(await ct(), { TcpClosedAndTimeWaitTimeout: 3, TcpEstablishedTimeout: 600, UdpTimeout: 60 });
    assert.deepEqual((await attr(id)).EnhancedNetwork, {
      EnableSriov: false,
      EnableRss: true,
      EnableExpress: false,
      VirtualFunctionQuantity: 2,
      VirtualFunctionTotalQueueNumber: 0,
    });
    assertError(
      await h.call('ModifyNetworkInterfaceAttribute', {
        NetworkInterfaceId: id,
        'ConnectionTrackingConfiguration.UdpTimeout': 1000,
      } as any),
      400,
      'InvalidParameter',
    );
  });
  it("refuses values out of the model's range", async () => {
    const id = (await eni()).NetworkInterfaceId;
    assertError(
      await h.call('ModifyNetworkInterfaceAttribute', {
        NetworkInterfaceId: id,
        'NetworkInterfaceTrafficConfig.NetworkInterfaceTrafficMode': 'Turbo',
      } as any),
      400,
      'InvalidParameter',
    );
    assertError(await h.call('ModifyNetworkInterfaceAttribute', { NetworkInterfaceId: id, QueueNumber: 0 }), 400, 'InvalidParameter');
    assertError(
      await h.call('CreateNetworkInterface', {
        VSwitchId: net.vSwitchId,
        SecurityGroupId: net.securityGroupId,
        NetworkInterfaceTrafficMode: 'Turbo',
      }),
      400,
      'InvalidParameter',
    );
    assert.equal((await listed(id)).NetworkInterfaceTrafficMode, 'Standard');
  });
  it('AttachNetworkInterface keeps NetworkCardIndex: Attachment.NetworkCardIndex while bound, gone once detached', async () => {
    const run = await h.call('RunInstances', {
      InstanceType: 'ecs.g7.large',
      VSwitchId: net.vSwitchId,
      SecurityGroupId: net.securityGroupId,
    });
    const instanceId = run.body.InstanceIdSets.InstanceIdSet[0] as string;
    const id = (await eni()).NetworkInterfaceId;
    assertError(
      await h.call('AttachNetworkInterface', { NetworkInterfaceId: id, InstanceId: instanceId, NetworkCardIndex: 1 }),
      400,
      'InvalidParameter',
    );
    assert.equal(
      (await h.call('AttachNetworkInterface', { NetworkInterfaceId: id, InstanceId: instanceId, NetworkCardIndex: 0 })).status,
      200,
    );
    const l = await listed(id);
    assert.deepEqual(l.Attachment, { InstanceId: instanceId, DeviceIndex: 1, NetworkCardIndex: 0, TrunkNetworkInterfaceId: '' });
    const primary = (await h.call('DescribeNetworkInterfaces', { InstanceId: instanceId, Type: 'Primary' })).body.NetworkInterfaceSets
      .NetworkInterfaceSet[0];
    assert.equal(primary.Attachment.NetworkCardIndex, 0);
    assert.equal((await h.call('DetachNetworkInterface', { NetworkInterfaceId: id, InstanceId: instanceId })).status, 200);
    assert.deepEqual((await listed(id)).Attachment, {});
  });
});

describe('DescribeNetworkInterfaces: every filter value of the model', () => {
  it('Type=Trunk/Member match no ENI of this file, Status=Creating/CreateFailed nothing here; unknown values are refused', async () => {
    await eni();
    const filters: Record<string, string | boolean>[] = [
      { Type: 'Trunk' },
      { Type: 'Member' },
      { Status: 'Creating' },
      { Status: 'CreateFailed' },
      { ServiceManaged: true },
    ];
    const pagings: Record<string, number>[] = [{ MaxResults: 10 }, { PageSize: 10 }];
    for (const f of filters) {
      for (const paging of pagings) {
        const r = await h.call('DescribeNetworkInterfaces', { ...f, ...paging });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.deepEqual(r.body.NetworkInterfaceSets.NetworkInterfaceSet, [], JSON.stringify(f));
        assert.equal(r.body.NextToken, '');
        assert.equal(r.body.TotalCount, 0);
      }
    }
    assert.ok((await h.call('DescribeNetworkInterfaces', { Type: 'Secondary' })).body.NetworkInterfaceSets.NetworkInterfaceSet.length > 0);
    assertError(await h.call('DescribeNetworkInterfaces', { Type: 'Bonded' }), 400, 'InvalidParameter');
    assertError(await h.call('DescribeNetworkInterfaces', { Status: 'Sleeping' }), 400, 'InvalidParameter');
  });
  it('answers NextToken in PageNumber mode too, continuing after that page', async () => {
    await eni();
    await eni();
    const page = await h.call('DescribeNetworkInterfaces', { VSwitchId: net.vSwitchId, PageNumber: 1, PageSize: 1 });
    assert.equal(page.body.PageNumber, 1);
    assert.notEqual(page.body.NextToken, '');
    const first = page.body.NetworkInterfaceSets.NetworkInterfaceSet[0].NetworkInterfaceId;
    const next = await h.call('DescribeNetworkInterfaces', { VSwitchId: net.vSwitchId, MaxResults: 10, NextToken: page.body.NextToken });
    const ids = next.body.NetworkInterfaceSets.NetworkInterfaceSet.map((e: any) => e.NetworkInterfaceId);
    assert.ok(ids.length > 0 && ids.every((x: string) => x > first));
    const last = await h.call('DescribeNetworkInterfaces', { VSwitchId: net.vSwitchId, PageNumber: 1, PageSize: 100 });
    assert.equal(last.body.NextToken, '');
  });
  it('PrivateIpAddress.N, Ipv6Address.N, SecurityGroupId and VSwitchId filter', async () => {
    const fixed = await freeAddress(h, net.vSwitchId, 77);
    const c = await eni({ PrimaryIpAddress: fixed, Ipv6AddressCount: 1 });
    const v6 = c.Ipv6Sets.Ipv6Set[0].Ipv6Address as string;
    const ids = async (f: Record<string, any>) =>
      (await h.call('DescribeNetworkInterfaces', f)).body.NetworkInterfaceSets.NetworkInterfaceSet.map((e: any) => e.NetworkInterfaceId);
    assert.deepEqual(await ids({ PrivateIpAddress: [fixed] }), [c.NetworkInterfaceId]);
    assert.deepEqual(await ids({ Ipv6Address: [v6.toUpperCase()] }), [c.NetworkInterfaceId]);
    assert.deepEqual(await ids({ PrivateIpAddress: ['10.9.9.9'] }), []);
    assert.ok(
      (await ids({ SecurityGroupId: net.securityGroupId, VSwitchId: net.vSwitchId, PageSize: 100 })).includes(c.NetworkInterfaceId),
    );
    assert.deepEqual(await ids({ SecurityGroupId: 'sg-bpnotthere0000000000' }), []);
  });
});

describe('ClientToken on UnassignPrivateIpAddresses and UnassignIpv6Addresses', () => {
  it('a retry with the token answers as the first call; another token is a new request', async () => {
    const fixed = await freeAddress(h, net.vSwitchId, 90);
    const c = await eni({ PrivateIpAddress: [fixed], Ipv6AddressCount: 1 });
    const id = c.NetworkInterfaceId;
    const v6 = c.Ipv6Sets.Ipv6Set[0].Ipv6Address as string;
    const un4 = { NetworkInterfaceId: id, PrivateIpAddress: [fixed], ClientToken: 'un4-1' };
    assert.equal((await h.call('UnassignPrivateIpAddresses', un4)).status, 200);
    assert.equal((await h.call('UnassignPrivateIpAddresses', un4)).status, 200);
    assertError(await h.call('UnassignPrivateIpAddresses', { ...un4, ClientToken: 'un4-2' }), 403, 'InvalidIp.IpUnassigned');
    const un6 = { NetworkInterfaceId: id, Ipv6Address: [v6], ClientToken: 'un6-1' };
    assert.equal((await h.call('UnassignIpv6Addresses', un6)).status, 200);
    assert.equal((await h.call('UnassignIpv6Addresses', un6)).status, 200);
    assertError(await h.call('UnassignIpv6Addresses', { ...un6, Ipv6Address: ['2001:db8::1'] }), 400, 'IdempotentParameterMismatch');
    const a = await attr(id);
    assert.deepEqual([a.PrivateIpSets.PrivateIpSet.length, a.Ipv6Sets.Ipv6Set.length], [1, 0]);
  });
});
