// RHEL-family ifcfg files. Nothing in Debian can apply them (no initscripts,
// no ifcfg-rh plugin), so they are checked as far as real tools reach:
// `bash -n`; sourcing with `env -i bash -c 'set -ae; . F'` (how the network
// scripts read them; -e makes an unquoted value with a space fail); the
// address set and gateway compared with cloud-init's own rendering of the
// same intent; and the route-/rule- lines fed to iproute2 in a namespace, as
// initscripts' ifup-routes does with them.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import fc from 'fast-check';
import { render } from '../../src/osconfig/index.ts';
import { eniFactsArb, expectedAddressSet, LAB_PRIMARY, LAB_SECONDARY, SEED_FACTS } from './support/facts-arb.ts';
import { makeTempDir, run, runOk } from './support/proc.ts';
import { addrSets, bashAddresses, cloudInitConvert, RHEL_DIR, sourced, writeDir } from './support/ifcfg-tools.ts';

describe('RHEL ifcfg', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let cloudInit: string;
  before(() => {
    tmp = makeTempDir('rhel');
    cloudInit = cloudInitConvert([LAB_PRIMARY, LAB_SECONDARY], 'rhel', join(tmp.dir, 'cloud-init'));
  });
  after(() => tmp.remove());

  for (const facts of [LAB_PRIMARY, LAB_SECONDARY]) {
    it(`${facts.interfaceName} (${facts.isPrimaryEni ? 'primary' : 'secondary'} ENI, IPv4 + IPv6): bash reads it, cloud-init agrees`, () => {
      const dir = join(tmp.dir, `ours-${facts.eniId}`);
      const names = writeDir(render('alinux-3', facts), RHEL_DIR, dir);
      for (const name of names.filter((n) => n.startsWith('ifcfg-'))) {
        runOk('bash', ['-n', join(dir, name)]);
        sourced(join(dir, name));
      }
      const ours = bashAddresses(dir, facts.interfaceName);
      assert.deepEqual(ours, expectedAddressSet(facts));
      assert.deepEqual(ours, bashAddresses(cloudInit, facts.interfaceName), 'same address set as cloud-init -D rhel');
      const main = sourced(join(dir, `ifcfg-${facts.interfaceName}`));
      if (facts.isPrimaryEni) {
        const ci = sourced(join(cloudInit, `ifcfg-${facts.interfaceName}`));
        assert.equal(main.GATEWAY, ci.GATEWAY, 'same IPv4 gateway as cloud-init');
        assert.equal(main.DEFROUTE, 'yes');
      } else {
        assert.equal(main.GATEWAY, undefined);
        assert.equal(main.DEFROUTE, 'no');
        assert.equal(main.IPV6_DEFROUTE, 'no');
        assert.equal(main.IPV6_DEFAULTGW, undefined);
      }
    });
  }

  it("the spec's addr-sets.sh reads the same set from the seed example (alias files)", () => {
    const dir = join(tmp.dir, 'seed');
    writeDir(render('centos-8', SEED_FACTS), RHEL_DIR, dir);
    assert.deepEqual(addrSets(dir, 'eth0'), expectedAddressSet(SEED_FACTS));
    assert.deepEqual(bashAddresses(dir, 'eth0'), expectedAddressSet(SEED_FACTS));
  });

  it('bash reads the files of random ENIs to exactly their addresses', () => {
    let n = 0;
    fc.assert(
      fc.property(eniFactsArb, (facts) => {
        const dir = join(tmp.dir, `p${n++}`);
        writeDir(render('centos-7', facts), RHEL_DIR, dir);
        runOk('bash', ['-n', join(dir, `ifcfg-${facts.interfaceName}`)]);
        assert.deepEqual(bashAddresses(dir, facts.interfaceName), expectedAddressSet(facts));
      }),
      { numRuns: 8 },
    );
  });

  it('sourcing with -e catches an unquoted value with a space (the check can fail)', () => {
    const dir = join(tmp.dir, 'bad');
    writeDir(
      {
        ...render('rhel-7', SEED_FACTS),
        files: [{ path: `${RHEL_DIR}/ifcfg-eth0`, content: 'DEVICE=eth0\nNAME=System eth0\n', description: '' }],
      },
      RHEL_DIR,
      dir,
    );
    assert.notEqual(run('env', ['-i', 'bash', '-c', 'set -ae; . "$1"', '_', join(dir, 'ifcfg-eth0')]).status, 0);
  });

  it('route-/rule- lines are valid iproute2 arguments and route replies through the ENI (as ifup-routes runs them)', () => {
    const ns = `enp-os-${process.pid}-rhel`;
    const r = render('rhel-8', LAB_SECONDARY);
    const lines = (prefix: string) =>
      r.files
        .find((f) => f.path === `${RHEL_DIR}/${prefix}-eth1`)!
        .content.split('\n')
        .filter((l) => l.trim() && !l.startsWith('#'));
    runOk('ip', ['netns', 'add', ns]);
    try {
      const ipn = (...args: string[]) => runOk('ip', ['-n', ns, ...args]);
      ipn('link', 'add', 'eth1', 'type', 'veth', 'peer', 'name', 'peer1');
      ipn('link', 'set', 'peer1', 'up');
      ipn('link', 'set', 'eth1', 'up');
      for (const a of expectedAddressSet(LAB_SECONDARY))
        ipn(a.includes(':') ? '-6' : '-4', 'addr', 'add', a, 'dev', 'eth1', ...(a.includes(':') ? ['nodad'] : []));
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
