// Wire tests (in-process) for hostile and careless input: what used to end in
// a 500 (a security group named twice, a service-managed listing), methods the
// API does not take, and answers outside Alibaba's shape.
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

describe('a security group named twice', () => {
  it('CreateNetworkInterface, ModifyNetworkInterfaceAttribute and RunInstances keep it once', async () => {
    const sg2 = (await h.call('CreateSecurityGroup', { VpcId: net.vpcId })).body.SecurityGroupId as string;
    const c = await h.call('CreateNetworkInterface', { VSwitchId: net.vSwitchId, SecurityGroupIds: [net.securityGroupId, sg2, net.securityGroupId] });
    assert.equal(c.status, 200, JSON.stringify(c.body));
    assert.deepEqual(c.body.SecurityGroupIds.SecurityGroupId, [net.securityGroupId, sg2]);
    const eniId = c.body.NetworkInterfaceId as string;
    const m = await h.call('ModifyNetworkInterfaceAttribute', { NetworkInterfaceId: eniId, SecurityGroupId: [sg2, sg2] });
    assert.equal(m.status, 200, JSON.stringify(m.body));
    const a = await h.call('DescribeNetworkInterfaceAttribute', { NetworkInterfaceId: eniId });
    assert.deepEqual(a.body.SecurityGroupIds.SecurityGroupId, [sg2]);
    const r = await h.call('RunInstances', { InstanceType: 'ecs.g7.large', VSwitchId: net.vSwitchId, SecurityGroupIds: [sg2, sg2], ImageId: 'any' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const i = await h.call('DescribeNetworkInterfaces', { InstanceId: r.body.InstanceIdSets.InstanceIdSet[0] });
    assert.deepEqual(i.body.NetworkInterfaceSets.NetworkInterfaceSet[0].SecurityGroupIds.SecurityGroupId, [sg2]);
    // The counters moved once per address, not once per mention: the ENI's one address and the instance's primary one.
    const counts = await h.deps.store.transaction(async (tx) => {
      const accountId = (await tx.accessKeys.get(h.key.id))!.accountId;
      return [(await tx.securityGroups.get(accountId, net.securityGroupId))!.ipCount, (await tx.securityGroups.get(accountId, sg2))!.ipCount];
    }, { readOnly: true });
    assert.deepEqual(counts, [0, 2]);
  });
});

describe('DescribeNetworkInterfaces ServiceManaged=true', () => {
  it('answers an empty page when the account has ENIs', async () => {
    const c = await h.call('CreateNetworkInterface', { VSwitchId: net.vSwitchId, SecurityGroupId: net.securityGroupId });
    assert.equal(c.status, 200);
    for (const paging of [{}, { MaxResults: 10 }, { PageSize: 10, PageNumber: 1 }]) {
      const r = await h.call('DescribeNetworkInterfaces', { ServiceManaged: true, ...paging });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.NetworkInterfaceSets.NetworkInterfaceSet, []);
      assert.equal(r.body.TotalCount, 0);
    }
  });
});
