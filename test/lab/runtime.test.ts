// End to end, runtime mode: a real server and `eniplane lab up` (namespaces
// with this run's own prefix), addresses assigned through the official SDK,
// the agents in the instance namespaces applying them, ping from a client
// instance proving traffic reaches them. VPC 198.18.0.0/16, vSwitch
// 198.18.1.0/24 (+ an IPv6 /64 inside 2001:db8::/32).
import assert from 'node:assert/strict';
import { after, before, test as nodeTest, type TestContext } from 'node:test';
import { LabHarness, run, until } from './harness.ts';

const h = new LabHarness(undefined, { agentArgs: ['--log-level=debug'] });
let inst: Awaited<ReturnType<LabHarness['runInstance']>>;
let client: Awaited<ReturnType<LabHarness['runInstance']>>;
let assigned: string[] = [];
let failed = false;

before(async () => {
  await h.start();
  inst = await h.runInstance({ ipv6: 1 });
  client = await h.runInstance({ ipv6: 1 });
  await h.agentConverged(inst.id);
  await h.agentConverged(client.id);
});

after(async () => {
  if (failed) console.log(`--- lab output\n${h.output.slice(-4000)}\n--- agent logs\n${h.agentLogs()}`);
  await h.stop();
});

/** a test whose failure also prints the lab's and the agents' logs */
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

const addrsOf = async (ns: string) => (await run('ip', ['-n', ns, '-br', 'addr', 'show', 'dev', 'eth0'])).stdout;

test('two secondary IPv4 assigned through the SDK each answer ping from the client within 2 s', async (t) => {
  const t0 = Date.now();
  assigned = (await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: inst.primaryEniId, SecondaryPrivateIpAddressCount: 2 }))
    .AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress;
  assert.equal(assigned.length, 2);
  for (const a of assigned) {
    await h.firstReply(h.ns(client.id), a, 2000 - (Date.now() - t0));
  }
  const took = Date.now() - t0;
  t.diagnostic(`both answered ${took} ms after AssignPrivateIpAddresses returned`);
  assert.ok(took <= 2000, `${took} ms`);
});

test('the IPv6 address of the instance answers ping6 from the client', async (t) => {
  const v6 = (await h.snapshot(inst.id)).interfaces[0]!.ipv6s[0]!;
  assert.match(v6, /^2001:db8:/);
  await until(`${v6} answers`, () => h.ping(h.ns(client.id), v6), 5000, 100);
});

test('unassign one: it stops answering, the other still does', async (t) => {
  const [gone, kept] = assigned as [string, string];
  await h.call('UnassignPrivateIpAddresses', { NetworkInterfaceId: inst.primaryEniId, PrivateIpAddress: [gone] });
  const t0 = Date.now();
  await until(`${gone} to stop answering`, async () => !(await h.ping(h.ns(client.id), gone)), 3000, 50);
  t.diagnostic(`${gone} stopped answering within ${Date.now() - t0} ms`);
  assert.ok(!(await addrsOf(h.ns(inst.id))).includes(`${gone}/`));
  assert.ok(await h.ping(h.ns(client.id), kept), `${kept} still answers`);
});

test('a foreign address added by hand in the instance namespace survives the agent', async (t) => {
  const foreign = '198.18.9.9';
  assert.equal((await run('ip', ['-n', h.ns(inst.id), 'addr', 'add', `${foreign}/24`, 'dev', 'eth0'])).code, 0);
  // make the agent reconcile: one address in, one out
  const extra = (await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: inst.primaryEniId, SecondaryPrivateIpAddressCount: 1 }))
    .AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress[0] as string;
  await h.firstReply(h.ns(client.id), extra, 2000);
  await h.call('UnassignPrivateIpAddresses', { NetworkInterfaceId: inst.primaryEniId, PrivateIpAddress: [extra] });
  await until(`${extra} removed`, async () => !(await addrsOf(h.ns(inst.id))).includes(`${extra}/`), 3000);
  await h.agentConverged(inst.id);
  assert.ok((await addrsOf(h.ns(inst.id))).includes(`${foreign}/24`), 'the foreign address is still there');
  assert.ok(await h.ping(h.ns(client.id), assigned[1]!));
});

test('a 10 s metadata outage removes nothing; the agent recovers afterwards', async (t) => {
  const kept = assigned[1]!;
  const before = await addrsOf(h.ns(inst.id));
  // the service's address disappears from the router: every request fails
  assert.equal((await run('ip', ['-n', h.routerNs, 'addr', 'del', '100.100.100.200/32', 'dev', 'lo'])).code, 0);
  try {
    // the desired state changes meanwhile; the agent cannot know, and must not guess
    await h.call('UnassignPrivateIpAddresses', { NetworkInterfaceId: inst.primaryEniId, PrivateIpAddress: [kept] });
    const end = Date.now() + 10_000;
    while (Date.now() < end) {
      assert.equal(await addrsOf(h.ns(inst.id)), before, 'addresses unchanged during the outage');
      assert.ok(await h.ping(h.ns(client.id), kept), `${kept} still answers during the outage`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    await run('ip', ['-n', h.routerNs, 'addr', 'add', '100.100.100.200/32', 'dev', 'lo']);
  }
  // back: the agent catches up (its retry back-off is at most 5 s)
  const t0 = Date.now();
  await until(`${kept} removed after the outage`, async () => !(await addrsOf(h.ns(inst.id))).includes(`${kept}/`), 8000, 100);
  t.diagnostic(`the agent caught up ${Date.now() - t0} ms after the metadata service came back`);
  await h.agentConverged(inst.id, 8000);
});
