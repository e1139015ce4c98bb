// The one IPv6 text parser and formatter, shared by ipam (ipv6.ts: canonical
// text, domain errors) and osconfig (ip.ts: bigint, undefined): both layers may
// import domain, not each other. Strict on purpose: zone ids ("fe80::1%eth0"),
// prefixes and an IPv4 tail a guest tool might read differently (leading zeros,
// hex) are refused; "::1.2.3.4" is ::102:304 (RFC 4291), not IPv4-mapped.
import { parseDottedQuad } from './ipv4-text.ts';

const GROUP = /^[0-9a-fA-F]{1,4}$/;

/** IPv6 text → 128-bit value, or undefined when the text is not exactly one address. */
export function parseIpv6Text(text: unknown): bigint | undefined {
  if (typeof text !== 'string' || text.length === 0 || text.length > 45) return undefined;
  let head = text;
  let v4Tail: number | undefined;
  // an embedded IPv4 tail (::ffff:192.0.2.1) counts as two groups
  const lastColon = text.lastIndexOf(':');
  if (lastColon >= 0 && text.includes('.', lastColon)) {
    v4Tail = parseDottedQuad(text.slice(lastColon + 1));
    if (v4Tail === undefined) return undefined;
    head = text.slice(0, lastColon + 1) + '0:0';
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const toGroups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const left = toGroups(halves[0]);
  const right = halves.length === 2 ? toGroups(halves[1]) : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  let value = 0n;
  for (const g of groups) {
    if (!GROUP.test(g)) return undefined;
    value = (value << 16n) | BigInt(parseInt(g, 16));
  }
  if (v4Tail !== undefined) value = (value & ~0xffffffffn) | BigInt(v4Tail);
  return value;
}

/** RFC 5952 text of a 128-bit value: lower case, no leading zeros, the first longest zero run (2+ groups) as "::". */
export function formatIpv6Text(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
