// nmcli commands checked with NetworkManager itself: `nmcli --offline` (no
// daemon; the connection id dropped and the keyfile piped in, as the spec
// explains) accepts every property we set and stores exactly the ENI; and a
// real NetworkManager daemon in the lab namespaces (own D-Bus, own /run, as
// in nm-netns.sh) runs the rendered commands as one shell session.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { render } from '../../src/osconfig/index.ts';
import type { EniFacts } from '../../src/osconfig/facts.ts';
import type { Rendering } from '../../src/osconfig/rendering.ts';
import { canonicalIp } from '../../src/osconfig/ip.ts';
import { eniFactsArb, expectedAddressSet, LAB_PRIMARY, LAB_SECONDARY, SEED_FACTS } from './support/facts-arb.ts';
import { makeTempDir, run, runOk, sleep, waitFor } from './support/proc.ts';
import { createLab, type Lab } from './support/netns-lab.ts';
import { assertLabConfigured } from './support/lab-checks.ts';

const UUID = '11111111-2222-3333-4444-555555555555';

/** a keyfile like an image's DHCP profile, made by nmcli itself */
function imageProfile(): string {
  return runOk('nmcli', [
    '--offline',
    'connection',
    'add',
    'type',
    'ethernet',
    'con-name',
    'System eth0',
    'ifname',
    'eth0',
    'connection.uuid',
    UUID,
  ]).stdout;
}

/** runs each rendered `nmcli connection modify "$CON" ...` offline on the keyfile */
function offlineModify(r: Rendering, keyfile: string): string {
  const modify = r.commands.filter((c) => c.run.startsWith('nmcli connection modify "$CON" '));
  assert.equal(modify.length, 1);
  const cmd = modify[0].run.replace('nmcli connection modify "$CON" ', 'nmcli --offline connection modify ');
  const out = run('/bin/sh', ['-c', cmd], { input: keyfile });
  assert.equal(out.status, 0, `${cmd}\n${out.stderr}`);
  return out.stdout;
}

interface KeyfileMeaning {
  addresses: string[];
  gateways: string[];
  neverDefault: string[];
  tableDefaults: string[];
  rules: string[];
}

/** what NetworkManager stored: [ipv4]/[ipv6] addressN (1.42 folds the gateway into address1), routes, rules */
function readKeyfile(text: string): KeyfileMeaning {
  const m: KeyfileMeaning = { addresses: [], gateways: [], neverDefault: [], tableDefaults: [], rules: [] };
  let section = '';
  const routes = new Map<string, { dest?: string; gw?: string; table?: string }>();
  for (const line of text.split('\n')) {
    const s = /^\[(.+)\]$/.exec(line);
    if (s) {
      section = s[1];
      continue;
    }
    const kv = /^([\w-]+)=(.*)$/.exec(line);
    if (!kv || (section !== 'ipv4' && section !== 'ipv6')) continue;
    const [, key, value] = kv;
    if (/^address\d+$/.test(key)) {
      const [a, gw] = value.split(',');
      const [ip, p] = a.split('/');
      m.addresses.push(`${canonicalIp(ip)}/${p}`);
      if (gw) m.gateways.push(canonicalIp(gw)!);
    }
    if (key === 'gateway') m.gateways.push(canonicalIp(value)!);
    if (key === 'never-default' && value === 'true') m.neverDefault.push(section);
    const route = /^route(\d+)(_options)?$/.exec(key);
    if (route) {
      const r = routes.get(section + route[1]) ?? {};
      if (route[2]) r.table = /table=(\d+)/.exec(value)?.[1];
      else {
        const [dest, gw] = value.split(',');
        r.dest = dest;
        r.gw = gw;
      }
      routes.set(section + route[1], r);
    }
    if (/^routing-rule\d+$/.test(key)) m.rules.push(value);
  }
  for (const r of routes.values()) {
    if ((r.dest === '0.0.0.0/0' || r.dest === '::/0') && r.gw) m.tableDefaults.push(`${r.table ?? 'main'}:${canonicalIp(r.gw)}`);
  }
  for (const k of Object.keys(m) as (keyof KeyfileMeaning)[]) m[k].sort();
  return m;
}

function expectKeyfile(f: EniFacts, got: KeyfileMeaning): void {
  assert.deepEqual(got.addresses, expectedAddressSet(f));
  const gateways = [f.ipv4.gateway, ...(f.ipv6 ? [f.ipv6.gateway] : [])];
  if (f.isPrimaryEni) {
    assert.deepEqual(got.gateways, [...gateways].sort());
    assert.deepEqual(got.neverDefault, []);
    assert.deepEqual(got.rules, []);
  } else {
    const table = 1000 + f.deviceIndex;
    assert.deepEqual(got.gateways, [], 'no gateway: nothing in the main table');
    assert.deepEqual(got.neverDefault, f.ipv6 ? ['ipv4', 'ipv6'] : ['ipv4']);
    assert.deepEqual(got.tableDefaults, gateways.map((g) => `${table}:${g}`).sort());
    // NetworkManager writes a host prefix (/32, /128) as the bare address
    const want = [f.ipv4.primary, ...f.ipv4.secondaries, ...(f.ipv6?.addresses ?? [])]
      .map((a) => `priority ${table} from ${a} table ${table}`)
      .sort();
    assert.deepEqual(got.rules, want);
  }
}

describe('nmcli --offline accepts the commands', () => {
  it("the seed example: same addresses and gateway as the seed's own commands", () => {
    const r = render('nmcli', SEED_FACTS);
    const ours = readKeyfile(offlineModify(r, imageProfile()));
    // the seed's two commands, run the same way
    let seed = imageProfile();
    for (const args of [
      ['ipv4.addresses', '192.168.1.201/24,192.168.1.202/24,192.168.1.203/24'],
      ['ipv4.gateway', '192.168.1.253'],
    ]) {
      seed = runOk('nmcli', ['--offline', 'connection', 'modify', ...args], { input: seed }).stdout;
    }
    const theirs = readKeyfile(seed);
    assert.deepEqual(ours.addresses, theirs.addresses);
    assert.deepEqual(ours.gateways, theirs.gateways);
    expectKeyfile(SEED_FACTS, ours);
  });

  it('the profile-creating command is valid too', () => {
    const add = render('nmcli', LAB_SECONDARY).commands.find((c) => c.run.includes('nmcli connection add'))!;
    const cmd = /nmcli connection add [^&]+/.exec(add.run)![0].trim().replace('nmcli connection add', 'nmcli --offline connection add');
    const out = run('/bin/sh', ['-c', cmd]);
    assert.equal(out.status, 0, out.stderr);
    assert.match(out.stdout, /^interface-name=eth1$/m);
    assert.match(out.stdout, /^autoconnect=false$/m);
  });

  it('a misspelt property is refused (the check can fail)', () => {
    const out = run('nmcli', ['--offline', 'connection', 'modify', 'ipv4.adresses', '198.18.0.10/24'], { input: imageProfile() });
    assert.notEqual(out.status, 0);
  });

  it('NetworkManager stores exactly the ENI, over random ENIs', () => {
    const profile = imageProfile();
    fc.assert(
      fc.property(eniFactsArb, (facts) => {
        expectKeyfile(facts, readKeyfile(offlineModify(render('nmcli', facts), profile)));
      }),
      { numRuns: 15 },
    );
  });
});

describe('a real NetworkManager applies the commands in a network namespace', () => {
  let lab: Lab | undefined;
  let tmp: ReturnType<typeof makeTempDir>;
  let unshare: ChildProcess | undefined;
  let nmPid = 0;
  const log: string[] = [];

  /** runs a shell script beside NM: same mount (D-Bus socket), net, UTS and PID namespaces */
  const inNm = (script: string, timeoutMs = 30_000) =>
    run('nsenter', ['-t', String(nmPid), '-m', '-n', '-u', '-p', 'sh', '-c', script], { timeoutMs });

  before(async () => {
    tmp = makeTempDir('nm');
    lab = createLab();
    const w = tmp.dir;
    for (const d of ['conns', 'varlib', 'empty', 'backups']) mkdirSync(join(w, d));
    chmodSync(join(w, 'conns'), 0o700);
    writeFileSync(
      join(w, 'NetworkManager.conf'),
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
        '[keyfile]',
        `path=${w}/conns`,
        '',
      ].join('\n'),
    );
    const inner = [
      'set -e',
      'mount -t tmpfs tmpfs /run', // private /run: D-Bus socket, NM runtime files
      'mount -o remount,ro /sys', // read-only sysfs: NM does not wait for udev
      `mount --bind ${w}/varlib /var/lib/NetworkManager`,
      `mount --bind ${w}/empty /usr/share/dbus-1/system-services`, // no D-Bus activation
      `mount --bind ${w}/empty /etc/NetworkManager/dispatcher.d`,
      'mkdir -p /run/dbus',
      'dbus-daemon --system --nofork --nopidfile &',
      'for i in $(seq 1 50); do [ -S /run/dbus/system_bus_socket ] && break; sleep 0.1; done',
      `exec NetworkManager --no-daemon --config=${w}/NetworkManager.conf --config-dir=${w}/empty --system-config-dir=${w}/empty ` +
        `--intern-config=${w}/intern.conf --state-file=${w}/nm.state --pid-file=/run/nm.pid`,
    ].join('\n');
    // -p --fork: NM is PID 1 of its own PID namespace; when it exits, its dbus-daemon goes too
    unshare = spawn(
      'ip',
      ['netns', 'exec', lab.vm, 'unshare', '-m', '-u', '-p', '--fork', '--kill-child', '--propagation', 'private', 'sh', '-c', inner],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    unshare.stdout!.on('data', (d) => log.push(String(d)));
    unshare.stderr!.on('data', (d) => log.push(String(d)));
    nmPid = await waitFor(
      'NetworkManager process',
      () => {
        try {
          return Number(readFileSync(`/proc/${unshare!.pid}/task/${unshare!.pid}/children`, 'utf8').trim().split(' ')[0]) || undefined;
        } catch {
          return undefined;
        }
      },
      5000,
      50,
    );
    await waitFor('NetworkManager running', () => inNm('nmcli -t -f RUNNING general status', 5000).stdout.includes('running'), 15_000);
  });

  after(async () => {
    if (nmPid) {
      run('kill', [String(nmPid)]);
      await Promise.race([new Promise((r) => unshare!.once('exit', r)), sleep(3000)]);
      if (unshare?.exitCode === null) run('kill', ['-9', String(nmPid)]);
    }
    lab?.remove();
    tmp.remove();
  });

  /** the rendered commands as one shell session, host paths kept out: backups go to the temp dir */
  function session(facts: EniFacts): string {
    const r = render('nmcli', facts);
    const cmds = r.commands.filter((c) => !c.run.includes('/etc/cloud/'));
    assert.equal(cmds.length, r.commands.length - 1, 'only the cloud-init backup is left out');
    return ['set -e', ...cmds.map((c) => c.run.replaceAll('/var/backups/eniplane', `${tmp.dir}/backups`))].join('\n');
  }

  it('eth0 has the image\'s profile "System eth0", eth1 none; after the commands every address answers', async () => {
    const pre = inNm(
      'nmcli connection add type ethernet con-name "System eth0" ifname eth0 ipv4.method manual ipv4.addresses 198.18.0.10/24 ipv6.method ignore && nmcli connection up "System eth0"',
    );
    assert.equal(pre.status, 0, pre.stdout + pre.stderr);
    for (const facts of [LAB_PRIMARY, LAB_SECONDARY]) {
      const r = inNm(session(facts));
      assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}\n--- NetworkManager log\n${log.join('').slice(-3000)}`);
    }
    await assertLabConfigured(lab!);
    // "System eth0" was modified in place (found by device, not by name) and backed up first
    const list = inNm('nmcli -g NAME,DEVICE connection show').stdout;
    assert.match(list, /^System eth0:eth0$/m);
    assert.match(list, /^eniplane-eth1:eth1$/m);
    assert.ok(existsSync(join(tmp.dir, 'backups', tmp.dir, 'conns', 'System eth0.nmconnection')), 'profile backed up');
    // running the same commands again changes nothing and still succeeds
    const again = inNm(session(LAB_SECONDARY));
    assert.equal(again.status, 0, again.stderr);
    assert.doesNotMatch(inNm('nmcli -g NAME connection show').stdout, /eniplane-eth1\n[^]*eniplane-eth1/, 'no second profile');
  });
});
