// The seed's use cases, end to end in one lab (docs/use-cases.md walks
// through the same steps by hand): an instance `app`, a `standby` and a
// `client`, the lab's agents configuring them.
//   1. multi-application hosting: two services in `app`, each listening only
//      on its own secondary address, each reached from the client on its
//      address and refused on the other's;
//   2. load distribution: a second ENI with its own addresses on `app`; a
//      client spreading requests over both ENIs' addresses reaches both, and
//      the replies leave by the ENI they came in on (the policy routing the
//      agent sets for a secondary ENI);
//   3. failover: `app` fails, its secondary ENI and addresses move to the
//      standby; a client's bounded retry loop measures the outage window.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, test as nodeTest, type TestContext } from 'node:test';
import { LabHarness, run, until } from './harness.ts';

const RETRY_CLIENT = new URL('./retry-client.mjs', import.meta.url).pathname;
const h = new LabHarness();
type Inst = Awaited<ReturnType<LabHarness['runInstance']>>;
let app: Inst;
let standby: Inst;
let client: Inst;
const children: ChildProcess[] = [];
let failed = false;
/** the second ENI on `app` (use case 2), moved in use case 3 */
let eni2 = { id: '', addresses: [] as string[] };

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

/**
 * A tiny HTTP service inside an instance: `node -e`, listening on
 * host:port, answering `<name> <local address>`. Resolves once it listens.
 */
async function service(ns: string, name: string, host: string, port: number): Promise<ChildProcess> {
  const code =
    `require('http').createServer((q, s) => s.end(${JSON.stringify(name)} + ' ' + q.socket.localAddress + '\\n'))` +
    `.listen(${port}, ${JSON.stringify(host)}, () => console.log('listening'))`;
  const p = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(p);
  let out = '';
  p.stdout!.on('data', (d) => {
    out += d;
  });
  p.stderr!.on('data', (d) => {
    out += d;
  });
  await until(
    `${name} listening on ${host}:${port}`,
    async () => {
      if (p.exitCode !== null) throw new Error(`${name} exited: ${out}`);
      return out.includes('listening');
    },
    15_000,
    50,
  );
  return p;
}

/** curl from the client: the body, or `refused` / `failed <exit code>` */
async function get(address: string, port: number): Promise<string> {
  const r = await h.exec(h.ns(client.id), ['curl', '-sS', '-m', '2', `http://${address}:${port}/`]);
  if (r.code === 7) return 'refused';
  return r.code === 0 ? r.stdout.trim() : `failed ${r.code}: ${r.stderr.trim()}`;
}

/** rx/tx packet counters of a link */
async function counters(ns: string, dev: string): Promise<{ rx: number; tx: number }> {
  const s = JSON.parse((await run('ip', ['-n', ns, '-json', '-s', 'link', 'show', 'dev', dev])).stdout)[0].stats64;
  return { rx: s.rx.packets, tx: s.tx.packets };
}

before(async () => {
  await h.start();
  app = await h.runInstance();
  standby = await h.runInstance();
  client = await h.runInstance();
  for (const i of [app, standby, client]) await h.agentConverged(i.id);
});

after(async () => {
  if (failed) console.log(`--- lab output\n${h.output.slice(-4000)}\n--- agent logs\n${h.agentLogs()}`);
  for (const p of children) if (p.exitCode === null) p.kill('SIGKILL');
  await h.stop();
});

test('multi-application hosting: two services, each only on its own secondary address', async (t) => {
  const [ipA, ipB] = (await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: app.primaryEniId, SecondaryPrivateIpAddressCount: 2 }))
    .AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress as [string, string];
  const t0 = Date.now();
  for (const a of [ipA, ipB]) await h.firstReply(h.ns(client.id), a, 5000);
  t.diagnostic(`both secondary addresses answered ${Date.now() - t0} ms after AssignPrivateIpAddresses`);
  // the agent put them there: a service can bind them
  await service(h.ns(app.id), 'shop', ipA, 8081);
  await service(h.ns(app.id), 'blog', ipB, 8082);
  const listening = (await h.exec(h.ns(app.id), ['ss', '-Hltn'])).stdout;
  assert.match(listening, new RegExp(`${ipA.replace(/\./g, '\\.')}:8081`));
  assert.match(listening, new RegExp(`${ipB.replace(/\./g, '\\.')}:8082`));
  assert.equal(await get(ipA, 8081), `shop ${ipA}`);
  assert.equal(await get(ipB, 8082), `blog ${ipB}`);
  // each service is reachable only on its own address
  assert.equal(await get(ipB, 8081), 'refused');
  assert.equal(await get(ipA, 8082), 'refused');
  assert.equal(await get(app.primaryIp, 8081), 'refused');
});

test('load distribution: addresses on two ENIs of one instance, traffic reaches both, replies leave by their ENI', async (t) => {
  const created = await h.call('CreateNetworkInterface', {
    VSwitchId: h.vSwitchId,
    SecurityGroupId: h.securityGroupId,
    SecondaryPrivateIpAddressCount: 2,
  });
  eni2.id = created.NetworkInterfaceId as string;
  await h.call('AttachNetworkInterface', { NetworkInterfaceId: eni2.id, InstanceId: app.id });
  await h.waitEni(eni2.id, 'InUse');
  await h.agentConverged(app.id);
  const snap = await h.snapshot(app.id);
  const i0 = snap.interfaces.find((i) => i.networkInterfaceId === app.primaryEniId)!;
  const i1 = snap.interfaces.find((i) => i.networkInterfaceId === eni2.id)!;
  const on0 = i0.privateIpv4s;
  const on1 = i1.privateIpv4s;
  eni2.addresses = on1;
  assert.equal(on1.length, 3);
  // the agent's policy routing for the secondary ENI (device index 1 → table 1001)
  const rules = (await run('ip', ['-n', h.ns(app.id), 'rule'])).stdout;
  for (const a of on1) assert.match(rules, new RegExp(`from ${a.replace(/\./g, '\\.')} lookup 1001`), rules);
  const viaEth1 = (await run('ip', ['-n', h.ns(app.id), 'route', 'get', client.primaryIp, 'from', on1[1]!])).stdout;
  assert.match(viaEth1, /dev eth1 .*table 1001/, viaEth1);

  // one service on every address of the instance; the client spreads its requests over all six
  await service(h.ns(app.id), 'app', '0.0.0.0', 8090);
  const targets = [...on0, ...on1];
  for (const a of targets) await h.firstReply(h.ns(client.id), a, 5000);
  const before0 = await counters(h.ns(app.id), 'eth0');
  const before1 = await counters(h.ns(app.id), 'eth1');
  const rounds = 5;
  const served = new Map<string, number>();
  for (let r = 0; r < rounds; r++) {
    for (const a of targets) {
      const body = await get(a, 8090);
      assert.equal(body, `app ${a}`);
      served.set(a, (served.get(a) ?? 0) + 1);
    }
  }
  const d0 = await counters(h.ns(app.id), 'eth0');
  const d1 = await counters(h.ns(app.id), 'eth1');
  const delta = { eth0: { rx: d0.rx - before0.rx, tx: d0.tx - before0.tx }, eth1: { rx: d1.rx - before1.rx, tx: d1.tx - before1.tx } };
  t.diagnostic(
    `${rounds * targets.length} requests over ${targets.length} addresses; packets eth0 rx/tx ${delta.eth0.rx}/${delta.eth0.tx}, eth1 rx/tx ${delta.eth1.rx}/${delta.eth1.tx}`,
  );
  // one HTTP exchange is ≥ 3 packets each way (SYN / SYN-ACK, request / response, FIN / FIN):
  // both ENIs carried their share in both directions (without the policy
  // routing, replies from eth1's addresses would leave by eth0)
  const perEni = rounds * 3 * 3;
  assert.ok(delta.eth1.rx >= perEni, `eth1 received ${delta.eth1.rx} packets`);
  assert.ok(delta.eth1.tx >= perEni, `eth1 sent ${delta.eth1.tx} packets: replies from its addresses leave by it`);
  assert.ok(delta.eth0.rx >= perEni && delta.eth0.tx >= perEni, `eth0 ${JSON.stringify(delta.eth0)}`);
});

test("failover: the secondary ENI and its addresses move to the standby; a client's retry loop measures the outage", async (t) => {
  assert.equal(eni2.addresses.length, 3, 'needs the ENI of the previous case');
  const target = eni2.addresses[1]!;
  await service(h.ns(standby.id), 'standby', '0.0.0.0', 8090);
  assert.equal(await get(target, 8090), `app ${target}`);

  // the client keeps asking every 50 ms (each attempt ≤ 300 ms) until the standby answers, at most 20 s
  const loop = spawn(
    'ip',
    ['netns', 'exec', h.ns(client.id), process.execPath, RETRY_CLIENT, `http://${target}:8090/`, 'standby', '50', '300', '20000'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(loop);
  let out = '';
  loop.stdout!.on('data', (d) => {
    out += d;
  });
  const done = new Promise<void>((resolve) => loop.once('exit', () => resolve()));
  await until('the retry loop to see app answer', async () => out.includes('"ok":true'), 5000, 50);

  // app fails; the operator (or a watchdog) moves the ENI
  const tFail = Date.now();
  await h.call('StopInstance', { InstanceId: app.id });
  await h.waitInstance(app.id, 'Stopped');
  await h.call('DetachNetworkInterface', { NetworkInterfaceId: eni2.id, InstanceId: app.id });
  await h.waitEni(eni2.id, 'Available');
  const tAttach = Date.now();
  await h.call('AttachNetworkInterface', { NetworkInterfaceId: eni2.id, InstanceId: standby.id });
  await done;
  const lines = out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { t?: number; ok?: boolean; body?: string; outage?: Record<string, number> | null });
  const attempts = lines.filter((l) => l.t !== undefined);
  const outage = lines.at(-1)!.outage;
  assert.ok(outage, `an outage window was seen:\n${out.slice(-2000)}`);
  const firstStandby = attempts.find((a) => a.ok && a.body?.startsWith('standby'));
  assert.ok(firstStandby, "the standby answered within the loop's 20 s");
  assert.equal(firstStandby.body, `standby ${target}`);
  // nothing answered from app once it failed, and no attempt succeeded in the window
  assert.ok(attempts.filter((a) => a.ok && a.t! > outage.firstFail! && a.t! < outage.back!).length === 0);
  assert.ok(!attempts.some((a) => a.ok && a.t! >= outage.back! && a.body?.startsWith('app')), 'app never answers after the outage');
  t.diagnostic(
    `outage seen by the client: ${outage.gapMs} ms from its last answer from app to the first from the standby ` +
      `(${outage.failingMs} ms of failed attempts, ${attempts.length} attempts); StopInstance → Attach call took ${tAttach - tFail} ms of it`,
  );
  // the addresses are on the standby now, with the ENI's policy routing there
  const onStandby = (await run('ip', ['-n', h.ns(standby.id), '-br', 'addr', 'show', 'dev', 'eth1'])).stdout;
  for (const a of eni2.addresses) assert.ok(onStandby.includes(`${a}/24`), `${a} on the standby:\n${onStandby}`);
  await h.agentConverged(standby.id);
  assert.match((await run('ip', ['-n', h.ns(standby.id), 'rule'])).stdout, new RegExp(`from ${target.replace(/\./g, '\\.')} lookup 1001`));
});
