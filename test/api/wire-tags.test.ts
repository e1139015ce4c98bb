// Wire tests (in-process) for tags: TagResources/UntagResources/ListTagResources
// on both products, Tag.N on the create calls, Tag.N filters and tags in the
// Describe answers, the limits and codes, account and region scoping.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, wireFixture } from '../support/wire-fixture.ts';

const { h, net } = wireFixture();

const VPC = { version: '2016-04-28' };
type Params = Record<string, string | number | boolean | string[]>;

function tagParams(tags: Record<string, string>, prefix = 'Tag'): Params {
  const out: Params = {};
  Object.entries(tags).forEach(([k, v], i) => {
    out[`${prefix}.${i + 1}.Key`] = k;
    out[`${prefix}.${i + 1}.Value`] = v;
  });
  return out;
}
async function ok(action: string, params: Params, opts?: { version?: string }) {
  const r = await h.call(action, params, opts);
  assert.equal(r.status, 200, `${action}: ${JSON.stringify(r.body)}`);
  return r.body;
}
async function eni(tags: Record<string, string> = {}) {
  return (await ok('CreateNetworkInterface', { VSwitchId: net.vSwitchId, SecurityGroupId: net.securityGroupId, ...tagParams(tags) }))
    .NetworkInterfaceId as string;
}
async function listed(resourceType: string, params: Params, opts?: { version?: string }) {
  const b = await ok('ListTagResources', { ResourceType: resourceType, ...params }, opts);
  return (b.TagResources.TagResource as any[]).map((t) => `${t.ResourceId} ${t.ResourceType} ${t.TagKey}=${t.TagValue}`);
}

describe('ECS TagResources / UntagResources / ListTagResources', () => {
  it('tags ENIs, overwrites a key, lists by id and by tag, removes by key and all', async () => {
    const a = await eni({ team: 'net' });
    const b = await eni();
    await ok('TagResources', { ResourceType: 'eni', ResourceId: [a, b], ...tagParams({ env: 'prod', team: 'ops' }) });
    assert.deepEqual(await listed('eni', { ResourceId: [a] }), [`${a} eni env=prod`, `${a} eni team=ops`]);
    // By tag: the resources carrying every pair asked, one row per key asked.
    const both = await listed('eni', tagParams({ env: 'prod' }));
    assert.ok(both.includes(`${a} eni env=prod`) && both.includes(`${b} eni env=prod`));
    assert.ok(both.every((x) => x.endsWith('env=prod')));
    await ok('UntagResources', { ResourceType: 'eni', ResourceId: [a], TagKey: ['env'] });
    assert.deepEqual(await listed('eni', { ResourceId: [a, b] }), [`${a} eni team=ops`, `${b} eni env=prod`, `${b} eni team=ops`].sort());
    await ok('UntagResources', { ResourceType: 'eni', ResourceId: [b], All: true });
    assert.deepEqual(await listed('eni', { ResourceId: [b] }), []);
    // The ENI's own answers carry the tags.
    const attr = (await h.call('DescribeNetworkInterfaceAttribute', { NetworkInterfaceId: a })).body;
    assert.deepEqual(attr.Tags, { Tag: [{ TagKey: 'team', TagValue: 'ops' }] });
  });

  it('answers with a RequestId only', async () => {
    const a = await eni();
    const b = await ok('TagResources', { ResourceType: 'eni', ResourceId: [a], ...tagParams({ k: 'v' }) });
    assert.deepEqual(Object.keys(b), ['RequestId']);
  });

  it('tags instances (and RunInstances tags the instance and its primary ENI) and security groups', async () => {
    const run = await ok('RunInstances', {
      InstanceType: 'ecs.g7.large',
      VSwitchId: net.vSwitchId,
      SecurityGroupId: net.securityGroupId,
      ...tagParams({ app: 'web', 'ack.aliyun.com': 'c1' }),
    });
    const id = run.InstanceIdSets.InstanceIdSet[0] as string;
    const inst = (await ok('DescribeInstances', { InstanceIds: JSON.stringify([id]) })).Instances.Instance[0];
    assert.deepEqual(inst.Tags, {
      Tag: [
        { TagKey: 'ack.aliyun.com', TagValue: 'c1' },
        { TagKey: 'app', TagValue: 'web' },
      ],
    });
    const primary = inst.NetworkInterfaces.NetworkInterface[0].NetworkInterfaceId;
    assert.deepEqual(
      (await h.call('DescribeNetworkInterfaceAttribute', { NetworkInterfaceId: primary })).body.Tags.Tag.map((t: any) => t.TagKey),
      ['ack.aliyun.com', 'app'],
    );
    await ok('TagResources', { ResourceType: 'instance', ResourceId: [id], ...tagParams({ tier: 'front' }) });
    const byTag = await ok('DescribeInstances', { ...tagParams({ tier: 'front' }) });
    assert.deepEqual(
      byTag.Instances.Instance.map((i: any) => i.InstanceId),
      [id],
    );
    assert.equal((await ok('DescribeInstances', { 'Tag.1.Key': 'tier', 'Tag.1.Value': 'back' })).Instances.Instance.length, 0);

    const sg = (await ok('CreateSecurityGroup', { VpcId: net.vpcId, ...tagParams({ role: 'db' }) })).SecurityGroupId as string;
    const sgs = await ok('DescribeSecurityGroups', { 'Tag.1.Key': 'role' });
    assert.deepEqual(
      sgs.SecurityGroups.SecurityGroup.map((g: any) => [g.SecurityGroupId, g.Tags]),
      [[sg, { Tag: [{ TagKey: 'role', TagValue: 'db' }] }]],
    );
    await ok('TagResources', { ResourceType: 'securitygroup', ResourceId: [sg], ...tagParams({ role: 'cache' }) });
    assert.deepEqual(await listed('securitygroup', { ResourceId: [sg] }), [`${sg} securitygroup role=cache`]);
  });

  it('filters DescribeNetworkInterfaces by several tags (all must match), a key alone matching any value', async () => {
    const a = await eni({ creator: 'terway', cluster: 'c9' });
    const b = await eni({ creator: 'terway', cluster: 'c8' });
    const ids = async (p: Params) =>
      ((await ok('DescribeNetworkInterfaces', { ...p, MaxResults: 100 })).NetworkInterfaceSets.NetworkInterfaceSet as any[])
        .map((e) => e.NetworkInterfaceId)
        .sort();
    assert.deepEqual(await ids(tagParams({ creator: 'terway', cluster: 'c9' })), [a]);
    assert.deepEqual(await ids({ 'Tag.1.Key': 'cluster' }), [a, b].sort());
    assert.deepEqual(await ids(tagParams({ creator: 'other' })), []);
  });

  it('refuses what the real API refuses, and changes nothing then', async () => {
    const a = await eni({ keep: 'me' });
    const base = { ResourceType: 'eni', ResourceId: [a] };
    assertError(await h.call('TagResources', { ResourceId: [a], ...tagParams({ k: 'v' }) }), 400, 'MissingParameter');
    assertError(await h.call('TagResources', { ...base }), 400, 'MissingParameter');
    assertError(
      await h.call('TagResources', { ResourceType: 'disk', ResourceId: [a], ...tagParams({ k: 'v' }) }),
      404,
      'InvalidResourceType.NotFound',
    );
    assertError(await h.call('TagResources', { ...base, ...tagParams({ aliyunx: 'v' }) }), 400, 'InvalidTagKey.Malformed');
    assertError(await h.call('TagResources', { ...base, ...tagParams({ 'acs:k': 'v' }) }), 400, 'InvalidTagKey.Malformed');
    assertError(await h.call('TagResources', { ...base, ...tagParams({ 'see http://x': 'v' }) }), 400, 'InvalidTagKey.Malformed');
    assertError(await h.call('TagResources', { ...base, ...tagParams({ ['k'.repeat(129)]: 'v' }) }), 400, 'InvalidTagKey.Malformed');
    assertError(await h.call('TagResources', { ...base, ...tagParams({ k: 'v'.repeat(129) }) }), 400, 'InvalidTagValue.Malformed');
    assertError(await h.call('TagResources', { ...base, ...tagParams({ k: 'https://x' }) }), 400, 'InvalidTagValue.Malformed');
    assertError(
      await h.call('TagResources', { ...base, 'Tag.1.Key': 'd', 'Tag.1.Value': '1', 'Tag.2.Key': 'd', 'Tag.2.Value': '2' }),
      400,
      'Duplicate.TagKey',
    );
    const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v']));
    assertError(await h.call('TagResources', { ...base, ...tagParams(many) }), 400, 'NumberExceed.Tags');
    assertError(
      await h.call('TagResources', {
        ResourceType: 'eni',
        ResourceId: Array.from({ length: 51 }, (_, i) => `eni-x${i}`),
        ...tagParams({ k: 'v' }),
      }),
      400,
      'NumberExceed.ResourceIds',
    );
    // One missing resource: none is tagged.
    assertError(
      await h.call('TagResources', { ResourceType: 'eni', ResourceId: [a, 'eni-bpnotthere00000000'], ...tagParams({ partial: 'no' }) }),
      404,
      'InvalidResourceId.NotFound',
    );
    // Another type's id is not an ENI.
    assertError(
      await h.call('TagResources', { ResourceType: 'eni', ResourceId: [net.securityGroupId], ...tagParams({ k: 'v' }) }),
      404,
      'InvalidResourceId.NotFound',
    );
    // 20 tags a resource: 19 more fit beside "keep", the 21st does not (an overwrite does).
    const nineteen = Object.fromEntries(Array.from({ length: 19 }, (_, i) => [`n${i}`, 'v']));
    await ok('TagResources', { ...base, ...tagParams(nineteen) });
    assertError(await h.call('TagResources', { ...base, ...tagParams({ one: 'more' }) }), 400, 'OperationDenied.QuotaExceed');
    await ok('TagResources', { ...base, ...tagParams({ keep: 'changed' }) });
    const rows = await listed('eni', { ResourceId: [a] });
    assert.equal(rows.length, 20);
    assert.ok(rows.includes(`${a} eni keep=changed`) && !rows.some((r) => r.includes('partial')));
    assertError(await h.call('ListTagResources', { ResourceType: 'eni' }), 400, 'BothEmpty.TagsAndResources');
    assertError(
      await h.call('ListTagResources', { ResourceType: 'eni', ...tagParams({ keep: 'v' }), 'TagFilter.1.TagKey': 'keep' }),
      400,
      'InvalidParameter.Conflict',
    );
    assertError(
      await h.call('UntagResources', { ResourceType: 'eni', ResourceId: ['eni-bpnotthere00000000'], TagKey: ['k'] }),
      404,
      'InvalidResourceId.NotFound',
    );
  });

  it('TagFilter.N: fuzzy keys, exact keys with fuzzy values (OR), filters ANDed, the matching rows listed', async () => {
    const a = await eni({ envFuzz: 'production', teamFuzz: 'Ops-A' });
    const b = await eni({ envFuzz: 'prod-b', xenvFuzzy: 'x' });
    const c = await eni({ EnvFuzz: 'production' });
    const same = (actual: string[], expected: string[]) => assert.deepEqual([...actual].sort(), [...expected].sort());
    const tf = (n: number, key: string, ...values: string[]): Params =>
      Object.fromEntries([[`TagFilter.${n}.TagKey`, key], ...values.map((v, i) => [`TagFilter.${n}.TagValues.${i + 1}`, v])]);
    // A prefix key is case-sensitive (EnvFuzz is not envFuzz*); an infix key finds xenvFuzzy too.
    same(await listed('eni', tf(1, 'envFuz*')), [`${a} eni envFuzz=production`, `${b} eni envFuzz=prod-b`]);
    same(await listed('eni', tf(1, '*nvFuz*')), [
      `${a} eni envFuzz=production`,
      `${b} eni envFuzz=prod-b`,
      `${b} eni xenvFuzzy=x`,
      `${c} eni EnvFuzz=production`,
    ]);
    // Values under one key are ORed; an exact value is exact.
    same(await listed('eni', tf(1, 'envFuzz', 'production')), [`${a} eni envFuzz=production`]);
    same(await listed('eni', tf(1, 'envFuzz', '*duct*', 'prod-*')), [`${a} eni envFuzz=production`, `${b} eni envFuzz=prod-b`]);
    // Filters are ANDed: only a carries both; rows of both filters are listed; ResourceId.N narrows further.
    const both = { ...tf(1, 'envFuzz', 'prod*'), ...tf(2, 'team*') };
    same(await listed('eni', both), [`${a} eni envFuzz=production`, `${a} eni teamFuzz=Ops-A`]);
    same(await listed('eni', { ...tf(1, 'envFuzz*'), ResourceId: [b, c] }), [`${b} eni envFuzz=prod-b`]);
    // The first filter of a key counts.
    same(await listed('eni', { ...tf(1, 'envFuzz', 'production'), ...tf(2, 'envFuzz', 'prod-b') }), [`${a} eni envFuzz=production`]);
    assertError(await h.call('ListTagResources', { ResourceType: 'eni', ...tf(1, 'env*', 'x') }), 400, 'InvalidParameter');
    assertError(await h.call('ListTagResources', { ResourceType: 'eni', ...tf(6, 'env') }), 400, 'InvalidParameter');
    assertError(
      await h.call('ListTagResources', { ResourceType: 'eni', ...tf(1, 'env', '1', '2', '3', '4', '5', '6') }),
      400,
      'InvalidParameter',
    );
    assertError(await h.call('ListTagResources', { ResourceType: 'eni', 'TagFilter.1.TagValues.1': 'x' }), 400, 'MissingParameter');
  });

  it('values may start with aliyun on ECS (the models allow it); a create with bad tags creates nothing', async () => {
    const a = await eni({ owner: 'aliyun-team' });
    assert.deepEqual(await listed('eni', { ResourceId: [a] }), [`${a} eni owner=aliyun-team`]);
    const before = (await ok('DescribeNetworkInterfaces', { VSwitchId: net.vSwitchId, MaxResults: 500 })).NetworkInterfaceSets
      .NetworkInterfaceSet.length;
    assertError(
      await h.call('CreateNetworkInterface', {
        VSwitchId: net.vSwitchId,
        SecurityGroupId: net.securityGroupId,
        ...tagParams({ 'acs:x': 'v' }),
      }),
      400,
      'InvalidTagKey.Malformed',
    );
    assertError(
      await h.call('RunInstances', {
        InstanceType: 'ecs.g7.large',
        VSwitchId: net.vSwitchId,
        SecurityGroupId: net.securityGroupId,
        'Tag.1.Key': 'd',
        'Tag.2.Key': 'd',
      }),
      400,
      'Duplicate.TagKey',
    );
    const afterCount = (await ok('DescribeNetworkInterfaces', { VSwitchId: net.vSwitchId, MaxResults: 500 })).NetworkInterfaceSets
      .NetworkInterfaceSet.length;
    assert.equal(afterCount, before);
  });

  it('a ClientToken retry listing the tags in another order is the same request', async () => {
    const base = { VSwitchId: net.vSwitchId, SecurityGroupId: net.securityGroupId, ClientToken: 'tags-order-1' };
    const first = await ok('CreateNetworkInterface', { ...base, ...tagParams({ a: '1', b: '2' }) });
    const again = await ok('CreateNetworkInterface', { ...base, ...tagParams({ b: '2', a: '1' }) });
    assert.equal(again.NetworkInterfaceId, first.NetworkInterfaceId);
    assertError(await h.call('CreateNetworkInterface', { ...base, ...tagParams({ a: '1', b: '3' }) }), 400, 'IdempotentParameterMismatch');
  });

  it('ListTagResources pages by 50 with NextToken, absent on the last page', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await eni());
    const tags = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`p${String(i).padStart(2, '0')}`, String(i)]));
    await ok('TagResources', { ResourceType: 'eni', ResourceId: ids, ...tagParams(tags) });
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const b = await ok('ListTagResources', { ResourceType: 'eni', ResourceId: ids, ...(token ? { NextToken: token } : {}) });
      seen.push(...(b.TagResources.TagResource as any[]).map((t) => `${t.ResourceId}/${t.TagKey}`));
      token = b.NextToken;
      pages++;
      if (token === undefined) assert.ok(!('NextToken' in b));
    } while (token && pages < 10);
    assert.equal(pages, 2);
    assert.equal(seen.length, 60);
    assert.equal(new Set(seen).size, 60);
    assertError(await h.call('ListTagResources', { ResourceType: 'eni', ResourceId: ids, NextToken: 'garbage!' }), 400, 'InvalidParameter');
  });

  it('another account sees none of it and cannot tag it', async () => {
    const a = await eni({ secret: 'x' });
    const other = await h.newAccount('tags-other');
    assertError(
      await h.call('TagResources', { ResourceType: 'eni', ResourceId: [a], ...tagParams({ k: 'v' }) }, { key: other }),
      404,
      'InvalidResourceId.NotFound',
    );
    const b = await h.call('ListTagResources', { ResourceType: 'eni', ...tagParams({ secret: 'x' }) }, { key: other });
    assert.deepEqual(b.body.TagResources, { TagResource: [] });
  });
});

describe('VPC product TagResources / UnTagResources / ListTagResources', () => {
  it('tags VPCs and vSwitches, answers Key/Value in DescribeVpcs/DescribeVSwitches and filters by tag', async () => {
    const vpc = (await ok('CreateVpc', { CidrBlock: '172.16.0.0/12', ...tagParams({ env: 'dev' }) })).VpcId as string;
    const vsw = (
      await ok('CreateVSwitch', {
        VpcId: vpc,
        ZoneId: 'cn-hangzhou-h',
        CidrBlock: '172.16.1.0/24',
        ...tagParams({ env: 'dev', tier: 'app' }),
      })
    ).VSwitchId as string;
    const vpcs = await ok('DescribeVpcs', { 'Tag.1.Key': 'env', 'Tag.1.Value': 'dev' });
    assert.deepEqual(
      vpcs.Vpcs.Vpc.map((v: any) => [v.VpcId, v.Tags]),
      [[vpc, { Tag: [{ Key: 'env', Value: 'dev' }] }]],
    );
    const vsws = await ok('DescribeVSwitches', { 'Tag.1.Key': 'tier' });
    assert.deepEqual(
      vsws.VSwitches.VSwitch.map((v: any) => [v.VSwitchId, v.Tags.Tag.length]),
      [[vsw, 2]],
    );

    await ok('TagResources', { ResourceType: 'VPC', ResourceId: [vpc], ...tagParams({ owner: 'me' }) }, VPC);
    await ok('TagResources', { ResourceType: 'vswitch', ResourceId: [vsw], ...tagParams({ owner: 'me' }) }, VPC);
    assert.deepEqual(await listed('VPC', { ResourceId: [vpc] }, VPC), [`${vpc} VPC env=dev`, `${vpc} VPC owner=me`]);
    assert.deepEqual(await listed('VSWITCH', tagParams({ owner: 'me' }), VPC), [`${vsw} VSWITCH owner=me`]);
    await ok('UnTagResources', { ResourceType: 'VSWITCH', ResourceId: [vsw], TagKey: ['owner', 'env'] }, VPC);
    assert.deepEqual(await listed('VSWITCH', { ResourceId: [vsw] }, VPC), [`${vsw} VSWITCH tier=app`]);
    // The ECS spelling is not the VPC product's action.
    assertError(
      await h.call('UntagResources', { ResourceType: 'VPC', ResourceId: [vpc], TagKey: ['owner'] }, VPC),
      404,
      'InvalidAction.NotFound',
    );
    // Deleting a resource deletes its tags.
    await ok('DeleteVSwitch', { VSwitchId: vsw });
    assert.deepEqual(await listed('VSWITCH', tagParams({ tier: 'app' }), VPC), []);
  });

  it("pages with MaxResults and answers the VPC product's codes", async () => {
    const vpc = (await ok('CreateVpc', { CidrBlock: '10.0.0.0/8' })).VpcId as string;
    await ok('TagResources', { ResourceType: 'VPC', ResourceId: [vpc], ...tagParams({ a: '1', b: '2', c: '3' }) }, VPC);
    const p1 = await ok('ListTagResources', { ResourceType: 'VPC', ResourceId: [vpc], MaxResults: 2 }, VPC);
    assert.equal(p1.TagResources.TagResource.length, 2);
    const p2 = await ok('ListTagResources', { ResourceType: 'VPC', ResourceId: [vpc], MaxResults: 2, NextToken: p1.NextToken }, VPC);
    assert.deepEqual(
      p2.TagResources.TagResource.map((t: any) => t.TagKey),
      ['c'],
    );
    assert.ok(!('NextToken' in p2));
    const base = { ResourceType: 'VPC', ResourceId: [vpc] };
    // The VPC product refuses reserved prefixes in values too.
    assertError(await h.call('TagResources', { ...base, ...tagParams({ k: 'aliyun-x' }) }, VPC), 400, 'InvalidTagValue');
    assertError(await h.call('CreateVpc', { CidrBlock: '10.0.0.0/8', ...tagParams({ k: 'acs:x' }) }), 400, 'InvalidTagValue.Malformed');
    assertError(await h.call('TagResources', { ...base, ...tagParams({ 'aliyun:k': 'v' }) }, VPC), 400, 'InvalidTagKey');
    assertError(
      await h.call('TagResources', { ResourceType: 'VPC', ResourceId: ['vpc-bpnotthere000000000'], ...tagParams({ k: 'v' }) }, VPC),
      400,
      'InvalidInstanceIds.NotFound',
    );
    assertError(
      await h.call('TagResources', { ResourceType: 'ROUTETABLE', ResourceId: [vpc], ...tagParams({ k: 'v' }) }, VPC),
      400,
      'InvalidInstanceType.NotFound',
    );
    const many = Object.fromEntries(Array.from({ length: 18 }, (_, i) => [`m${i}`, 'v']));
    assertError(await h.call('TagResources', { ...base, ...tagParams(many) }, VPC), 400, 'QuotaExceeded.TagNum');
    // The VPC product's TagResources and UnTagResources take 20 resource ids (its API docs), ListTagResources 50.
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `vpc-bpx${i}`);
    const tooMany = { ResourceType: 'VPC', ResourceId: ids(21) };
    assertError(await h.call('TagResources', { ...tooMany, ...tagParams({ k: 'v' }) }, VPC), 400, 'SizeLimitExceeded.ResourceId');
    assertError(await h.call('UnTagResources', { ...tooMany, TagKey: ['k'] }, VPC), 400, 'SizeLimitExceeded.ResourceId');
    assertError(
      await h.call('TagResources', { ResourceType: 'VPC', ResourceId: ids(20), ...tagParams({ k: 'v' }) }, VPC),
      400,
      'InvalidInstanceIds.NotFound',
    );
    assert.deepEqual(await listed('VPC', { ResourceId: ids(50) }, VPC), []);
    assertError(await h.call('ListTagResources', { ResourceType: 'VPC', ResourceId: ids(51) }, VPC), 400, 'SizeLimitExceeded.ResourceId');
    // Neither ids nor tags: 403 in the VPC product's tables (400 on ECS).
    assertError(await h.call('ListTagResources', { ResourceType: 'VPC' }, VPC), 403, 'BothEmpty.TagsAndResources');
  });
});
