// Interface ids (the low 64 bits of an address in a vSwitch /64) that are
// never handed out, automatically or by hand:
//
// - 0                                   subnet-router anycast (RFC 4291 §2.6.1)
// - 1                                   the vSwitch gateway, <prefix>::1 (our choice, see ipv6Gateway)
// - 0200:5eff:fe00:0000–0200:5eff:feff:ffff
//                                       ids derived from the IANA Ethernet block, reserved
//                                       by the IANA IID registry (RFC 5453; includes
//                                       Proxy Mobile IPv6's 0200:5eff:fe00:5213, RFC 6543)
// - fdff:ffff:ffff:ff80–fdff:ffff:ffff:ffff
//                                       reserved subnet anycast (RFC 2526)
//
// That is 2^24 + 130 of 2^64 ids; a random pick lands there with odds ~1e-12.

import { ipv6CidrNetwork, ipv6ToBigInt, type Ipv6Cidr } from './ipv6.ts';

const RESERVED_INTERFACE_IDS: readonly (readonly [first: bigint, last: bigint])[] = [
  [0x0000000000000000n, 0x0000000000000001n],
  [0x02005efffe000000n, 0x02005efffeffffffn],
  [0xfdffffffffffff80n, 0xfdffffffffffffffn],
];

const LOW_64 = (1n << 64n) - 1n;

export function isReservedInterfaceId(interfaceId: bigint): boolean {
  return RESERVED_INTERFACE_IDS.some(([first, last]) => interfaceId >= first && interfaceId <= last);
}

/**
 * Whether addr (any valid spelling) is one of subnet's reserved addresses.
 * Only meaningful for a /64: false for addresses outside the subnet or text
 * that is not IPv6.
 */
export function isReservedIpv6(subnet: Ipv6Cidr, addr: string): boolean {
  const value = ipv6ToBigInt(addr);
  if (value === undefined || value >> 64n !== ipv6CidrNetwork(subnet) >> 64n) return false;
  return isReservedInterfaceId(value & LOW_64);
}
