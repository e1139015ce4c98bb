// End to end, persistent mode with netplan applied by a real systemd-networkd
// (the `ubuntu-22.04` target, the same as Debian 12 and Ubuntu 24.04): the
// agent writes the netplan YAML for a primary ENI with two secondary IPs and
// a secondary ENI inside an instance namespace whose /etc and /var/backups
// are private overlays and whose /run is private (netplan's output and
// networkd's state never reach the host); its apply command generates the
// networkd files and restarts networkd there — late, as on a slow machine:
// the command returns 2 s before networkd even starts, and the agent must
// wait for it to settle (systemd-networkd-wait-online) before verifying,
// or it would call any rendering good. Then a simulated reboot (agent
// gone, every address, route and rule flushed, networkd started from the
// files alone) brings every address back; and a broken rendering is rolled
// back, byte for byte, with networkd running from the previous files again.
//
// COMPAT (test environment): there is no systemd or udev in a namespace, so
// networkd runs as a plain process (read-only /sys: it does not wait for
// udev), and netplan's `PermanentMACAddress=` match becomes `MACAddress=`
// (a veth has no burned-in MAC); `netplan apply` would call systemctl.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { LabHarness, run, until } from './harness.ts';
import {
  agentCommand,
  type AgentRun,
  assertAppliedThenUnchanged,
  assertRolledBack,
  assignSecondaries,
  attachSecondaryEni,
  everyAddressAnswers as answer,
  flushEth0AndEth1,
  inInstance,
  overlayMounts,
  scratchDir,
} from './persistent-support.ts';

const NETWORKD = '/lib/systemd/systemd-networkd';
/** how late networkd starts after the apply command returns: a slow machine, where it settles after the command */
const NETWORKD_LATE_S = 2;
const h = new LabHarness(undefined, { agents: 'none' });
let inst: Awaited<ReturnType<LabHarness['runInstance']>>;
let client: Awaited<ReturnType<LabHarness['runInstance']>>;
let secondaryEni: { id: string; mac: string; addresses: string[] };
let dir: string;
let booted: ChildProcess | undefined;
let failed = false;
const hostNetplan = existsSync('/etc/netplan') ? readdirSync('/etc/netplan').sort() : [];

const d = (n: string) => join(dir, n);
/** the instance's own file systems: /etc and /var/backups as overlays, a private /run, read-only /sys */
const mounts = () => [...overlayMounts(dir), 'mount -t tmpfs tmpfs /run', 'mount -o remount,ro /sys'];
/** netplan's networkd files, matched by the veth's current MAC */
const GENERATE = `netplan generate && sed -i 's/^PermanentMACAddress=/MACAddress=/' /run/systemd/network/*.network`;
/** networkd in the background of this mount namespace, its pid kept; `lateS` seconds from now */
const startNetworkd = (lateS = 0) =>
  `setsid sh -c 'echo $$ > ${d('networkd.pid')}; sleep ${lateS}; exec ${NETWORKD}' >>${d('networkd.log')} 2>&1 </dev/null &`;
const stopNetworkd = () =>
  `if [ -s ${d('networkd.pid')} ]; then kill $(cat ${d('networkd.pid')}) 2>/dev/null; for i in $(seq 1 50); do kill -0 $(cat ${d('networkd.pid')}) 2>/dev/null || break; sleep 0.1; done; fi`;

/** `eniplane agent --once --mode persistent --os ubuntu-22.04` in the instance namespace */
function persistentAgent(extra: string[] = []): Promise<AgentRun> {
  const script = [
    ...mounts(),
    // the "image": no netplan configuration of its own (eniplane's files stay)
    'for f in /etc/netplan/*; do [ -e "$f" ] && ! grep -q "Written by eniplane" "$f" && rm -f "$f"; done; true',
    agentCommand('ubuntu-22.04', dir, 5_000, extra),
  ].join(' && ');
  // what `netplan apply` does on a systemd guest: generate, then (re)start networkd on the new files,
  // and return before networkd has configured anything — here NETWORKD_LATE_S seconds before it even
  // starts, a slow machine. The agent itself must wait for networkd to settle
  // (systemd-networkd-wait-online, then the addresses) before it verifies: otherwise it would verify
  // what was there before (the runtime addresses, the lab's route) and call any rendering good.
  // (The routes the previous networkd made go with it, as they do when networkd drops a configuration.)
  const apply = [
    'set -e',
    GENERATE,
    stopNetworkd(),
    'ip -4 route flush table all proto static',
    'rm -rf /run/systemd/netif/links',
    startNetworkd(NETWORKD_LATE_S),
  ].join('\n');
  return inInstance(h, inst, script, 120_000, apply);
}

async function killNetworkd(): Promise<void> {
  const pid = Number(existsSync(d('networkd.pid')) ? readFileSync(d('networkd.pid'), 'utf8') : 0);
  if (pid > 0 && existsSync(`/proc/${pid}`)) {
    process.kill(pid, 'SIGTERM');
    await until('networkd to stop', async () => !existsSync(`/proc/${pid}`), 5000, 50).catch(() => process.kill(pid, 'SIGKILL'));
  }
  rmSync(d('networkd.pid'), { force: true });
}

const all = () => [inst.primaryIp, ...snapshotPrimary, ...secondaryEni.addresses];
let snapshotPrimary: string[] = [];

before(async () => {
  dir = scratchDir('eniplane-netplan-', ['etc-upper', 'etc-work', 'bak-upper', 'bak-work', 'state']);
  await h.start();
  inst = await h.runInstance();
  client = await h.runInstance();
  secondaryEni = await attachSecondaryEni(h, inst);
});

after(async () => {
  if (failed)
    console.log(
      `--- lab output\n${h.output.slice(-3000)}\n--- networkd log\n${existsSync(d('networkd.log')) ? readFileSync(d('networkd.log'), 'utf8').slice(-3000) : ''}`,
    );
  await killNetworkd().catch(() => {});
  if (booted?.exitCode === null) booted.kill('SIGKILL');
  await h.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  // the host's own files were never touched
  assert.deepEqual(existsSync('/etc/netplan') ? readdirSync('/etc/netplan').sort() : [], hostNetplan);
});

const upper = (p: string) => join(dir, 'etc-upper', p);

const everyAddressAnswers = (timeoutMs: number) => answer(h, client, all(), timeoutMs);

test('the netplan YAML is written and networkd applies it: both ENIs, every address answers', async (t) => {
  try {
    snapshotPrimary = await assignSecondaries(h, inst.primaryEniId, 2);
    const r = await persistentAgent();
    assert.equal(r.code, 0, r.output);
    const settled = /systemd-networkd reports eth0, eth1 configured after (\d+) ms/.exec(r.output);
    assert.ok(settled, `the agent waited for networkd:\n${r.output}`);
    assert.ok(Number(settled[1]) >= NETWORKD_LATE_S * 1000 - 100, `networkd started ${NETWORKD_LATE_S} s late: ${settled[0]}`);
    t.diagnostic(`networkd (started ${NETWORKD_LATE_S} s after the apply command) settled ${settled[1]} ms after it`);
    const yaml = readFileSync(upper('netplan/50-cloud-init.yaml'), 'utf8');
    for (const ip of [inst.primaryIp, ...snapshotPrimary]) assert.match(yaml, new RegExp(`- ${ip.replace(/\./g, '\\.')}/24`));
    const eth1 = readdirSync(upper('netplan')).filter((n) => n !== '50-cloud-init.yaml');
    assert.equal(eth1.length, 1, `one file for the secondary ENI: ${eth1.join(', ')}`);
    assert.match(readFileSync(upper(`netplan/${eth1[0]}`), 'utf8'), /routing-policy:/);
    assert.equal(readFileSync(upper('cloud/cloud.cfg.d/99-disable-network-config.cfg'), 'utf8'), 'network: {config: disabled}\n');
    // networkd is running and owns the routes it made (proto static)
    assert.ok(existsSync(d('networkd.pid')));
    assert.match((await run('ip', ['-n', h.ns(inst.id), 'route', 'show', 'default'])).stdout, /via 198\.18\.1\.253 dev eth0 proto static/);
    assert.match(
      (await run('ip', ['-n', h.ns(inst.id), 'rule'])).stdout,
      new RegExp(`from ${secondaryEni.addresses[1]!.replace(/\./g, '\\.')} lookup 1001`),
    );
    t.diagnostic(`every address answered ${await everyAddressAnswers(5000)} ms after the agent exited`);
    await assertAppliedThenUnchanged(h, inst, persistentAgent);
  } catch (e) {
    failed = true;
    throw e;
  }
});

test('a simulated reboot: networkd started from the files alone brings every address back', async (t) => {
  try {
    await killNetworkd();
    // the reboot: every link down, no address, no route, no rule of ours
    await flushEth0AndEth1(h, inst);
    assert.equal(await h.ping(h.ns(client.id), snapshotPrimary[0]!), false);

    const t0 = Date.now();
    const boot = [...mounts(), GENERATE, `echo $$ > ${d('networkd.pid')}`, `exec ${NETWORKD}`].join(' && ');
    booted = spawn('ip', ['netns', 'exec', h.ns(inst.id), 'unshare', '-m', '--propagation', 'private', 'sh', '-c', boot], {
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    const took = await everyAddressAnswers(30_000);
    t.diagnostic(
      `after the reboot every address (${all().length}) answered ${Date.now() - t0} ms after networkd started (${took} ms of pinging)`,
    );
    assert.match((await run('ip', ['-n', h.ns(inst.id), 'rule'])).stdout, /lookup 1001/);
  } catch (e) {
    failed = true;
    throw e;
  }
});

test('a broken rendering (default route to a dead gateway) is rolled back and networkd runs the previous files', async (t) => {
  try {
    const files = readdirSync(upper('netplan')).sort();
    const good = files.map((f) => readFileSync(upper(`netplan/${f}`), 'utf8'));
    const [extra] = (await assignSecondaries(h, inst.primaryEniId, 1)) as [string];
    const t0 = Date.now();
    const r = await persistentAgent(['--fault', 'bad-gateway']);
    const took = Date.now() - t0;
    t.diagnostic(`broken rendering detected and rolled back in ${took} ms`);
    await assertRolledBack(h, inst, r);
    assert.deepEqual(readdirSync(upper('netplan')).sort(), files);
    assert.deepEqual(
      files.map((f) => readFileSync(upper(`netplan/${f}`), 'utf8')),
      good,
      'the previous files are back, byte for byte',
    );
    await until(
      "networkd's default route via the real gateway",
      async () =>
        /via 198\.18\.1\.253 dev eth0 proto static/.test((await run('ip', ['-n', h.ns(inst.id), 'route', 'show', 'default'])).stdout),
      10_000,
      100,
    );
    assert.doesNotMatch((await run('ip', ['-n', h.ns(inst.id), 'route', 'show', 'default'])).stdout, /198\.18\.1\.252/);
    snapshotPrimary.push(extra); // applied at runtime; the files stay the previous ones
    await everyAddressAnswers(5000);
  } catch (e) {
    failed = true;
    throw e;
  }
});
