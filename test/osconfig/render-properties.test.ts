// Property tests over random ENIs (1-49 secondary IPv4 addresses, with and
// without IPv6, /16../29, primary and secondary ENIs): for every target, the
// addresses the output configures are exactly the ENI's, a primary ENI has its
// default routes in the main table, and a secondary ENI has none there but a
// table of its own with one source rule per address. Each format is read back
// by the independent parsers in support/parsers.ts.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { render, listOs } from '../../src/osconfig/index.ts';
import type { EniFacts } from '../../src/osconfig/facts.ts';
import type { Rendering, TargetId } from '../../src/osconfig/rendering.ts';
import { eniFactsArb, expectedAddressSet } from './support/facts-arb.ts';
import {
  fileContent,
  interfacesMeaning,
  netplanMeaning,
  netshMeaning,
  nmcliMeaning,
  powershellMeaning,
  rhelMeaning,
  slesMeaning,
  type Meaning,
} from './support/parsers.ts';

const RUNS = 150;

function expectedMeaning(f: EniFacts, target: TargetId): Omit<Meaning, 'addresses'> {
  const gateways = [f.ipv4.gateway, ...(f.ipv6 ? [f.ipv6.gateway] : [])];
  if (target === 'windows' || f.isPrimaryEni) {
    // Windows has no policy routing: a secondary ENI keeps a (high-metric) gateway
    return { mainDefaults: [...gateways].sort(), tableDefaults: [], rules: [] };
  }
  const table = 1000 + f.deviceIndex;
  return {
    mainDefaults: [],
    tableDefaults: gateways.map((g) => `${table}:${g}`).sort(),
    rules: [
      ...[f.ipv4.primary, ...f.ipv4.secondaries].map((a) => `${a}/32:${table}:${table}`),
      ...(f.ipv6?.addresses ?? []).map((a) => `${a}/128:${table}:${table}`),
    ].sort(),
  };
}

const READERS: Record<TargetId, (r: Rendering, f: EniFacts) => Meaning[]> = {
  nmcli: (r) => [nmcliMeaning(r)],
  'rhel-ifcfg': (r, f) => [rhelMeaning(r, f.interfaceName)],
  'netplan-gateway4': (r) => [netplanMeaning(r.files.find((x) => x.path.startsWith('/etc/netplan/'))!.content)],
  'netplan-default-route': (r) => [netplanMeaning(r.files.find((x) => x.path.startsWith('/etc/netplan/'))!.content)],
  ifupdown: (r) => [interfacesMeaning(r.files.find((x) => x.path.startsWith('/etc/network/'))!.content)],
  'sles-ifcfg': (r, f) => [slesMeaning(r, f.interfaceName)],
  // both Windows files must say the same thing
  windows: (r) => [powershellMeaning(fileContent(r, '.ps1')), netshMeaning(fileContent(r, '.cmd'))],
};

// one OS per target is enough here: targets, not OS ids, decide the format
const ONE_OS_PER_TARGET = [...new Map(listOs().map((o) => [o.target, o.id])).values()];

describe('every target configures exactly the ENI, over random ENIs', () => {
  for (const osId of ONE_OS_PER_TARGET) {
    it(osId, () => {
      fc.assert(
        fc.property(eniFactsArb, (facts) => {
          const r = render(osId, facts);
          const want = expectedMeaning(facts, r.target);
          for (const got of READERS[r.target](r, facts)) {
            assert.deepEqual(got.addresses, expectedAddressSet(facts));
            assert.deepEqual(got.mainDefaults, want.mainDefaults);
            assert.deepEqual(got.tableDefaults, want.tableDefaults);
            assert.deepEqual(got.rules, want.rules);
          }
        }),
        { numRuns: RUNS },
      );
    });
  }
});

describe('rendering invariants, over random ENIs and every OS id', () => {
  it('prepare commands come first, each written file is backed up before, renders are deterministic', () => {
    const ids = listOs().map((o) => o.id);
    fc.assert(
      fc.property(eniFactsArb, fc.constantFrom(...ids), (facts, osId) => {
        const r = render(osId, facts);
        assert.equal(r.osId, osId);
        const stages = r.commands.map((c) => c.stage);
        assert.deepEqual(
          stages,
          [...stages].sort((a, b) => (a === b ? 0 : a === 'prepare' ? -1 : 1)),
          'prepare before apply',
        );
        if (r.shell === 'sh') {
          for (const f of r.files) {
            // every file either has its own backup command or is covered by a glob move (alias files)
            const covered = r.commands.some(
              (c) =>
                c.stage === 'prepare' &&
                (c.run.includes(`[ -e ${f.path} ]`) || (f.path.includes(':') && c.run.includes(`${f.path.replace(/:\d+$/, ':*')}`))),
            );
            assert.ok(covered, `no backup for ${f.path}`);
            assert.ok(f.content.endsWith('\n'), `${f.path} ends with a newline`);
          }
        }
        assert.deepEqual(render(osId, facts), r, 'same input, same output');
        assert.ok(r.verify.length > 0);
      }),
      { numRuns: 200 },
    );
  });
});
