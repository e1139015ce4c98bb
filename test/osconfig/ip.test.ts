// The renderers' own address math (src/osconfig/ip.ts): strict parsing,
// RFC 5952 text, CIDR membership.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  canonicalIp,
  cidrContains,
  formatIpv4,
  formatIpv6,
  ipv4Netmask,
  isIpv6LinkLocal,
  isNetworkAligned,
  parseCidr,
  parseIp,
  parseIpv4,
  parseIpv6,
} from '../../src/osconfig/ip.ts';

describe('ip', () => {
  it('IPv4 round-trips and rejects what guest tools could read differently', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 0xffffffffn }), (v) => assert.equal(parseIpv4(formatIpv4(v)), v)));
    for (const bad of ['192.168.1', '192.168.1.1.1', '192.168.01.1', '256.1.1.1', ' 1.1.1.1', '1.1.1.1/24', '']) {
      assert.equal(parseIpv4(bad), undefined, bad);
    }
  });

  it('IPv6 round-trips through RFC 5952 text, including the forms Node prints', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), (v) => {
        const text = formatIpv6(v);
        assert.equal(parseIpv6(text), v);
        assert.equal(text, text.toLowerCase());
        assert.ok(!/(^|:)0[0-9a-f]/.test(text), `no leading zeros: ${text}`);
        // Node's URL parser canonicalises IPv6 hosts the same way
        assert.equal(new URL(`http://[${text}]/`).hostname, `[${text}]`);
      }),
      { numRuns: 500 },
    );
    assert.equal(canonicalIp('2001:DB8:0:0:1:0:0:1'), '2001:db8::1:0:0:1');
    assert.equal(canonicalIp('2001:db8:0:0:0:0:2:1'), '2001:db8::2:1');
    assert.equal(canonicalIp('::ffff:192.0.2.1'), '::ffff:c000:201');
    assert.equal(canonicalIp('::'), '::');
    for (const bad of ['1::2::3', '1:2:3:4:5:6:7:8:9', 'fe80::1%eth0', '12345::', ':1', '1:', '::g']) {
      assert.equal(parseIpv6(bad), undefined, bad);
    }
  });

  it('CIDRs: alignment, membership, netmasks, link-local', () => {
    const net = parseCidr('192.168.1.0/24')!;
    assert.ok(isNetworkAligned(net));
    assert.ok(!isNetworkAligned(parseCidr('192.168.1.5/24')!));
    assert.ok(cidrContains(net, parseIp('192.168.1.253')!));
    assert.ok(!cidrContains(net, parseIp('192.168.2.1')!));
    assert.ok(!cidrContains(net, parseIp('::1')!));
    assert.equal(parseCidr('10.0.0.0/33'), undefined);
    assert.equal(ipv4Netmask(24), '255.255.255.0');
    assert.equal(ipv4Netmask(29), '255.255.255.248');
    assert.equal(ipv4Netmask(16), '255.255.0.0');
    assert.ok(isIpv6LinkLocal(parseIpv6('fe80::1')!));
    assert.ok(isIpv6LinkLocal(parseIpv6('febf::1')!));
    assert.ok(!isIpv6LinkLocal(parseIpv6('fec0::1')!));
  });
});
