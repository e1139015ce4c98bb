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
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { LabHarness, run, until } from './harness.ts';

const BIN = new URL('../../bin/eniplane.mjs', import.meta.url).pathname;
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
    `mount -t overlay overlay -o lowerdir=/etc,upperdir=${d('etc-upper')},workdir=${d('etc-work')} /etc`,
    `mount -t overlay overlay -o lowerdir=/var/backups,upperdir=${d('bak-upper')},workdir=${d('bak-work')} /var/backups`,
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
function inNm(script: string, timeoutMs = 30_000, env: NodeJS.ProcessEnv = process.env) {
  return new Promise<{ code: number; stdout: string; output: string }>((resolve) => {
    execFile(
      'nsenter',
      ['-t', String(nmPid), '-m', '-n', '-u', '-p', 'sh', '-c', script],
      { timeout: timeoutMs, env },
      (err, stdout, stderr) => {
        resolve({
          code: err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0,
          stdout,
          output: stdout + stderr,
        });
      },
    );
  });
}

function persistentAgent(extra: string[] = []) {
  return inNm(
    `exec "${process.execPath}" "${BIN}" agent --once --mode persistent --os nmcli --state-dir ${d('state')} --verify-ms 8000 --log-level debug ${extra.join(' ')}`,
    120_000,
  );
}

const all = () => [inst.primaryIp, ...primarySecondaries, ...secondaryEni.addresses];
async function everyAddressAnswers(timeoutMs: number): Promise<number> {
  const t0 = Date.now();
  for (const ip of all())
    await until(`${ip} to answer`, () => h.ping(h.ns(client.id), ip), Math.max(1000, timeoutMs - (Date.now() - t0)), 100);
  return Date.now() - t0;
}
const profileFiles = () => readdirSync(profilesDir()).sort();
const profileTexts = () => profileFiles().map((f) => readFileSync(join(profilesDir(), f), 'utf8'));

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'eniplane-nm-'));
  for (const n of ['etc-upper', 'etc-work', 'bak-upper', 'bak-work', 'state', 'varlib', 'empty']) mkdirSync(join(dir, n));
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
  const id = (
    await h.call('CreateNetworkInterface', {
      VSwitchId: h.vSwitchId,
      SecurityGroupId: h.securityGroupId,
      SecondaryPrivateIpAddressCount: 1,
    })
  ).NetworkInterfaceId as string;
  await h.call('AttachNetworkInterface', { NetworkInterfaceId: id, InstanceId: inst.id });
  await h.waitEni(id, 'InUse');
  const eni = (await h.call('DescribeNetworkInterfaces', { NetworkInterfaceId: [id] })).NetworkInterfaceSets.NetworkInterfaceSet[0];
  secondaryEni = { id, addresses: eni.PrivateIpSets.PrivateIpSet.map((p: { PrivateIpAddress: string }) => p.PrivateIpAddress) };
  await until(
    'eth1 in the instance',
    async () => (await run('ip', ['-n', h.ns(inst.id), 'link', 'show', 'dev', 'eth1'])).code === 0,
    5000,
    50,
  );
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
    primarySecondaries = (
      await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: inst.primaryEniId, SecondaryPrivateIpAddressCount: 2 })
    ).AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress as string[];
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
    const status = (await h.agentStatus(inst.id))!;
    assert.equal(status.persistent.state, 'applied');
    assert.equal(status.ok, true);
    const again = await persistentAgent();
    assert.equal(again.code, 0, again.output);
    assert.equal((await h.agentStatus(inst.id))!.persistent.state, 'unchanged');
  } catch (e) {
    failed = true;
    throw e;
  }
});

test('a simulated reboot: NetworkManager started from its profiles alone brings every address back', async (t) => {
  try {
    await stopNm();
    const flush = [
      ...['eth0', 'eth1'].flatMap((l) => [`ip link set dev ${l} down`, `ip address flush dev ${l}`, `ip route flush dev ${l}`]),
      'ip route flush table 1001',
      'while ip -4 rule del lookup 1001 2>/dev/null; do :; done',
    ].join('; ');
    await run('ip', ['netns', 'exec', h.ns(inst.id), 'sh', '-c', flush], 5000);
    assert.equal((await run('ip', ['-n', h.ns(inst.id), '-4', '-br', 'addr'])).stdout.includes('198.18.'), false, 'no address left');
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
    const extra = (await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: inst.primaryEniId, SecondaryPrivateIpAddressCount: 1 }))
      .AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress[0] as string;
    const t0 = Date.now();
    const r = await persistentAgent(['--fault', 'bad-gateway']);
    t.diagnostic(`broken rendering detected and rolled back in ${Date.now() - t0} ms`);
    assert.equal(r.code, 3, r.output);
    assert.match(r.output, /restoring the previous files/);
    assert.deepEqual(profileFiles(), files);
    assert.deepEqual(profileTexts(), good, 'the previous profiles are back, byte for byte');
    assert.equal((await h.agentStatus(inst.id))!.persistent.state, 'rolled-back');
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
