// IP prefixes in the OS configuration: every Linux target renders an ENI's
// prefixes as local routes (the guest answers every address inside them) and,
// for a secondary ENI, a source rule per prefix into the ENI's table; checked
// with the real tools (netplan generate, nmcli --offline, ifup, iproute2 for
// RHEL's route files) and applied for real by ifupdown and systemd-networkd in
// a network namespace, where an address inside each prefix answers a client
// in another network. SUSE and Windows get a warning naming the prefixes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { render, validateFacts, type EniFacts, type Rendering } from '../../src/osconfig/index.ts';
import { toEniFacts } from '../../src/service/eni-facts.ts';
import { LAB_PRIMARY, LAB_SECONDARY } from './support/facts-arb.ts';
import { createLab, CLIENT_V4, CLIENT_V6, pingFromRouter, type Lab } from './support/netns-lab.ts';
import { assertLabConfigured } from './support/lab-checks.ts';
import { makeTempDir, run, runOk, sleep, waitFor } from './support/proc.ts';

const PRIMARY: EniFacts = { ...LAB_PRIMARY, prefixes: ['198.18.0.32/28', '2001:db8:0:0:ab::/80'] };
const SECONDARY: EniFacts = { ...LAB_SECONDARY, prefixes: ['198.18.1.32/28', '2001:db8:1:0:ab::/80'] };
/** an address inside each prefix, and the ENI holding it */
const INSIDE = [
  { address: '198.18.0.37', eni: PRIMARY },
  { address: '2001:db8::ab:0:0:5', eni: PRIMARY },
  { address: '198.18.1.37', eni: SECONDARY },
  { address: '2001:db8:1:0:ab::5', eni: SECONDARY },
];
const fileOf = (r: Rendering, path: string) => r.files.find((f) => f.path === path)!.content;

/**
 * The router routes each prefix to its ENI, as the VPC does (no ARP/ND from
 * the guest needed: a local route answers neither), then every address inside
 * answers a client in another network; those of eth1 only through eth1's
 * table (the router's strict rp_filter drops them on rt0).
 */
async function assertPrefixesAnswer(lab: Lab): Promise<void> {
  for (const [i, f] of [PRIMARY, SECONDARY].entries())
    for (const p of f.prefixes!) {
      const via = p.includes(':') ? f.ipv6!.addresses[0]! : f.ipv4.primary;
      runOk('ip', ['-n', lab.rt, 'route', 'replace', p, 'via', via, 'dev', `rt${i}`]);
    }
  await waitFor(
    'the local routes of both ENIs',
    () => {
      const out = ['-4', '-6']
        .map((fam) => runOk('ip', ['-n', lab.vm, fam, 'route', 'show', 'table', 'local', 'type', 'local']).stdout)
        .join('');
      return [...PRIMARY.prefixes!, ...SECONDARY.prefixes!].every((p) => out.includes(`local ${p} dev eth`));
    },
    15_000,
  );
  for (const { address } of INSIDE) {
    assert.ok(
      await pingFromRouter(lab, address, address.includes(':') ? CLIENT_V6 : CLIENT_V4),
      `${address} answers a client in another network`,
    );
  }
}

describe('IP prefixes in the facts', () => {
  it('are validated (aligned, inside the vSwitch, apart, IPv6 only with the ipv6 section) and canonicalised', () => {
    const ok = validateFacts({ ...LAB_PRIMARY, prefixes: ['198.18.0.32/28', '2001:DB8::AB:0:0:0/80'] });
    assert.ok(ok.ok);
    assert.deepEqual(ok.facts.prefixes, ['198.18.0.32/28', '2001:db8:0:0:ab::/80']);
    const bad = validateFacts({
      ...LAB_PRIMARY,
      ipv6: undefined,
      prefixes: ['198.18.0.33/28', '198.18.9.0/28', '198.18.0.32/28', '198.18.0.32/29', '2001:db8:0:0:ab::/80', 'x'],
    });
    assert.ok(!bad.ok);
    assert.deepEqual(
      bad.problems.map((p) => p.path),
      ['prefixes.0', 'prefixes.1', 'prefixes.3', 'prefixes.4', 'prefixes.5'],
    );
  });

  it('toEniFacts takes the ENI prefixes (IPv6 ones with an IPv6 address only)', () => {
    const eni = {
      id: 'eni-1',
      macAddress: '00:16:3E:00:00:01',
      type: 'Primary' as const,
      deviceIndex: 0,
      addresses: [{ family: 4 as const, address: '198.18.0.10', primary: true }],
      ipv4Prefixes: ['198.18.0.32/28'],
      ipv6Prefixes: ['2001:db8:0:0:ab::/80'],
    };
    const vsw = { cidrBlock: '198.18.0.0/24', ipv6CidrBlock: '2001:db8::/64' };
    assert.deepEqual(toEniFacts(eni, vsw).prefixes, ['198.18.0.32/28']);
    const withV6 = { ...eni, addresses: [...eni.addresses, { family: 6 as const, address: '2001:db8::10', primary: false }] };
    assert.deepEqual(toEniFacts(withV6, vsw).prefixes, ['198.18.0.32/28', '2001:db8:0:0:ab::/80']);
  });
});

describe('each target renders the prefixes', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  before(() => {
    tmp = makeTempDir('prefix-render');
  });
  after(() => tmp.remove());

  it('netplan generate: a Type=local route per prefix; a secondary ENI a rule per prefix', () => {
    const root = join(tmp.dir, 'netplan');
    mkdirSync(join(root, 'etc/netplan'), { recursive: true });
    for (const f of [PRIMARY, SECONDARY]) {
      const yaml = render('ubuntu-22.04', f).files.find((x) => x.path.startsWith('/etc/netplan/'))!;
      writeFileSync(join(root, yaml.path), yaml.content);
      chmodSync(join(root, yaml.path), 0o600);
    }
    const g = run('unshare', ['-m', 'sh', '-c', `mount -t tmpfs tmpfs /run && netplan generate --root-dir '${root}'`], {
      timeoutMs: 20_000,
    });
    assert.equal(g.status, 0, g.stderr);
    assert.equal(g.stderr.trim(), '');
    const dir = join(root, 'run/systemd/network');
    const text = readdirSync(dir)
      .filter((n) => n.endsWith('.network'))
      .map((n) => readFileSync(join(dir, n), 'utf8'))
      .join('\n');
    for (const p of [...PRIMARY.prefixes!, ...SECONDARY.prefixes!])
      assert.match(text, new RegExp(`\\[Route\\]\\nDestination=${p}\\n(Scope=host\\n)?Type=local`));
    for (const p of SECONDARY.prefixes!) assert.match(text, new RegExp(`From=${p}\\n`));
    for (const p of PRIMARY.prefixes!) assert.doesNotMatch(text, new RegExp(`From=${p}`));
  });

  it('nmcli --offline stores each prefix as a route with type=local, and a rule for the secondary ENI', () => {
    const profile = runOk('nmcli', ['--offline', 'connection', 'add', 'type', 'ethernet', 'con-name', 'x', 'ifname', 'eth1']).stdout;
    for (const f of [PRIMARY, SECONDARY]) {
      const modify = render('nmcli', f).commands.find((c) => c.run.startsWith('nmcli connection modify "$CON" '))!;
      const out = run('/bin/sh', ['-c', modify.run.replace('nmcli connection modify "$CON" ', 'nmcli --offline connection modify ')], {
        input: profile,
      });
      assert.equal(out.status, 0, out.stderr);
      for (const p of f.prefixes!) {
        const route = new RegExp(`^route(\\d+)=${p.replace(/\./g, '\\.')}\\n`, 'm').exec(out.stdout);
        assert.ok(route, `a route for ${p} in\n${out.stdout}`);
        assert.match(out.stdout, new RegExp(`^route${route[1]}_options=.*type=local`, 'm'));
        if (!f.isPrimaryEni) assert.match(out.stdout, new RegExp(`from ${p.replace(/\./g, '\\.')} table 1001`));
      }
    }
  });

  it('RHEL: route-eth0 / route6-eth0 and the table routes of eth1 are "ip route add" lines iproute2 takes', () => {
    const ns = `enp-os-${process.pid}-rhelpfx`;
    runOk('ip', ['netns', 'add', ns]);
    try {
      for (const [i, f] of [PRIMARY, SECONDARY].entries()) {
        runOk('ip', ['-n', ns, 'link', 'add', f.interfaceName, 'type', 'veth', 'peer', 'name', `peer${i}`]);
        runOk('ip', ['-n', ns, 'link', 'set', `peer${i}`, 'up']);
        runOk('ip', ['-n', ns, 'link', 'set', f.interfaceName, 'up']);
        runOk('ip', ['-n', ns, 'addr', 'add', `${f.ipv4.primary}/24`, 'dev', f.interfaceName]);
        runOk('ip', ['-n', ns, 'addr', 'add', `${f.ipv6!.addresses[0]}/64`, 'dev', f.interfaceName, 'nodad']);
        const r = render('rhel-8', f);
        for (const route of ['route', 'route6']) {
          const text = fileOf(r, `/etc/sysconfig/network-scripts/${route}-${f.interfaceName}`);
          for (const line of text.split('\n').filter((l) => l && !l.startsWith('#')))
            runOk('ip', ['-n', ns, ...(route === 'route6' ? ['-6'] : []), 'route', 'add', ...line.split(' ')]);
        }
        if (i === 1) {
          const rules = fileOf(r, '/etc/sysconfig/network-scripts/rule-eth1');
          for (const p of f.prefixes!.filter((x) => !x.includes(':'))) assert.ok(rules.includes(`from ${p} table 1001`));
        }
      }
      const local = runOk('ip', ['-n', ns, 'route', 'show', 'table', 'local', 'type', 'local']).stdout;
      const local6 = runOk('ip', ['-n', ns, '-6', 'route', 'show', 'table', 'local', 'type', 'local']).stdout;
      for (const f of [PRIMARY, SECONDARY])
        for (const p of f.prefixes!) assert.ok((local + local6).includes(`local ${p} dev ${f.interfaceName}`), `${p}: ${local}${local6}`);
    } finally {
      run('ip', ['netns', 'del', ns]);
    }
  });

  it('SUSE and Windows say what to do with the prefixes', () => {
    assert.ok(render('sles-15', PRIMARY).warnings.some((w) => w.includes('ip route add local 198.18.0.32/28 dev eth0')));
    assert.ok(render('windows-2022', PRIMARY).warnings.some((w) => w.includes('198.18.0.32/28') && w.includes('New-NetIPAddress')));
    assert.ok(!render('windows-2022', LAB_PRIMARY).warnings.some((w) => w.includes('IP prefixes')));
  });
});

describe('applied for real: an address inside each prefix answers', () => {
  let lab: Lab | undefined;
  let tmp: ReturnType<typeof makeTempDir>;
  let networkd: ChildProcess | undefined;
  before(() => {
    tmp = makeTempDir('prefix-apply');
  });
  after(async () => {
    if (networkd?.exitCode === null) {
      networkd.kill('SIGTERM');
      await Promise.race([new Promise((r) => networkd!.once('exit', r)), sleep(3000)]);
      networkd.kill('SIGKILL');
    }
    lab?.remove();
    tmp.remove();
  });

  it('ifupdown (debian-11): ifup -a, then ifdown removes the local routes', async () => {
    lab = createLab();
    const dir = join(tmp.dir, 'ifupdown');
    mkdirSync(join(dir, 'interfaces.d'), { recursive: true });
    const main = fileOf(render('debian-11', PRIMARY), '/etc/network/interfaces');
    writeFileSync(join(dir, 'interfaces'), main.replace('source /etc/network/interfaces.d/*', `source ${dir}/interfaces.d/*`));
    writeFileSync(join(dir, 'interfaces.d/eth1'), fileOf(render('debian-11', SECONDARY), '/etc/network/interfaces.d/eth1'));
    const state = join(dir, 'state');
    mkdirSync(state);
    const ifup = (cmd: string, extra: string[]) =>
      run('ip', ['netns', 'exec', lab!.vm, cmd, '-v', ...extra, '-i', join(dir, 'interfaces'), `--state-dir=${state}`, '--no-scripts'], {
        timeoutMs: 40_000,
      });
    const up = ifup('ifup', ['-a']);
    assert.equal(up.status, 0, up.stdout + up.stderr);
    await assertLabConfigured(lab);
    await assertPrefixesAnswer(lab);
    const down = ifup('ifdown', ['-a']);
    assert.equal(down.status, 0, down.stdout + down.stderr);
    assert.doesNotMatch(runOk('ip', ['-n', lab.vm, 'route', 'show', 'table', 'local', 'type', 'local']).stdout, /198\.18\.\d\.32\/28/);
    lab.remove();
    lab = undefined;
  });

  it('systemd-networkd (netplan, ubuntu-22.04)', async () => {
    lab = createLab();
    const root = join(tmp.dir, 'netplan');
    mkdirSync(join(root, 'etc/netplan'), { recursive: true });
    for (const f of [PRIMARY, SECONDARY]) {
      const yaml = render('ubuntu-22.04', f).files.find((x) => x.path.startsWith('/etc/netplan/'))!;
      writeFileSync(join(root, yaml.path), yaml.content);
      chmodSync(join(root, yaml.path), 0o600);
    }
    const g = run('unshare', ['-m', 'sh', '-c', `mount -t tmpfs tmpfs /run && netplan generate --root-dir '${root}'`], {
      timeoutMs: 20_000,
    });
    assert.equal(g.status, 0, g.stderr);
    const netdir = join(tmp.dir, 'network');
    mkdirSync(netdir);
    const gen = join(root, 'run/systemd/network');
    for (const n of readdirSync(gen).filter((x) => x.endsWith('.network')))
      // a veth has no permanent MAC (see netplan.test.ts)
      writeFileSync(join(netdir, n), readFileSync(join(gen, n), 'utf8').replace(/^PermanentMACAddress=/m, 'MACAddress='));
    const inner = [
      'set -e',
      'mount -t tmpfs tmpfs /run',
      'mount -o remount,ro /sys',
      'mkdir -p /run/systemd/network',
      `cp '${netdir}'/*.network /run/systemd/network/`,
      'exec /lib/systemd/systemd-networkd',
    ].join('\n');
    const log: string[] = [];
    networkd = spawn('ip', ['netns', 'exec', lab.vm, 'unshare', '-m', '--propagation', 'private', 'sh', '-c', inner], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    networkd.stdout!.on('data', (d) => log.push(String(d)));
    networkd.stderr!.on('data', (d) => log.push(String(d)));
    try {
      await assertLabConfigured(lab);
      await assertPrefixesAnswer(lab);
    } catch (e) {
      throw new Error(`${(e as Error).message}\n--- networkd log\n${log.join('')}`);
    }
  });
});
