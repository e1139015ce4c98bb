// Picking a VPC's IPv6 /56.
// COMPAT: real Alibaba hands out blocks from its own ISP ranges; this
// emulator defaults to the documentation prefix 2001:db8::/32 (RFC 3849),
// which can never clash with routable addresses. It holds 2^24 /56s.

import type { Rng } from '../domain/ports.ts';
import { bigIntToIpv6, ipv6CidrNetwork, parseIpv6Pool, VPC_IPV6_PREFIX_LENGTH, type Ipv6Cidr } from './ipv6.ts';
import { drawBits } from './random-draw.ts';

export const DEFAULT_VPC_IPV6_POOL = '2001:db8::/32';

/**
 * A uniformly random /56 inside `pool` (a prefix of length 0..56; otherwise
 * Ipv6CidrInvalid {cidr}). Uniqueness across VPCs is the caller's check, against
 * its store: draw again on a clash.
 */
export function randomVpcIpv6Block(rng: Rng, pool: string = DEFAULT_VPC_IPV6_POOL): Ipv6Cidr {
  const parsed = parseIpv6Pool(pool, VPC_IPV6_PREFIX_LENGTH);
  const freeBits = VPC_IPV6_PREFIX_LENGTH - parsed.prefixLength;
  const network = ipv6CidrNetwork(parsed) | (drawBits(rng, freeBits) << BigInt(128 - VPC_IPV6_PREFIX_LENGTH));
  return Object.freeze({ prefix: bigIntToIpv6(network), prefixLength: VPC_IPV6_PREFIX_LENGTH });
}
