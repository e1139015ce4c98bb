// IP prefixes in the lab: an address inside a prefix assigned through the
// official SDK, added by the guest itself, answers ping from a client in
// another vSwitch (the router routes the prefix to the ENI, as the VPC does);
// the agent leaves the guest's addresses alone; after Unassign the prefix is
// routed no more and the address stops answering. VPC 198.18.0.0/16,
// vSwitches 198.18.1.0/24 and 198.18.2.0/24, each with an IPv6 /64 in 2001:db8::/32.
import assert from 'node:assert/strict';
import { after, before, test as nodeTest, type TestContext } from 'node:test';
import { LabHarness, run, until } from './harness.ts';

const h = new LabHarness();
let inst: Awaited<ReturnType<LabHarness['runInstance']>>;
let client: Awaited<ReturnType<LabHarness['runInstance']>>;
let failed = false;
let v4Prefix = '';
let v6Prefix = '';

before(async () => {
  await h.start();
  const otherVSwitch = (
    await h.call('CreateVSwitch', { VpcId: h.vpcId, ZoneId: 'cn-hangzhou-h', CidrBlock: '198.18.2.0/24', Ipv6CidrBlock: 2 })
  ).VSwitchId as string;
  inst = await h.runInstance({ ipv6: 1 });
  client = await h.runInstance({ ipv6: 1, vSwitchId: otherVSwitch });
  await h.agentConverged(inst.id);
  await h.agentConverged(client.id);
});

after(async () => {
  if (failed) console.log(`--- lab output\n${h.output.slice(-4000)}\n--- agent logs\n${h.agentLogs()}`);
  await h.stop();
});

function test(name: string, fn: (t: TestContext) => Promise<void>): void {
  nodeTest(name, async (t) => {
    try {
      await fn(t);
    } catch (e) {
      failed = true;
      throw e;
    }
  });
}

/** the address `offset` into an IPv4 CIDR */
function v4At(cidr: string, offset: number): string {
  const [a] = cidr.split('/');
  const o = a!.split('.').map(Number);
  return [o[0], o[1], o[2], o[3]! + offset].join('.');
}
const routerRoutes = async () =>
  (await run('ip', ['-n', h.routerNs, 'route', 'show', 'proto', 'static'])).stdout +
  (await run('ip', ['-n', h.routerNs, '-6', 'route', 'show', 'proto', 'static'])).stdout;
const addrs = async (dev: string) => (await run('ip', ['-n', h.ns(inst.id), '-br', 'addr', 'show', 'dev', dev])).stdout;

test('an address the guest adds inside an assigned IPv4 prefix answers ping from another vSwitch', async (t) => {
  const res = await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: inst.primaryEniId, Ipv4PrefixCount: 1 });
  v4Prefix = res.AssignedPrivateIpAddressesSet.Ipv4PrefixSet.Ipv4Prefixes[0] as string;
  assert.match(v4Prefix, /^198\.18\.1\.\d+\/28$/);
  const t0 = Date.now();
  await until('the router routes the prefix', async () => (await routerRoutes()).includes(`${v4Prefix} via ${inst.primaryIp}`), 3000);
  t.diagnostic(`routed ${Date.now() - t0} ms after AssignPrivateIpAddresses returned`);
  // on lo: the guest does not answer ARP for it (arp_ignore=1), only the route brings it there
  const onLo = v4At(v4Prefix, 5);
  assert.equal((await h.exec(h.ns(inst.id), ['ip', 'addr', 'add', `${onLo}/32`, 'dev', 'lo'])).code, 0);
  const took = await h.firstReply(h.ns(client.id), onLo, 3000);
  t.diagnostic(`${onLo} (on lo) answered ${took} ms after it was added`);
  // on eth0, where the agent works: it is not the agent's, so the agent leaves it
  const onEth0 = v4At(v4Prefix, 6);
  assert.equal((await h.exec(h.ns(inst.id), ['ip', 'addr', 'add', `${onEth0}/32`, 'dev', 'eth0'])).code, 0);
  await h.firstReply(h.ns(client.id), onEth0, 3000);
});

test('an address inside an assigned IPv6 prefix answers ping6', async (t) => {
  const res = await h.call('AssignIpv6Addresses', { NetworkInterfaceId: inst.primaryEniId, Ipv6PrefixCount: 1 });
  v6Prefix = res.Ipv6PrefixSets.Ipv6Prefix[0] as string;
  assert.match(v6Prefix, /^2001:db8:.*\/80$/);
  const a6 = `${v6Prefix.slice(0, -'/80'.length)}5`;
  await until('the router routes the IPv6 prefix', async () => (await routerRoutes()).includes(`${v6Prefix} via fe80::`), 3000);
  assert.equal((await h.exec(h.ns(inst.id), ['ip', '-6', 'addr', 'add', `${a6}/128`, 'dev', 'lo'])).code, 0);
  const took = await h.firstReply(h.ns(client.id), a6, 5000);
  t.diagnostic(`${a6} answered ${took} ms after it was added`);
});

test('the agent leaves the addresses the guest added inside a prefix', async () => {
  // make the agent reconcile: an address in, then out
  const extra = (await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: inst.primaryEniId, SecondaryPrivateIpAddressCount: 1 }))
    .AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress[0] as string;
  await h.firstReply(h.ns(client.id), extra, 3000);
  await h.call('UnassignPrivateIpAddresses', { NetworkInterfaceId: inst.primaryEniId, PrivateIpAddress: [extra] });
  await until(`${extra} removed`, async () => !(await addrs('eth0')).includes(`${extra}/`), 3000);
  await h.agentConverged(inst.id);
  assert.ok((await addrs('eth0')).includes(`${v4At(v4Prefix, 6)}/32`));
  assert.ok((await addrs('lo')).includes(`${v4At(v4Prefix, 5)}/32`));
});

test('after Unassign the prefix is routed no more and its address stops answering', async (t) => {
  const onLo = v4At(v4Prefix, 5);
  await h.call('UnassignPrivateIpAddresses', { NetworkInterfaceId: inst.primaryEniId, Ipv4Prefix: [v4Prefix] });
  await h.call('UnassignIpv6Addresses', { NetworkInterfaceId: inst.primaryEniId, Ipv6Prefix: [v6Prefix] });
  const t0 = Date.now();
  await until('the routes gone', async () => (await routerRoutes()).trim() === '', 3000);
  await until(`${onLo} to stop answering`, async () => !(await h.ping(h.ns(client.id), onLo)), 3000, 50);
  t.diagnostic(`routes removed and ${onLo} silent within ${Date.now() - t0} ms`);
  // the guest still holds it: what stopped is the delivery
  assert.ok((await addrs('lo')).includes(`${onLo}/32`));
  const a6 = `${v6Prefix.slice(0, -'/80'.length)}5`;
  assert.ok(!(await h.ping(h.ns(client.id), a6)), `${a6} no longer answers`);
});
