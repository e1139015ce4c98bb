// End to end, failover: a secondary ENI with two secondary IPs bound to
// instance A answers a client; A "fails" (StopInstance: powered off in the
// lab); the ENI is detached and attached to standby B through the official
// SDK; the same address answers again, now from B. The time from the
// AttachNetworkInterface call to the first reply is measured.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bridgeMac, labNames } from '../../src/lab/layout.ts';
import { LabHarness, run, until } from './harness.ts';

const h = new LabHarness(undefined, { agentArgs: ['--log-level=debug'] });
let failed = false;

before(async () => {
  await h.start();
});

after(async () => {
  if (failed) console.log(`--- lab output\n${h.output.slice(-5000)}\n--- agent logs\n${h.agentLogs()}`);
  await h.stop();
});

test('the ENI and its addresses follow a failover from A to standby B', async (t) => {
  try {
    const a = await h.runInstance();
    const b = await h.runInstance();
    const client = await h.runInstance();
    const eniId = (
      await h.call('CreateNetworkInterface', {
        VSwitchId: h.vSwitchId,
        SecurityGroupId: h.securityGroupId,
        SecondaryPrivateIpAddressCount: 2,
      })
    ).NetworkInterfaceId as string;
    const eni = (await h.call('DescribeNetworkInterfaces', { NetworkInterfaceId: [eniId] })).NetworkInterfaceSets.NetworkInterfaceSet[0];
    const mac = eni.MacAddress as string;
    const addresses = eni.PrivateIpSets.PrivateIpSet.map((p: { PrivateIpAddress: string }) => p.PrivateIpAddress) as string[];
    assert.equal(addresses.length, 3);
    const target = addresses[1]!;
    // the ENI was created after the instances: its router-side veth joining the bridge leaves the gateway's MAC alone
    const gw = JSON.parse((await run('ip', ['-n', h.ns(client.id), '-json', 'neigh', 'show', '198.18.1.253'])).stdout || '[]')[0]?.lladdr;
    assert.equal(gw ?? bridgeMac(h.vSwitchId), bridgeMac(h.vSwitchId));
    const br = (
      await run('ip', ['netns', 'exec', h.routerNs, 'cat', `/sys/class/net/${labNames(h.prefix).bridge(h.vSwitchId)}/address`])
    ).stdout.trim();
    assert.equal(br, bridgeMac(h.vSwitchId));

    await h.call('AttachNetworkInterface', { NetworkInterfaceId: eniId, InstanceId: a.id });
    await h.waitEni(eniId, 'InUse');
    await h.agentConverged(a.id);
    for (const x of addresses) await h.firstReply(h.ns(client.id), x, 3000);
    const onA = (await run('ip', ['-n', h.ns(a.id), '-br', 'link'])).stdout;
    assert.ok(onA.includes(mac), `the ENI's veth (${mac}) is in A`);
    // a secondary ENI gets its own policy table: replies leave by the ENI they came in on
    assert.match((await run('ip', ['-n', h.ns(a.id), 'rule'])).stdout, new RegExp(`from ${target.replace(/\./g, '\\.')} lookup 1001`));

    // A fails
    await h.call('StopInstance', { InstanceId: a.id });
    await until(`${target} to go silent`, async () => !(await h.ping(h.ns(client.id), target)), 3000, 50);
    await h.waitInstance(a.id, 'Stopped');

    // the operator moves the ENI to the standby
    await h.call('DetachNetworkInterface', { NetworkInterfaceId: eniId, InstanceId: a.id });
    await h.waitEni(eniId, 'Available');
    const t0 = Date.now();
    await h.call('AttachNetworkInterface', { NetworkInterfaceId: eniId, InstanceId: b.id });
    const took = await h.firstReply(h.ns(client.id), target, 10_000);
    const total = Date.now() - t0;
    t.diagnostic(`failover: AttachNetworkInterface call → first reply from B: ${total} ms (${took} ms of pinging)`);
    assert.ok(total < 3000, `failover took ${total} ms`);

    // it really is B answering: the veth moved, with its MAC, and carries the addresses there
    const linkB = (await run('ip', ['-n', h.ns(b.id), '-br', 'link'])).stdout;
    assert.ok(linkB.includes(mac), `the ENI's veth is in B now:\n${linkB}`);
    assert.ok(!(await run('ip', ['-n', h.ns(a.id), '-br', 'link'])).stdout.includes(mac), 'and no longer in A');
    const addrB = (await run('ip', ['-n', h.ns(b.id), '-br', 'addr'])).stdout;
    for (const x of addresses) assert.ok(addrB.includes(`${x}/24`), `${x} on B:\n${addrB}`);
    for (const x of addresses) assert.ok(await h.ping(h.ns(client.id), x), `${x} answers from B`);

    // the failed instance is deleted: its namespace goes too, B keeps the ENI
    await h.call('DeleteInstance', { InstanceId: a.id });
    await until(`${h.ns(a.id)} to be deleted`, async () => !(await run('ip', ['netns', 'list'])).stdout.includes(h.ns(a.id)), 5000, 100);
    assert.ok(await h.ping(h.ns(client.id), target), `${target} still answers from B`);
  } catch (e) {
    failed = true;
    throw e;
  }
});
