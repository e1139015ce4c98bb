// RHEL and SUSE ifcfg files. Nothing in Debian can apply them (no initscripts,
// no ifcfg-rh plugin, no wicked), so they are checked as far as real tools
// reach: `bash -n`, sourcing with `env -i bash -c 'set -ae; . F'` (the way the
// network scripts read them; -e makes an unquoted value with a space fail),
// the address set compared with cloud-init's own rendering of the same intent
// (test/fixtures/os-validation/addr-sets.sh reads both), and the RHEL
// route-/rule- lines fed to iproute2 in a namespace as ifup-routes does.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { render } from '../../src/osconfig/index.ts';
import type { EniFacts } from '../../src/osconfig/facts.ts';
import type { Rendering } from '../../src/osconfig/rendering.ts';
import { eniFactsArb, expectedAddressSet, LAB_PRIMARY, LAB_SECONDARY, SEED_FACTS } from './support/facts-arb.ts';
import { makeTempDir, run, runOk } from './support/proc.ts';
import { netmaskToPrefix } from './support/parsers.ts';
import { canonicalIp } from '../../src/osconfig/ip.ts';

const ADDR_SETS = new URL('../fixtures/os-validation/addr-sets.sh', import.meta.url).pathname;
const RHEL_DIR = '/etc/sysconfig/network-scripts';
const SLES_DIR = '/etc/sysconfig/network';

/** writes the rendered files of one directory into dir, under their base names */
function writeDir(r: Rendering, guestDir: string, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const names: string[] = [];
  for (const f of r.files.filter((x) => x.path.startsWith(`${guestDir}/`))) {
    const name = f.path.slice(guestDir.length + 1);
    writeFileSync(join(dir, name), f.content);
    names.push(name);
  }
  return names;
}

/** the variables a shell script sees after sourcing the file, as the network scripts do */
function sourced(file: string): Record<string, string> {
  const r = run('env', ['-i', 'bash', '-c', 'set -ae; . "$1"; env -0', '_', file]);
  assert.equal(r.status, 0, `sourcing ${file} failed: ${r.stderr}`);
  return Object.fromEntries(r.stdout.split('\0').filter((kv) => kv.includes('=')).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
}

/** "addr/prefix" lines from addr-sets.sh: bash sourcing plus python's ipaddress */
function addrSets(dir: string, dev: string): string[] {
  return runOk(ADDR_SETS, ['ifcfg', dir, dev]).stdout.split('\n').filter(Boolean).sort();
}

/**
 * The addresses bash sees in ifcfg-DEV and every ifcfg-DEV:N, each sourced on
 * its own with `set -ae` like the network scripts do, in one bash run (the
 * property tests would spend most of their time starting python in
 * addr-sets.sh). Reads RHEL IPADDR/NETMASK/PREFIX, IPV6ADDR(_SECONDARIES) and
 * SUSE IPADDR_n/NETMASK_n/PREFIXLEN_n. (`bash -n` runs on the fixed cases above.)
 */
function bashAddresses(dir: string, dev: string): string[] {
  // an empty environment, then one subshell per file printing its exported variables
  // with builtins only: a fork each, no exec
  const script = 'for f in "$1/ifcfg-$2" "$1/ifcfg-$2":*; do [ -f "$f" ] || continue; '
    + '( set -ae; . "$f"; for v in $(compgen -e); do printf "%s=%s\\0" "$v" "${!v}"; done ) || exit 1; printf "\\001"; done';
  const r = run('env', ['-i', 'bash', '-c', script, '_', dir, dev]);
  assert.equal(r.status, 0, r.stderr);
  const out: string[] = [];
  for (const chunk of r.stdout.split('\x01').filter((c) => c.includes('='))) {
    const env = Object.fromEntries(chunk.split('\0').filter((kv) => kv.includes('=')).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
    for (const [k, v] of Object.entries(env)) {
      const m = /^IPADDR(_?\w*)$/.exec(k);
      if (!m || !v) continue;
      if (v.includes('/')) { out.push(v); continue; }
      const p = env[`PREFIX${m[1]}`] ?? env[`PREFIXLEN${m[1]}`] ?? String(netmaskToPrefix(env[`NETMASK${m[1]}`]));
      out.push(`${v}/${p}`);
    }
    for (const k of ['IPV6ADDR', 'IPV6ADDR_SECONDARIES']) out.push(...(env[k] ?? '').split(/\s+/).filter(Boolean));
  }
  return out.map((a) => { const [ip, p] = a.split('/'); return `${canonicalIp(ip)}/${p}`; }).sort();
}

/** the same intent as netplan v2 for cloud-init (22.4 needs 0.0.0.0/0, not "default") */
function intentYaml(f: EniFacts): string {
  const addrs = expectedAddressSet(f).map((a) => `"${a}"`).join(', ');
  const routes = f.isPrimaryEni ? `\n      routes:\n        - to: 0.0.0.0/0\n          via: ${f.ipv4.gateway}` : '';
  return `network:\n  version: 2\n  ethernets:\n    ${f.interfaceName}:\n      addresses: [${addrs}]${routes}\n`;
}

function cloudInitConvert(f: EniFacts, distro: 'rhel' | 'sles', dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'intent.yaml'), intentYaml(f));
  runOk('cloud-init', ['devel', 'net-convert', '-p', join(dir, 'intent.yaml'), '-k', 'yaml', '-D', distro, '-O', 'sysconfig', '-d', join(dir, 'out')], { timeoutMs: 30_000 });
  return join(dir, 'out', distro === 'rhel' ? RHEL_DIR : SLES_DIR);
}

describe('RHEL ifcfg', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  before(() => { tmp = makeTempDir('rhel'); });
  after(() => tmp.remove());

  for (const facts of [SEED_FACTS, LAB_PRIMARY, LAB_SECONDARY]) {
    it(`${facts.interfaceName} (${facts.isPrimaryEni ? 'primary' : 'secondary'} ENI${facts.ipv6 ? ', IPv6' : ''}): bash reads it, cloud-init agrees on the addresses`, () => {
      const dir = join(tmp.dir, `ours-${facts.eniId}`);
      const names = writeDir(render('alinux-3', facts), RHEL_DIR, dir);
      for (const name of names.filter((n) => n.startsWith('ifcfg-'))) {
        runOk('bash', ['-n', join(dir, name)]);
        sourced(join(dir, name));
      }
      const ours = addrSets(dir, facts.interfaceName);
      assert.deepEqual(ours, expectedAddressSet(facts));
      const theirs = addrSets(cloudInitConvert(facts, 'rhel', join(tmp.dir, `ci-${facts.eniId}`)), facts.interfaceName);
      assert.deepEqual(ours, theirs, 'same address set as cloud-init -D rhel');

      const main = sourced(join(dir, `ifcfg-${facts.interfaceName}`));
      if (facts.isPrimaryEni) {
        const ci = sourced(join(tmp.dir, `ci-${facts.eniId}`, 'out', RHEL_DIR, `ifcfg-${facts.interfaceName}`));
        assert.equal(main.GATEWAY, ci.GATEWAY, 'same IPv4 gateway as cloud-init');
        assert.equal(main.DEFROUTE, 'yes');
      } else {
        assert.equal(main.GATEWAY, undefined);
        assert.equal(main.DEFROUTE, 'no');
        if (facts.ipv6) assert.equal(main.IPV6_DEFROUTE, 'no');
      }
    });
  }

  it('bash reads the files of random ENIs to exactly their addresses', () => {
    let n = 0;
    fc.assert(fc.property(eniFactsArb, (facts) => {
      const dir = join(tmp.dir, `p${n++}`);
      writeDir(render('centos-7', facts), RHEL_DIR, dir);
      assert.deepEqual(bashAddresses(dir, facts.interfaceName), expectedAddressSet(facts));
    }), { numRuns: 10 });
  });

  it('sourcing with -e catches an unquoted value with a space (the check can fail)', () => {
    const file = join(tmp.dir, 'ifcfg-bad');
    writeFileSync(file, 'DEVICE=eth0\nNAME=System eth0\n');
    const r = run('env', ['-i', 'bash', '-c', 'set -ae; . "$1"', '_', file]);
    assert.notEqual(r.status, 0);
  });

  it('route-/rule- lines are valid iproute2 arguments and route replies through the ENI (as ifup-routes runs them)', () => {
    const ns = `enp-os-${process.pid}-rhel`;
    const r = render('rhel-8', LAB_SECONDARY);
    const lines = (suffix: string) => r.files.find((f) => f.path === `${RHEL_DIR}/${suffix}-eth1`)!.content
      .split('\n').filter((l) => l.trim() && !l.startsWith('#'));
    runOk('ip', ['netns', 'add', ns]);
    try {
      const ipn = (...args: string[]) => runOk('ip', ['-n', ns, ...args]);
      ipn('link', 'add', 'eth1', 'type', 'veth', 'peer', 'name', 'peer1');
      ipn('link', 'set', 'peer1', 'up');
      ipn('link', 'set', 'eth1', 'up');
      for (const a of expectedAddressSet(LAB_SECONDARY)) ipn(a.includes(':') ? '-6' : '-4', 'addr', 'add', a, 'dev', 'eth1', ...(a.includes(':') ? ['nodad'] : []));
      for (const l of lines('route')) ipn('-4', 'route', 'add', ...l.split(/\s+/));
      for (const l of lines('rule')) ipn('-4', 'rule', 'add', ...l.split(/\s+/));
      for (const l of lines('route6')) ipn('-6', 'route', 'add', ...l.split(/\s+/));
      for (const l of lines('rule6')) ipn('-6', 'rule', 'add', ...l.split(/\s+/));
      for (const a of expectedAddressSet(LAB_SECONDARY).map((x) => x.split('/')[0])) {
        const out = ipn(a.includes(':') ? '-6' : '-4', 'route', 'get', a.includes(':') ? '2001:db8:ff::1' : '198.19.0.1', 'from', a).stdout;
        assert.match(out, /dev eth1 table 1001/, out);
      }
      assert.equal(ipn('-4', 'route', 'show', 'default').stdout.trim(), '', 'nothing in the main table');
    } finally {
      run('ip', ['netns', 'del', ns]);
    }
  });
});

describe('SUSE ifcfg', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  before(() => { tmp = makeTempDir('sles'); });
  after(() => tmp.remove());

  for (const facts of [SEED_FACTS, LAB_PRIMARY, LAB_SECONDARY]) {
    it(`${facts.interfaceName} (${facts.isPrimaryEni ? 'primary' : 'secondary'} ENI${facts.ipv6 ? ', IPv6' : ''}): bash reads it, cloud-init agrees on the addresses`, () => {
      const dir = join(tmp.dir, `ours-${facts.eniId}`);
      writeDir(render('sles-15', facts), SLES_DIR, dir);
      const ifcfg = join(dir, `ifcfg-${facts.interfaceName}`);
      runOk('bash', ['-n', ifcfg]);
      const vars = sourced(ifcfg);
      assert.equal(vars.BOOTPROTO, 'static');
      assert.equal(vars.STARTMODE, 'auto');
      const ours = addrSets(dir, facts.interfaceName);
      assert.deepEqual(ours, expectedAddressSet(facts));
      const theirs = addrSets(cloudInitConvert(facts, 'sles', join(tmp.dir, `ci-${facts.eniId}`)), facts.interfaceName);
      assert.deepEqual(ours, theirs, 'same address set as cloud-init -D sles');
      if (facts.isPrimaryEni) {
        // nothing checks the routes file (cloud-init 22.4 writes none for SUSE): its one line is held to the seed's text
        assert.match(readFileSync(join(dir, 'routes'), 'utf8'), new RegExp(`^default ${facts.ipv4.gateway.replace(/\./g, '\\.')} - -$`, 'm'));
      }
    });
  }

  it('bash reads the files of random ENIs to exactly their addresses', () => {
    let n = 0;
    fc.assert(fc.property(eniFactsArb, (facts) => {
      const dir = join(tmp.dir, `p${n++}`);
      writeDir(render('opensuse-15', facts), SLES_DIR, dir);
      assert.deepEqual(bashAddresses(dir, facts.interfaceName), expectedAddressSet(facts));
    }), { numRuns: 20 });
  });
});
