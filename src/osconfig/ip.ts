// Small, strict IP address math for the renderers and the facts validator.
// Both families are held as bigint (32 or 128 bits) so one set of helpers
// serves both. Strict on purpose: an address a guest tool might read
// differently (leading zeros, which some read as octal; zone ids; prefixes)
// is rejected rather than guessed at. Text is read and written by the one
// parsers in domain/ipv4-text.ts and domain/ipv6-text.ts, the ones ipam uses too.
import { parseDottedQuad } from '../domain/ipv4-text.ts';
import { formatIpv6Text, parseIpv6Text } from '../domain/ipv6-text.ts';

export type IpFamily = 4 | 6;

export interface ParsedIp {
  family: IpFamily;
  value: bigint;
}

export interface ParsedCidr extends ParsedIp {
  prefixLength: number;
}

function bitsOf(family: IpFamily): number {
  return family === 4 ? 32 : 128;
}

export function parseIpv4(text: string): bigint | undefined {
  const n = parseDottedQuad(text);
  return n === undefined ? undefined : BigInt(n);
}

export function parseIpv6(text: string): bigint | undefined {
  return parseIpv6Text(text);
}

export function parseIp(text: string): ParsedIp | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = parseIpv6(text);
  if (v6 !== undefined) return { family: 6, value: v6 };
  return undefined;
}

export function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}

/** RFC 5952 text: lower case, no leading zeros, the longest zero run (2+ groups) as "::" */
export function formatIpv6(value: bigint): string {
  return formatIpv6Text(value);
}

export function formatIp(ip: ParsedIp): string {
  return ip.family === 4 ? formatIpv4(ip.value) : formatIpv6(ip.value);
}

/** the canonical text of an address, or undefined when it is not one */
export function canonicalIp(text: string): string | undefined {
  const ip = parseIp(text);
  return ip && formatIp(ip);
}

export function parseCidr(text: string): ParsedCidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!ip || !/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) return undefined;
  const prefixLength = Number(prefixText);
  if (prefixLength > bitsOf(ip.family)) return undefined;
  return { ...ip, prefixLength };
}

function hostMask(family: IpFamily, prefixLength: number): bigint {
  return (1n << BigInt(bitsOf(family) - prefixLength)) - 1n;
}

export function networkOf(ip: ParsedIp, prefixLength: number): bigint {
  return ip.value & ~hostMask(ip.family, prefixLength);
}

/** true when the CIDR has no host bits set (192.168.1.0/24, not 192.168.1.5/24) */
export function isNetworkAligned(cidr: ParsedCidr): boolean {
  return (cidr.value & hostMask(cidr.family, cidr.prefixLength)) === 0n;
}

export function cidrContains(cidr: ParsedCidr, ip: ParsedIp): boolean {
  return cidr.family === ip.family && networkOf(ip, cidr.prefixLength) === networkOf(cidr, cidr.prefixLength);
}

export function broadcastOf(cidr: ParsedCidr): bigint {
  return networkOf(cidr, cidr.prefixLength) | hostMask(cidr.family, cidr.prefixLength);
}

/** 24 -> "255.255.255.0" */
export function ipv4Netmask(prefixLength: number): string {
  return formatIpv4(~hostMask(4, prefixLength) & 0xffffffffn);
}

export function canonicalCidr(cidr: ParsedCidr): string {
  return `${formatIp(cidr)}/${cidr.prefixLength}`;
}

/** fe80::/10: a gateway there is reachable only with an interface (scope) */
export function isIpv6LinkLocal(value: bigint): boolean {
  return value >> 118n === 0x3fan;
}
