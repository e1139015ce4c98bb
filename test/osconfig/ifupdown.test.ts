// /etc/network/interfaces (Ubuntu 14/16, Debian 8-11) checked with ifupdown
// itself: ifquery and `ifup --no-act` parse it, and `ifup -a` applies it for
// real inside the lab namespaces; every address then answers ping, and the
// secondary ENI's replies leave through its own table.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { render } from '../../src/osconfig/index.ts';
import type { EniFacts } from '../../src/osconfig/facts.ts';
import { eniFactsArb, expectedAddressSet, LAB_PRIMARY, LAB_SECONDARY } from './support/facts-arb.ts';
import { fileContent } from './support/parsers.ts';
import { makeTempDir, run, runOk } from './support/proc.ts';
import { createLab, type Lab } from './support/netns-lab.ts';
import { assertLabConfigured } from './support/lab-checks.ts';

const OS = 'debian-11';

/**
 * Writes the primary ENI's /etc/network/interfaces and the secondary ENI's
 * interfaces.d file into dir, pointing the main file's `source` line at dir
 * (never at the host's /etc/network/interfaces.d). Returns the main file.
 */
function writeConfig(dir: string, primary: EniFacts, secondary?: EniFacts): string {
  const main = fileContent(render(OS, primary), '/etc/network/interfaces');
  const sourceLine = 'source /etc/network/interfaces.d/*';
  assert.ok(main.includes(`\n${sourceLine}\n`), 'the main file reads interfaces.d');
  mkdirSync(join(dir, 'interfaces.d'), { recursive: true });
  writeFileSync(join(dir, 'interfaces'), main.replace(sourceLine, `source ${dir}/interfaces.d/*`));
  if (secondary) {
    writeFileSync(
      join(dir, 'interfaces.d', secondary.interfaceName),
      fileContent(render(OS, secondary), `/etc/network/interfaces.d/${secondary.interfaceName}`),
    );
  }
  return join(dir, 'interfaces');
}

/** the addresses `ifup --no-act` would add, as addr/prefix (as addr-sets.sh does) */
function dryRunAddresses(file: string, stateDir: string): string[] {
  const r = runOk('ifup', ['-n', '-v', '-a', '--no-scripts', '-i', file, `--state-dir=${stateDir}`]);
  const out = r.stdout + r.stderr;
  return [...out.matchAll(/ip (?:-6 )?addr add (\S+)/g)]
    .map((m) => {
      const [a, mask] = m[1].split('/');
      if (!mask) return `${a}/${a.includes(':') ? 128 : 32}`;
      if (!mask.includes('.')) return `${a}/${mask}`;
      return `${a}/${mask.split('.').reduce((n, o) => n + Number(o).toString(2).replace(/0/g, '').length, 0)}`;
    })
    .sort();
}

describe('ifupdown parses the rendering', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  before(() => {
    tmp = makeTempDir('ifq');
  });
  after(() => tmp.remove());

  it('ifquery lists every stanza, each alias resolves to its own address', () => {
    const file = writeConfig(tmp.dir, LAB_PRIMARY, LAB_SECONDARY);
    const list = runOk('ifquery', ['-i', file, '--list']).stdout.split('\n').filter(Boolean).sort();
    assert.deepEqual(list, ['eth0', 'eth0:0', 'eth0:1', 'eth1', 'eth1:0', 'eth1:1', 'lo']);
    const alias = runOk('ifquery', ['-i', file, 'eth0:1']).stdout;
    assert.match(alias, /^address: 198\.18\.0\.12$/m);
    assert.match(alias, /^netmask: 255\.255\.255\.0$/m);
  });

  it('ifup --no-act adds exactly the ENI addresses, over random ENIs', () => {
    const state = join(tmp.dir, 'state');
    mkdirSync(state, { recursive: true });
    fc.assert(
      fc.property(eniFactsArb, (facts) => {
        const dir = join(tmp.dir, `p${Math.random().toString(36).slice(2)}`);
        if (facts.isPrimaryEni) {
          assert.deepEqual(dryRunAddresses(writeConfig(dir, facts), state), expectedAddressSet(facts));
        } else {
          const file = writeConfig(dir, { ...LAB_PRIMARY, ipv6: undefined, ipv4: { ...LAB_PRIMARY.ipv4, secondaries: [] } }, facts);
          const got = dryRunAddresses(file, state).filter((a) => a !== '198.18.0.10/24');
          assert.deepEqual(got, expectedAddressSet(facts));
        }
      }),
      { numRuns: 12 },
    );
  });

  it('a stanza with two address lines would lose the second (the pitfall the alias stanzas avoid)', () => {
    const file = join(tmp.dir, 'two-addresses');
    writeFileSync(file, 'auto eth0\niface eth0 inet static\n    address 198.18.0.10/24\n    address 198.18.0.11/24\n');
    assert.deepEqual(dryRunAddresses(file, join(tmp.dir, 'state')), ['198.18.0.10/24']);
  });
});

describe('ifupdown applies the rendering for real in a network namespace', () => {
  let lab: Lab | undefined;
  let tmp: ReturnType<typeof makeTempDir>;
  before(() => {
    tmp = makeTempDir('ifup');
    lab = createLab();
  });
  after(() => {
    lab?.remove();
    tmp.remove();
  });

  it('ifup -a configures eth0 (primary ENI) and eth1 (secondary ENI); every address answers', async () => {
    const file = writeConfig(tmp.dir, LAB_PRIMARY, LAB_SECONDARY);
    const state = join(tmp.dir, 'state');
    mkdirSync(state);
    // --state-dir keeps ifupdown's state out of the host's /run/network; --no-scripts skips
    // the /etc/network/if-*.d hooks (the stanzas' own post-up lines still run)
    const up = run('ip', ['netns', 'exec', lab!.vm, 'ifup', '-v', '-a', '-i', file, `--state-dir=${state}`, '--no-scripts'], {
      timeoutMs: 40_000,
    });
    assert.equal(up.status, 0, up.stdout + up.stderr);
    await assertLabConfigured(lab!);

    // ifdown runs the pre-down lines: the secondary ENI's rules go away with it
    const down = run(
      'ip',
      ['netns', 'exec', lab!.vm, 'ifdown', '-v', '-i', file, `--state-dir=${state}`, '--no-scripts', 'eth1:1', 'eth1:0', 'eth1'],
      { timeoutMs: 20_000 },
    );
    assert.equal(down.status, 0, down.stdout + down.stderr);
    assert.doesNotMatch(runOk('ip', ['-n', lab!.vm, '-4', 'rule', 'show']).stdout, /lookup 1001/);
    assert.doesNotMatch(runOk('ip', ['-n', lab!.vm, '-6', 'rule', 'show']).stdout, /lookup 1001/);
  });
});
