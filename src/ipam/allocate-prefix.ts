// Choosing IP prefixes (terway's prefix mode, Terraform's ipv4_prefix_count)
// for one request. Pure, like the address pickers: nothing is written, and
// randomness comes from the caller's Rng.
//
// The real rules (ECS "IP prefixes"): an IPv4 prefix is a /28, an IPv6 prefix
// a /80; a "standard CIDR block" (aligned: the address is the network address);
// inside the ENI's vSwitch; never overlapping an assigned address, a reserved
// address, or another prefix.

import { DomainError, invalidParameter } from '../domain/errors.ts';
import type { Rng } from '../domain/ports.ts';
import { formatIpv4, formatIpv4Cidr, ipv4InCidr, isReservedIpv4 } from './ipv4.ts';
import { IPV4_BLOCK_SIZE, type Ipv4FreeSpace } from './ipv4-free-space.ts';
import { bigIntToIpv6, formatIpv6Cidr, ipv6CidrNetwork, ipv6ToBigInt, VSWITCH_IPV6_PREFIX_LENGTH, type Ipv6Cidr } from './ipv6.ts';
import { parseDottedQuad } from '../domain/ipv4-text.ts';
import { drawInt } from './random-draw.ts';

export const IPV4_PREFIX_LENGTH = 28;
export const IPV6_PREFIX_LENGTH = 80;
/** /80 blocks in a vSwitch /64 */
const IPV6_BLOCKS_PER_SUBNET = 1 << (IPV6_PREFIX_LENGTH - VSWITCH_IPV6_PREFIX_LENGTH);
/** Draws per IPv6 prefix before giving up (the /64 holds 65,536 blocks; few are ever taken). */
export const IPV6_PREFIX_DRAWS = 256;

export type PrefixRequest = { count: number } | { prefixes: string[] };

function checkPrefixRequest(request: PrefixRequest): void {
  if ('count' in request) {
    if (!Number.isInteger(request.count) || request.count < 1) throw invalidParameter('prefixCount', 'must be a positive integer');
  } else if (request.prefixes.length === 0) {
    throw invalidParameter('prefixes', 'must name at least one prefix');
  }
}

/** "a.b.c.d/28" → its first address, or undefined when not a /28 written as its network address. */
export function parseIpv4Prefix(text: string): number | undefined {
  const m = /^([0-9.]+)\/([0-9]{1,2})$/.exec(String(text));
  if (!m || Number(m[2]) !== IPV4_PREFIX_LENGTH || m[2]!.startsWith('0')) return undefined;
  const n = parseDottedQuad(m[1]!);
  return n !== undefined && n % IPV4_BLOCK_SIZE === 0 ? n : undefined;
}

export function formatIpv4Prefix(first: number): string {
  return `${formatIpv4(first)}/${IPV4_PREFIX_LENGTH}`;
}

/**
 * IPv4 /28 prefixes, as CIDR text in request order, or throws.
 *
 * - `{count}`: each is the first free aligned block at or after a uniformly
 *   random block of the CIDR (wrapping), through the block bitmap: flat as the
 *   vSwitch fills, like the address pick. Fewer free blocks than asked →
 *   VSwitchIpNotEnough {requested, available}.
 * - `{prefixes}`: phases over the whole list, request order:
 *   1. InvalidParameter {name: ipv4Prefix}    not an aligned /28 (a "standard CIDR block")
 *   2. AddressInvalidForVSwitch {address, cidr}  outside the CIDR or holding a reserved address
 *   3. AddressRepeated {address}
 *   4. AddressInUse {address}                 some address of it taken (or another prefix)
 */
export function allocateIpv4Prefixes(space: Ipv4FreeSpace, request: PrefixRequest, rng: Rng): string[] {
  checkPrefixRequest(request);
  return 'count' in request ? pickIpv4Blocks(space, request.count, rng) : checkIpv4Prefixes(space, request.prefixes);
}

function pickIpv4Blocks(space: Ipv4FreeSpace, count: number, rng: Rng): string[] {
  const available = space.freeBlockCount();
  if (available < count) throw new DomainError('VSwitchIpNotEnough', { requested: count, available });
  const picked = new Set<number>();
  const blocks = space.blockCount();
  for (let i = 0; i < count; i++) {
    let b = drawInt(rng, blocks);
    // At most `count` steps past blocks this request already holds.
    for (let step = 0; step <= count; step++) {
      const first = space.nextFreeBlockAtOrAfter(b);
      if (first === undefined) throw new Error('free-space block count disagrees with its bitmap'); // a bug, not a user error
      if (!picked.has(first)) {
        picked.add(first);
        break;
      }
      b = ((first - space.cidr.base) / IPV4_BLOCK_SIZE + 1) % blocks;
    }
  }
  if (picked.size !== count) throw new Error('free-space block count disagrees with its bitmap');
  return [...picked].map(formatIpv4Prefix);
}

function checkIpv4Prefixes(space: Ipv4FreeSpace, texts: readonly string[]): string[] {
  const { cidr } = space;
  const firsts = texts.map((t) => {
    const n = parseIpv4Prefix(t);
    if (n === undefined) throw invalidParameter('ipv4Prefix', `"${String(t)}" is not an aligned /${IPV4_PREFIX_LENGTH}`);
    return n;
  });
  for (const n of firsts) {
    for (let i = 0; i < IPV4_BLOCK_SIZE; i++) {
      if (!ipv4InCidr(cidr, n + i) || isReservedIpv4(cidr, n + i)) {
        throw new DomainError('AddressInvalidForVSwitch', { address: formatIpv4Prefix(n), cidr: formatIpv4Cidr(cidr) });
      }
    }
  }
  const seen = new Set<number>();
  for (const n of firsts) {
    if (seen.has(n)) throw new DomainError('AddressRepeated', { address: formatIpv4Prefix(n) });
    seen.add(n);
  }
  for (const n of firsts) {
    if (!space.isBlockFree(n)) throw new DomainError('AddressInUse', { address: formatIpv4Prefix(n) });
  }
  return firsts.map(formatIpv4Prefix);
}

/** The /80 block index (0..65535) of an address or prefix inside `subnet`, undefined outside it. */
export function ipv6BlockIndex(subnet: Ipv6Cidr, value: bigint): number | undefined {
  const network = ipv6CidrNetwork(subnet);
  if (value >> 64n !== network >> 64n) return undefined;
  return Number((value >> BigInt(128 - IPV6_PREFIX_LENGTH)) & BigInt(IPV6_BLOCKS_PER_SUBNET - 1));
}

/**
 * The /80 blocks that hold one of the /64's reserved interface ids (ipv6-reserved.ts): ids 0-1,
 * 0200:5eff:fe00:0-0200:5eff:feff:ffff, fdff:ffff:ffff:ff80-fdff:ffff:ffff:ffff.
 */
const IPV6_RESERVED_BLOCKS: ReadonlySet<number> = new Set([0x0000, 0x0200, 0xfdff]);
const ipv6BlockHoldsReserved = (index: number) => IPV6_RESERVED_BLOCKS.has(index);

function formatIpv6Block(subnet: Ipv6Cidr, index: number): string {
  return `${bigIntToIpv6(ipv6CidrNetwork(subnet) | (BigInt(index) << 48n))}/${IPV6_PREFIX_LENGTH}`;
}

/** "x::/80" (any spelling) → its canonical text, or undefined when not a /80 written as its network address. */
export function canonicalIpv6Prefix(text: string): string | undefined {
  const m = /^([0-9A-Fa-f:.]+)\/([0-9]{1,3})$/.exec(String(text));
  if (!m || m[2] !== String(IPV6_PREFIX_LENGTH)) return undefined;
  const value = ipv6ToBigInt(m[1]!);
  if (value === undefined || (value & ((1n << 48n) - 1n)) !== 0n) return undefined;
  return `${bigIntToIpv6(value)}/${IPV6_PREFIX_LENGTH}`;
}

/**
 * IPv6 /80 prefixes of a vSwitch /64, canonical CIDR text in request order, or throws.
 * `isBlockTaken(index)` answers from the store: a prefix there, or an assigned address inside it.
 *
 * - `{count}`: random blocks (a /64 holds 65,536; random draws, as for IPv6 addresses),
 *   skipping the three that hold reserved interface ids and taken ones.
 * - `{prefixes}`: phases as for IPv4 (InvalidParameter {name: ipv6Prefix}, AddressInvalidForVSwitch,
 *   AddressRepeated, AddressInUse).
 */
export function allocateIpv6Prefixes(
  subnet: Ipv6Cidr,
  request: PrefixRequest,
  isBlockTaken: (index: number) => boolean,
  rng: Rng,
): string[] {
  if (subnet.prefixLength !== VSWITCH_IPV6_PREFIX_LENGTH) throw invalidParameter('subnet', 'must be a vSwitch /64');
  checkPrefixRequest(request);
  if ('count' in request) {
    const picked = new Set<number>();
    for (let i = 0; i < request.count; i++) {
      let found: number | undefined;
      for (let draw = 0; draw < IPV6_PREFIX_DRAWS && found === undefined; draw++) {
        const index = drawInt(rng, IPV6_BLOCKS_PER_SUBNET);
        if (!picked.has(index) && !ipv6BlockHoldsReserved(index) && !isBlockTaken(index)) found = index;
      }
      if (found === undefined) throw new DomainError('VSwitchIpNotEnough', { requested: request.count, cidr: formatIpv6Cidr(subnet) });
      picked.add(found);
    }
    return [...picked].map((index) => formatIpv6Block(subnet, index));
  }
  const indexes = request.prefixes.map((t) => {
    const canonical = canonicalIpv6Prefix(t);
    if (canonical === undefined) throw invalidParameter('ipv6Prefix', `"${String(t)}" is not an aligned /${IPV6_PREFIX_LENGTH}`);
    return { canonical, value: ipv6ToBigInt(canonical.split('/')[0]!)! };
  });
  const blockOf = indexes.map(({ canonical, value }) => {
    const index = ipv6BlockIndex(subnet, value);
    if (index === undefined || ipv6BlockHoldsReserved(index)) {
      throw new DomainError('AddressInvalidForVSwitch', { address: canonical, cidr: formatIpv6Cidr(subnet) });
    }
    return index;
  });
  const seen = new Set<number>();
  blockOf.forEach((index, i) => {
    if (seen.has(index)) throw new DomainError('AddressRepeated', { address: indexes[i]!.canonical });
    seen.add(index);
  });
  blockOf.forEach((index, i) => {
    if (isBlockTaken(index)) throw new DomainError('AddressInUse', { address: indexes[i]!.canonical });
  });
  return indexes.map((x) => x.canonical);
}
