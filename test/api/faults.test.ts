// Injected faults through the official ECS SDK against the harness: error
// answers, seeded probabilities, `times`, resource matching, a cut connection,
// a lost answer replayed by ClientToken, slow and wrong-ending transitions, the
// metadata service's faults, and the admin API's key check.
import { after, before, beforeEach, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEniplane, type Eniplane } from '../../src/harness.ts';
import { sdkClient, type SdkClient } from '../support/sdk-clients.ts';

let e: Eniplane;
let c: SdkClient;
before(async () => {
  e = await startEniplane();
});
after(async () => {
  await e?.close();
});
beforeEach(async () => {
  await e.faults.clear();
  c = sdkClient('ecs-v2', e.endpoint, { id: e.accessKeyId, secret: e.accessKeySecret });
});

const R = { RegionId: 'cn-hangzhou' };
async function network() {
  const vpc = await c.call('CreateVpc', { ...R, CidrBlock: '10.0.0.0/16' });
  const vsw = await c.call('CreateVSwitch', { ...R, VpcId: vpc.VpcId, ZoneId: 'cn-hangzhou-h', CidrBlock: '10.0.1.0/24' });
  const sg = await c.call('CreateSecurityGroup', { ...R, VpcId: vpc.VpcId });
  return { vSwitchId: vsw.VSwitchId as string, securityGroupId: sg.SecurityGroupId as string };
}

it('an error rule answers its Code, status and Message; other actions pass', async () => {
  await e.faults.add({
    actions: ['DescribeRegions'],
    effect: { kind: 'error', code: 'ServiceUnavailable', status: 503, message: 'try later' },
  });
  const err = await c.fail('DescribeRegions', {});
  assert.equal(err.code, 'ServiceUnavailable');
  assert.equal(err.statusCode, 503);
  assert.match(err.message, /try later/);
  await c.call('DescribeZones', R);
});

it('times limits a rule; resources match on a parameter value', async () => {
  const { vSwitchId, securityGroupId } = await network();
  const eni = (await c.call('CreateNetworkInterface', { ...R, VSwitchId: vSwitchId, SecurityGroupId: securityGroupId })).NetworkInterfaceId;
  const other = (await c.call('CreateNetworkInterface', { ...R, VSwitchId: vSwitchId, SecurityGroupId: securityGroupId }))
    .NetworkInterfaceId;
  await e.faults.add({ resources: [eni], times: 2, effect: { kind: 'error', code: 'Operation.Conflict', status: 403 } });
  await c.call('DescribeNetworkInterfaceAttribute', { ...R, NetworkInterfaceId: other });
  assert.equal((await c.fail('DescribeNetworkInterfaceAttribute', { ...R, NetworkInterfaceId: eni })).code, 'Operation.Conflict');
  assert.equal(
    (await c.fail('AssignPrivateIpAddresses', { ...R, NetworkInterfaceId: eni, SecondaryPrivateIpAddressCount: 1 })).code,
    'Operation.Conflict',
  );
  await c.call('DescribeNetworkInterfaceAttribute', { ...R, NetworkInterfaceId: eni });
});

it('a probability draws from the seed: the same seed gives the same sequence, another seed another', async () => {
  const run = async (seed: number) => {
    await e.faults.clear();
    await e.faults.add(
      { actions: ['DescribeRegions'], probability: 0.5, effect: { kind: 'error', code: 'InternalError', status: 500 } },
      seed,
    );
    const seen: boolean[] = [];
    for (let i = 0; i < 24; i++)
      seen.push(
        await c.call('DescribeRegions', {}).then(
          () => true,
          () => false,
        ),
      );
    return seen.map((ok) => (ok ? '.' : 'x')).join('');
  };
  const a = await run(7);
  assert.equal(await run(7), a);
  assert.notEqual(await run(8), a);
  assert.match(a, /x/);
  assert.match(a, /\./);
});

it('drop cuts the connection before the action; nothing is done', async () => {
  await e.faults.add({ actions: ['CreateVpc'], effect: { kind: 'drop' } });
  const err = await c.fail('CreateVpc', { ...R, CidrBlock: '172.16.0.0/16' });
  assert.notEqual(err.statusCode, 200);
  await e.faults.clear();
  assert.equal((await c.call('DescribeVpcs', { ...R })).Vpcs.Vpc.filter((v: any) => v.CidrBlock === '172.16.0.0/16').length, 0);
});

it('lose-answer commits the action and cuts the answer: a ClientToken replay gets the same ENI', async () => {
  const { vSwitchId, securityGroupId } = await network();
  await e.faults.add({ actions: ['CreateNetworkInterface'], times: 1, effect: { kind: 'lose-answer' } });
  const params = { ...R, VSwitchId: vSwitchId, SecurityGroupId: securityGroupId, ClientToken: 'lost-once' };
  await c.fail('CreateNetworkInterface', params);
  const again = await c.call('CreateNetworkInterface', params);
  const all = (await c.call('DescribeNetworkInterfaces', { ...R, VSwitchId: vSwitchId })).NetworkInterfaceSets.NetworkInterfaceSet;
  assert.deepEqual(
    all.map((x: any) => x.NetworkInterfaceId),
    [again.NetworkInterfaceId],
  );
});

it('a transition fault keeps an ENI Attaching, and a Detaching one can end back InUse', async () => {
  const { vSwitchId, securityGroupId } = await network();
  const [instanceId] = (
    await c.call('RunInstances', { ...R, InstanceType: 'ecs.g7.large', VSwitchId: vSwitchId, SecurityGroupId: securityGroupId })
  ).InstanceIdSets.InstanceIdSet;
  const eni = (await c.call('CreateNetworkInterface', { ...R, VSwitchId: vSwitchId, SecurityGroupId: securityGroupId })).NetworkInterfaceId;
  const status = async () => (await c.call('DescribeNetworkInterfaceAttribute', { ...R, NetworkInterfaceId: eni })).Status;
  await e.faults.add({ actions: ['AttachNetworkInterface'], effect: { kind: 'transition', ms: 60_000 } });
  await c.call('AttachNetworkInterface', { ...R, NetworkInterfaceId: eni, InstanceId: instanceId });
  assert.equal(await status(), 'Attaching');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await status(), 'Attaching');
  await e.settle();
  assert.equal(await status(), 'InUse');

  await e.faults.add({ actions: ['DetachNetworkInterface'], effect: { kind: 'transition', ms: 60_000, end: 'InUse' } });
  await c.call('DetachNetworkInterface', { ...R, NetworkInterfaceId: eni, InstanceId: instanceId });
  assert.equal(await status(), 'Detaching');
  await e.settle();
  const back = await c.call('DescribeNetworkInterfaceAttribute', { ...R, NetworkInterfaceId: eni });
  assert.equal(back.Status, 'InUse');
  assert.equal(back.InstanceId, instanceId);
});

it('metadata faults: a 500 on a path, then latency', async () => {
  const { vSwitchId, securityGroupId } = await network();
  const [instanceId] = (
    await c.call('RunInstances', { ...R, InstanceType: 'ecs.g7.large', VSwitchId: vSwitchId, SecurityGroupId: securityGroupId })
  ).InstanceIdSets.InstanceIdSet;
  const get = () => fetch(`${e.metadataUrl}/latest/meta-data/instance-id`, { headers: { 'x-eniplane-instance-id': instanceId } });
  const [rule] = await e.faults.add({ target: 'metadata', pathPrefix: '/latest/meta-data/', effect: { kind: 'error', status: 500 } });
  assert.equal((await get()).status, 500);
  // An API rule does not touch the metadata service, nor a metadata rule the API.
  await c.call('DescribeRegions', {});
  await e.faults.clear(rule.id);
  await e.faults.add({ target: 'metadata', resources: [instanceId], effect: { kind: 'latency', ms: 150 } });
  const t = performance.now();
  const r = await get();
  assert.equal(r.status, 200);
  assert.ok(performance.now() - t >= 140);
});

it('a metadata drop cuts the connection: the client sees an error, not an answer', async () => {
  await e.faults.add({ target: 'metadata', effect: { kind: 'drop' } });
  await assert.rejects(fetch(`${e.metadataUrl}/latest/meta-data/instance-id`));
  await e.faults.clear();
  assert.equal((await fetch(`${e.metadataUrl}/latest/meta-data/instance-id`)).status, 403, 'no instance named: refused, but answered');
});

it('the admin API needs a root AccessKey, and manages the rules', async () => {
  const url = `http://${e.endpoint}/_eniplane/admin/faults`;
  assert.equal((await fetch(url)).status, 401);
  assert.equal((await fetch(url, { headers: { authorization: `Bearer ${e.accessKeyId}:wrong` } })).status, 401);
  const auth = { authorization: `Bearer ${e.accessKeyId}:${e.accessKeySecret}` };
  const bad = await fetch(url, { method: 'POST', headers: auth, body: JSON.stringify({ effect: { kind: 'nonsense' } }) });
  assert.equal(bad.status, 400);
  const added = await fetch(url, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ actions: ['DescribeRegions'], effect: { kind: 'error', code: 'InternalError', status: 500 } }),
  });
  assert.equal(added.status, 200);
  assert.equal((await c.fail('DescribeRegions', {})).code, 'InternalError');
  const listed = (await (await fetch(url, { headers: auth })).json()) as { rules: unknown[] };
  assert.equal(listed.rules.length, 1);
  assert.equal((await fetch(url, { method: 'DELETE', headers: auth })).status, 200);
  await c.call('DescribeRegions', {});
});
