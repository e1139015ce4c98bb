import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import {
  canonicalIpv6,
  formatIpv6Cidr,
  ipv6Gateway,
  ipv6InCidr,
  ipv6SubnetOfVpc,
  isReservedIpv6,
  parseIpv6Cidr,
} from '../../src/ipam/index.ts';
import { assertDomainError } from './helpers.ts';

describe('canonicalIpv6', () => {
  it('accepts any valid spelling and returns RFC 5952 text', () => {
    assert.equal(canonicalIpv6('2001:DB8::1'), '2001:db8::1');
    assert.equal(canonicalIpv6('2001:0db8:0000:0000:0000:0000:0000:0001'), '2001:db8::1');
    assert.equal(canonicalIpv6('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1');
    assert.equal(canonicalIpv6('2001:db8:0:1:0:0:0:0'), '2001:db8:0:1::');
    assert.equal(canonicalIpv6('0:0:0:0:0:0:0:0'), '::');
    assert.equal(canonicalIpv6('::FFFF:1.2.3.4'), '::ffff:102:304');
  });

  it('rejects anything else with AddressMalformed {address}', () => {
    for (const bad of [
      '',
      '1.2.3.4',
      'fe80::1%eth0',
      '2001:db8::1/64',
      ' ::1',
      '::1 ',
      ':::',
      '2001:db8::g',
      '1:2:3:4:5:6:7:8:9',
      '2001:db8::00001',
      '2001::db8::1',
      '[2001:db8::1]',
    ]) {
      assertDomainError(() => canonicalIpv6(bad), 'AddressMalformed', { address: bad });
    }
    assertDomainError(() => canonicalIpv6(undefined as unknown as string), 'AddressMalformed');
  });

  it('is idempotent and agrees with the URL parser and ipaddr.js (property)', () => {
    fc.assert(
      fc.property(fc.ipV6(), (s) => {
        const c = canonicalIpv6(s);
        assert.equal(canonicalIpv6(c), c);
        assert.equal(c, new URL(`http://[${s}]/`).hostname.slice(1, -1));
        // ipaddr.js reads "::1.2.3.4" as IPv4-mapped; RFC 4291 (and the URL parser) as ::102:304
        if (!/^::[\d.]+$/.test(s)) assert.equal(c, ipaddr.IPv6.parse(s).toString());
        assert.equal(c, c.toLowerCase());
      }),
    );
  });
});

describe('parseIpv6Cidr', () => {
  it('parses /56 and /64 networks to a canonical prefix', () => {
    assert.deepEqual({ ...parseIpv6Cidr('2001:DB8:0:100::/56') }, { prefix: '2001:db8:0:100::', prefixLength: 56 });
    assert.deepEqual({ ...parseIpv6Cidr('2001:db8:0:1ab:0:0:0:0/64') }, { prefix: '2001:db8:0:1ab::', prefixLength: 64 });
    assert.deepEqual({ ...parseIpv6Cidr('2001:db8:0:1ab::/64', 64) }, { prefix: '2001:db8:0:1ab::', prefixLength: 64 });
    assert.equal(formatIpv6Cidr(parseIpv6Cidr('2001:DB8:0:100::/56', 56)), '2001:db8:0:100::/56');
  });

  it('rejects other lengths, host bits, and malformed text with Ipv6CidrInvalid {cidr}', () => {
    for (const bad of [
      '2001:db8::/48',
      '2001:db8::/65',
      '2001:db8::/128',
      '2001:db8::1/64',
      '2001:db8:0:101::/56',
      '2001:db8::/064',
      '2001:db8::',
      '2001:db8::/',
      '2001:db8::/64/1',
      'x::/64',
      '10.0.0.0/8',
      'fe80::%eth0/64',
      '',
    ]) {
      assertDomainError(() => parseIpv6Cidr(bad), 'Ipv6CidrInvalid', { cidr: bad });
    }
    assertDomainError(() => parseIpv6Cidr('2001:db8::/56', 64), 'Ipv6CidrInvalid');
    assertDomainError(() => parseIpv6Cidr('2001:db8::/64', 56), 'Ipv6CidrInvalid');
  });
});

describe('ipv6InCidr', () => {
  const subnet = parseIpv6Cidr('2001:db8:0:1ab::/64');
  it('checks the prefix bits, whatever the spelling', () => {
    assert.ok(ipv6InCidr(subnet, '2001:db8:0:1ab::5'));
    assert.ok(ipv6InCidr(subnet, '2001:0DB8:0000:01AB:ffff:ffff:ffff:ffff'));
    assert.ok(!ipv6InCidr(subnet, '2001:db8:0:1ac::5'));
    assert.ok(!ipv6InCidr(subnet, '2001:db8:0:1aa:ffff:ffff:ffff:ffff'));
    assert.ok(ipv6InCidr(parseIpv6Cidr('2001:db8:0:100::/56'), '2001:db8:0:1ff::1'));
    assert.ok(!ipv6InCidr(parseIpv6Cidr('2001:db8:0:100::/56'), '2001:db8:0:200::1'));
  });
  it('throws AddressMalformed for text that is not IPv6', () => {
    assertDomainError(() => ipv6InCidr(subnet, '10.0.0.1'), 'AddressMalformed', { address: '10.0.0.1' });
  });
});

describe('ipv6SubnetOfVpc', () => {
  const vpc = parseIpv6Cidr('2001:db8:0:100::/56');
  it('appends the 8-bit index to the /56', () => {
    assert.deepEqual({ ...ipv6SubnetOfVpc(vpc, 0) }, { prefix: '2001:db8:0:100::', prefixLength: 64 });
    assert.deepEqual({ ...ipv6SubnetOfVpc(vpc, 0xab) }, { prefix: '2001:db8:0:1ab::', prefixLength: 64 });
    assert.deepEqual({ ...ipv6SubnetOfVpc(vpc, 255) }, { prefix: '2001:db8:0:1ff::', prefixLength: 64 });
  });
  it('refuses an index outside 0..255 or a VPC that is not a /56 with InvalidParameter', () => {
    for (const bad of [-1, 256, 1.5, NaN])
      assertDomainError(() => ipv6SubnetOfVpc(vpc, bad), 'InvalidParameter', { name: 'ipv6CidrBlockIndex' });
    assertDomainError(() => ipv6SubnetOfVpc(parseIpv6Cidr('2001:db8::/64'), 1), 'InvalidParameter', { name: 'vpcIpv6Cidr' });
  });
  it('gives 256 distinct /64s, all inside the VPC (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 56n) - 1n }), (top) => {
        const hex = (top << 8n).toString(16).padStart(16, '0');
        const vpc56 = parseIpv6Cidr(`${hex.match(/.{4}/g)!.join(':')}::/56`);
        const prefixes = new Set<string>();
        for (let i = 0; i < 256; i++) {
          const s = ipv6SubnetOfVpc(vpc56, i);
          assert.ok(ipv6InCidr(vpc56, s.prefix));
          prefixes.add(s.prefix);
        }
        assert.equal(prefixes.size, 256);
      }),
      { numRuns: 20 },
    );
  });
});

describe('ipv6Gateway and reserved interface ids', () => {
  const subnet = parseIpv6Cidr('2001:db8:0:1ab::/64');
  it('the gateway is <prefix>::1', () => {
    assert.equal(ipv6Gateway(subnet), '2001:db8:0:1ab::1');
    assert.ok(isReservedIpv6(subnet, ipv6Gateway(subnet)));
  });
  it('reserves the subnet-router anycast, the gateway, the IANA Ethernet-block ids and the RFC 2526 anycast ids', () => {
    for (const r of [
      '2001:db8:0:1ab::',
      '2001:db8:0:1ab::1',
      '2001:db8:0:1ab:200:5eff:fe00:0',
      '2001:db8:0:1ab:200:5eff:fe00:5213',
      '2001:db8:0:1ab:200:5eff:feff:ffff',
      '2001:db8:0:1ab:fdff:ffff:ffff:ff80',
      '2001:db8:0:1ab:fdff:ffff:ffff:ffff',
      '2001:DB8:0:1AB:0:0:0:1',
    ]) {
      assert.ok(isReservedIpv6(subnet, r), r);
    }
    for (const u of [
      '2001:db8:0:1ab::2',
      '2001:db8:0:1ab:200:5eff:fdff:ffff',
      '2001:db8:0:1ab:200:5eff:ff00:0',
      '2001:db8:0:1ab:fdff:ffff:ffff:ff7f',
      '2001:db8:0:1ab:fe00::',
      '2001:db8:0:1ab:ffff:ffff:ffff:ffff',
      '2001:db8:0:1ac::',
      'not-an-address',
    ]) {
      assert.ok(!isReservedIpv6(subnet, u), u);
    }
  });
});
