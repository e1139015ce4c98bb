import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  allocateIpv6,
  canonicalIpv6,
  IPV6_DRAWS_PER_ADDRESS,
  ipv6InCidr,
  isReservedIpv6,
  parseIpv6Cidr,
  type Ipv6Request,
} from '../../src/ipam/index.ts';
import { assertDomainError, outcome, scriptedRng, seededRng } from './helpers.ts';

const subnet = parseIpv6Cidr('2001:db8:0:1ab::/64');
const none = () => false;
/** scripted draws for an interface id: high 32 bits, then low 32 bits */
const iid = (hi: number, lo: number) => [hi, lo];

describe('allocateIpv6 {count}', () => {
  it('returns distinct canonical addresses in the /64, none reserved or taken', () => {
    const taken = new Set<string>();
    const got = allocateIpv6(subnet, { count: 10 }, (a) => taken.has(a), seededRng(1));
    assert.equal(got.length, 10);
    assert.equal(new Set(got).size, 10);
    for (const a of got) {
      assert.equal(canonicalIpv6(a), a);
      assert.ok(ipv6InCidr(subnet, a) && !isReservedIpv6(subnet, a), a);
    }
  });

  it('draws a 64-bit interface id from two 32-bit draws', () => {
    const rng = scriptedRng(iid(0x12345678, 0x9abcdef0));
    assert.deepEqual(allocateIpv6(subnet, { count: 1 }, none, rng), ['2001:db8:0:1ab:1234:5678:9abc:def0']);
    assert.deepEqual(rng.asked, [2 ** 32, 2 ** 32]);
  });

  it('skips reserved ids, taken addresses and its own earlier picks', () => {
    const rng = scriptedRng([
      ...iid(0, 0), // subnet-router anycast
      ...iid(0, 1), // gateway
      ...iid(0x02005eff, 0xfe005213), // IANA Ethernet-block id
      ...iid(0xfdffffff, 0xffffff90), // RFC 2526 anycast
      ...iid(0, 5), // taken
      ...iid(0, 6), // picked
      ...iid(0, 6), // picked already
      ...iid(0, 7), // picked
    ]);
    const taken = (a: string) => a === '2001:db8:0:1ab::5';
    assert.deepEqual(allocateIpv6(subnet, { count: 2 }, taken, rng), ['2001:db8:0:1ab::6', '2001:db8:0:1ab::7']);
  });

  it(`gives up after ${IPV6_DRAWS_PER_ADDRESS} fruitless draws with VSwitchIpNotEnough`, () => {
    assertDomainError(() => allocateIpv6(subnet, { count: 1 }, () => true, seededRng(1)), 'VSwitchIpNotEnough', {
      requested: 1,
      cidr: '2001:db8:0:1ab::/64',
    });
    const asked: number[] = [];
    assertDomainError(() => allocateIpv6(subnet, { count: 1 }, none, (m) => (asked.push(m), 0)), 'VSwitchIpNotEnough');
    assert.equal(asked.length, 2 * IPV6_DRAWS_PER_ADDRESS);
  });

  it('needs a vSwitch /64 and a well-formed request (InvalidParameter)', () => {
    assertDomainError(() => allocateIpv6(parseIpv6Cidr('2001:db8:0:100::/56'), { count: 1 }, none, seededRng(1)), 'InvalidParameter', {
      name: 'subnet',
    });
    for (const count of [0, -2, 0.5])
      assertDomainError(() => allocateIpv6(subnet, { count }, none, seededRng(1)), 'InvalidParameter', { name: 'count' });
    assertDomainError(() => allocateIpv6(subnet, { addresses: [] }, none, seededRng(1)), 'InvalidParameter', { name: 'addresses' });
    assertDomainError(
      () => allocateIpv6(subnet, { count: 1, addresses: ['2001:db8:0:1ab::9'] } as Ipv6Request, none, seededRng(1)),
      'InvalidParameter',
      { name: 'request' },
    );
  });

  it('spreads picks over many seeds', () => {
    const firsts = new Set<string>();
    for (let seed = 0; seed < 200; seed++) firsts.add(allocateIpv6(subnet, { count: 1 }, none, seededRng(seed))[0]!);
    assert.equal(firsts.size, 200);
  });
});

describe('allocateIpv6 {addresses}', () => {
  it('canonicalizes and keeps request order', () => {
    assert.deepEqual(allocateIpv6(subnet, { addresses: ['2001:DB8:0:1AB::FF', '2001:0db8:0000:01ab:0:0:0:2'] }, none, scriptedRng([])), [
      '2001:db8:0:1ab::ff',
      '2001:db8:0:1ab::2',
    ]);
  });

  it('throws each error with its facts', () => {
    const taken = (a: string) => a === '2001:db8:0:1ab::7';
    const run = (addresses: string[]) => () => allocateIpv6(subnet, { addresses }, taken, seededRng(0));
    assertDomainError(run(['2001:db8:0:1ab::zz']), 'AddressMalformed', { address: '2001:db8:0:1ab::zz' });
    assertDomainError(run(['2001:db8:0:1ac::7']), 'AddressInvalidForVSwitch', {
      address: '2001:db8:0:1ac::7',
      cidr: '2001:db8:0:1ab::/64',
    });
    assertDomainError(run(['2001:DB8:0:1AB::1']), 'AddressInvalidForVSwitch', { address: '2001:db8:0:1ab::1' });
    assertDomainError(run(['2001:db8:0:1ab::']), 'AddressInvalidForVSwitch', { address: '2001:db8:0:1ab::' });
    assertDomainError(run(['2001:db8:0:1ab::a', '2001:DB8:0:1AB:0:0:0:A']), 'AddressRepeated', { address: '2001:db8:0:1ab::a' });
    assertDomainError(run(['2001:db8:0:1ab::8', '2001:db8:0:1ab:0::7']), 'AddressInUse', { address: '2001:db8:0:1ab::7' });
  });

  it('validates in phases and is deterministic (property)', () => {
    const candidates = [
      '2001:db8:0:1ab::a',
      '2001:DB8:0:1AB::A',
      '2001:db8:0:1ab::b',
      '2001:db8:0:1ab::1',
      '2001:db8:0:1ac::a',
      'nope',
      '1.2.3.4',
    ];
    const takenSet = new Set(['2001:db8:0:1ab::b']);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...candidates), { minLength: 1, maxLength: 6 }), (addresses) => {
        let calls = 0;
        const taken = (a: string) => (calls++, takenSet.has(a));
        const got = outcome(() => allocateIpv6(subnet, { addresses }, taken, seededRng(0)));
        assert.equal(
          outcome(() => allocateIpv6(subnet, { addresses }, taken, seededRng(1))),
          got,
        );
        const canon = addresses.map((a) => (a === 'nope' || a === '1.2.3.4' ? a : canonicalIpv6(a)));
        const malformed = addresses.find((a) => a === 'nope' || a === '1.2.3.4');
        const invalid = canon.find((a) => a === '2001:db8:0:1ab::1' || a === '2001:db8:0:1ac::a');
        const repeated = canon.find((a, i) => canon.indexOf(a) !== i);
        const inUse = canon.find((a) => takenSet.has(a));
        const expected = malformed
          ? `AddressMalformed {"address":"${malformed}"}`
          : invalid
            ? `AddressInvalidForVSwitch {"address":"${invalid}","cidr":"2001:db8:0:1ab::/64"}`
            : repeated
              ? `AddressRepeated {"address":"${repeated}"}`
              : inUse
                ? `AddressInUse {"address":"${inUse}"}`
                : 'ok';
        assert.equal(got, expected);
        if (malformed || invalid || repeated) assert.equal(calls, 0, 'the store is not asked before the request itself is valid');
      }),
      { numRuns: 300 },
    );
  });
});
