// The one IPv6 text parser and formatter (domain/ipv6-text.ts) and their two
// adapters: ipam's (canonical text, AddressMalformed) and osconfig's (bigint,
// undefined) accept exactly the same texts and read them as the same number,
// which is what the WHATWG URL host parser (RFC 4291 text, RFC 5952 output) reads.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatIpv6Text, parseIpv6Text } from '../../src/domain/ipv6-text.ts';
import { bigIntToIpv6, canonicalIpv6, ipv6ToBigInt } from '../../src/ipam/ipv6.ts';
import { formatIpv6, parseIpv6 as osconfigParse } from '../../src/osconfig/ip.ts';

function ipamOrUndefined(s: string): string | undefined {
  try {
    return canonicalIpv6(s);
  } catch {
    return undefined;
  }
}

/** An independent reading: Node's URL parser, canonical text or undefined. */
function urlHost(s: string): string | undefined {
  try {
    return new URL(`http://[${s}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
}

const value128 = fc
  .array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff })), { minLength: 8, maxLength: 8 })
  .map((groups) => groups.reduce((v, g) => (v << 16n) | BigInt(g), 0n));

describe('parseIpv6Text', () => {
  it('is strict: no zone ids, prefixes, brackets, spaces, or IPv4 tails a libc might read otherwise', () => {
    assert.equal(parseIpv6Text('2001:DB8::1'), 0x20010db8000000000000000000000001n);
    assert.equal(parseIpv6Text('::'), 0n);
    assert.equal(parseIpv6Text('1:2:3:4:5:6:7::'), 0x00010002000300040005000600070000n);
    assert.equal(parseIpv6Text('::ffff:1.2.3.4'), 0xffff01020304n);
    assert.equal(parseIpv6Text('::1.2.3.4'), 0x01020304n);
    for (const bad of [
      '',
      '1.2.3.4',
      'fe80::1%eth0',
      '2001:db8::/64',
      '[::1]',
      ' ::1',
      '::1 ',
      ':::',
      '1::2::3',
      '2001:db8::00001',
      '1:2:3:4:5:6:7:8:9',
      '1:2:3:4:5:6:7:8::',
      '::ffff:01.2.3.4',
      '::ffff:0x7f.0.0.1',
      '::ffff:127.1',
      42,
    ]) {
      assert.equal(parseIpv6Text(bad), undefined, String(bad));
    }
  });

  it('formats RFC 5952 text that reads back as the same value, as both adapters do (property)', () => {
    fc.assert(
      fc.property(value128, (v) => {
        const text = formatIpv6Text(v);
        assert.equal(parseIpv6Text(text), v);
        assert.equal(text, urlHost(text));
        assert.equal(bigIntToIpv6(v), text);
        assert.equal(formatIpv6(v), text);
      }),
    );
  });

  it('accepts what the URL parser accepts, and the adapters exactly what it accepts (property)', () => {
    const piece = fc.oneof(
      fc.constantFrom(...'0123456789abcdefABCDEFgx:.% '),
      fc.constantFrom('::', 'ffff', '1.2.3.4', '255', '256', '0', '01', '00000'),
    );
    const texty = fc.oneof(
      fc.ipV6(),
      fc.array(piece, { maxLength: 24 }).map((p) => p.join('')),
    );
    fc.assert(
      fc.property(texty, (s) => {
        const v = parseIpv6Text(s);
        const text = v === undefined ? undefined : formatIpv6Text(v);
        assert.equal(text, urlHost(s));
        assert.equal(ipv6ToBigInt(s), v);
        assert.equal(ipamOrUndefined(s), text);
        assert.equal(osconfigParse(s), v);
      }),
      { numRuns: 2000 },
    );
  });
});
