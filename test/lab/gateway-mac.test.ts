// The gateway's MAC never changes for the life of a vSwitch. A bridge left to
// the kernel takes the lowest MAC of its ports, so a new ENI veth with a lower
// random MAC used to move the gateway (and the route to 100.100.100.200) to a
// MAC the running instances did not know: about one lab run in four lost the
// network for 20-45 s. Here the case is forced every time: a port with a MAC
// lower than any random one (02:00:00:00:00:01) joins the bridge, ENIs are
// created and attached after the instances, and the lab is taken down and
// brought up again.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bridgeMac, labNames } from '../../src/lab/layout.ts';
import { LabHarness, run, until } from './harness.ts';

const h = new LabHarness();
const GATEWAY = '198.18.1.253';
let failed = false;

before(async () => {
  await h.start();
});

after(async () => {
  if (failed) console.log(`--- lab output\n${h.output.slice(-4000)}\n--- agent logs\n${h.agentLogs()}`);
  await run('ip', ['-n', h.routerNs, 'link', 'del', 'dev', 'tlow0']);
  await h.stop();
});

/** the bridge's MAC and how the kernel got it (/sys addr_assign_type: 3 = set by the user, 1 = random / inherited from a port) */
async function bridge(): Promise<{ mac: string; assignType: string }> {
  const br = labNames(h.prefix).bridge(h.vSwitchId);
  const r = await run('ip', ['netns', 'exec', h.routerNs, 'cat', `/sys/class/net/${br}/address`, `/sys/class/net/${br}/addr_assign_type`]);
  assert.equal(r.code, 0, r.stderr);
  const [mac, assignType] = r.stdout.trim().split('\n');
  return { mac: mac!, assignType: assignType! };
}

/** the MAC the instance's neighbour table holds for the gateway */
async function gatewayNeighbour(ns: string): Promise<string | undefined> {
  const r = await run('ip', ['-n', ns, '-json', 'neigh', 'show', GATEWAY]);
  const n = (JSON.parse(r.stdout || '[]') as { lladdr?: string }[])[0];
  return n?.lladdr;
}

test('the vSwitch bridge carries a MAC derived from the vSwitch id, set at creation and never replaced', async () => {
  try {
    const expected = bridgeMac(h.vSwitchId);
    assert.match(expected, /^[0-9a-f][26ae](:[0-9a-f]{2}){5}$/, 'locally administered, unicast');
    assert.equal(bridgeMac(h.vSwitchId), expected, 'deterministic');
    assert.deepEqual(await bridge(), { mac: expected, assignType: '3' });

    const a = await h.runInstance();
    const client = await h.runInstance();
    assert.ok(await h.ping(h.ns(a.id), GATEWAY));
    assert.equal(await gatewayNeighbour(h.ns(a.id)), expected);

    // a port with a MAC lower than any random one: a kernel-chosen bridge MAC would follow it
    const low = await run('ip', [
      '-n',
      h.routerNs,
      'link',
      'add',
      'tlow0',
      'address',
      '02:00:00:00:00:01',
      'type',
      'veth',
      'peer',
      'name',
      'tlow1',
      'address',
      '02:00:00:00:00:02',
    ]);
    assert.equal(low.code, 0, low.stderr);
    const join = await run('ip', ['-n', h.routerNs, 'link', 'set', 'dev', 'tlow0', 'master', labNames(h.prefix).bridge(h.vSwitchId), 'up']);
    assert.equal(join.code, 0, join.stderr);
    assert.deepEqual(await bridge(), { mac: expected, assignType: '3' }, 'a lower port MAC does not move the gateway');
    await run('ip', ['-n', h.routerNs, 'link', 'del', 'dev', 'tlow0']);

    // ENIs created (router-side veths with random MACs join the bridge) and attached while instances run
    const enis: string[] = [];
    for (let i = 0; i < 3; i++) {
      enis.push(
        (
          await h.call('CreateNetworkInterface', {
            VSwitchId: h.vSwitchId,
            SecurityGroupId: h.securityGroupId,
            SecondaryPrivateIpAddressCount: 1,
          })
        ).NetworkInterfaceId as string,
      );
    }
    await h.call('AttachNetworkInterface', { NetworkInterfaceId: enis[0], InstanceId: a.id });
    await h.waitEni(enis[0]!, 'InUse');
    await until(
      'the ENI veths in the router',
      async () =>
        (await run('ip', ['-n', h.routerNs, '-br', 'link'])).stdout.split('\n').filter((l) => /^v[0-9a-f]{10}/.test(l)).length >= 5,
      5000,
      50,
    );
    assert.deepEqual(await bridge(), { mac: expected, assignType: '3' }, 'new ENI veths do not move the gateway');
    await h.agentConverged(a.id);
    // the instances' neighbour entries still hold the gateway's one MAC, and the gateway and metadata answer
    for (const ns of [h.ns(a.id), h.ns(client.id)]) {
      assert.ok(await h.ping(ns, GATEWAY), `the gateway answers from ${ns}`);
      assert.ok(await h.ping(ns, '100.100.100.200'), `the metadata address answers from ${ns}`);
      assert.equal(await gatewayNeighbour(ns), expected);
    }

    // lab down and up: the bridge is rebuilt with the same MAC
    await h.restartLab();
    assert.deepEqual(await bridge(), { mac: expected, assignType: '3' }, 'the same MAC after lab down/up');
    await until(
      `${a.id}'s namespace up again`,
      async () => (await run('ip', ['-n', h.ns(a.id), '-br', 'addr', 'show', 'dev', 'eth0'])).stdout.includes(a.primaryIp),
      15_000,
    );
    assert.ok(await h.ping(h.ns(a.id), GATEWAY));
    assert.equal(await gatewayNeighbour(h.ns(a.id)), expected);
  } catch (e) {
    failed = true;
    throw e;
  }
});
