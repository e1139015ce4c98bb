// Suggestions for the create dialogs: the next free /24 (or smaller) for a
// vSwitch inside its VPC, and the next free IPv6 /64 index. Pure.
import { cidrsOverlap, cidrContains, formatIpv4Cidr, parseIpv4Cidr, type Ipv4Cidr } from '../../ipam/index.ts';

/** The first CIDR of `prefixLength` inside the VPC that no sibling vSwitch overlaps; undefined when full. */
export function suggestVSwitchCidr(vpcCidr: string, siblings: readonly string[], prefixLength = 24): string | undefined {
  let vpc: Ipv4Cidr;
  try {
    vpc = parseIpv4Cidr(vpcCidr, { minPrefix: 8, maxPrefix: 29 });
  } catch {
    return undefined;
  }
  const p = Math.max(prefixLength, vpc.prefixLength);
  const size = 2 ** (32 - p);
  const taken = siblings.flatMap((s) => {
    try {
      return [parseIpv4Cidr(s)];
    } catch {
      return [];
    }
  });
  // Cap the walk: a /8 holds 65,536 /24s; stop after that many candidates.
  for (let base = vpc.base, i = 0; base + size <= vpc.base + vpc.size && i < 70000; base += size, i++) {
    const c = { base, prefixLength: p, size };
    if (!taken.some((t) => cidrsOverlap(t, c))) return formatIpv4Cidr(c);
  }
  return undefined;
}

/** Checks a vSwitch CIDR typed in the create dialog: the API's rules (mask 16..29, inside the VPC, no overlap). */
export function vSwitchCidrProblem(
  text: string,
  vpcCidr: string | undefined,
  siblings: readonly { id: string; cidr: string }[],
): string | undefined {
  let c: Ipv4Cidr;
  try {
    c = parseIpv4Cidr(text.trim(), { minPrefix: 16, maxPrefix: 29 });
  } catch (e) {
    const reason = (e as { details?: { reason?: string } }).details?.reason;
    return `Not a valid vSwitch CIDR block${reason ? `: ${reason}` : ''} (e.g. 192.168.1.0/24, mask 16 to 29).`;
  }
  if (vpcCidr) {
    try {
      if (!cidrContains(parseIpv4Cidr(vpcCidr, { minPrefix: 8, maxPrefix: 29 }), c)) return `Must lie inside the VPC's ${vpcCidr}.`;
    } catch {
      /* the VPC's own block is the server's business */
    }
  }
  const clash = siblings.find((s) => {
    try {
      return cidrsOverlap(parseIpv4Cidr(s.cidr), c);
    } catch {
      return false;
    }
  });
  return clash ? `Overlaps ${clash.id} (${clash.cidr}).` : undefined;
}

/** The lowest IPv6 /64 index (0..255) of the VPC's /56 that no sibling uses. */
export function suggestIpv6Index(vpcIpv6: string, siblingsIpv6: readonly string[]): number | undefined {
  const used = new Set<number>();
  const vpcGroups = expand(vpcIpv6.split('/')[0]);
  for (const s of siblingsIpv6) {
    if (!s) continue;
    const g = expand(s.split('/')[0]);
    if (vpcGroups && g) used.add(g[3] & 0xff);
  }
  for (let i = 0; i < 256; i++) if (!used.has(i)) return i;
  return undefined;
}

/** "2408:4000:1::" → 8 numbers. */
function expand(addr: string): number[] | undefined {
  const [head, tail] = addr.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const fill = 8 - h.length - t.length;
  if (fill < 0) return undefined;
  const groups = [...h, ...Array(addr.includes('::') ? fill : 0).fill('0'), ...t].map((x) => parseInt(x, 16));
  return groups.length === 8 && groups.every((n) => Number.isInteger(n)) ? groups : undefined;
}
