// Wire tests (in-process) for the VPC, vSwitch, route table and security group
// reads and renames Terraform's refresh and update make, and the ECS 2014-05-26
// twins of the VPC/vSwitch calls.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { seedNetwork } from '../support/in-process.ts';
import { assertError, wireFixture } from '../support/wire-fixture.ts';

const { h, net } = wireFixture();
const VPC = { version: '2016-04-28' };
const ECS = { version: '2014-05-26' };

describe('DescribeVpcAttribute', () => {
  it('answers the VPC in full, with its vSwitches and IPv6 block', async () => {
    const r = await h.call('DescribeVpcAttribute', { VpcId: net.vpcId }, VPC);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const b = r.body;
    assert.equal(b.VpcId, net.vpcId);
    assert.equal(b.CidrBlock, '192.168.0.0/16');
    assert.equal(b.Status, 'Available');
    assert.equal(b.EnabledIpv6, true);
    assert.match(b.Ipv6CidrBlock, /\/56$/);
    assert.deepEqual(b.Ipv6CidrBlocks.Ipv6CidrBlock, [{ Ipv6CidrBlock: b.Ipv6CidrBlock, Ipv6Isp: 'BGP' }]);
    assert.deepEqual(b.VSwitchIds.VSwitchId, [net.vSwitchId]);
    assert.equal(b.VRouterId, net.vpcId.replace('vpc-', 'vrt-'));
    assert.equal(typeof b.OwnerId, 'number');
    assert.equal(b.ClassicLinkEnabled, false);
    assert.deepEqual(b.SecondaryCidrBlocks, { SecondaryCidrBlock: [] });
  });
  it('404s an unknown VPC and requires VpcId', async () => {
    assertError(await h.call('DescribeVpcAttribute', { VpcId: 'vpc-bpnotthere0000000000' }, VPC), 404, 'InvalidVpcId.NotFound');
    assertError(await h.call('DescribeVpcAttribute', {}, VPC), 400, 'MissingParameter');
  });
});

describe('DescribeVSwitchAttributes', () => {
  it('answers the vSwitch with its free address count and system route table', async () => {
    const r = await h.call('DescribeVSwitchAttributes', { VSwitchId: net.vSwitchId }, VPC);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.VSwitchId, net.vSwitchId);
    assert.equal(r.body.VpcId, net.vpcId);
    assert.equal(r.body.AvailableIpAddressCount, 252);
    assert.equal(r.body.EnabledIpv6, true);
    assert.deepEqual(r.body.RouteTable, { RouteTableId: net.vpcId.replace('vpc-', 'vtb-'), RouteTableType: 'System' });
  });
  it('404s an unknown vSwitch', async () => {
    assertError(
      await h.call('DescribeVSwitchAttributes', { VSwitchId: 'vsw-bpnotthere0000000000' }, VPC),
      404,
      'InvalidVSwitchId.NotFound',
    );
  });
});

describe('DescribeRouteTableList', () => {
  it("finds each VPC's system table by VPC, table id or router id", async () => {
    const table = net.vpcId.replace('vpc-', 'vtb-');
    const filters: Record<string, string>[] = [
      { VpcId: net.vpcId },
      { RouteTableId: table },
      { RouterId: net.vpcId.replace('vpc-', 'vrt-') },
      { VpcId: net.vpcId, RouteTableType: 'System' },
    ];
    for (const filter of filters) {
      const r = await h.call('DescribeRouteTableList', filter, VPC);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const t = r.body.RouterTableList.RouterTableListType;
      assert.equal(t.length, 1, JSON.stringify(filter));
      assert.deepEqual([t[0].RouteTableId, t[0].RouteTableType, t[0].VpcId, t[0].RouterType], [table, 'System', net.vpcId, 'VRouter']);
      assert.deepEqual(t[0].VSwitchIds.VSwitchId, [net.vSwitchId]);
      assert.equal(r.body.TotalCount, 1);
    }
  });
  it('lists every VPC without a filter; filters no table here can match give an empty list', async () => {
    const all = await h.call('DescribeRouteTableList', {}, VPC);
    assert.ok(all.body.RouterTableList.RouterTableListType.some((t: any) => t.VpcId === net.vpcId));
    const none: Record<string, string>[] = [
      { RouteTableType: 'Custom' },
      { RouteTableId: 'vtb-bpnotthere000000000' },
      { VpcId: net.vpcId, RouteTableId: 'vtb-other' },
      { RouterType: 'VBR' },
      { RouteTableId: 'rtb-x' },
    ];
    for (const filter of none) {
      const r = await h.call('DescribeRouteTableList', filter, VPC);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.RouterTableList.RouterTableListType, [], JSON.stringify(filter));
    }
  });
});

describe('DescribeSecurityGroupAttribute', () => {
  it('answers the group with no rules; a basic group accepts inner traffic, an enterprise one drops it', async () => {
    const r = await h.call('DescribeSecurityGroupAttribute', { SecurityGroupId: net.securityGroupId, Direction: 'all' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(
      [r.body.SecurityGroupId, r.body.VpcId, r.body.InnerAccessPolicy, r.body.RegionId],
      [net.securityGroupId, net.vpcId, 'Accept', 'cn-hangzhou'],
    );
    assert.deepEqual(r.body.Permissions, { Permission: [] });
    const ent = await h.call('CreateSecurityGroup', { VpcId: net.vpcId, SecurityGroupType: 'enterprise' });
    assert.equal(
      (await h.call('DescribeSecurityGroupAttribute', { SecurityGroupId: ent.body.SecurityGroupId })).body.InnerAccessPolicy,
      'Drop',
    );
  });
  it('404s an unknown group and refuses an unknown direction', async () => {
    assertError(
      await h.call('DescribeSecurityGroupAttribute', { SecurityGroupId: 'sg-bpnotthere0000000000' }),
      404,
      'InvalidSecurityGroupId.NotFound',
    );
    assertError(
      await h.call('DescribeSecurityGroupAttribute', { SecurityGroupId: net.securityGroupId, Direction: 'sideways' }),
      400,
      'InvalidParameter',
    );
  });
});

describe('ModifyVpcAttribute, ModifyVSwitchAttribute, ModifySecurityGroupAttribute', () => {
  it('rename and re-describe; what is not given stays', async () => {
    const n = await seedNetwork(h, { cidr: '10.20.0.0/16', vswCidr: '10.20.1.0/24' });
    assert.equal(
      (await h.call('ModifyVpcAttribute', { VpcId: n.vpcId, VpcName: 'renamed', Description: 'now described' }, VPC)).status,
      200,
    );
    assert.equal((await h.call('ModifyVpcAttribute', { VpcId: n.vpcId, Description: 'again' }, VPC)).status, 200);
    const vpc = (await h.call('DescribeVpcAttribute', { VpcId: n.vpcId }, VPC)).body;
    assert.deepEqual([vpc.VpcName, vpc.Description], ['renamed', 'again']);
    assert.equal((await h.call('ModifyVSwitchAttribute', { VSwitchId: n.vSwitchId, VSwitchName: 'vsw-renamed' }, VPC)).status, 200);
    assert.equal((await h.call('DescribeVSwitchAttributes', { VSwitchId: n.vSwitchId }, VPC)).body.VSwitchName, 'vsw-renamed');
    assert.equal(
      (
        await h.call('ModifySecurityGroupAttribute', {
          SecurityGroupId: n.securityGroupId,
          SecurityGroupName: 'sg-renamed',
          Description: 'd2',
        })
      ).status,
      200,
    );
    const sg = (await h.call('DescribeSecurityGroupAttribute', { SecurityGroupId: n.securityGroupId })).body;
    assert.deepEqual([sg.SecurityGroupName, sg.Description], ['sg-renamed', 'd2']);
  });
  it('404s unknown ids, refuses what cannot change here and bad names', async () => {
    assertError(
      await h.call('ModifyVpcAttribute', { VpcId: 'vpc-bpnotthere0000000000', VpcName: 'x1' }, VPC),
      404,
      'InvalidVpcId.NotFound',
    );
    assertError(
      await h.call('ModifyVSwitchAttribute', { VSwitchId: 'vsw-bpnotthere0000000000', VSwitchName: 'x1' }, VPC),
      404,
      'InvalidVSwitchId.NotFound',
    );
    assertError(
      await h.call('ModifySecurityGroupAttribute', { SecurityGroupId: 'sg-bpnotthere0000000000', SecurityGroupName: 'x1' }),
      404,
      'InvalidSecurityGroupId.NotFound',
    );
    assertError(await h.call('ModifyVpcAttribute', { VpcId: net.vpcId, CidrBlock: '10.0.0.0/8' }, VPC), 400, 'UnsupportedParameter');
    assertError(await h.call('ModifyVpcAttribute', { VpcId: net.vpcId, Description: 'http://x' }, VPC), 400, 'InvalidParameter');
  });
});

describe('the ECS 2014-05-26 forms of the VPC calls', () => {
  it("create, describe and delete a VPC and vSwitch, answering with the ECS models' fields", async () => {
    const vpc = await h.call('CreateVpc', { CidrBlock: '10.30.0.0/16', VpcName: 'ecs-made', ClientToken: 'ecs-vpc-1' }, ECS);
    assert.equal(vpc.status, 200, JSON.stringify(vpc.body));
    assert.equal(vpc.body.RouteTableId, vpc.body.VpcId.replace('vpc-', 'vtb-'));
    assert.equal(vpc.body.VRouterId, vpc.body.VpcId.replace('vpc-', 'vrt-'));
    const vsw = await h.call(
      'CreateVSwitch',
      { VpcId: vpc.body.VpcId, ZoneId: 'cn-hangzhou-h', CidrBlock: '10.30.1.0/24', VSwitchName: 'ecs-vsw' },
      ECS,
    );
    assert.equal(vsw.status, 200, JSON.stringify(vsw.body));
    const vpcs = await h.call('DescribeVpcs', { VpcId: vpc.body.VpcId }, ECS);
    assert.equal(vpcs.status, 200, JSON.stringify(vpcs.body));
    const v = vpcs.body.Vpcs.Vpc[0];
    assert.deepEqual(
      [v.VpcId, v.VpcName, v.CidrBlock, v.VSwitchIds.VSwitchId],
      [vpc.body.VpcId, 'ecs-made', '10.30.0.0/16', [vsw.body.VSwitchId]],
    );
    assert.equal('Ipv6CidrBlock' in v, false, 'the ECS model has no IPv6 fields');
    const vsws = await h.call('DescribeVSwitches', { VpcId: vpc.body.VpcId }, ECS);
    assert.deepEqual(
      vsws.body.VSwitches.VSwitch.map((s: any) => [s.VSwitchId, s.VSwitchName, s.AvailableIpAddressCount]),
      [[vsw.body.VSwitchId, 'ecs-vsw', 252]],
    );
    assert.deepEqual((await h.call('DescribeVpcs', { IsDefault: true }, ECS)).body.Vpcs.Vpc, []);
    // Parameters only the VPC product's models have are refused here, as strict mode does.
    assertError(await h.call('CreateVpc', { CidrBlock: '10.31.0.0/16', EnableIpv6: true }, ECS), 400, 'InvalidParameter');
    assertError(await h.call('DeleteVpc', { VpcId: vpc.body.VpcId }, ECS), 400, 'DependencyViolation');
    assert.equal((await h.call('DeleteVSwitch', { VSwitchId: vsw.body.VSwitchId }, ECS)).status, 200);
    assert.equal((await h.call('DeleteVpc', { VpcId: vpc.body.VpcId }, ECS)).status, 200);
    assertError(await h.call('DeleteVpc', { VpcId: vpc.body.VpcId }, ECS), 404, 'InvalidVpcId.NotFound');
  });
});

describe('DeleteVpc with a ClientToken', () => {
  it('a retry with the same token answers as the first call did; another token finds it gone', async () => {
    const vpc = await h.call('CreateVpc', { CidrBlock: '10.40.0.0/16' }, VPC);
    assert.equal((await h.call('DeleteVpc', { VpcId: vpc.body.VpcId, ClientToken: 'del-1' }, VPC)).status, 200);
    assert.equal((await h.call('DeleteVpc', { VpcId: vpc.body.VpcId, ClientToken: 'del-1' }, VPC)).status, 200);
    assertError(await h.call('DeleteVpc', { VpcId: vpc.body.VpcId, ClientToken: 'del-2' }, VPC), 404, 'InvalidVpcId.NotFound');
  });
});
