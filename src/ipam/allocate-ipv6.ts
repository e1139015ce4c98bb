// Choosing IPv6 addresses for one assign request. A /64 is so sparse that a
// random interface id plus a collision check is the right search (no index):
// the caller's isTaken answers from its store.

import { DomainError, invalidParameter } from '../domain/errors.ts';
import type { Rng } from '../domain/ports.ts';
import { checkRequest, type AddressRequest } from './address-request.ts';
import { bigIntToIpv6, formatIpv6Cidr, ipv6CidrNetwork, ipv6ToBigInt, VSWITCH_IPV6_PREFIX_LENGTH, type Ipv6Cidr } from './ipv6.ts';
import { isReservedInterfaceId } from './ipv6-reserved.ts';
import { drawBits } from './random-draw.ts';

export type Ipv6Request = AddressRequest;

/**
 * Draws per address before giving up with VSwitchIpNotEnough. With a uniform
 * Rng, 64 misses in a row need the /64 practically full; it also bounds the
 * loop when the Rng or isTaken is broken.
 */
export const IPV6_DRAWS_PER_ADDRESS = 64;

/**
 * Returns canonical addresses in request order, or throws. Nothing is written.
 *
 * - `{count}`: random 64-bit interface ids in `subnet`, skipping reserved ids
 *   (ipv6-reserved.ts), ids isTaken reports, and ones already picked.
 * - `{addresses}`: any valid spelling, canonicalized; phases as for IPv4, each
 *   over the whole list in request order:
 *   1. AddressMalformed {address}
 *   2. AddressInvalidForVSwitch {address, cidr}  outside the /64 or reserved
 *   3. AddressRepeated {address}   (after canonicalization: "2001:DB8::A" repeats "2001:db8::a")
 *   4. AddressInUse {address}      isTaken(canonical)
 *
 * `subnet` must be a vSwitch /64 (InvalidParameter otherwise).
 */
export function allocateIpv6(subnet: Ipv6Cidr, request: Ipv6Request, isTaken: (canonical: string) => boolean, rng: Rng): string[] {
  if (subnet.prefixLength !== VSWITCH_IPV6_PREFIX_LENGTH) throw invalidParameter('subnet', 'must be a vSwitch /64');
  const network = ipv6CidrNetwork(subnet);
  const checked = checkRequest(request);
  return checked.kind === 'count'
    ? pickRandom(subnet, network, checked.count, isTaken, rng)
    : checkManual(subnet, network, checked.addresses, isTaken);
}

function pickRandom(subnet: Ipv6Cidr, network: bigint, count: number, isTaken: (a: string) => boolean, rng: Rng): string[] {
  const picked = new Set<string>();
  for (let i = 0; i < count; i++) {
    let found: string | undefined;
    for (let draw = 0; draw < IPV6_DRAWS_PER_ADDRESS && found === undefined; draw++) {
      const interfaceId = drawBits(rng, 64);
      if (isReservedInterfaceId(interfaceId)) continue;
      const candidate = bigIntToIpv6(network | interfaceId);
      if (!picked.has(candidate) && !isTaken(candidate)) found = candidate;
    }
    if (found === undefined) {
      throw new DomainError('VSwitchIpNotEnough', { requested: count, cidr: formatIpv6Cidr(subnet) });
    }
    picked.add(found);
  }
  return [...picked];
}

function checkManual(subnet: Ipv6Cidr, network: bigint, texts: readonly string[], isTaken: (a: string) => boolean): string[] {
  const values = texts.map((text) => {
    const value = ipv6ToBigInt(text);
    if (value === undefined) throw new DomainError('AddressMalformed', { address: String(text) });
    return value;
  });
  const canonical = values.map(bigIntToIpv6);
  values.forEach((value, i) => {
    if (value >> 64n !== network >> 64n || isReservedInterfaceId(value & ((1n << 64n) - 1n))) {
      throw new DomainError('AddressInvalidForVSwitch', { address: canonical[i], cidr: formatIpv6Cidr(subnet) });
    }
  });
  const seen = new Set<string>();
  for (const address of canonical) {
    if (seen.has(address)) throw new DomainError('AddressRepeated', { address });
    seen.add(address);
  }
  for (const address of canonical) {
    if (isTaken(address)) throw new DomainError('AddressInUse', { address });
  }
  return canonical;
}
