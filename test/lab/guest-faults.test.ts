// Faults on the guest path: the agent of an instance reads the lab's metadata
// service through a proxy in the instance (test/lab/fault-proxy.mjs) that
// fails (500), answers slowly (past the agent's request timeout), cuts
// answers in half, or drops every connection; and the metadata service
// itself is killed and restarted by the lab. During each fault an address is
// assigned through the SDK; the agent must never remove an address it holds
// (sampled every 100 ms during the fault), and once the fault ends the new
// address must answer within one long-poll (25 s). The recovery times are
// reported.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { LabHarness, run, until } from './harness.ts';

const BIN = new URL('../../bin/eniplane.mjs', import.meta.url).pathname;
const PROXY = new URL('./fault-proxy.mjs', import.meta.url).pathname;
const PORT = 18080;
/** the agent's long-poll: recovery must come within one */
const LONG_POLL_MS = 25_000;
const h = new LabHarness(undefined, { agents: 'none' });
let inst: Awaited<ReturnType<LabHarness['runInstance']>>;
let client: Awaited<ReturnType<LabHarness['runInstance']>>;
let proxy: ChildProcess | undefined;
let agent: ChildProcess | undefined;
let agentLog = '';
let dir: string;
let failed = false;
const held: string[] = [];

function spawnIn(ns: string, args: string[], onData: (s: string) => void): ChildProcess {
  const p = spawn('ip', ['netns', 'exec', ns, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  p.stdout!.on('data', (x) => onData(String(x)));
  p.stderr!.on('data', (x) => onData(String(x)));
  return p;
}

async function fault(mode: string, ms = 0): Promise<void> {
  const r = await run('ip', [
    'netns',
    'exec',
    h.ns(inst.id),
    'curl',
    '-sf',
    '-m',
    '5',
    `http://127.0.0.1:${PORT}/__fault/${mode}${ms ? `?ms=${ms}` : ''}`,
  ]);
  assert.equal(r.code, 0, r.stderr);
}

const onEth0 = async () => (await run('ip', ['-n', h.ns(inst.id), '-4', '-br', 'addr', 'show', 'dev', 'eth0'])).stdout;

/** samples eth0 every 100 ms for ms: every held address must stay */
async function nothingRemovedFor(ms: number): Promise<number> {
  const end = Date.now() + ms;
  let samples = 0;
  while (Date.now() < end) {
    const now = await onEth0();
    for (const a of held) assert.ok(now.includes(`${a}/24`), `${a} removed during the fault:\n${now}\n--- agent\n${agentLog.slice(-3000)}`);
    samples++;
    await new Promise((r) => setTimeout(r, 100));
  }
  return samples;
}

async function assign(): Promise<string> {
  const a = (await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: inst.primaryEniId, SecondaryPrivateIpAddressCount: 1 }))
    .AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress[0] as string;
  return a;
}

/** ms from now until the address answers ping from the client; bounded by one long-poll */
async function answersWithinOneLongPoll(address: string): Promise<number> {
  const t0 = Date.now();
  await until(`${address} to answer`, () => h.ping(h.ns(client.id), address), LONG_POLL_MS, 50);
  held.push(address);
  return Date.now() - t0;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'eniplane-faults-'));
  await h.start();
  inst = await h.runInstance();
  client = await h.runInstance();
  held.push(inst.primaryIp);
  let proxyOut = '';
  proxy = spawnIn(h.ns(inst.id), [process.execPath, PROXY, String(PORT)], (s) => {
    proxyOut += s;
  });
  await until('the fault proxy', async () => proxyOut.includes('listening'), 5000, 50);
  agent = spawnIn(
    h.ns(inst.id),
    [
      process.execPath,
      BIN,
      'agent',
      '--watch',
      '--metadata-url',
      `http://127.0.0.1:${PORT}`,
      '--state-dir',
      join(dir, 'state'),
      '--log-level',
      'debug',
    ],
    (s) => {
      agentLog += s;
    },
  );
  const first = await assign();
  await answersWithinOneLongPoll(first);
});

after(async () => {
  if (failed) console.log(`--- lab output\n${h.output.slice(-3000)}\n--- agent\n${agentLog.slice(-5000)}`);
  for (const p of [agent, proxy]) {
    if (p && p.exitCode === null) {
      p.kill('SIGTERM');
      await Promise.race([new Promise((r) => p.once('exit', r)), new Promise((r) => setTimeout(r, 3000))]);
      if (p.exitCode === null) p.kill('SIGKILL');
    }
  }
  await h.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

for (const [mode, ms, what] of [
  ['fail', 0, 'answers 500'],
  ['slow', 12_000, "answers only after 12 s (past the agent's 5 s request timeout)"],
  ['truncate', 0, 'cuts every answer in half'],
  ['reset', 0, 'drops every connection'],
] as const) {
  test(`metadata ${what} for 4 s: nothing removed, the new address answers within one long-poll after`, async (t) => {
    try {
      await fault(mode, ms);
      const added = await assign();
      const samples = await nothingRemovedFor(4000);
      assert.ok(!(await onEth0()).includes(`${added}/24`) || mode === 'slow', 'not applied while the service misbehaves');
      await fault('pass');
      const took = await answersWithinOneLongPoll(added);
      t.diagnostic(`${mode}: ${samples} samples, no address removed; ${added} answered ${took} ms after the fault ended`);
    } catch (e) {
      failed = true;
      throw e;
    }
  });
}

test('the metadata service killed and restarted by the lab: nothing removed, the new address answers within one long-poll after', async (t) => {
  try {
    // room for one more address (6 per ENI): one is unassigned first, and goes
    const gone = held.splice(1, 1)[0]!;
    await h.call('UnassignPrivateIpAddresses', { NetworkInterfaceId: inst.primaryEniId, PrivateIpAddress: [gone] });
    await until(`${gone} to be removed`, async () => !(await onEth0()).includes(`${gone}/24`), LONG_POLL_MS, 100);
    const state = JSON.parse(readFileSync(join(h.srv.dataDir, `lab-${h.prefix}`, 'lab.json'), 'utf8')) as { metadataPid: number };
    process.kill(state.metadataPid, 'SIGKILL');
    const added = await assign();
    const samples = await nothingRemovedFor(1500);
    const t0 = Date.now();
    await until(
      'the metadata service back',
      async () =>
        (await run('ip', ['netns', 'exec', h.ns(inst.id), 'curl', '-sf', '-m', '2', 'http://100.100.100.200/latest/meta-data/instance-id']))
          .code === 0,
      20_000,
      100,
    );
    const back = Date.now() - t0;
    const took = await answersWithinOneLongPoll(added);
    t.diagnostic(
      `restart: ${samples} samples, no address removed; service back after ${back} ms more; ${added} answered ${took} ms after that`,
    );
  } catch (e) {
    failed = true;
    throw e;
  }
});
