import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  allocateIpv4Prefixes,
  allocateIpv6Prefixes,
  canonicalIpv6Prefix,
  formatIpv4,
  Ipv4FreeSpace,
  ipv6BlockIndex,
  ipv6ToBigInt,
  isReservedIpv4,
  parseIpv4,
  parseIpv4Cidr,
  parseIpv4Prefix,
  parseIpv6Cidr,
} from '../../src/ipam/index.ts';
import { assertDomainError, seededRng } from './helpers.ts';

const ip = parseIpv4;
const cidrs = fc.constantFrom('10.0.0.0/24', '10.0.0.0/22', '172.16.0.0/20', '192.168.4.0/26', '10.8.0.0/16');

/** The first addresses of the blocks a result names, checked aligned and inside the CIDR. */
function checkedFirsts(space: Ipv4FreeSpace, prefixes: string[]): number[] {
  return prefixes.map((p) => {
    const first = parseIpv4Prefix(p);
    assert.ok(first !== undefined, `${p} is an aligned /28`);
    assert.equal(first % 16, 0);
    for (let i = 0; i < 16; i++) {
      assert.ok(first + i >= space.cidr.base && first + i < space.cidr.base + space.cidr.size, `${p} inside the CIDR`);
      assert.ok(!isReservedIpv4(space.cidr, first + i), `${p} holds no reserved address`);
    }
    return first;
  });
}

describe('allocateIpv4Prefixes {count}', () => {
  it('property: aligned, inside the CIDR, clear of taken and reserved addresses, never overlapping', () => {
    fc.assert(
      fc.property(
        cidrs,
        fc.array(fc.nat(), { maxLength: 300 }),
        fc.integer({ min: 1, max: 10 }),
        fc.nat(),
        (cidrText, takenOffsets, count, seed) => {
          const cidr = parseIpv4Cidr(cidrText, { minPrefix: 8, maxPrefix: 30 });
          const taken = takenOffsets.map((o) => cidr.base + (o % cidr.size));
          const space = new Ipv4FreeSpace(cidr, taken);
          const takenSet = new Set(taken);
          const free = space.freeBlockCount();
          if (free < count) {
            assertDomainError(() => allocateIpv4Prefixes(space, { count }, seededRng(seed)), 'VSwitchIpNotEnough');
            return;
          }
          const firsts = checkedFirsts(space, allocateIpv4Prefixes(space, { count }, seededRng(seed)));
          assert.equal(new Set(firsts).size, count, 'no block twice');
          for (const f of firsts) for (let i = 0; i < 16; i++) assert.ok(!takenSet.has(f + i), `${formatIpv4(f + i)} was taken`);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('property: the block index agrees with the address bitmap after any takes and releases', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.nat(1023)), { maxLength: 400 }), (ops) => {
        const cidr = parseIpv4Cidr('10.0.0.0/22');
        const space = new Ipv4FreeSpace(cidr);
        for (const [take, o] of ops) (take ? space.take : space.release).call(space, cidr.base + o);
        let expected = 0;
        for (let b = 0; b < 64; b++) {
          let all = true;
          for (let i = 0; i < 16; i++) all &&= space.isFree(cidr.base + b * 16 + i);
          assert.equal(space.isBlockFree(cidr.base + b * 16), all);
          if (all) expected++;
        }
        assert.equal(space.freeBlockCount(), expected);
      }),
      { numRuns: 200 },
    );
  });

  it('finds the last free block of a 99%-full /16 and says IpNotEnough when none is left', () => {
    const cidr = parseIpv4Cidr('10.8.0.0/16');
    const space = new Ipv4FreeSpace(cidr);
    const keep = ip('10.8.200.32');
    for (let n = cidr.base; n < cidr.base + cidr.size; n++) if (n < keep || n >= keep + 16) space.take(n);
    assert.equal(space.freeBlockCount(), 1);
    for (let seed = 0; seed < 20; seed++) assert.deepEqual(allocateIpv4Prefixes(space, { count: 1 }, seededRng(seed)), ['10.8.200.32/28']);
    assertDomainError(() => allocateIpv4Prefixes(space, { count: 2 }, seededRng(1)), 'VSwitchIpNotEnough', { requested: 2, available: 1 });
    space.take(keep + 7);
    assertDomainError(() => allocateIpv4Prefixes(space, { count: 1 }, seededRng(1)), 'VSwitchIpNotEnough');
  });

  it('a /24 has 14 prefix blocks: the first holds .0, the last the reserved .253-.255', () => {
    const space = new Ipv4FreeSpace(parseIpv4Cidr('192.168.1.0/24'));
    assert.equal(space.freeBlockCount(), 14);
    const all = allocateIpv4Prefixes(space, { count: 14 }, seededRng(3)).sort((a, b) => parseIpv4Prefix(a)! - parseIpv4Prefix(b)!);
    assert.equal(all[0], '192.168.1.16/28');
    assert.equal(all[13], '192.168.1.224/28');
  });
});

describe('allocateIpv4Prefixes {prefixes}', () => {
  const space = () => new Ipv4FreeSpace(parseIpv4Cidr('192.168.1.0/24'), [ip('192.168.1.35')]);
  it('accepts aligned free /28s in the CIDR', () => {
    assert.deepEqual(allocateIpv4Prefixes(space(), { prefixes: ['192.168.1.16/28', '192.168.1.64/28'] }, seededRng(1)), [
      '192.168.1.16/28',
      '192.168.1.64/28',
    ]);
  });
  it('refuses, in phases: not an aligned /28, outside or reserved, repeated, in use', () => {
    for (const bad of ['192.168.1.8/28', '192.168.1.16/27', '192.168.1.16', '192.168.1.016/28', 'x/28', '192.168.1.16/028']) {
      assertDomainError(() => allocateIpv4Prefixes(space(), { prefixes: [bad] }, seededRng(1)), 'InvalidParameter');
    }
    for (const outside of ['192.168.2.16/28', '192.168.1.0/28', '192.168.1.240/28']) {
      assertDomainError(() => allocateIpv4Prefixes(space(), { prefixes: [outside] }, seededRng(1)), 'AddressInvalidForVSwitch');
    }
    assertDomainError(
      () => allocateIpv4Prefixes(space(), { prefixes: ['192.168.1.16/28', '192.168.1.16/28'] }, seededRng(1)),
      'AddressRepeated',
    );
    assertDomainError(() => allocateIpv4Prefixes(space(), { prefixes: ['192.168.1.32/28'] }, seededRng(1)), 'AddressInUse', {
      address: '192.168.1.32/28',
    });
  });
});

describe('allocateIpv6Prefixes', () => {
  const subnet = parseIpv6Cidr('2001:db8:1:2::/64', 64);
  it('property: /80s inside the /64, distinct, never a taken block or one holding reserved ids', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(0xffff), { maxLength: 200 }), fc.integer({ min: 1, max: 10 }), fc.nat(), (taken, count, seed) => {
        const takenSet = new Set(taken);
        const got = allocateIpv6Prefixes(subnet, { count }, (i) => takenSet.has(i), seededRng(seed));
        assert.equal(new Set(got).size, count);
        for (const p of got) {
          assert.equal(canonicalIpv6Prefix(p), p, 'canonical');
          const index = ipv6BlockIndex(subnet, ipv6ToBigInt(p.split('/')[0]!)!);
          assert.ok(index !== undefined, `${p} inside the /64`);
          assert.ok(!takenSet.has(index) && ![0, 0x0200, 0xfdff].includes(index), `${p} free and clear of reserved ids`);
        }
      }),
      { numRuns: 200 },
    );
  });
  it('named: canonical, aligned, inside, not repeated, not taken', () => {
    assert.deepEqual(
      allocateIpv6Prefixes(subnet, { prefixes: ['2001:DB8:1:2:AB::/80'] }, () => false, seededRng(1)),
      ['2001:db8:1:2:ab::/80'],
    );
    assertDomainError(
      () => allocateIpv6Prefixes(subnet, { prefixes: ['2001:db8:1:2:ab::1/80'] }, () => false, seededRng(1)),
      'InvalidParameter',
    );
    assertDomainError(
      () => allocateIpv6Prefixes(subnet, { prefixes: ['2001:db8:1:2:ab::/64'] }, () => false, seededRng(1)),
      'InvalidParameter',
    );
    assertDomainError(
      () => allocateIpv6Prefixes(subnet, { prefixes: ['2001:db8:1:3:ab::/80'] }, () => false, seededRng(1)),
      'AddressInvalidForVSwitch',
    );
    assertDomainError(
      () => allocateIpv6Prefixes(subnet, { prefixes: ['2001:db8:1:2::/80'] }, () => false, seededRng(1)),
      'AddressInvalidForVSwitch',
    );
    assertDomainError(
      () => allocateIpv6Prefixes(subnet, { prefixes: ['2001:db8:1:2:ab::/80', '2001:db8:1:2:AB::/80'] }, () => false, seededRng(1)),
      'AddressRepeated',
    );
    assertDomainError(
      () => allocateIpv6Prefixes(subnet, { prefixes: ['2001:db8:1:2:ab::/80'] }, (i) => i === 0xab, seededRng(1)),
      'AddressInUse',
    );
  });
  it('gives up with VSwitchIpNotEnough when every block is taken', () => {
    assertDomainError(() => allocateIpv6Prefixes(subnet, { count: 1 }, () => true, seededRng(1)), 'VSwitchIpNotEnough');
  });
});
