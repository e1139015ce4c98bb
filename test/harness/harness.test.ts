// The programmatic harness, imported as a user of the package would:
// `import { startEniplane } from 'eniplane'`, driven by the official ECS SDK.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEniplane, type Eniplane } from 'eniplane';
import { sdkClient } from '../support/sdk-clients.ts';

let e: Eniplane;
before(async () => {
  e = await startEniplane({ transitionMs: 60_000 });
});
after(async () => {
  await e?.close();
});

const R = { RegionId: 'cn-hangzhou' };
const sdk = () => sdkClient('ecs-acs3', e.endpoint, { id: e.accessKeyId, secret: e.accessKeySecret });

async function world() {
  const c = sdk();
  const vpc = await c.call('CreateVpc', { ...R, CidrBlock: '10.0.0.0/16' });
  const vsw = await c.call('CreateVSwitch', { ...R, VpcId: vpc.VpcId, ZoneId: 'cn-hangzhou-h', CidrBlock: '10.0.1.0/24' });
  const sg = await c.call('CreateSecurityGroup', { ...R, VpcId: vpc.VpcId });
  return { c, vpcId: vpc.VpcId as string, vSwitchId: vsw.VSwitchId as string, securityGroupId: sg.SecurityGroupId as string };
}

it('serves the official SDK, and settle() completes a 60 s transition at once', async () => {
  const { c, vSwitchId, securityGroupId } = await world();
  const [instanceId] = (
    await c.call('RunInstances', { ...R, InstanceType: 'ecs.g7.large', VSwitchId: vSwitchId, SecurityGroupId: securityGroupId })
  ).InstanceIdSets.InstanceIdSet;
  const status = async () =>
    (await c.call('DescribeInstances', { ...R, InstanceIds: JSON.stringify([instanceId]) })).Instances.Instance[0].Status;
  assert.equal(await status(), 'Pending');
  assert.ok((await e.settle()) >= 1);
  assert.equal(await status(), 'Running');
});

it('the metadata service answers for an instance named by header', async () => {
  const { c, vSwitchId, securityGroupId } = await world();
  const [instanceId] = (
    await c.call('RunInstances', { ...R, InstanceType: 'ecs.g7.large', VSwitchId: vSwitchId, SecurityGroupId: securityGroupId })
  ).InstanceIdSets.InstanceIdSet;
  await e.settle();
  const r = await fetch(`${e.metadataUrl}/latest/meta-data/instance-id`, { headers: { 'x-eniplane-instance-id': instanceId } });
  assert.equal(r.status, 200);
  assert.equal(await r.text(), instanceId);
});

it('reset() empties the world and keeps the endpoint and the keys', async () => {
  await world();
  const before = { endpoint: e.endpoint, id: e.accessKeyId };
  await e.faults.add({ actions: ['DescribeRegions'], effect: { kind: 'error', code: 'InternalError', status: 500 } });
  await e.reset();
  assert.deepEqual({ endpoint: e.endpoint, id: e.accessKeyId }, before);
  const vpcs = await sdk().call('DescribeVpcs', R);
  assert.equal(vpcs.TotalCount, 0);
  assert.deepEqual(e.faults.list(), []);
  await sdk().call('DescribeRegions', {});
});
