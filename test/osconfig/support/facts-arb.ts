// Random ENIs for the property tests, and the fixed ENIs the other tests use:
// the seed's example and a lab pair on 198.18.0.0/15 + 2001:db8::/32.

import fc from 'fast-check';
import type { EniFacts } from '../../../src/osconfig/facts.ts';
import { formatIpv4, formatIpv6 } from '../../../src/osconfig/ip.ts';

/** the seed's example: primary ENI eth0, 192.168.1.201 + .202/.203, /24, gateway .253 */
export const SEED_FACTS: EniFacts = {
  interfaceName: 'eth0',
  macAddress: '00:16:3e:16:43:aa',
  eniId: 'eni-bp1seedexample',
  isPrimaryEni: true,
  deviceIndex: 0,
  ipv4: {
    primary: '192.168.1.201',
    secondaries: ['192.168.1.202', '192.168.1.203'],
    prefixLength: 24,
    gateway: '192.168.1.253',
    cidrBlock: '192.168.1.0/24',
  },
  dnsServers: ['223.5.5.5', '223.6.6.6'],
};

/** lab primary ENI eth0: router side is 198.18.0.1 / 2001:db8::1 */
export const LAB_PRIMARY: EniFacts = {
  interfaceName: 'eth0',
  macAddress: '02:00:00:aa:00:01',
  eniId: 'eni-labprimary',
  isPrimaryEni: true,
  deviceIndex: 0,
  ipv4: {
    primary: '198.18.0.10',
    secondaries: ['198.18.0.11', '198.18.0.12'],
    prefixLength: 24,
    gateway: '198.18.0.1',
    cidrBlock: '198.18.0.0/24',
  },
  ipv6: { addresses: ['2001:db8::10', '2001:db8::11'], prefixLength: 64, gateway: '2001:db8::1', cidrBlock: '2001:db8::/64' },
  dnsServers: ['198.18.0.53'],
};

/** lab secondary ENI eth1 (device index 1, table 1001): router side is 198.18.1.1 / 2001:db8:1::1 */
export const LAB_SECONDARY: EniFacts = {
  interfaceName: 'eth1',
  macAddress: '02:00:00:aa:00:02',
  eniId: 'eni-labsecondary',
  isPrimaryEni: false,
  deviceIndex: 1,
  ipv4: {
    primary: '198.18.1.10',
    secondaries: ['198.18.1.11', '198.18.1.12'],
    prefixLength: 24,
    gateway: '198.18.1.1',
    cidrBlock: '198.18.1.0/24',
  },
  ipv6: { addresses: ['2001:db8:1::10', '2001:db8:1::11'], prefixLength: 64, gateway: '2001:db8:1::1', cidrBlock: '2001:db8:1::/64' },
  dnsServers: ['198.18.0.53'],
};

const PRIVATE_V4 = [
  { base: 0x0a000000n, bits: 8 }, // 10.0.0.0/8
  { base: 0xac100000n, bits: 12 }, // 172.16.0.0/12
  { base: 0xc0a80000n, bits: 16 }, // 192.168.0.0/16
];

const hex2 = fc.integer({ min: 0, max: 255 }).map((n) => n.toString(16).padStart(2, '0'));

export const eniFactsArb: fc.Arbitrary<EniFacts> = fc
  .record({
    prefixLength: fc.integer({ min: 16, max: 29 }),
    block: fc.constantFrom(...PRIVATE_V4),
    netSeed: fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }),
    wantSecondaries: fc.integer({ min: 1, max: 49 }),
    hostSeeds: fc.array(fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }), { minLength: 60, maxLength: 60 }),
    deviceIndex: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 14 })),
    mac: fc.tuple(hex2, hex2, hex2),
    v6: fc.option(
      fc.record({
        net: fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }),
        hosts: fc.uniqueArray(fc.bigInt({ min: 2n, max: (1n << 64n) - 1n }), { minLength: 1, maxLength: 12 }),
        linkLocalGateway: fc.boolean(),
      }),
    ),
    dns: fc.subarray(['100.100.2.136', '100.100.2.138', '223.5.5.5', '2400:3200::1'], { maxLength: 3 }),
  })
  .map((r): EniFacts => {
    // a network of the chosen size inside the private block
    const size = 1n << BigInt(32 - r.prefixLength);
    const netsInBlock = 1n << BigInt(r.prefixLength - r.block.bits);
    const network = r.block.base + (r.netSeed % netsInBlock) * size;
    // distinct host offsets in [1, size-2]: gateway, primary, secondaries
    const usable = size - 2n;
    const offsets: bigint[] = [];
    for (const seed of r.hostSeeds) {
      let off = 1n + (seed % usable);
      while (offsets.includes(off)) off = 1n + (off % usable);
      offsets.push(off);
      if (BigInt(offsets.length) >= usable || offsets.length >= r.wantSecondaries + 2) break;
    }
    const [gw, primary, ...secondaries] = offsets.map((o) => formatIpv4(network + o));
    const ipv6 = r.v6
      ? (() => {
          const net6 = (0x20010db8n << 96n) | (r.v6.net << 64n);
          return {
            addresses:
              r.v6.hosts.slice(1).length > 0
                ? r.v6.hosts.slice(1).map((h) => formatIpv6(net6 | h))
                : [formatIpv6(net6 | (r.v6.hosts[0] ^ 1n))],
            prefixLength: 64,
            gateway: r.v6.linkLocalGateway ? 'fe80::1' : formatIpv6(net6 | r.v6.hosts[0]),
            cidrBlock: `${formatIpv6(net6)}/64`,
          };
        })()
      : undefined;
    return {
      interfaceName: `eth${r.deviceIndex}`,
      macAddress: `00:16:3e:${r.mac.join(':')}`,
      eniId: `eni-prop${r.deviceIndex}`,
      isPrimaryEni: r.deviceIndex === 0,
      deviceIndex: r.deviceIndex,
      ipv4: { primary, secondaries, prefixLength: r.prefixLength, gateway: gw, cidrBlock: `${formatIpv4(network)}/${r.prefixLength}` },
      ...(ipv6 ? { ipv6 } : {}),
      dnsServers: r.dns,
    };
  });

/** "addr/prefix" for every address of the ENI, sorted: what each format must hold */
export function expectedAddressSet(f: EniFacts): string[] {
  return [
    ...[f.ipv4.primary, ...f.ipv4.secondaries].map((a) => `${a}/${f.ipv4.prefixLength}`),
    ...(f.ipv6?.addresses ?? []).map((a) => `${a}/${f.ipv6!.prefixLength}`),
  ].sort();
}
