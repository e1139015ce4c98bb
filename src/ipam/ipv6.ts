// IPv6 address and prefix math. Parsing and formatting go through the one
// IPv6 text module, domain/ipv6-text.ts, which osconfig shares; inside ipam an
// address is a 128-bit bigint. The canonical text is RFC 5952 (lower case,
// longest zero run as "::").
//
// A VPC gets a /56; each vSwitch a /64 = the VPC's /56 plus an 8-bit index
// (CreateVSwitch's Ipv6CidrBlock, 0..255).

import { DomainError, invalidParameter } from '../domain/errors.ts';
import { formatIpv6Text, parseIpv6Text } from '../domain/ipv6-text.ts';

export interface Ipv6Cidr {
  /** canonical network address, e.g. "2001:db8:0:100::" */
  readonly prefix: string;
  readonly prefixLength: number;
}

export const VPC_IPV6_PREFIX_LENGTH = 56;
export const VSWITCH_IPV6_PREFIX_LENGTH = 64;

const ALL_ONES = (1n << 128n) - 1n;
const DECIMAL = /^(?:0|[1-9][0-9]{0,2})$/;

/** Address text → 128-bit value; undefined unless a plain IPv6 address (zone ids are refused). */
export function ipv6ToBigInt(s: unknown): bigint | undefined {
  return parseIpv6Text(s);
}

export function bigIntToIpv6(value: bigint): string {
  if (value < 0n || value > ALL_ONES) throw new RangeError(`not a 128-bit value: ${value}`);
  return formatIpv6Text(value);
}

/** Any valid IPv6 text → canonical; throws AddressMalformed {address}. */
export function canonicalIpv6(s: string): string {
  const value = ipv6ToBigInt(s);
  if (value === undefined) throw new DomainError('AddressMalformed', { address: String(s) });
  return bigIntToIpv6(value);
}

function hostMask(prefixLength: number): bigint {
  return (1n << BigInt(128 - prefixLength)) - 1n;
}

/** "addr/len" with len in [minLength, maxLength], host bits zero; undefined otherwise. */
function parseAnyIpv6Cidr(s: unknown, minLength: number, maxLength: number): { network: bigint; prefixLength: number } | undefined {
  if (typeof s !== 'string') return undefined;
  const parts = s.split('/');
  if (parts.length !== 2 || !DECIMAL.test(parts[1]!)) return undefined;
  const prefixLength = Number(parts[1]);
  const network = ipv6ToBigInt(parts[0]);
  if (network === undefined || prefixLength < minLength || prefixLength > maxLength) return undefined;
  if ((network & hostMask(prefixLength)) !== 0n) return undefined;
  return { network, prefixLength };
}

function cidrOf(network: bigint, prefixLength: number): Ipv6Cidr {
  return Object.freeze({ prefix: bigIntToIpv6(network), prefixLength });
}

/** Network address of a (trusted) Ipv6Cidr. */
export function ipv6CidrNetwork(c: Ipv6Cidr): bigint {
  const network = ipv6ToBigInt(c.prefix);
  if (network === undefined) throw new RangeError(`not an Ipv6Cidr: ${c.prefix}/${c.prefixLength}`);
  return network;
}

/**
 * "2001:db8:0:100::/56" (any valid spelling) → Ipv6Cidr with the canonical
 * prefix. Only /56 (VPC) and /64 (vSwitch) exist here; `prefixLength` demands
 * one of them. The address must be the network address. Throws
 * Ipv6CidrInvalid {cidr}.
 */
export function parseIpv6Cidr(s: string, prefixLength?: 56 | 64): Ipv6Cidr {
  const parsed = parseAnyIpv6Cidr(s, VPC_IPV6_PREFIX_LENGTH, VSWITCH_IPV6_PREFIX_LENGTH);
  const allowed = prefixLength === undefined ? [VPC_IPV6_PREFIX_LENGTH, VSWITCH_IPV6_PREFIX_LENGTH] : [prefixLength];
  if (parsed === undefined || !allowed.includes(parsed.prefixLength)) {
    throw new DomainError('Ipv6CidrInvalid', { cidr: String(s) });
  }
  return cidrOf(parsed.network, parsed.prefixLength);
}

/** Like parseIpv6Cidr for a pool: any prefix length in [0, maxLength]. Throws Ipv6CidrInvalid {cidr}. */
export function parseIpv6Pool(s: string, maxLength: number): Ipv6Cidr {
  const parsed = parseAnyIpv6Cidr(s, 0, maxLength);
  if (parsed === undefined) throw new DomainError('Ipv6CidrInvalid', { cidr: String(s) });
  return cidrOf(parsed.network, parsed.prefixLength);
}

export function formatIpv6Cidr(c: Ipv6Cidr): string {
  return `${c.prefix}/${c.prefixLength}`;
}

/** Whether addr (any valid spelling) lies in c; throws AddressMalformed for text that is not IPv6. */
export function ipv6InCidr(c: Ipv6Cidr, addr: string): boolean {
  const value = ipv6ToBigInt(addr);
  if (value === undefined) throw new DomainError('AddressMalformed', { address: String(addr) });
  return (value & ~hostMask(c.prefixLength) & ALL_ONES) === ipv6CidrNetwork(c);
}

/** The vSwitch /64 number `index` (0..255) of a VPC /56; InvalidParameter otherwise. */
export function ipv6SubnetOfVpc(vpc: Ipv6Cidr, index: number): Ipv6Cidr {
  if (vpc.prefixLength !== VPC_IPV6_PREFIX_LENGTH) throw invalidParameter('vpcIpv6Cidr', 'must be a /56');
  if (!Number.isInteger(index) || index < 0 || index > 255) throw invalidParameter('ipv6CidrBlockIndex', 'must be an integer 0..255');
  return cidrOf(ipv6CidrNetwork(vpc) | (BigInt(index) << 64n), VSWITCH_IPV6_PREFIX_LENGTH);
}

/**
 * The vSwitch's IPv6 gateway: <prefix>::1 (interface id 1).
 * COMPAT: Alibaba's value for the metadata `ipv6-gateway` is not documented in
 * our sources; ::1 is the common convention and what the lab's router uses.
 * Because of it, interface id 1 is never handed out (see ipv6-reserved.ts).
 */
export function ipv6Gateway(c: Ipv6Cidr): string {
  return bigIntToIpv6(ipv6CidrNetwork(c) | 1n);
}
