// netplan YAML checked with netplan itself: `netplan generate --root-dir`
// (inside a private mount namespace with its own /run, see the spec) accepts
// both variants, the 22/24 one without a single warning; the networkd files
// it writes hold exactly the ENI's addresses; and systemd-networkd applies
// the 22/24 rendering for real inside the lab namespaces.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { render } from '../../src/osconfig/index.ts';
import type { EniFacts } from '../../src/osconfig/facts.ts';
import { eniFactsArb, expectedAddressSet, LAB_PRIMARY, LAB_SECONDARY } from './support/facts-arb.ts';
import { makeTempDir, run, sleep } from './support/proc.ts';
import { createLab, type Lab } from './support/netns-lab.ts';
import { assertLabConfigured } from './support/lab-checks.ts';

/** writes the renderings' YAML under root/etc/netplan with the rendered modes */
function writeYaml(root: string, osId: string, enis: EniFacts[]): string[] {
  const texts: string[] = [];
  for (const f of enis) {
    const yaml = render(osId, f).files.find((x) => x.path.startsWith('/etc/netplan/'))!;
    const path = join(root, yaml.path);
    mkdirSync(join(root, 'etc/netplan'), { recursive: true });
    writeFileSync(path, yaml.content);
    chmodSync(path, yaml.mode!);
    texts.push(yaml.content);
  }
  return texts;
}

/** netplan generate with a private /run: its udevadm/systemctl calls cannot reach the host */
function generate(root: string, tool: 'netplan' | 'c-generator') {
  const cmd = tool === 'netplan' ? `netplan generate --root-dir '${root}'` : `/lib/netplan/generate --root-dir '${root}'`;
  return run('unshare', ['-m', 'sh', '-c', `mount -t tmpfs tmpfs /run && ${cmd}`], { timeoutMs: 20_000 });
}

function networkFiles(root: string): string[] {
  const dir = join(root, 'run/systemd/network');
  return readdirSync(dir)
    .filter((n) => n.endsWith('.network'))
    .map((n) => readFileSync(join(dir, n), 'utf8'));
}

describe('netplan generate accepts the renderings', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  before(() => {
    tmp = makeTempDir('netplan');
  });
  after(() => tmp.remove());

  it('22.04/24.04/Debian 12: no error and no warning, primary and secondary ENI', () => {
    const root = join(tmp.dir, 'modern');
    writeYaml(root, 'ubuntu-22.04', [LAB_PRIMARY, LAB_SECONDARY]);
    const r = generate(root, 'netplan');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr.trim(), '', 'netplan printed nothing on stderr');
    assert.equal(networkFiles(root).length, 2);
  });

  it('18.04/20.04: accepted, default routes as gateway4/gateway6 and never "to: default"', () => {
    const root = join(tmp.dir, 'legacy');
    const [primary, secondary] = writeYaml(root, 'ubuntu-20.04', [LAB_PRIMARY, LAB_SECONDARY]);
    const r = generate(root, 'netplan');
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /error/i);
    // netplan 0.106 warns about gateway4 itself; 18.04's netplan 0.99 does not know "to: default"
    assert.match(primary, /^ +gateway4: 198\.18\.0\.1$/m);
    assert.match(primary, /^ +gateway6: "2001:db8::1"$/m);
    for (const text of [primary, secondary]) assert.doesNotMatch(text, /to: default/);
    assert.doesNotMatch(secondary, /gateway4|gateway6/, 'no main-table default for a secondary ENI');
  });

  it('a broken file is refused (the check can fail)', () => {
    const root = join(tmp.dir, 'broken');
    mkdirSync(join(root, 'etc/netplan'), { recursive: true });
    const bad = render('ubuntu-22.04', LAB_PRIMARY).files[1].content.replace('addresses:', 'adresses:');
    writeFileSync(join(root, 'etc/netplan/50-cloud-init.yaml'), bad, { mode: 0o600 });
    const r = generate(root, 'netplan');
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /unknown key 'adresses'/);
  });

  it('the networkd files netplan writes hold exactly the ENI addresses, over random ENIs', () => {
    let n = 0;
    fc.assert(
      fc.property(eniFactsArb, fc.constantFrom('ubuntu-18.04', 'ubuntu-24.04'), (facts, osId) => {
        const root = join(tmp.dir, `p${n++}`);
        writeYaml(root, osId, [facts]);
        const r = generate(root, 'c-generator');
        assert.equal(r.status, 0, r.stderr);
        const [network] = networkFiles(root);
        const addresses = [...network.matchAll(/^Address=(\S+)$/gm)].map((m) => m[1]).sort();
        assert.deepEqual(addresses, expectedAddressSet(facts));
        // networkd's own view of the default routes: in [Network] Gateway= or a [Route] without Table=
        const sections = network.split(/\n(?=\[)/);
        const mainDefaults = sections.filter(
          (s) =>
            (s.startsWith('[Network]') && /^Gateway=/m.test(s)) ||
            (s.startsWith('[Route]') && /^Destination=(0\.0\.0\.0|::)\/0$/m.test(s) && !/^Table=/m.test(s)),
        );
        assert.equal(mainDefaults.length > 0, facts.isPrimaryEni);
        const rules = sections.filter((s) => s.startsWith('[RoutingPolicyRule]'));
        assert.equal(rules.length, facts.isPrimaryEni ? 0 : expectedAddressSet(facts).length);
        rmSync(root, { recursive: true, force: true });
      }),
      { numRuns: 10 },
    );
  });
});

describe('systemd-networkd applies the 22.04 rendering for real in a network namespace', () => {
  let lab: Lab | undefined;
  let tmp: ReturnType<typeof makeTempDir>;
  let networkd: ChildProcess | undefined;
  before(() => {
    tmp = makeTempDir('networkd');
    lab = createLab();
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

  it('networkd configures eth0 (primary ENI) and eth1 (secondary ENI); every address answers', async () => {
    const root = join(tmp.dir, 'root');
    writeYaml(root, 'ubuntu-22.04', [LAB_PRIMARY, LAB_SECONDARY]);
    const g = generate(root, 'netplan');
    assert.equal(g.status, 0, g.stderr);
    const netdir = join(tmp.dir, 'network');
    mkdirSync(netdir);
    for (const [i, text] of networkFiles(root).entries()) {
      assert.match(text, /^PermanentMACAddress=/m);
      // a veth has no permanent (burned-in) MAC, a real NIC has; match its current one instead
      writeFileSync(join(netdir, `10-test-${i}.network`), text.replace(/^PermanentMACAddress=/m, 'MACAddress='));
    }
    // networkd as a plain process: private /run holding only these files, read-only /sys
    // so it does not wait for udev; `exec` makes the child networkd itself
    const inner = [
      'set -e',
      'mount -t tmpfs tmpfs /run',
      'mount -o remount,ro /sys',
      'mkdir -p /run/systemd/network',
      `cp '${netdir}'/*.network /run/systemd/network/`,
      'exec /lib/systemd/systemd-networkd',
    ].join('\n');
    const log: string[] = [];
    networkd = spawn('ip', ['netns', 'exec', lab!.vm, 'unshare', '-m', '--propagation', 'private', 'sh', '-c', inner], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    networkd.stdout!.on('data', (d) => log.push(String(d)));
    networkd.stderr!.on('data', (d) => log.push(String(d)));
    try {
      await assertLabConfigured(lab!);
    } catch (e) {
      throw new Error(`${(e as Error).message}\n--- networkd log\n${log.join('')}`);
    }
  });
});
