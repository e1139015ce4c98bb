// Faults on the guest path: ENIs moving under a running agent. Instances A
// and B each run an agent (started here, reading the lab's metadata service)
// whose `ip` is a wrapper (gate-ip.sh) that can hold an apply (`ip -batch`)
// until the test lets it go: the agent is then exactly mid-apply — it has
// read the kernel and planned, its commands not yet run — while the ENI is
// moved under it.
//   1. an ENI moved (detach, attach elsewhere) while A's agent is adding an
//      address to it: A's commands fail (the link is gone);
//   2. two ENIs swapped between A and B at once while A's agent is adding an
//      address to its ENI: A's commands then run against the other ENI,
//      which arrived under the same name (eth1).
// Every 100 ms during each, the addresses A and B hold on eth0 are checked:
// none is ever removed. Afterwards both agents report converged within one
// long-poll (25 s), each ENI's addresses answer from the client, and no
// address of an ENI is left on the instance it left.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test as nodeTest, type TestContext } from 'node:test';
import { LabHarness, run, until } from './harness.ts';

const BIN = new URL('../../bin/eniplane.mjs', import.meta.url).pathname;
const LONG_POLL_MS = 25_000;
const h = new LabHarness(undefined, { agents: 'none' });
type Inst = Awaited<ReturnType<LabHarness['runInstance']>>;
let a: Inst;
let b: Inst;
let client: Inst;
let dir: string;
const agents: Record<string, { p: ChildProcess; log: string; gate: string }> = {};
/** ENI id → its IPv4 addresses */
const enis = { x: '', y: '' };
let failed = false;

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

/** holds `ip -force -batch` (an apply; reads never use -force) while <gate>/armed exists, until <gate>/go (at most 20 s) */
const GATE_IP = `#!/bin/sh
case " $* " in
  *" -force -batch "*)
    if [ -e "$ENIPLANE_TEST_GATE/armed" ]; then
      rm -f "$ENIPLANE_TEST_GATE/armed"
      touch "$ENIPLANE_TEST_GATE/applying"
      i=0
      while [ ! -e "$ENIPLANE_TEST_GATE/go" ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done
      rm -f "$ENIPLANE_TEST_GATE/go" "$ENIPLANE_TEST_GATE/applying"
    fi ;;
esac
exec /usr/sbin/ip "$@"
`;

function startAgent(inst: Inst): void {
  const gate = join(dir, `gate-${inst.id}`);
  mkdirSync(gate, { recursive: true });
  const p = spawn(
    'ip',
    [
      'netns',
      'exec',
      h.ns(inst.id),
      process.execPath,
      BIN,
      'agent',
      '--watch',
      '--metadata-url',
      'http://100.100.100.200',
      '--state-dir',
      join(dir, `state-${inst.id}`),
      '--log-level',
      'debug',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH}`, ENIPLANE_TEST_GATE: gate },
    },
  );
  const entry = { p, log: '', gate };
  p.stdout!.on('data', (d) => {
    entry.log += d;
  });
  p.stderr!.on('data', (d) => {
    entry.log += d;
  });
  agents[inst.id] = entry;
}

const v4 = async (ns: string, dev?: string) =>
  (await run('ip', ['-n', ns, '-4', '-br', 'addr', ...(dev ? ['show', 'dev', dev] : [])])).stdout;

async function addressesOf(eniId: string): Promise<string[]> {
  const e = (await h.call('DescribeNetworkInterfaces', { NetworkInterfaceId: [eniId] })).NetworkInterfaceSets.NetworkInterfaceSet[0];
  return e.PrivateIpSets.PrivateIpSet.map((p: { PrivateIpAddress: string }) => p.PrivateIpAddress);
}

async function macOf(eniId: string): Promise<string> {
  return (await h.call('DescribeNetworkInterfaces', { NetworkInterfaceId: [eniId] })).NetworkInterfaceSets.NetworkInterfaceSet[0]
    .MacAddress;
}

/**
 * Samples A's and B's eth0 every 100 ms until stop(): each held address must
 * stay. Returns the number of samples and the first violation, if any.
 */
function watchHeld(held: Record<string, string[]>): { stop: () => Promise<{ samples: number; violation?: string }> } {
  let stopped = false;
  let samples = 0;
  let violation: string | undefined;
  const loop = (async () => {
    while (!stopped && !violation) {
      for (const [ns, addrs] of Object.entries(held)) {
        const now = await v4(ns, 'eth0');
        for (const x of addrs) if (!now.includes(`${x}/24`)) violation ??= `${x} removed from eth0 in ${ns}:\n${now}`;
      }
      samples++;
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return { samples, ...(violation ? { violation } : {}) };
    },
  };
}

/** arms A's gate, assigns one address to eniId and resolves once A's agent is holding the apply that adds it */
async function assignMidApply(inst: Inst, eniId: string): Promise<string> {
  const { gate } = agents[inst.id]!;
  writeFileSync(join(gate, 'armed'), '');
  const added = (await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: eniId, SecondaryPrivateIpAddressCount: 1 }))
    .AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress[0] as string;
  await until(`the agent of ${inst.id} to be mid-apply`, async () => existsSync(join(gate, 'applying')), 10_000, 20);
  return added;
}

async function placed(mac: string, inst: Inst): Promise<void> {
  await until(`${mac} in ${inst.id}`, async () => (await run('ip', ['-n', h.ns(inst.id), '-br', 'link'])).stdout.includes(mac), 10_000, 50);
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'eniplane-moves-'));
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin', 'ip'), GATE_IP);
  chmodSync(join(dir, 'bin', 'ip'), 0o755);
  await h.start();
  a = await h.runInstance();
  b = await h.runInstance();
  client = await h.runInstance();
  for (const i of [a, b]) startAgent(i);
  for (const [key, inst] of [
    ['x', a],
    ['y', b],
  ] as const) {
    enis[key] = (
      await h.call('CreateNetworkInterface', {
        VSwitchId: h.vSwitchId,
        SecurityGroupId: h.securityGroupId,
        SecondaryPrivateIpAddressCount: 1,
      })
    ).NetworkInterfaceId as string;
    await h.call('AttachNetworkInterface', { NetworkInterfaceId: enis[key], InstanceId: inst.id });
  }
  // one secondary on each primary ENI: with the primary address, what must never go
  for (const i of [a, b])
    await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: i.primaryEniId, SecondaryPrivateIpAddressCount: 1 });
  for (const e of [enis.x, enis.y]) await h.waitEni(e, 'InUse');
  for (const i of [a, b]) await h.agentConverged(i.id);
});

after(async () => {
  if (failed) {
    console.log(`--- lab output\n${h.output.slice(-3000)}`);
    for (const [id, e] of Object.entries(agents)) console.log(`--- agent of ${id}\n${e.log.slice(-4000)}`);
  }
  for (const { p } of Object.values(agents)) {
    if (p.exitCode !== null) continue;
    p.kill('SIGTERM');
    await Promise.race([new Promise((r) => p.once('exit', r)), new Promise((r) => setTimeout(r, 3000))]);
    if (p.exitCode === null) p.kill('SIGKILL');
  }
  await h.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function heldOnEth0(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const i of [a, b]) out[h.ns(i.id)] = (await h.snapshot(i.id)).interfaces.find((x) => x.deviceIndex === 0)!.privateIpv4s;
  return out;
}

/** both agents converged and every address of each ENI answers from the client: ms from now */
async function settled(expect: Record<string, string[]>): Promise<{ converged: number; answering: number }> {
  const t0 = Date.now();
  await Promise.all([h.agentConverged(a.id, LONG_POLL_MS), h.agentConverged(b.id, LONG_POLL_MS)]);
  const converged = Date.now() - t0;
  for (const addrs of Object.values(expect)) {
    for (const x of addrs) await h.firstReply(h.ns(client.id), x, Math.max(1000, LONG_POLL_MS - (Date.now() - t0)));
  }
  return { converged, answering: Date.now() - t0 };
}

test('an ENI moved to another instance while its agent is mid-apply: nothing removed, both converge', async (t) => {
  const mac = await macOf(enis.x);
  const watch = watchHeld(await heldOnEth0());
  const added = await assignMidApply(a, enis.x);
  // A's agent holds `address add <added> dev eth1`; the ENI goes to B under it
  await h.call('DetachNetworkInterface', { NetworkInterfaceId: enis.x, InstanceId: a.id });
  await h.waitEni(enis.x, 'Available');
  await h.call('AttachNetworkInterface', { NetworkInterfaceId: enis.x, InstanceId: b.id });
  await placed(mac, b);
  const t0 = Date.now();
  writeFileSync(join(agents[a.id]!.gate, 'go'), '');
  const xs = await addressesOf(enis.x);
  assert.ok(xs.includes(added));
  const took = await settled({ [b.id]: xs });
  const { samples, violation } = await watch.stop();
  assert.equal(violation, undefined, violation);
  // the fault happened: A's held commands ran against a link that had left
  assert.match(agents[a.id]!.log, /FAILED ip -4 addr add/, "A's apply failed on the departed link");
  const onA = await v4(h.ns(a.id));
  for (const x of xs) assert.ok(!onA.includes(`${x}/`), `${x} left behind on A:\n${onA}`);
  const rulesA = (await run('ip', ['-n', h.ns(a.id), 'rule'])).stdout;
  for (const x of xs) assert.ok(!rulesA.includes(`from ${x} `), `A keeps no rule for ${x}:\n${rulesA}`);
  t.diagnostic(
    `moved mid-apply: ${samples} samples, no held address removed; after the held apply ran, both agents converged in ${took.converged} ms, ` +
      `${xs.length} addresses answering from B in ${took.answering} ms`,
  );
  assert.ok(took.answering <= LONG_POLL_MS);
});

test('two ENIs swapped between A and B at once, A mid-apply: nothing removed, nothing left on the wrong instance', async (t) => {
  // set-up: X is on B (case 1), Y goes to A, so that a swap puts X back on A under Y's name (eth1)
  await h.call('DetachNetworkInterface', { NetworkInterfaceId: enis.y, InstanceId: b.id });
  await h.waitEni(enis.y, 'Available');
  await h.call('AttachNetworkInterface', { NetworkInterfaceId: enis.y, InstanceId: a.id });
  await h.waitEni(enis.y, 'InUse');
  await h.agentConverged(a.id, LONG_POLL_MS);
  await h.agentConverged(b.id, LONG_POLL_MS);
  const [macX, macY] = [await macOf(enis.x), await macOf(enis.y)];

  const watch = watchHeld(await heldOnEth0());
  const added = await assignMidApply(a, enis.y);
  // at once: both detached, then both attached to the other instance
  await Promise.all([
    h.call('DetachNetworkInterface', { NetworkInterfaceId: enis.y, InstanceId: a.id }),
    h.call('DetachNetworkInterface', { NetworkInterfaceId: enis.x, InstanceId: b.id }),
  ]);
  await Promise.all([h.waitEni(enis.x, 'Available'), h.waitEni(enis.y, 'Available')]);
  await Promise.all([
    h.call('AttachNetworkInterface', { NetworkInterfaceId: enis.x, InstanceId: a.id }),
    h.call('AttachNetworkInterface', { NetworkInterfaceId: enis.y, InstanceId: b.id }),
  ]);
  await Promise.all([placed(macX, a), placed(macY, b)]);
  const eth1 = JSON.parse((await run('ip', ['-n', h.ns(a.id), '-json', 'link', 'show', 'dev', 'eth1'])).stdout)[0];
  t.diagnostic(`A's eth1 is now ${eth1.address} (X ${macX}, Y ${macY})`);
  const t0 = Date.now();
  writeFileSync(join(agents[a.id]!.gate, 'go'), '');
  const [xs, ys] = [await addressesOf(enis.x), await addressesOf(enis.y)];
  assert.ok(ys.includes(added));
  const took = await settled({ [a.id]: xs, [b.id]: ys });
  const { samples, violation } = await watch.stop();
  assert.equal(violation, undefined, violation);
  // each instance holds exactly its new ENI's addresses: none of the other's, none left from before
  const [onA, onB] = [await v4(h.ns(a.id)), await v4(h.ns(b.id))];
  for (const y of ys)
    assert.ok(!onA.includes(`${y}/`), `${y} (Y, now on B) left on A:\n${onA}\n--- agent A\n${agents[a.id]!.log.slice(-3000)}`);
  for (const x of xs) assert.ok(!onB.includes(`${x}/`), `${x} (X, now on A) left on B:\n${onB}`);
  // the fault happened: A's held add of Y's new address ran against X, which had arrived as eth1, and was taken back
  if (eth1.address === macX) assert.match(agents[a.id]!.log, new RegExp(`took back ${added.replace(/\./g, '\\.')} from eth1`));
  for (const x of xs) assert.ok(onA.includes(`${x}/24`), `${x} on A`);
  for (const y of ys) assert.ok(onB.includes(`${y}/24`), `${y} on B`);
  t.diagnostic(
    `swapped at once, A mid-apply: ${samples} samples, no held address removed; both agents converged in ${took.converged} ms, ` +
      `all ${xs.length + ys.length} addresses answering in ${took.answering} ms (${Date.now() - t0} ms)`,
  );
  assert.ok(took.answering <= LONG_POLL_MS);
});
