// validateFacts: every problem at once, with a path; normalised output; and
// render() refusing bad facts with a typed error.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { InvalidFactsError, render, validateFacts } from '../../src/osconfig/index.ts';
import { eniFactsArb, LAB_SECONDARY, SEED_FACTS } from './support/facts-arb.ts';

const paths = (input: unknown) => {
  const r = validateFacts(input);
  assert.equal(r.ok, false);
  return r.ok ? [] : r.problems.map((p) => p.path).sort();
};

describe('validateFacts', () => {
  it('accepts the seed example, the lab ENIs and random valid ENIs, unchanged', () => {
    for (const f of [SEED_FACTS, LAB_SECONDARY]) assert.deepEqual(validateFacts(f), { ok: true, facts: f });
    fc.assert(
      fc.property(eniFactsArb, (f) => {
        const r = validateFacts(f);
        assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
        assert.deepEqual(r.facts, f);
      }),
      { numRuns: 200 },
    );
  });

  it('normalises spellings: MAC case, IPv6 text', () => {
    const r = validateFacts({
      ...LAB_SECONDARY,
      macAddress: '02:00:00:AA:00:02',
      ipv6: { ...LAB_SECONDARY.ipv6!, addresses: ['2001:DB8:1:0::0010', '2001:db8:1::11'], cidrBlock: '2001:0db8:0001::/64' },
    });
    assert.ok(r.ok);
    assert.equal(r.facts.macAddress, '02:00:00:aa:00:02');
    assert.deepEqual(r.facts.ipv6!.addresses, ['2001:db8:1::10', '2001:db8:1::11']);
    assert.equal(r.facts.ipv6!.cidrBlock, '2001:db8:1::/64');
  });

  it('reports every problem at once', () => {
    const got = paths({
      ...SEED_FACTS,
      interfaceName: 'eth 0',
      macAddress: '00:16:3e:zz:43:aa',
      deviceIndex: 2, // isPrimaryEni is true
      ipv4: {
        primary: '192.168.2.201', // outside the CIDR
        secondaries: ['192.168.1.202', '192.168.1.202', '192.168.1.300', '192.168.1.255'],
        prefixLength: 23, // CIDR says 24
        gateway: '192.168.1.253',
        cidrBlock: '192.168.1.0/24',
      },
      dnsServers: ['223.5.5.5', 'dns.example'],
      extra: true,
    });
    assert.deepEqual(got, [
      '', // unknown key "extra"
      'deviceIndex',
      'dnsServers.1',
      'interfaceName',
      'ipv4.prefixLength',
      'ipv4.primary',
      'ipv4.secondaries.1', // duplicate
      'ipv4.secondaries.2', // not an address
      'ipv4.secondaries.3', // broadcast
      'macAddress',
    ]);
  });

  it('reports shape errors and network rules together', () => {
    const got = paths({
      ...SEED_FACTS,
      isPrimaryEni: 'yes',
      ipv4: { ...SEED_FACTS.ipv4, gateway: '10.0.0.1' },
      ipv6: { addresses: [], prefixLength: 64, gateway: 'fe80::1', cidrBlock: '2001:db8::/64' },
    });
    assert.deepEqual(got, ['ipv4.gateway', 'ipv6.addresses', 'isPrimaryEni']);
  });

  it('checks IPv6 too, and allows a link-local IPv6 gateway', () => {
    assert.deepEqual(
      paths({
        ...LAB_SECONDARY,
        ipv6: { ...LAB_SECONDARY.ipv6!, addresses: ['2001:db8:2::10', '198.18.1.10'], cidrBlock: '2001:db8:1::1/64' },
      }),
      ['ipv6.addresses.0', 'ipv6.addresses.1', 'ipv6.cidrBlock'],
    );
    assert.ok(validateFacts({ ...LAB_SECONDARY, ipv6: { ...LAB_SECONDARY.ipv6!, gateway: 'fe80::1' } }).ok);
  });

  it('enforces the limits: 49 secondaries, /16../29, 3 DNS servers', () => {
    const many = Array.from({ length: 50 }, (_, i) => `10.0.1.${i + 10}`);
    assert.deepEqual(
      paths({
        ...SEED_FACTS,
        ipv4: { primary: '10.0.1.5', secondaries: many, prefixLength: 24, gateway: '10.0.1.1', cidrBlock: '10.0.1.0/24' },
      }),
      ['ipv4.secondaries'],
    );
    assert.deepEqual(
      paths({ ...SEED_FACTS, ipv4: { ...SEED_FACTS.ipv4, prefixLength: 30, cidrBlock: '192.168.1.200/30', secondaries: [] } }),
      ['ipv4.gateway', 'ipv4.prefixLength'],
    );
    assert.deepEqual(paths({ ...SEED_FACTS, dnsServers: ['1.1.1.1', '1.0.0.1', '8.8.8.8', '8.8.4.4'] }), ['dnsServers']);
  });

  it('render() throws InvalidFactsError with the same problems, and checks alias label length', () => {
    assert.throws(
      () => render('nmcli', { ...SEED_FACTS, macAddress: 'nope' }),
      (e: unknown) =>
        e instanceof InvalidFactsError && e.code === 'InvalidFacts' && e.problems.length === 1 && e.problems[0].path === 'macAddress',
    );
    // "enp0s31f6lan0:9" is 15 characters; an eleventh secondary needs "enp0s31f6lan0:10", 16
    const long = {
      ...SEED_FACTS,
      interfaceName: 'enp0s31f6lan0',
      ipv4: { ...SEED_FACTS.ipv4, secondaries: Array.from({ length: 10 }, (_, i) => `192.168.1.${i + 10}`) },
    };
    assert.doesNotThrow(() => render('debian-11', long));
    const longer = { ...long, ipv4: { ...long.ipv4, secondaries: [...long.ipv4.secondaries, '192.168.1.100'] } };
    assert.throws(() => render('debian-11', longer), /enp0s31f6lan0:10 is longer than 15/);
    assert.doesNotThrow(() => render('nmcli', longer), 'no alias labels with nmcli');
  });
});
