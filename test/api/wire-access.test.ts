// Wire tests (in-process): authentication, accounts, strict parameters,
// networks, describe filters and paging, security-group capacity.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { seedNetwork } from '../support/in-process.ts';
import { assertError, wireFixture } from '../support/wire-fixture.ts';
import { pct, rpcSignature, rpcStringToSign } from '../../src/api/signing/index.ts';

const { h, net } = wireFixture({ limits: { basicSecurityGroupIpCapacity: 6 } });

function signedUrl(params: [string, string][], secret: string, method = 'GET'): string {
  const sig = rpcSignature(rpcStringToSign(method, params), secret);
  return '/?' + [...params, ['Signature', sig]].map(([k, v]) => `${pct(k)}=${pct(v)}`).join('&');
}
function common(keyId: string, nonce: string = randomUUID(), ts = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')): [string, string][] {
  return [
    ['Action', 'DescribeRegions'],
    ['Version', '2014-05-26'],
    ['Format', 'JSON'],
    ['AccessKeyId', keyId],
    ['SignatureMethod', 'HMAC-SHA1'],
    ['SignatureVersion', '1.0'],
    ['SignatureNonce', nonce],
    ['Timestamp', ts],
  ];
}

describe('authentication', () => {
  it('accepts a good signature, refuses a wrong secret, an unknown key, a replayed nonce and an old timestamp', async () => {
    const ok = await h.app.server.inject({ method: 'GET', url: signedUrl(common(h.key.id), h.key.secret) });
    assert.equal(ok.statusCode, 200);
    assert.ok(JSON.parse(ok.body).Regions.Region.some((r: any) => r.RegionId === 'cn-hangzhou'));
    const bad = await h.app.server.inject({ method: 'GET', url: signedUrl(common(h.key.id), 'not-the-secret') });
    assert.equal(JSON.parse(bad.body).Code, 'SignatureDoesNotMatch');
    assert.equal(bad.statusCode, 400);
    assert.ok(!bad.body.includes(h.key.secret));
    const unknown = await h.app.server.inject({ method: 'GET', url: signedUrl(common('LTAInobody'), 'x') });
    assert.equal(JSON.parse(unknown.body).Code, 'InvalidAccessKeyId.NotFound');
    const params = common(h.key.id, 'fixed-nonce-1');
    assert.equal((await h.app.server.inject({ method: 'GET', url: signedUrl(params, h.key.secret) })).statusCode, 200);
    const replay = await h.app.server.inject({ method: 'GET', url: signedUrl(params, h.key.secret) });
    assert.equal(JSON.parse(replay.body).Code, 'SignatureNonceUsed');
    const old = await h.app.server.inject({
      method: 'GET',
      url: signedUrl(common(h.key.id, randomUUID(), '2020-01-01T00:00:00Z'), h.key.secret),
    });
    assert.equal(JSON.parse(old.body).Code, 'InvalidTimeStamp.Expired');
    const unsigned = await h.app.server.inject({ method: 'GET', url: '/?Action=DescribeRegions&Version=2014-05-26' });
    assert.equal(JSON.parse(unsigned.body).Code, 'MissingParameter');
  });

  it('a nonce stays used for the whole window: with another Timestamp, and after a purge of what a Timestamp 14 minutes old would have let go', async () => {
    const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const nonce = `window-${randomUUID()}`;
    const first = await h.app.server.inject({
      method: 'GET',
      url: signedUrl(common(h.key.id, nonce, iso(Date.now() - 14 * 60_000)), h.key.secret),
    });
    assert.equal(first.statusCode, 200, first.body);
    const again = await h.app.server.inject({ method: 'GET', url: signedUrl(common(h.key.id, nonce, iso(Date.now())), h.key.secret) });
    assert.equal(JSON.parse(again.body).Code, 'SignatureNonceUsed', 'same nonce, another Timestamp');
    // Expiry is counted from now as well as from the Timestamp: still remembered 14 minutes on.
    await h.deps.store.transaction((tx) => tx.nonces.purge(Date.now() + 14 * 60_000));
    const later = await h.app.server.inject({ method: 'GET', url: signedUrl(common(h.key.id, nonce, iso(Date.now())), h.key.secret) });
    assert.equal(JSON.parse(later.body).Code, 'SignatureNonceUsed');
  });

  it('takes parameters from a form body (POST), merged with the query', async () => {
    const params = common(h.key.id);
    const sig = rpcSignature(rpcStringToSign('POST', params), h.key.secret);
    const body = [...params, ['Signature', sig]].map(([k, v]) => `${pct(k)}=${pct(v)}`).join('&');
    const r = await h.app.server.inject({
      method: 'POST',
      url: '/',
      payload: body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(r.statusCode, 200, r.body);
  });

  it('answers unknown actions and versions with the right codes, and JSON always', async () => {
    assertError(await h.call('DescribeNothing'), 404, 'InvalidAction.NotFound');
    assertError(await h.call('DescribeRegions', {}, { version: '2099-01-01' }), 400, 'InvalidVersion');
    const r = await h.app.server.inject({ method: 'GET', url: signedUrl(common(h.key.id), h.key.secret) });
    assert.match(String(r.headers['content-type']), /^application\/json/);
  });
});

describe('accounts', () => {
  it("never shows or touches another account's resources", async () => {
    const other = await h.newAccount('tenant-b');
    const e = (await h.call('CreateNetworkInterface', { VSwitchId: net.vSwitchId, SecurityGroupId: net.securityGroupId })).body
      .NetworkInterfaceId;
    assertError(await h.call('DescribeNetworkInterfaceAttribute', { NetworkInterfaceId: e }, { key: other }), 404, 'InvalidEniId.NotFound');
    assertError(
      await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: e, SecondaryPrivateIpAddressCount: 1 }, { key: other }),
      404,
      'InvalidEniId.NotFound',
    );
    assertError(
      await h.call('CreateNetworkInterface', { VSwitchId: net.vSwitchId, SecurityGroupId: net.securityGroupId }, { key: other }),
      404,
      'InvalidVSwitchId.NotFound',
    );
    const list = await h.call('DescribeNetworkInterfaces', {}, { key: other });
    assert.deepEqual(list.body.NetworkInterfaceSets.NetworkInterfaceSet, []);
    assert.deepEqual((await h.call('DescribeVpcs', {}, { key: other })).body.Vpcs.Vpc, []);
    // Their own network with the same CIDR is fine: address spaces are per vSwitch.
    const theirs = await seedNetwork(h, { key: other });
    const mine = await h.call(
      'CreateNetworkInterface',
      { VSwitchId: theirs.vSwitchId, SecurityGroupId: theirs.securityGroupId, PrimaryIpAddress: '192.168.1.201' },
      { key: other },
    );
    assert.equal(mine.status, 200);
  });
});

describe('networks', () => {
  it('validates VPC and vSwitch CIDRs and counts free addresses', async () => {
    assertError(await h.call('CreateVpc', { CidrBlock: '192.168.0.0/33' }), 400, 'InvalidCidrBlock.Malformed');
    assertError(await h.call('CreateVpc', { CidrBlock: '127.0.0.0/16' }), 400, 'InvalidCidrBlock.Malformed');
    const vpc = (await h.call('CreateVpc', { CidrBlock: '172.16.0.0/12', VpcName: 'prod' })).body.VpcId;
    assertError(
      await h.call('CreateVSwitch', { VpcId: vpc, ZoneId: 'cn-hangzhou-h', CidrBlock: '10.0.0.0/24' }),
      400,
      'InvalidCidrBlock.Malformed',
    );
    assertError(
      await h.call('CreateVSwitch', { VpcId: vpc, ZoneId: 'cn-hangzhou-h', CidrBlock: '172.16.0.0/30' }),
      400,
      'InvalidCidrBlock.Malformed',
    );
    assertError(
      await h.call('CreateVSwitch', { VpcId: vpc, ZoneId: 'cn-hangzhou-z', CidrBlock: '172.16.0.0/24' }),
      404,
      'InvalidZoneId.NotFound',
    );
    const vsw = (await h.call('CreateVSwitch', { VpcId: vpc, ZoneId: 'cn-hangzhou-h', CidrBlock: '172.16.0.0/24' })).body.VSwitchId;
    assertError(
      await h.call('CreateVSwitch', { VpcId: vpc, ZoneId: 'cn-hangzhou-h', CidrBlock: '172.16.0.128/25' }),
      400,
      'InvalidCidrBlock.Overlapped',
    );
    assertError(
      await h.call('CreateVSwitch', { VpcId: vpc, ZoneId: 'cn-hangzhou-h', CidrBlock: '172.16.1.0/24', Ipv6CidrBlock: 3 }),
      400,
      'OperationFailed.Ipv6NotEnabled',
    );
    const d = await h.call('DescribeVSwitches', { VpcId: vpc });
    assert.equal(d.body.VSwitches.VSwitch[0].AvailableIpAddressCount, 252);
    assert.equal(d.body.TotalCount, 1);
    assertError(await h.call('DeleteVpc', { VpcId: vpc }), 400, 'DependencyViolation');
    assert.equal((await h.call('DeleteVSwitch', { VSwitchId: vsw })).status, 200);
    assert.equal((await h.call('DeleteVpc', { VpcId: vpc })).status, 200);
    assertError(await h.call('DeleteVpc', { VpcId: vpc }), 404, 'InvalidVpcId.NotFound');
  });

  it('answers regions, zones and instance types (DescribeInstanceTypes without RegionId)', async () => {
    const z = await h.call('DescribeZones', { RegionId: 'cn-shanghai' });
    assert.equal(z.body.Zones.Zone.length, 2);
    assertError(await h.call('DescribeZones', { RegionId: 'mars-north-1' }), 404, 'InvalidRegionId.NotFound');
    const t = await h.call('DescribeInstanceTypes', { RegionId: '__omit__', InstanceTypes: ['ecs.g7.2xlarge'] });
    assert.deepEqual(
      [
        t.body.InstanceTypes.InstanceType[0].EniQuantity,
        t.body.InstanceTypes.InstanceType[0].EniPrivateIpAddressQuantity,
        t.body.InstanceTypes.InstanceType[0].EniTotalQuantity,
      ],
      [4, 15, 10],
    );
  });
});

describe('DescribeNetworkInterfaces', () => {
  it('filters and pages by NextToken and by PageNumber', async () => {
    const n = await seedNetwork(h, { cidr: '10.8.0.0/16', vswCidr: '10.8.1.0/24', sgType: 'enterprise' });
    const ids: string[] = [];
    for (let i = 0; i < 23; i++) {
      ids.push(
        (
          await h.call('CreateNetworkInterface', {
            VSwitchId: n.vSwitchId,
            SecurityGroupId: n.securityGroupId,
            NetworkInterfaceName: i % 2 ? 'odd' : 'even',
          })
        ).body.NetworkInterfaceId,
      );
    }
    const seen: string[] = [];
    let token = '';
    for (let page = 0; page < 5; page++) {
      const r = await h.call('DescribeNetworkInterfaces', {
        VSwitchId: n.vSwitchId,
        MaxResults: 10,
        ...(token ? { NextToken: token } : {}),
      });
      seen.push(...r.body.NetworkInterfaceSets.NetworkInterfaceSet.map((x: any) => x.NetworkInterfaceId));
      token = r.body.NextToken;
      if (!token) break;
    }
    assert.deepEqual(seen.sort(), [...ids].sort());
    const p3 = await h.call('DescribeNetworkInterfaces', { VSwitchId: n.vSwitchId, PageNumber: 3, PageSize: 10 });
    assert.equal(p3.body.NetworkInterfaceSets.NetworkInterfaceSet.length, 3);
    assert.equal(p3.body.TotalCount, 23);
    assert.equal(p3.body.PageNumber, 3);
    const odd = await h.call('DescribeNetworkInterfaces', { VSwitchId: n.vSwitchId, NetworkInterfaceName: 'odd', MaxResults: 100 });
    assert.equal(odd.body.NetworkInterfaceSets.NetworkInterfaceSet.length, 11);
    const byIp = await h.call('DescribeNetworkInterfaces', {
      PrivateIpAddress: [(await h.call('DescribeNetworkInterfaceAttribute', { NetworkInterfaceId: ids[4] })).body.PrivateIpAddress],
    });
    assert.deepEqual(
      byIp.body.NetworkInterfaceSets.NetworkInterfaceSet.map((x: any) => x.NetworkInterfaceId),
      [ids[4]],
    );
    assertError(await h.call('DescribeNetworkInterfaces', { Status: 'Sleeping' }), 400, 'InvalidParameter');
    const none = await h.call('DescribeNetworkInterfaces', { NetworkInterfaceId: ['eni-bpnothing0000000000'] });
    assert.deepEqual(none.body.NetworkInterfaceSets.NetworkInterfaceSet, []);
    assert.equal(none.body.NextToken ?? '', '');
  });
});

describe('security group capacity', () => {
  it('a basic group holds at most its configured private IPs (6 here); enterprise groups hold more', async () => {
    const sg = (await h.call('CreateSecurityGroup', { VpcId: net.vpcId })).body.SecurityGroupId;
    const e1 = (
      await h.call('CreateNetworkInterface', { VSwitchId: net.vSwitchId, SecurityGroupId: sg, SecondaryPrivateIpAddressCount: 3 })
    ).body.NetworkInterfaceId;
    const e2 = (await h.call('CreateNetworkInterface', { VSwitchId: net.vSwitchId, SecurityGroupId: sg })).body.NetworkInterfaceId;
    assertError(
      await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: e2, SecondaryPrivateIpAddressCount: 2 }),
      403,
      'SecurityGroupInstanceLimitExceed',
    );
    assert.equal((await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: e2, SecondaryPrivateIpAddressCount: 1 })).status, 200);
    assertError(
      await h.call('CreateNetworkInterface', { VSwitchId: net.vSwitchId, SecurityGroupId: sg }),
      403,
      'SecurityGroupInstanceLimitExceed',
    );
    // Unassigning makes room again.
    const ip = (await h.call('DescribeNetworkInterfaceAttribute', { NetworkInterfaceId: e1 })).body.PrivateIpSets.PrivateIpSet.find(
      (x: any) => !x.Primary,
    ).PrivateIpAddress;
    assert.equal((await h.call('UnassignPrivateIpAddresses', { NetworkInterfaceId: e1, PrivateIpAddress: [ip] })).status, 200);
    assert.equal((await h.call('CreateNetworkInterface', { VSwitchId: net.vSwitchId, SecurityGroupId: sg })).status, 200);
  });
});

describe('resource groups', () => {
  it('CreateResourceGroup/ListResourceGroups, and ResourceGroupId filters the lists', async () => {
    const g = await h.call('CreateResourceGroup', { Name: 'prod-net', DisplayName: 'Production network' }, { version: '2020-03-31' });
    assert.equal(g.status, 200, JSON.stringify(g.body));
    const id = g.body.ResourceGroup.Id;
    const list = await h.call('ListResourceGroups', {}, { version: '2020-03-31' });
    assert.deepEqual(
      list.body.ResourceGroups.ResourceGroup.map((x: any) => x.Name),
      ['default', 'prod-net'],
    );
    const vpc = await h.call('CreateVpc', { CidrBlock: '172.20.0.0/16', ResourceGroupId: id });
    assert.equal(vpc.body.ResourceGroupId, id);
    const vsw = await h.call('CreateVSwitch', { VpcId: vpc.body.VpcId, ZoneId: 'cn-hangzhou-h', CidrBlock: '172.20.1.0/24' });
    const sg = await h.call('CreateSecurityGroup', { VpcId: vpc.body.VpcId, ResourceGroupId: id });
    const e = await h.call('CreateNetworkInterface', {
      VSwitchId: vsw.body.VSwitchId,
      SecurityGroupId: sg.body.SecurityGroupId,
      ResourceGroupId: id,
    });
    const inGroup = await h.call('DescribeNetworkInterfaces', { ResourceGroupId: id });
    assert.deepEqual(
      inGroup.body.NetworkInterfaceSets.NetworkInterfaceSet.map((x: any) => x.NetworkInterfaceId),
      [e.body.NetworkInterfaceId],
    );
    assert.equal((await h.call('DescribeVpcs', { ResourceGroupId: id })).body.Vpcs.Vpc.length, 1);
    assert.equal(
      (await h.call('DescribeVSwitches', { ResourceGroupId: id })).body.VSwitches.VSwitch.length,
      1,
      'a vSwitch joins its VPC group by default',
    );
    assertError(
      await h.call('DescribeNetworkInterfaces', { ResourceGroupId: 'rg-acfmnothere000000' }),
      404,
      'InvalidResourceGroup.NotFound',
    );
  });
});
