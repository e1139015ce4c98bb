// Shared by the RHEL and SUSE ifcfg tests: writing renderings to a directory,
// reading them back the way the network scripts do (bash sourcing), and
// cloud-init's rendering of the same intent for comparison.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EniFacts } from '../../../src/osconfig/facts.ts';
import type { Rendering } from '../../../src/osconfig/rendering.ts';
import { canonicalIp } from '../../../src/osconfig/ip.ts';
import { expectedAddressSet } from './facts-arb.ts';
import { netmaskToPrefix } from './parsers.ts';
import { run, runOk } from './proc.ts';

export const ADDR_SETS = new URL('../../fixtures/os-validation/addr-sets.sh', import.meta.url).pathname;
export const RHEL_DIR = '/etc/sysconfig/network-scripts';
export const SLES_DIR = '/etc/sysconfig/network';

/** writes the rendered files of one guest directory into dir, under their base names */
export function writeDir(r: Rendering, guestDir: string, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const names: string[] = [];
  for (const f of r.files.filter((x) => x.path.startsWith(`${guestDir}/`))) {
    const name = f.path.slice(guestDir.length + 1);
    writeFileSync(join(dir, name), f.content);
    names.push(name);
  }
  return names;
}

/** the variables a script sees after `env -i bash -c 'set -ae; . F'`, as the network scripts read the file */
export function sourced(file: string): Record<string, string> {
  const r = run('env', ['-i', 'bash', '-c', 'set -ae; . "$1"; env -0', '_', file]);
  assert.equal(r.status, 0, `sourcing ${file} failed: ${r.stderr}`);
  return Object.fromEntries(
    r.stdout
      .split('\0')
      .filter((kv) => kv.includes('='))
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
}

/** "addr/prefix" lines from the spec's addr-sets.sh: bash sourcing plus python's ipaddress */
export function addrSets(dir: string, dev: string): string[] {
  return runOk(ADDR_SETS, ['ifcfg', dir, dev]).stdout.split('\n').filter(Boolean).sort();
}

/**
 * The addresses bash sees in ifcfg-DEV and every ifcfg-DEV:N, each file
 * sourced with `set -ae` in its own subshell of one `env -i bash` (the same
 * reading as addr-sets.sh without starting python, or anything, per file:
 * that made the property tests slow). Reads RHEL IPADDR/NETMASK/PREFIX,
 * IPV6ADDR(_SECONDARIES) and SUSE IPADDR_n/NETMASK_n/PREFIXLEN_n.
 */
export function bashAddresses(dir: string, dev: string): string[] {
  // one fork per file and no exec: `declare -px` is a builtin (prints declare -x NAME="value")
  const script =
    'for f in "$1/ifcfg-$2" "$1/ifcfg-$2":*; do [ -f "$f" ] || continue; ' + '( set -ae; . "$f"; declare -px ) || exit 1; echo "--"; done';
  const r = run('env', ['-i', 'bash', '-c', script, '_', dir, dev]);
  assert.equal(r.status, 0, r.stderr);
  const out: string[] = [];
  for (const chunk of r.stdout.split('\n--\n')) {
    const env: Record<string, string> = {};
    for (const m of chunk.matchAll(/^declare -x (\w+)="(.*)"$/gm)) env[m[1]] = m[2].replace(/\\(.)/g, '$1');
    for (const [k, v] of Object.entries(env)) {
      const m = /^IPADDR(_?\w*)$/.exec(k);
      if (!m || !v) continue;
      if (v.includes('/')) {
        out.push(v);
        continue;
      }
      const p = env[`PREFIX${m[1]}`] ?? env[`PREFIXLEN${m[1]}`] ?? String(netmaskToPrefix(env[`NETMASK${m[1]}`]));
      out.push(`${v}/${p}`);
    }
    for (const k of ['IPV6ADDR', 'IPV6ADDR_SECONDARIES']) out.push(...(env[k] ?? '').split(/\s+/).filter(Boolean));
  }
  return out
    .map((a) => {
      const [ip, p] = a.split('/');
      return `${canonicalIp(ip)}/${p}`;
    })
    .sort();
}

/**
 * cloud-init's sysconfig rendering of the ENIs' intent, given to it as one
 * netplan v2 document (22.4 wants 0.0.0.0/0, not "default"); returns the
 * directory holding its ifcfg files.
 */
export function cloudInitConvert(enis: EniFacts[], distro: 'rhel' | 'sles', dir: string): string {
  mkdirSync(dir, { recursive: true });
  const stanzas = enis.map((f) => {
    const addrs = expectedAddressSet(f)
      .map((a) => `"${a}"`)
      .join(', ');
    const routes = f.isPrimaryEni ? `\n      routes:\n        - to: 0.0.0.0/0\n          via: ${f.ipv4.gateway}` : '';
    return `    ${f.interfaceName}:\n      addresses: [${addrs}]${routes}`;
  });
  writeFileSync(join(dir, 'intent.yaml'), `network:\n  version: 2\n  ethernets:\n${stanzas.join('\n')}\n`);
  runOk(
    'cloud-init',
    ['devel', 'net-convert', '-p', join(dir, 'intent.yaml'), '-k', 'yaml', '-D', distro, '-O', 'sysconfig', '-d', join(dir, 'out')],
    { timeoutMs: 30_000 },
  );
  return join(dir, 'out', distro === 'rhel' ? RHEL_DIR : SLES_DIR);
}
