// The one IPv4 text parser (domain/ipv4-text.ts) and its two adapters: ipam's
// (uint32, AddressMalformed) and osconfig's (bigint, undefined) accept exactly
// the same texts and read them as the same number.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseDottedQuad } from '../../src/domain/ipv4-text.ts';
import { parseIpv4 as ipamParse } from '../../src/ipam/ipv4.ts';
import { parseIpv4 as osconfigParse } from '../../src/osconfig/ip.ts';

function ipamOrUndefined(s: string): number | undefined {
  try {
    return ipamParse(s);
  } catch {
    return undefined;
  }
}

describe('parseDottedQuad', () => {
  it('is strict: no octal, no short forms, no spaces, octets ≤ 255', () => {
    assert.equal(parseDottedQuad('192.168.1.10'), 0xc0a8010a);
    assert.equal(parseDottedQuad('0.0.0.0'), 0);
    assert.equal(parseDottedQuad('255.255.255.255'), 0xffffffff);
    for (const bad of ['010.0.0.1', '10.1', '1.2.3.4.5', '256.0.0.1', ' 1.2.3.4', '1.2.3.4\n', '1.2.3.', '', '1.2.3.4/24', 42]) {
      assert.equal(parseDottedQuad(bad), undefined, String(bad));
    }
  });

  it('round-trips every uint32 and agrees with both adapters (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (n) => {
        const text = [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
        assert.equal(parseDottedQuad(text), n);
        assert.equal(ipamOrUndefined(text), n);
        assert.equal(osconfigParse(text), BigInt(n));
      }),
    );
  });

  it('the adapters refuse exactly what it refuses (property)', () => {
    const texty = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc
        .array(fc.oneof(fc.nat(300).map(String), fc.constantFrom('00', '01', '', ' 1', '1a')), { minLength: 1, maxLength: 6 })
        .map((p) => p.join('.')),
    );
    fc.assert(
      fc.property(texty, (s) => {
        const n = parseDottedQuad(s);
        assert.equal(ipamOrUndefined(s), n);
        assert.equal(osconfigParse(s), n === undefined ? undefined : BigInt(n));
      }),
    );
  });
});
