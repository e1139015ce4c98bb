// IPv4 address and CIDR math. Addresses are uint32 numbers inside ipam; text
// only at the edges (parseIpv4 / formatIpv4). The text parser is the one in
// domain/ipv4-text.ts, which osconfig shares: strict, no octal, no short forms.

import { DomainError } from '../domain/errors.ts';
import { parseDottedQuad } from '../domain/ipv4-text.ts';

export interface Ipv4Cidr {
  /** network address as uint32 */
  readonly base: number;
  readonly prefixLength: number;
  /** number of addresses, 2^(32 - prefixLength) */
  readonly size: number;
}

export interface PrefixRange {
  readonly minPrefix: number;
  readonly maxPrefix: number;
}

/** CreateVSwitch: mask 16..29 */
export const VSWITCH_IPV4_PREFIX: PrefixRange = Object.freeze({ minPrefix: 16, maxPrefix: 29 });
/** CreateVpc: mask 8..28 (docs disagree on 8 vs 16; the wider range is accepted) */
export const VPC_IPV4_PREFIX: PrefixRange = Object.freeze({ minPrefix: 8, maxPrefix: 28 });
/** parseIpv4Cidr's default: anything a VPC or a vSwitch may use */
const DEFAULT_PREFIX: PrefixRange = Object.freeze({ minPrefix: 8, maxPrefix: 29 });

const PREFIX_LENGTH = /^(?:0|[1-9][0-9]?)$/;

/** Strict dotted quad → uint32; throws AddressMalformed {address}. */
export function parseIpv4(s: string): number {
  const n = parseDottedQuad(s);
  if (n === undefined) throw new DomainError('AddressMalformed', { address: String(s) });
  return n;
}

export function isUint32(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 0xffffffff;
}

export function formatIpv4(n: number): string {
  if (!isUint32(n)) throw new RangeError(`not an IPv4 address as uint32: ${n}`);
  return `${Math.floor(n / 0x1000000)}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}`;
}

/**
 * "a.b.c.d/p" → Ipv4Cidr; throws CidrInvalid {cidr, reason}. The address must
 * be the network address (10.0.0.1/24 is invalid, not silently truncated) and
 * p within [minPrefix, maxPrefix] (default 8..29: VPC or vSwitch; pass
 * VSWITCH_IPV4_PREFIX or VPC_IPV4_PREFIX to narrow it).
 */
export function parseIpv4Cidr(s: string, opts: Partial<PrefixRange> = {}): Ipv4Cidr {
  const minPrefix = opts.minPrefix ?? DEFAULT_PREFIX.minPrefix;
  const maxPrefix = opts.maxPrefix ?? DEFAULT_PREFIX.maxPrefix;
  if (!Number.isInteger(minPrefix) || !Number.isInteger(maxPrefix) || minPrefix < 0 || maxPrefix > 32 || minPrefix > maxPrefix) {
    throw new RangeError(`bad prefix range ${minPrefix}..${maxPrefix}`);
  }
  const invalid = (reason: string) => new DomainError('CidrInvalid', { cidr: String(s), reason });
  if (typeof s !== 'string') throw invalid('not a string');
  const parts = s.split('/');
  if (parts.length !== 2) throw invalid('expected address/prefixLength');
  const [addressText, prefixText] = parts as [string, string];
  const base = parseDottedQuad(addressText);
  if (base === undefined) throw invalid('malformed address');
  if (!PREFIX_LENGTH.test(prefixText)) throw invalid('malformed prefix length');
  const prefixLength = Number(prefixText);
  if (prefixLength < minPrefix || prefixLength > maxPrefix) {
    throw invalid(`prefix length must be ${minPrefix}..${maxPrefix}`);
  }
  const size = 2 ** (32 - prefixLength);
  if (base % size !== 0) throw invalid('not the network address of its prefix');
  return Object.freeze({ base, prefixLength, size });
}

export function formatIpv4Cidr(c: Ipv4Cidr): string {
  return `${formatIpv4(c.base)}/${c.prefixLength}`;
}

export function cidrContains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  return inner.base >= outer.base && inner.base + inner.size <= outer.base + outer.size;
}

export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return a.base < b.base + b.size && b.base < a.base + a.size;
}

export function ipv4InCidr(c: Ipv4Cidr, n: number): boolean {
  return Number.isInteger(n) && n >= c.base && n < c.base + c.size;
}

/**
 * The first address and the last three of a vSwitch CIDR are reserved (for
 * 192.168.1.0/24: .0, .253, .254, .255). Addresses outside the CIDR are not
 * "reserved" in it: false.
 */
export function isReservedIpv4(c: Ipv4Cidr, n: number): boolean {
  return ipv4InCidr(c, n) && (n === c.base || n >= c.base + c.size - 3);
}

/** The first of the last three: .253 of a /24 (the metadata `gateway`). */
export function ipv4Gateway(c: Ipv4Cidr): number {
  return c.base + c.size - 3;
}

/** 2^(32-p) - 4: everything but the four reserved addresses. */
export function usableIpv4Count(c: Ipv4Cidr): number {
  return Math.max(0, c.size - 4);
}

/** 24 → "255.255.255.0" */
export function prefixToNetmask(p: number): string {
  if (!Number.isInteger(p) || p < 0 || p > 32) throw new RangeError(`not a prefix length: ${p}`);
  return formatIpv4(p === 0 ? 0 : (0xffffffff << (32 - p)) >>> 0);
}
