// IP prefixes in the Manage ENI IP Addresses dialog (pure): what the ENI holds,
// the checks on what the user asks for (the API's own rules: aligned /28 and
// /80 blocks inside the vSwitch, 1-10 a request), and the calls that apply it —
// Unassign first (it frees slots), then the named prefixes, then the count, one
// call each: the API takes a count or a list, and never prefixes together with
// addresses of the same family.
import { MAX_PREFIXES_PER_REQUEST } from '../../domain/limits.ts';
import {
  canonicalIpv6Prefix,
  formatIpv4,
  ipv6BlockIndex,
  ipv6ToBigInt,
  IPV4_PREFIX_LENGTH,
  IPV6_PREFIX_LENGTH,
  parseIpv4Cidr,
  parseIpv4Prefix,
  parseIpv6Cidr,
} from '../../ipam/index.ts';

export type PrefixFamily = 4 | 6;

export interface PrefixSets {
  Ipv4PrefixSets?: { Ipv4PrefixSet?: { Ipv4Prefix: string }[] };
  Ipv6PrefixSets?: { Ipv6PrefixSet?: { Ipv6Prefix: string }[] };
}

/** The ENI's prefixes as DescribeNetworkInterfaces shows them. */
export function heldPrefixes(eni: PrefixSets): Record<PrefixFamily, string[]> {
  return {
    4: (eni.Ipv4PrefixSets?.Ipv4PrefixSet ?? []).map((p) => p.Ipv4Prefix),
    6: (eni.Ipv6PrefixSets?.Ipv6PrefixSet ?? []).map((p) => p.Ipv6Prefix),
  };
}

export interface PrefixChange {
  family: PrefixFamily;
  /** Ipv4PrefixCount / Ipv6PrefixCount; 0 for none */
  count: number;
  /** the text of the "named prefixes" field: CIDRs separated by commas or spaces */
  named: string;
  /** held prefixes marked for Unassign */
  removing: string[];
}

export const emptyPrefixChange = (family: PrefixFamily): PrefixChange => ({ family, count: 0, named: '', removing: [] });

export function namedPrefixes(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

export function prefixChangeCount(c: PrefixChange): number {
  return (c.count > 0 ? 1 : 0) + namedPrefixes(c.named).length + c.removing.length;
}

const size = (f: PrefixFamily) => (f === 4 ? IPV4_PREFIX_LENGTH : IPV6_PREFIX_LENGTH);
export const prefixExample = (f: PrefixFamily) =>
  f === 4 ? `192.168.0.16/${IPV4_PREFIX_LENGTH}` : `2001:db8:1:2:3::/${IPV6_PREFIX_LENGTH}`;

/** The canonical text of a named prefix inside the vSwitch, or why the API would refuse it. */
function checkOne(family: PrefixFamily, text: string, vswCidr: string): { prefix: string } | { problem: string } {
  const aligned = `must be an aligned /${size(family)} such as ${prefixExample(family)}`;
  if (family === 4) {
    const first = parseIpv4Prefix(text);
    if (first === undefined) return { problem: `${text} ${aligned} (InvalidParameter)` };
    const c = parseIpv4Cidr(vswCidr, { minPrefix: 1, maxPrefix: 32 });
    const last = first + 15;
    const end = c.base + c.size - 1;
    if (first < c.base || last > end) return { problem: `${text} is outside the vSwitch ${vswCidr} (InvalidVSwitchId.IpInvalid)` };
    // the vSwitch reserves its first address and its last three
    if (first === c.base || last > end - 3)
      return { problem: `${text} holds an address the vSwitch reserves (InvalidVSwitchId.IpInvalid)` };
    return { prefix: `${formatIpv4(first)}/${IPV4_PREFIX_LENGTH}` };
  }
  const canonical = canonicalIpv6Prefix(text);
  if (!canonical) return { problem: `${text} ${aligned} (InvalidParameter)` };
  const value = ipv6ToBigInt(canonical.split('/')[0]);
  if (value === undefined || ipv6BlockIndex(parseIpv6Cidr(vswCidr), value) === undefined)
    return { problem: `${text} is outside the vSwitch ${vswCidr} (InvalidVSwitchId.IpInvalid)` };
  return { prefix: canonical };
}

export interface PrefixCheck {
  /** the named prefixes, canonical */
  prefixes: string[];
  /** what the API is expected to refuse, in words with its Code */
  problems: string[];
}

export function checkPrefixChange(c: PrefixChange, vswCidr: string | null, held: string[]): PrefixCheck {
  const problems: string[] = [];
  const named = namedPrefixes(c.named);
  const asking = c.count > 0 || named.length > 0;
  if (asking && !vswCidr) problems.push(`The vSwitch has no IPv${c.family} CIDR block.`);
  if (!Number.isInteger(c.count) || c.count < 0 || c.count > MAX_PREFIXES_PER_REQUEST)
    problems.push(`The count must be 0 to ${MAX_PREFIXES_PER_REQUEST}.`);
  if (named.length > MAX_PREFIXES_PER_REQUEST) problems.push(`At most ${MAX_PREFIXES_PER_REQUEST} named prefixes a request.`);
  const prefixes: string[] = [];
  if (vswCidr)
    for (const text of named) {
      const r = checkOne(c.family, text, vswCidr);
      if ('problem' in r) problems.push(r.problem);
      else if (held.includes(r.prefix)) problems.push(`${r.prefix} is already assigned to this ENI (InvalidIp.IpAssigned)`);
      else if (prefixes.includes(r.prefix)) problems.push(`${r.prefix} is named twice`);
      else prefixes.push(r.prefix);
    }
  return { prefixes, problems };
}

export interface PrefixStep {
  family: PrefixFamily;
  kind: 'unassign' | 'named' | 'count';
  action: string;
  params: Record<string, string>;
}

export function prefixSteps(eniId: string, changes: { change: PrefixChange; prefixes: string[] }[]): PrefixStep[] {
  const list = (name: string, values: string[]) => Object.fromEntries(values.map((v, i) => [`${name}.${i + 1}`, v]));
  const out: PrefixStep[] = [];
  const name = (f: PrefixFamily) => (f === 4 ? 'Ipv4Prefix' : 'Ipv6Prefix');
  const assign = (f: PrefixFamily) => (f === 4 ? 'AssignPrivateIpAddresses' : 'AssignIpv6Addresses');
  for (const { change: c } of changes)
    if (c.removing.length > 0)
      out.push({
        family: c.family,
        kind: 'unassign',
        action: c.family === 4 ? 'UnassignPrivateIpAddresses' : 'UnassignIpv6Addresses',
        params: { NetworkInterfaceId: eniId, ...list(name(c.family), c.removing) },
      });
  for (const { change: c, prefixes } of changes)
    if (prefixes.length > 0)
      out.push({
        family: c.family,
        kind: 'named',
        action: assign(c.family),
        params: { NetworkInterfaceId: eniId, ...list(name(c.family), prefixes) },
      });
  for (const { change: c } of changes)
    if (c.count > 0)
      out.push({
        family: c.family,
        kind: 'count',
        action: assign(c.family),
        params: { NetworkInterfaceId: eniId, [`${name(c.family)}Count`]: String(c.count) },
      });
  return out;
}
