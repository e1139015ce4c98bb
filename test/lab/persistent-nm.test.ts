// End to end, persistent mode with a real NetworkManager (the `nmcli`
// target): NetworkManager runs inside an instance namespace with its own
// D-Bus, its own /run, and /etc and /var/backups as private overlays (its
// profiles are written there, never on the host); the image has a profile
// "System eth0" holding only the primary address. The agent, started beside
// NetworkManager (same mount namespace), runs the rendered nmcli commands for
// the primary ENI (two secondary IPs) and a secondary ENI. Then a simulated
// reboot (NetworkManager and the agent gone, every address, route and rule
// flushed, NetworkManager started again from its profiles alone) brings every
// address back; and a broken rendering is rolled back: the profiles are
// restored byte for byte and NetworkManager runs them again.
//
// COMPAT (test environment): no systemd or udev in a namespace, so
// NetworkManager runs as a plain process with read-only /sys (it does not
// wait for udev) and D-Bus activation off, as test/osconfig/nmcli.test.ts does.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { LabHarness, run, until } from './harness.ts';
import {
  agentCommand,
  assertAppliedThenUnchanged,
  assertRolledBack,
  assignSecondaries,
  attachSecondaryEni,
  everyAddressAnswers as answer,
  execScript,
  flushEth0AndEth1,
  overlayMounts,
  scratchDir,
} from './persistent-support.ts';

const PROFILES = '/etc/NetworkManager/system-connections';
const h = new LabHarness(undefined, { agents: 'none' });
let inst: Awaited<ReturnType<LabHarness['runInstance']>>;
let client: Awaited<ReturnType<LabHarness['runInstance']>>;
let secondaryEni: { id: string; addresses: string[] };
let primarySecondaries: string[] = [];
let dir: string;
let nm: ChildProcess | undefined;
let nmPid = 0;
let nmLog = '';
let failed = false;
const hostProfiles = existsSync(PROFILES) ? readdirSync(PROFILES).sort() : [];

const d = (n: string) => join(dir, n);
const profilesDir = () => d(`etc-upper${PROFILES.slice('/etc'.length)}`);

/** NetworkManager (and its D-Bus) in the instance namespace, as PID 1 of its own PID namespace */
async function startNm(): Promise<void> {
  const inner = [
    'set -e',
    ...overlayMounts(dir),
    'mount -t tmpfs tmpfs /run',
    'mount -o remount,ro /sys',
    `mount --bind ${d('varlib')} /var/lib/NetworkManager`,
    `mount --bind ${d('empty')} /usr/share/dbus-1/system-services`,
    `mount --bind ${d('empty')} /etc/NetworkManager/dispatcher.d`,
    `mkdir -p /run/dbus ${PROFILES}`,
    'dbus-daemon --system --nofork --nopidfile &',
    'for i in $(seq 1 50); do [ -S /run/dbus/system_bus_socket ] && break; sleep 0.1; done',
    `exec NetworkManager --no-daemon --config=${d('NetworkManager.conf')} --config-dir=${d('empty')} --system-config-dir=${d('empty')} ` +
      `--intern-config=${d('intern.conf')} --state-file=${d('nm.state')} --pid-file=/run/nm.pid`,
  ].join('\n');
  nm = spawn(
    'ip',
    ['netns', 'exec', h.ns(inst.id), 'unshare', '-m', '-u', '-p', '--fork', '--kill-child', '--propagation', 'private', 'sh', '-c', inner],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  nm.stdout!.on('data', (x) => {
    nmLog += x;
  });
  nm.stderr!.on('data', (x) => {
    nmLog += x;
  });
  const child = nm.pid!;
  nmPid = await until(
    'NetworkManager process',
    async () => {
      try {
        return Number(readFileSync(`/proc/${child}/task/${child}/children`, 'utf8').trim().split(' ')[0]) || undefined;
      } catch {
        return undefined;
      }
    },
    5000,
    50,
  );
  await until(
    'NetworkManager running',
    async () => (await inNm('nmcli -t -f RUNNING general status')).stdout.includes('running'),
    15_000,
    100,
  );
}

async function stopNm(): Promise<void> {
  if (!nm || nm.exitCode !== null) return;
  const p = nm;
  await new Promise<void>((resolve) => {
    const t = setTimeout(() => {
      try {
        process.kill(nmPid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, 5000);
    p.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    try {
      process.kill(nmPid, 'SIGTERM');
    } catch {
      /* gone */
    }
  });
}

/** a shell script beside NetworkManager: its mount (D-Bus, overlays), net, UTS and PID namespaces */
function inNm(script: string, timeoutMs = 30_000) {
  return execScript('nsenter', ['-t', String(nmPid), '-m', '-n', '-u', '-p', 'sh', '-c', script], timeoutMs);
}

function persistentAgent(extra: string[] = []) {
  return inNm(agentCommand('nmcli', dir, 8000, extra), 120_000);
}

const all = () => [inst.primaryIp, ...primarySecondaries, ...secondaryEni.addresses];
const everyAddressAnswers = (timeoutMs: number) => answer(h, client, all(), timeoutMs);
const profileFiles = () => readdirSync(profilesDir()).sort();
const profileTexts = () => profileFiles().map((f) => readFileSync(join(profilesDir(), f), 'utf8'));

before(async () => {
  dir = scratchDir('eniplane-nm-', ['etc-upper', 'etc-work', 'bak-upper', 'bak-work', 'state', 'varlib', 'empty']);
  writeFileSync(
    d('NetworkManager.conf'),
    [
      '[main]',
      'plugins=keyfile',
      'auth-polkit=false',
      'dhcp=internal',
      'dns=none',
      'rc-manager=unmanaged',
      'systemd-resolved=false',
      'hostname-mode=none',
      'no-auto-default=*',
      '',
    ].join('\n'),
  );
  await h.start();
  inst = await h.runInstance();
  client = await h.runInstance();
  secondaryEni = await attachSecondaryEni(h, inst);
  await startNm();
  // the image: a profile for eth0 with what DHCP gave it
  const img = await inNm(
    `nmcli connection add type ethernet con-name "System eth0" ifname eth0 ipv4.method manual ipv4.addresses ${inst.primaryIp}/24 ` +
      'ipv4.gateway 198.18.1.253 ipv6.method ignore && nmcli connection up "System eth0"',
  );
  assert.equal(img.code, 0, img.output);
});

after(async () => {
  if (failed) console.log(`--- lab output\n${h.output.slice(-3000)}\n--- NetworkManager log\n${nmLog.slice(-4000)}`);
  await stopNm().catch(() => {});
  await h.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(existsSync(PROFILES) ? readdirSync(PROFILES).sort() : [], hostProfiles, "the host's profiles were never touched");
});

test('the nmcli commands run against NetworkManager: "System eth0" modified, eth1 gets a profile, every address answers', async (t) => {
  try {
    primarySecondaries = await assignSecondaries(h, inst.primaryEniId, 2);
    const r = await persistentAgent();
    assert.equal(r.code, 0, r.output);
    const list = (await inNm('nmcli -g NAME,DEVICE,FILENAME connection show --active')).stdout;
    assert.match(list, new RegExp(`^System eth0:eth0:${PROFILES}/System eth0\\.nmconnection$`, 'm'));
    // eth1: the profile NetworkManager made when the agent configured it at runtime (it goes by
    // device, as the rendering does), now saved as a file
    const eth1 = new RegExp(`^([^:]+):eth1:(${PROFILES}/[^\n]+)$`, 'm').exec(list);
    assert.ok(eth1, `eth1's active profile is a file in ${PROFILES}:\n${list}`);
    const eth0Text = readFileSync(join(profilesDir(), 'System eth0.nmconnection'), 'utf8');
    for (const ip of [inst.primaryIp, ...primarySecondaries])
      assert.ok(eth0Text.includes(`${ip}/24`), `${ip} in System eth0:\n${eth0Text}`);
    const eth1Text = readFileSync(join(profilesDir(), eth1[2]!.slice(PROFILES.length + 1)), 'utf8');
    for (const ip of secondaryEni.addresses) assert.ok(eth1Text.includes(ip), `${ip} in ${eth1[1]}:\n${eth1Text}`);
    assert.match(eth1Text, /^routing-rule1=priority 1001 from /m);
    assert.equal(readFileSync(d('etc-upper/cloud/cloud.cfg.d/99-disable-network-config.cfg'), 'utf8'), 'network: {config: disabled}\n');
    assert.ok(existsSync(d(`bak-upper/eniplane${PROFILES}/System eth0.nmconnection`)), "the image's profile backed up");
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

test('a simulated reboot: NetworkManager started from its profiles alone brings every address back', async (t) => {
  try {
    await stopNm();
    await flushEth0AndEth1(h, inst);
    assert.equal(await h.ping(h.ns(client.id), primarySecondaries[0]!), false);
    const t0 = Date.now();
    await startNm();
    const took = await everyAddressAnswers(30_000);
    t.diagnostic(
      `after the reboot every address (${all().length}) answered ${Date.now() - t0} ms after NetworkManager was started (${took} ms of pinging)`,
    );
    assert.match((await run('ip', ['-n', h.ns(inst.id), 'rule'])).stdout, /lookup 1001/);
  } catch (e) {
    failed = true;
    throw e;
  }
});

test('a broken rendering (default route to a dead gateway) is rolled back: profiles restored, NetworkManager runs them again', async (t) => {
  try {
    const files = profileFiles();
    const good = profileTexts();
    const [extra] = (await assignSecondaries(h, inst.primaryEniId, 1)) as [string];
    const t0 = Date.now();
    const r = await persistentAgent(['--fault', 'bad-gateway']);
    t.diagnostic(`broken rendering detected and rolled back in ${Date.now() - t0} ms`);
    await assertRolledBack(h, inst, r);
    assert.deepEqual(profileFiles(), files);
    assert.deepEqual(profileTexts(), good, 'the previous profiles are back, byte for byte');
    const routes = (await run('ip', ['-n', h.ns(inst.id), 'route', 'show', 'default'])).stdout;
    assert.match(routes, /via 198\.18\.1\.253 dev eth0/);
    assert.doesNotMatch(routes, /198\.18\.1\.252/);
    primarySecondaries.push(extra); // applied at runtime; the profiles stay the previous ones
    await everyAddressAnswers(5000);
  } catch (e) {
    failed = true;
    throw e;
  }
});
