// End to end, persistent mode: the agent writes the Debian 11 / ifupdown
// files (rendered by src/osconfig) inside an instance namespace whose /etc
// and /var/backups are private overlays (a mount namespace: the host's files
// are never touched), runs the apply command (ifdown/ifup, since there is no
// systemd here), and verifies; a deliberately broken rendering is rolled back
// and the previous files are applied again; a simulated reboot (eth0
// flushed, `ifup -a` from the files alone) brings back exactly the files'
// addresses.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { LabHarness, run, until } from './harness.ts';
import {
  agentCommand,
  assertAppliedThenUnchanged,
  assertRolledBack,
  assignSecondaries,
  inInstance,
  overlayMounts,
  scratchDir,
  type AgentRun,
} from './persistent-support.ts';

const h = new LabHarness(undefined, { agents: 'none' });
let inst: Awaited<ReturnType<LabHarness['runInstance']>>;
let client: Awaited<ReturnType<LabHarness['runInstance']>>;
let dir: string;
let failed = false;
const hostInterfaces = readFileSync('/etc/network/interfaces', 'utf8');
const hostSwitch = '/etc/cloud/cloud.cfg.d/99-disable-network-config.cfg';
const hostSwitchExisted = existsSync(hostSwitch);

/** `eniplane agent --once --mode persistent` in the instance namespace, with /etc and /var/backups as private overlays. */
function persistentAgent(extra: string[] = []): Promise<AgentRun> {
  const d = (n: string) => join(dir, n);
  const script = [
    ...overlayMounts(dir),
    // the "image": nothing else configured through ifupdown
    'rm -f /etc/network/interfaces.d/*',
    agentCommand('debian-11', dir, 4000, extra),
  ].join(' && ');
  // `systemctl restart networking` without systemd: take the configured interfaces down, bring them up from the files
  const ifstate = `--state-dir=${d('ifstate')} --no-scripts`;
  const apply = `for i in $(ifquery ${ifstate} --list --exclude=lo); do ifdown --force ${ifstate} $i >/dev/null 2>&1; done; ifup -a --exclude=lo ${ifstate}`;
  return inInstance(h, inst, script, 90_000, apply);
}

before(async () => {
  dir = scratchDir('eniplane-persist-', ['etc-upper', 'etc-work', 'bak-upper', 'bak-work', 'ifstate', 'state']);
  await h.start();
  inst = await h.runInstance();
  client = await h.runInstance();
});

after(async () => {
  if (failed) console.log(`--- lab output\n${h.output.slice(-3000)}`);
  await h.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  // the host's own files were never touched
  assert.equal(readFileSync('/etc/network/interfaces', 'utf8'), hostInterfaces);
  assert.equal(existsSync(hostSwitch), hostSwitchExisted);
});

const upper = (p: string) => join(dir, 'etc-upper', p);

test('the ifupdown files are written, applied and verified; cloud-init network config is switched off', async () => {
  try {
    const ips = await assignSecondaries(h, inst.primaryEniId, 2);
    const r = await persistentAgent();
    assert.equal(r.code, 0, r.output);
    const file = readFileSync(upper('network/interfaces'), 'utf8');
    assert.match(file, /iface eth0 inet static/);
    assert.match(file, new RegExp(`address ${inst.primaryIp.replace(/\./g, '\\.')}`));
    for (const [n, ip] of ips.entries())
      assert.match(file, new RegExp(`iface eth0:${n} inet static\\n\\s+address ${ip.replace(/\./g, '\\.')}`));
    assert.equal(readFileSync(upper('cloud/cloud.cfg.d/99-disable-network-config.cfg'), 'utf8'), 'network: {config: disabled}\n');
    // ifupdown applied it: the addresses carry the alias labels of the stanzas
    const addr = (await run('ip', ['-n', h.ns(inst.id), 'addr', 'show', 'dev', 'eth0'])).stdout;
    assert.match(addr, /eth0:0/);
    assert.match(addr, /eth0:1/);
    for (const ip of [inst.primaryIp, ...ips]) assert.ok(await h.ping(h.ns(client.id), ip), `${ip} answers`);
    // run again: nothing changed, nothing is rewritten
    await assertAppliedThenUnchanged(h, inst, persistentAgent);
  } catch (e) {
    failed = true;
    throw e;
  }
});

test('a broken rendering (default route to a dead gateway) is rolled back within a bounded time', async (t) => {
  try {
    const good = readFileSync(upper('network/interfaces'), 'utf8');
    const [extra] = (await assignSecondaries(h, inst.primaryEniId, 1)) as [string];
    const t0 = Date.now();
    const r = await persistentAgent(['--fault', 'bad-gateway']);
    const took = Date.now() - t0;
    t.diagnostic(`broken rendering detected and rolled back in ${took} ms`);
    await assertRolledBack(h, inst, r);
    assert.equal(readFileSync(upper('network/interfaces'), 'utf8'), good, 'the previous file is back, byte for byte');
    assert.ok(took < 60_000);
    assert.match((await run('ip', ['-n', h.ns(inst.id), 'route', 'show', 'default'])).stdout, /via 198\.18\.1\.253/);
    // the new address still works at runtime, the old ones too
    const all = (await h.snapshot(inst.id)).interfaces[0]!.privateIpv4s;
    assert.ok(all.includes(extra));
    for (const ip of all) await until(`${ip} answers`, () => h.ping(h.ns(client.id), ip), 3000, 100);
  } catch (e) {
    failed = true;
    throw e;
  }
});

test('a simulated reboot: ifup from the files alone brings every address of the files back', async (t) => {
  try {
    // the files hold the primary address and the first two secondaries (the third was rolled back above)
    const file = readFileSync(upper('network/interfaces'), 'utf8');
    const inFiles = [...file.matchAll(/^\s+address (\S+)$/gm)].map((m) => m[1]!.split('/')[0]!);
    assert.equal(inFiles.length, 3, file);
    const notInFiles = (await h.snapshot(inst.id)).interfaces[0]!.privateIpv4s.filter((a) => !inFiles.includes(a));
    assert.equal(notInFiles.length, 1);
    // the reboot: eth0 down with nothing on it, ifupdown's state gone
    await run(
      'ip',
      ['netns', 'exec', h.ns(inst.id), 'sh', '-c', 'ip link set dev eth0 down; ip address flush dev eth0; ip route flush dev eth0'],
      5000,
    );
    rmSync(join(dir, 'ifstate'), { recursive: true, force: true });
    mkdirSync(join(dir, 'ifstate'));
    assert.equal(await h.ping(h.ns(client.id), inst.primaryIp), false);
    const t0 = Date.now();
    const boot = [overlayMounts(dir)[0], `ifup -a --exclude=lo --state-dir=${join(dir, 'ifstate')} --no-scripts`].join(' && ');
    const r = await run('ip', ['netns', 'exec', h.ns(inst.id), 'unshare', '-m', '--propagation', 'private', 'sh', '-c', boot], 30_000);
    assert.equal(r.code, 0, r.stderr);
    for (const ip of inFiles) await until(`${ip} answers`, () => h.ping(h.ns(client.id), ip), 5000, 100);
    t.diagnostic(`after the reboot the ${inFiles.length} addresses of the files answered ${Date.now() - t0} ms after ifup started`);
    assert.match((await run('ip', ['-n', h.ns(inst.id), 'route', 'show', 'default'])).stdout, /via 198\.18\.1\.253/);
    // the address only applied at runtime (no agent runs after the reboot) is not there: the files alone did this
    assert.ok(!(await run('ip', ['-n', h.ns(inst.id), '-br', 'addr', 'show', 'dev', 'eth0'])).stdout.includes(`${notInFiles[0]}/`));
  } catch (e) {
    failed = true;
    throw e;
  }
});
