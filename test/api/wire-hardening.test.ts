// Wire tests (in-process) for hostile and careless input: what used to end in
// a 500 (a security group named twice, a service-managed listing), methods the
// API does not take, and answers outside Alibaba's shape.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { wireFixture } from '../support/wire-fixture.ts';
import { pct, rpcSignature, rpcStringToSign } from '../../src/api/signing/index.ts';
import { setAccessKeyStatus } from '../../src/service/accounts.ts';
import { flushAudit, listAudit } from '../../src/service/audit.ts';

const { h, net } = wireFixture();

describe('a security group named twice', () => {
  it('CreateNetworkInterface, ModifyNetworkInterfaceAttribute and RunInstances keep it once', async () => {
    const sg2 = (await h.call('CreateSecurityGroup', { VpcId: net.vpcId })).body.SecurityGroupId as string;
    const c = await h.call('CreateNetworkInterface', {
      VSwitchId: net.vSwitchId,
      SecurityGroupIds: [net.securityGroupId, sg2, net.securityGroupId],
    });
    assert.equal(c.status, 200, JSON.stringify(c.body));
    assert.deepEqual(c.body.SecurityGroupIds.SecurityGroupId, [net.securityGroupId, sg2]);
    const eniId = c.body.NetworkInterfaceId as string;
    const m = await h.call('ModifyNetworkInterfaceAttribute', { NetworkInterfaceId: eniId, SecurityGroupId: [sg2, sg2] });
    assert.equal(m.status, 200, JSON.stringify(m.body));
    const a = await h.call('DescribeNetworkInterfaceAttribute', { NetworkInterfaceId: eniId });
    assert.deepEqual(a.body.SecurityGroupIds.SecurityGroupId, [sg2]);
    const r = await h.call('RunInstances', {
      InstanceType: 'ecs.g7.large',
      VSwitchId: net.vSwitchId,
      SecurityGroupIds: [sg2, sg2],
      ImageId: 'any',
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const i = await h.call('DescribeNetworkInterfaces', { InstanceId: r.body.InstanceIdSets.InstanceIdSet[0] });
    assert.deepEqual(i.body.NetworkInterfaceSets.NetworkInterfaceSet[0].SecurityGroupIds.SecurityGroupId, [sg2]);
    // The counters moved once per address, not once per mention: the ENI's one address and the instance's primary one.
    const counts = await h.deps.store.transaction(
      async (tx) => {
        const accountId = (await tx.accessKeys.get(h.key.id))!.accountId;
        return [
          (await tx.securityGroups.get(accountId, net.securityGroupId))!.ipCount,
          (await tx.securityGroups.get(accountId, sg2))!.ipCount,
        ];
      },
      { readOnly: true },
    );
    assert.deepEqual(counts, [0, 2]);
  });
});

describe('DescribeNetworkInterfaces ServiceManaged=true', () => {
  it('answers an empty page when the account has ENIs', async () => {
    const c = await h.call('CreateNetworkInterface', { VSwitchId: net.vSwitchId, SecurityGroupId: net.securityGroupId });
    assert.equal(c.status, 200);
    for (const paging of [{}, { MaxResults: 10 }, { PageSize: 10, PageNumber: 1 }] as Record<string, number>[]) {
      const r = await h.call('DescribeNetworkInterfaces', { ServiceManaged: true, ...paging });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.NetworkInterfaceSets.NetworkInterfaceSet, []);
      assert.equal(r.body.TotalCount, 0);
    }
  });
});

/** Signs `params` for `method` with the harness key; the URL to send. */
function signed(method: string, params: [string, string][]): string {
  const all: [string, string][] = [
    ['Version', '2014-05-26'],
    ['Format', 'JSON'],
    ['AccessKeyId', h.key.id],
    ['SignatureMethod', 'HMAC-SHA1'],
    ['SignatureVersion', '1.0'],
    ['SignatureNonce', randomUUID()],
    ['Timestamp', new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')],
    ['RegionId', 'cn-hangzhou'],
    ...params,
  ];
  const sig = rpcSignature(rpcStringToSign(method, all), h.key.secret);
  return '/?' + [...all, ['Signature', sig]].map(([k, v]) => `${pct(k)}=${pct(v)}`).join('&');
}

describe('methods', () => {
  it('a signed HEAD runs nothing: 404 InvalidAction.NotFound, no address assigned', async () => {
    const eniId = (await h.call('CreateNetworkInterface', { VSwitchId: net.vSwitchId, SecurityGroupId: net.securityGroupId })).body
      .NetworkInterfaceId as string;
    const url = signed('HEAD', [
      ['Action', 'AssignPrivateIpAddresses'],
      ['NetworkInterfaceId', eniId],
      ['SecondaryPrivateIpAddressCount', '2'],
    ]);
    const r = await h.app.server.inject({ method: 'HEAD', url });
    assert.equal(r.statusCode, 404);
    const a = await h.call('DescribeNetworkInterfaceAttribute', { NetworkInterfaceId: eniId });
    assert.equal(a.body.PrivateIpSets.PrivateIpSet.length, 1, 'only the primary address');
  });

  it('PUT, DELETE, PATCH and OPTIONS on "/" answer 404 InvalidAction.NotFound in the RPC shape', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const) {
      const r = await h.app.server.inject({ method, url: signed(method, [['Action', 'DescribeRegions']]) });
      assert.equal(r.statusCode, 404, method);
      assertRpcShape(r, 'InvalidAction.NotFound');
    }
  });
});

function assertRpcShape(r: { headers: Record<string, unknown>; body: string }, code: string) {
  assert.match(String(r.headers['content-type']), /^application\/json/);
  const b = JSON.parse(r.body);
  assert.equal(b.Code, code, r.body);
  assert.match(b.RequestId, /^[0-9A-F-]{36}$/);
  assert.equal(typeof b.Message, 'string');
  assert.equal(typeof b.HostId, 'string');
}
function assertConsoleShape(r: { headers: Record<string, unknown>; body: string }, code: string) {
  assert.match(String(r.headers['content-type']), /^application\/json/);
  const b = JSON.parse(r.body);
  assert.deepEqual(Object.keys(b).sort(), ['Code', 'Message', 'RequestId'], r.body);
  assert.equal(b.Code, code);
}

describe("answers of the HTTP layer, in Alibaba's shape", () => {
  it('unknown routes: RPC shape outside /console, the console shape under it (its API and its files)', async () => {
    const rpc = await h.app.server.inject({ method: 'GET', url: '/nope' });
    assert.equal(rpc.statusCode, 404);
    assertRpcShape(rpc, 'InvalidAction.NotFound');
    for (const method of ['GET', 'POST', 'PUT', 'DELETE'] as const) {
      const r = await h.app.server.inject({
        method,
        url: '/console/api/nope',
        headers: { 'content-type': 'application/json' },
        payload: method === 'GET' || method === 'DELETE' ? undefined : '{}',
      });
      assert.equal(r.statusCode, 404, method);
      assertConsoleShape(r, 'InvalidAction.NotFound');
    }
    const file = await h.app.server.inject({ method: 'GET', url: '/console/assets/missing-0123.js' });
    assert.equal(file.statusCode, 404);
    assertConsoleShape(file, 'Console.FileNotFound');
  });

  it('bad URL escapes are 400 InvalidParameter.Url', async () => {
    const a = await h.app.server.inject({ method: 'GET', url: '/a/%zz' });
    assert.equal(a.statusCode, 400);
    assertRpcShape(a, 'InvalidParameter.Url');
    const c = await h.app.server.inject({ method: 'GET', url: '/console/%zz' });
    assert.equal(c.statusCode, 400);
    assertConsoleShape(c, 'InvalidParameter.Url');
  });

  it('413 body too large and 415 odd Content-Type, with Connection: close', async () => {
    const big = await h.app.server.inject({
      method: 'POST',
      url: '/',
      payload: 'a='.padEnd(2 * 1024 * 1024, 'x'),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(big.statusCode, 413);
    assertRpcShape(big, 'RequestBodyTooLarge');
    assert.equal(big.headers.connection, 'close');
    const odd = await h.app.server.inject({ method: 'POST', url: '/', payload: 'a=b', headers: { 'content-type': ';;;' } });
    assert.equal(odd.statusCode, 415);
    assertRpcShape(odd, 'InvalidParameter.ContentType');
    assert.equal(odd.headers.connection, 'close');
  });
});

describe('codes of the real gateway', () => {
  it('a disabled AccessKey answers InvalidAccessKeyId.Inactive with its message; an unknown one NotFound', async () => {
    const other = await h.newAccount('disabled-key-owner');
    assert.equal((await h.call('DescribeRegions', {}, { key: other })).status, 200);
    await setAccessKeyStatus(h.deps, other.id, 'Inactive');
    // The key cache lives 2 s: wait it out rather than reach into it.
    await new Promise((r) => setTimeout(r, 2100));
    const r = await h.call('DescribeRegions', {}, { key: other });
    assert.equal(r.status, 400);
    assert.equal(r.body.Code, 'InvalidAccessKeyId.Inactive');
    assert.equal(r.body.Message, 'Specified access key is disabled.');
    const unknown = await h.call('DescribeRegions', {}, { key: { id: 'LTAInobody', secret: 'x' } });
    assert.equal(unknown.body.Code, 'InvalidAccessKeyId.NotFound');
  });

  it('a malformed RPC Timestamp answers IllegalTimestamp with the gateway message', async () => {
    const r = await h.call('DescribeRegions', { Timestamp: '2026-11-25T18:00:28+08:00' });
    assert.equal(r.status, 400);
    assert.equal(r.body.Code, 'IllegalTimestamp');
    assert.equal(r.body.Message, 'The input parameter "Timestamp" that is mandatory for processing this request is not supplied.');
  });
});

describe('string lengths', () => {
  it("names and descriptions out of bounds answer the action's own code; at the bounds they pass", async () => {
    const long = (n: number) => 'a'.repeat(n);
    const cases: [string, Record<string, string>, string, string][] = [
      ['CreateVpc', { CidrBlock: '10.9.0.0/16' }, 'VpcName', 'InvalidVpcName.Malformed'],
      ['CreateVpc', { CidrBlock: '10.9.0.0/16' }, 'Description', 'InvalidVpcDiscription.Malformed'],
      ['CreateSecurityGroup', { VpcId: net.vpcId }, 'SecurityGroupName', 'InvalidSecurityGroupName.Malformed'],
      ['CreateSecurityGroup', { VpcId: net.vpcId }, 'Description', 'InvalidSecurityGroupDiscription.Malformed'],
      [
        'RunInstances',
        { InstanceType: 'ecs.g7.large', VSwitchId: net.vSwitchId, SecurityGroupId: net.securityGroupId, ImageId: 'any' },
        'InstanceName',
        'InvalidInstanceName.Malformed',
      ],
    ];
    for (const [action, base, param, code] of cases) {
      const max = param === 'Description' ? 256 : 128;
      for (const v of [long(max + 1), long(200_000)]) {
        const r = await h.call(action, { ...base, [param]: v });
        assert.equal(r.status, 400, `${action} ${param} ${v.length}`);
        assert.equal(r.body.Code, code);
      }
      const ok = await h.call(action, { ...base, [param]: long(max) });
      assert.equal(ok.status, 200, `${action} ${param} at ${max}: ${JSON.stringify(ok.body)}`);
    }
    const vsw = await h.call('CreateVSwitch', {
      VpcId: net.vpcId,
      ZoneId: 'cn-hangzhou-h',
      CidrBlock: '192.168.77.0/24',
      VSwitchName: long(129),
    });
    assert.equal(vsw.body.Code, 'InvalidVSwitchName.Malformed');
    // Characters, not UTF-16 units: 128 CJK characters are a valid name.
    assert.equal((await h.call('CreateSecurityGroup', { VpcId: net.vpcId, SecurityGroupName: '名'.repeat(128) })).status, 200);
  });

  it('any other string over 16,384 characters is InvalidParameter, before the handler', async () => {
    const r = await h.call('DescribeNetworkInterfaces', { NetworkInterfaceName: 'x'.repeat(200_000) });
    assert.equal(r.status, 400);
    assert.equal(r.body.Code, 'InvalidParameter');
    const t = await h.call('CreateNetworkInterface', {
      VSwitchId: net.vSwitchId,
      SecurityGroupId: net.securityGroupId,
      ClientToken: 'c'.repeat(65),
    });
    assert.equal(t.body.Code, 'InvalidParameter');
  });
});

describe('the audit trail', () => {
  it('records mutating calls with their result and what they named or made; reads are not recorded; one account sees only its own', async () => {
    const other = await h.newAccount('audited-other');
    const eni = await h.call('CreateNetworkInterface', { VSwitchId: net.vSwitchId, SecurityGroupId: net.securityGroupId });
    const eniId = eni.body.NetworkInterfaceId as string;
    const assigned = await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: eniId, SecondaryPrivateIpAddressCount: 1 });
    const address = assigned.body.AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress[0] as string;
    const refused = await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: eniId, PrivateIpAddress: [address] });
    assert.equal(refused.body.Code, 'InvalidIp.IpAssigned');
    await h.call('DescribeNetworkInterfaces', {});
    await h.call('CreateVpc', { CidrBlock: '10.20.0.0/16' }, { key: other });
    await flushAudit(h.deps);
    const rootId = (await h.deps.store.transaction((tx) => tx.accessKeys.get(h.key.id), { readOnly: true }))!.accountId;
    const mine = await listAudit(h.deps, { accountId: rootId }, { limit: 1000 });
    assert.ok(
      mine.every((e) => e.accountId === rootId),
      'only its own account',
    );
    assert.ok(!mine.some((e) => e.action.startsWith('Describe')), 'reads are not recorded');
    const ok = mine.find((e) => e.requestId === assigned.body.RequestId)!;
    assert.equal(ok.action, 'AssignPrivateIpAddresses');
    assert.equal(ok.result, 'Success');
    assert.equal(ok.accessKeyId, h.key.id);
    assert.ok(ok.resources.includes(eniId) && ok.resources.includes(address), JSON.stringify(ok));
    const bad = mine.find((e) => e.requestId === refused.body.RequestId)!;
    assert.equal(bad.result, 'InvalidIp.IpAssigned');
    const created = mine.find((e) => e.requestId === eni.body.RequestId)!;
    assert.ok(created.resources.includes(eniId), 'what the call made');
    const theirs = await listAudit(
      h.deps,
      { accountId: (await h.deps.store.transaction((tx) => tx.accessKeys.get(other.id), { readOnly: true }))!.accountId },
      { limit: 1000 },
    );
    assert.deepEqual(
      theirs.map((e) => e.action),
      ['CreateVpc'],
    );
  });
});
