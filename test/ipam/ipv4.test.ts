import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  cidrContains,
  cidrsOverlap,
  formatIpv4,
  formatIpv4Cidr,
  ipv4Gateway,
  ipv4InCidr,
  isReservedIpv4,
  parseIpv4,
  parseIpv4Cidr,
  prefixToNetmask,
  usableIpv4Count,
  VPC_IPV4_PREFIX,
  VSWITCH_IPV4_PREFIX,
  type Ipv4Cidr,
} from '../../src/ipam/index.ts';
import { assertDomainError } from './helpers.ts';

const ip = parseIpv4;
const cidr = (s: string) => parseIpv4Cidr(s);
/** any network of prefix 8..29 */
const arbCidr: fc.Arbitrary<Ipv4Cidr> = fc.tuple(fc.integer({ min: 8, max: 29 }), fc.integer({ min: 0, max: 0xffffffff })).map(([p, n]) => {
  const size = 2 ** (32 - p);
  return { base: n - (n % size), prefixLength: p, size };
});

describe('parseIpv4 / formatIpv4', () => {
  it('parses dotted quads to uint32', () => {
    assert.equal(ip('0.0.0.0'), 0);
    assert.equal(ip('255.255.255.255'), 0xffffffff);
    assert.equal(ip('192.168.1.10'), 0xc0a8010a);
    assert.equal(ip('10.0.0.1'), 0x0a000001);
  });

  it('rejects anything but a strict dotted quad with AddressMalformed {address}', () => {
    for (const bad of [
      '',
      '1.2.3',
      '1.2.3.4.5',
      '256.1.1.1',
      '1.2.3.256',
      '01.2.3.4',
      '1.2.3.04',
      '00.0.0.0',
      '1.2.3.-1',
      ' 1.2.3.4',
      '1.2.3.4 ',
      '1.2.3.4\n',
      '0x1.2.3.4',
      '1..2.3',
      '1.2.3.',
      '.1.2.3',
      '1.2.3.4/24',
      '1e2.0.0.1',
      '+1.2.3.4',
      '1.2.3.4.',
      '10',
      '167772161',
      '::1',
      '１.２.３.４',
      '1.2.3.1000',
    ]) {
      assertDomainError(() => ip(bad), 'AddressMalformed', { address: bad });
    }
    assertDomainError(() => ip(undefined as unknown as string), 'AddressMalformed', { address: 'undefined' });
    assertDomainError(() => ip(42 as unknown as string), 'AddressMalformed', { address: '42' });
  });

  it('formats uint32 and refuses other numbers', () => {
    assert.equal(formatIpv4(0), '0.0.0.0');
    assert.equal(formatIpv4(0xffffffff), '255.255.255.255');
    assert.equal(formatIpv4(0xc0a8010a), '192.168.1.10');
    for (const bad of [-1, 2 ** 32, 1.5, NaN]) assert.throws(() => formatIpv4(bad), RangeError);
  });

  it('round-trips (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), (n) => ip(formatIpv4(n)) === n));
    fc.assert(fc.property(fc.ipV4(), (s) => formatIpv4(ip(s)) === s));
  });
});

describe('parseIpv4Cidr / formatIpv4Cidr', () => {
  it('parses a network and its size', () => {
    assert.deepEqual({ ...cidr('192.168.1.0/24') }, { base: ip('192.168.1.0'), prefixLength: 24, size: 256 });
    assert.deepEqual({ ...cidr('10.0.0.0/8') }, { base: ip('10.0.0.0'), prefixLength: 8, size: 2 ** 24 });
    assert.deepEqual({ ...cidr('10.1.0.0/16') }, { base: ip('10.1.0.0'), prefixLength: 16, size: 65536 });
    assert.deepEqual({ ...cidr('10.0.0.8/29') }, { base: ip('10.0.0.8'), prefixLength: 29, size: 8 });
    assert.ok(Object.isFrozen(cidr('10.0.0.0/8')));
  });

  it('requires the network address', () => {
    assertDomainError(() => cidr('10.0.0.1/24'), 'CidrInvalid', { cidr: '10.0.0.1/24' });
    assertDomainError(() => cidr('10.0.0.4/29'), 'CidrInvalid');
    assertDomainError(() => cidr('10.1.0.0/15'), 'CidrInvalid');
  });

  it('rejects malformed text with CidrInvalid {cidr}', () => {
    for (const bad of [
      '',
      '10.0.0.0',
      '10.0.0.0/',
      '/24',
      '10.0.0.0/024',
      '10.0.0.0/24/1',
      '10.0.0.0/ 24',
      '010.0.0.0/24',
      '10.0.0/24',
      '10.0.0.0/-1',
      '10.0.0.0/2a',
      '10.0.0.0/33',
      '2001:db8::/32',
      ' 10.0.0.0/24',
    ]) {
      assertDomainError(() => cidr(bad), 'CidrInvalid', { cidr: bad });
    }
    assertDomainError(() => cidr(null as unknown as string), 'CidrInvalid');
  });

  it('defaults to prefix 8..29 and honours the vSwitch and VPC ranges', () => {
    assertDomainError(() => cidr('8.0.0.0/7'), 'CidrInvalid');
    assertDomainError(() => cidr('10.0.0.0/30'), 'CidrInvalid');
    assert.equal(cidr('10.0.0.0/29').size, 8);
    assert.equal(parseIpv4Cidr('10.0.0.0/16', VSWITCH_IPV4_PREFIX).prefixLength, 16);
    assert.equal(parseIpv4Cidr('10.0.0.0/29', VSWITCH_IPV4_PREFIX).prefixLength, 29);
    assertDomainError(() => parseIpv4Cidr('10.0.0.0/15', VSWITCH_IPV4_PREFIX), 'CidrInvalid');
    assertDomainError(() => parseIpv4Cidr('10.0.0.0/30', VSWITCH_IPV4_PREFIX), 'CidrInvalid');
    assert.equal(parseIpv4Cidr('10.0.0.0/8', VPC_IPV4_PREFIX).prefixLength, 8);
    assert.equal(parseIpv4Cidr('10.0.0.0/28', VPC_IPV4_PREFIX).prefixLength, 28);
    assertDomainError(() => parseIpv4Cidr('10.0.0.0/29', VPC_IPV4_PREFIX), 'CidrInvalid');
    assert.equal(parseIpv4Cidr('0.0.0.0/0', { minPrefix: 0, maxPrefix: 32 }).size, 2 ** 32);
    assert.equal(parseIpv4Cidr('1.2.3.4/32', { minPrefix: 0, maxPrefix: 32 }).size, 1);
  });

  it('treats a bad prefix range as a bug (RangeError)', () => {
    assert.throws(() => parseIpv4Cidr('10.0.0.0/8', { minPrefix: 20, maxPrefix: 10 }), RangeError);
    assert.throws(() => parseIpv4Cidr('10.0.0.0/8', { maxPrefix: 33 }), RangeError);
  });

  it('round-trips (property)', () => {
    fc.assert(
      fc.property(arbCidr, (c) => {
        const again = cidr(formatIpv4Cidr(c));
        return again.base === c.base && again.prefixLength === c.prefixLength && again.size === c.size;
      }),
    );
  });
});

describe('containment and overlap', () => {
  it('cidrContains', () => {
    assert.ok(cidrContains(cidr('10.0.0.0/8'), cidr('10.1.0.0/16')));
    assert.ok(cidrContains(cidr('10.1.0.0/16'), cidr('10.1.0.0/16')));
    assert.ok(cidrContains(cidr('10.1.0.0/16'), cidr('10.1.255.248/29')));
    assert.ok(!cidrContains(cidr('10.1.0.0/16'), cidr('10.0.0.0/8')));
    assert.ok(!cidrContains(cidr('10.1.0.0/16'), cidr('10.2.0.0/24')));
    assert.ok(!cidrContains(cidr('192.168.0.0/24'), cidr('192.168.1.0/24')));
  });

  it('cidrsOverlap', () => {
    assert.ok(cidrsOverlap(cidr('10.0.0.0/8'), cidr('10.1.0.0/16')));
    assert.ok(cidrsOverlap(cidr('10.1.0.0/16'), cidr('10.0.0.0/8')));
    assert.ok(cidrsOverlap(cidr('10.0.0.0/24'), cidr('10.0.0.0/24')));
    assert.ok(!cidrsOverlap(cidr('10.0.0.0/24'), cidr('10.0.1.0/24')));
    assert.ok(!cidrsOverlap(cidr('10.0.0.8/29'), cidr('10.0.0.0/29')));
  });

  it('agree with a range model (property)', () => {
    fc.assert(
      fc.property(arbCidr, arbCidr, (a, b) => {
        const aLast = a.base + a.size - 1;
        const bLast = b.base + b.size - 1;
        assert.equal(cidrContains(a, b), b.base >= a.base && bLast <= aLast);
        assert.equal(cidrsOverlap(a, b), !(aLast < b.base || bLast < a.base));
        // two CIDRs either nest or are disjoint
        assert.equal(cidrsOverlap(a, b), cidrContains(a, b) || cidrContains(b, a));
      }),
    );
  });

  it('ipv4InCidr checks both ends', () => {
    const c = cidr('192.168.1.0/24');
    assert.ok(ipv4InCidr(c, ip('192.168.1.0')));
    assert.ok(ipv4InCidr(c, ip('192.168.1.255')));
    assert.ok(!ipv4InCidr(c, ip('192.168.0.255')));
    assert.ok(!ipv4InCidr(c, ip('192.168.2.0')));
    assert.ok(!ipv4InCidr(c, ip('192.168.1.10') + 0.5));
  });
});

describe('reserved addresses, gateway, usable count', () => {
  it('reserves the first and the last three of a /24', () => {
    const c = cidr('192.168.1.0/24');
    const reserved = [];
    for (let n = c.base; n < c.base + c.size; n++) if (isReservedIpv4(c, n)) reserved.push(formatIpv4(n));
    assert.deepEqual(reserved, ['192.168.1.0', '192.168.1.253', '192.168.1.254', '192.168.1.255']);
    assert.ok(!isReservedIpv4(c, ip('192.168.2.0')), 'outside the CIDR is not reserved in it');
    assert.ok(!isReservedIpv4(c, ip('192.168.0.255')));
    assert.equal(formatIpv4(ipv4Gateway(c)), '192.168.1.253');
    assert.equal(usableIpv4Count(c), 252);
  });

  it('/29: exactly .1-.4 of 8 are usable, gateway .5', () => {
    const c = cidr('10.0.0.8/29');
    const usable = [];
    for (let n = c.base; n < c.base + c.size; n++) if (!isReservedIpv4(c, n)) usable.push(formatIpv4(n));
    assert.deepEqual(usable, ['10.0.0.9', '10.0.0.10', '10.0.0.11', '10.0.0.12']);
    assert.equal(usableIpv4Count(c), 4);
    assert.equal(formatIpv4(ipv4Gateway(c)), '10.0.0.13');
  });

  it('/16: 65532 usable, gateway x.x.255.253', () => {
    const c = cidr('172.16.0.0/16');
    assert.equal(usableIpv4Count(c), 65532);
    assert.equal(formatIpv4(ipv4Gateway(c)), '172.16.255.253');
    for (const r of ['172.16.0.0', '172.16.255.253', '172.16.255.254', '172.16.255.255']) assert.ok(isReservedIpv4(c, ip(r)), r);
    for (const u of ['172.16.0.1', '172.16.0.255', '172.16.1.0', '172.16.255.252']) assert.ok(!isReservedIpv4(c, ip(u)), u);
  });

  it('usable = 2^(32-p) - 4 = count of non-reserved (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 16, max: 29 }), (p) => {
        const c = parseIpv4Cidr(`10.0.0.0/${p}`);
        return usableIpv4Count(c) === 2 ** (32 - p) - 4 && isReservedIpv4(c, ipv4Gateway(c));
      }),
    );
  });
});

describe('prefixToNetmask', () => {
  it('maps prefix lengths to dotted masks', () => {
    assert.equal(prefixToNetmask(0), '0.0.0.0');
    assert.equal(prefixToNetmask(8), '255.0.0.0');
    assert.equal(prefixToNetmask(16), '255.255.0.0');
    assert.equal(prefixToNetmask(20), '255.255.240.0');
    assert.equal(prefixToNetmask(24), '255.255.255.0');
    assert.equal(prefixToNetmask(29), '255.255.255.248');
    assert.equal(prefixToNetmask(32), '255.255.255.255');
  });

  it('refuses non prefix lengths', () => {
    for (const bad of [-1, 33, 1.5, NaN]) assert.throws(() => prefixToNetmask(bad), RangeError);
  });
});
