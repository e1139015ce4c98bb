// The metadata snapshot → the desired state (pure). Anything malformed makes
// the answer `partial` (its good interfaces are still applied, nothing is
// removed); an answer that is not a snapshot at all is `unavailable`.
import { canonicalIp, cidrContains, formatIp, networkOf, parseCidr, parseIp, type ParsedCidr } from '../osconfig/ip.ts';
import { snapshotInterfaceSchema, snapshotSchema } from '../metadata/wire.ts';
import type { Desired, DesiredInterface } from './model.ts';

/** the network address form, as `ip route` prints it: 198.18.1.0/24 */
export function networkCidr(c: ParsedCidr): string {
  return `${formatIp({ family: c.family, value: networkOf(c, c.prefixLength) })}/${c.prefixLength}`;
}

function checkInterface(raw: unknown, at: number): { ok: true; value: DesiredInterface } | { ok: false; problem: string } {
  const r = snapshotInterfaceSchema.safeParse(raw);
  if (!r.success)
    return { ok: false, problem: `interfaces[${at}]: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
  const i = r.data;
  const bad = (why: string) => ({ ok: false as const, problem: `interfaces[${at}] (${i.mac}): ${why}` });
  const cidr = parseCidr(i.vswitchCidrBlock);
  if (!cidr || cidr.family !== 4 || cidr.prefixLength !== i.prefixLength)
    return bad(`vswitchCidrBlock ${i.vswitchCidrBlock} does not match prefixLength ${i.prefixLength}`);
  const v4: string[] = [];
  for (const a of i.privateIpv4s) {
    const p = parseIp(a);
    if (!p || p.family !== 4 || !cidrContains(cidr, p)) return bad(`${a} is not an address of ${i.vswitchCidrBlock}`);
    v4.push(canonicalIp(a)!);
  }
  const primary = canonicalIp(i.primaryIpAddress);
  if (v4[0] !== primary) return bad('privateIpv4s does not start with primaryIpAddress');
  if (new Set(v4).size !== v4.length) return bad('privateIpv4s repeats an address');
  const gw = parseIp(i.gateway);
  if (!gw || gw.family !== 4 || !cidrContains(cidr, gw)) return bad(`gateway ${i.gateway} is outside ${i.vswitchCidrBlock}`);
  const v6cidr = i.vswitchIpv6CidrBlock ? parseCidr(i.vswitchIpv6CidrBlock) : undefined;
  if (i.vswitchIpv6CidrBlock && (!v6cidr || v6cidr.family !== 6))
    return bad(`vswitchIpv6CidrBlock ${i.vswitchIpv6CidrBlock} is not an IPv6 CIDR`);
  const v6: string[] = [];
  for (const a of i.ipv6s) {
    const p = parseIp(a);
    if (!p || p.family !== 6 || (v6cidr && !cidrContains(v6cidr, p)))
      return bad(`${a} is not an IPv6 address of ${i.vswitchIpv6CidrBlock}`);
    v6.push(canonicalIp(a)!);
  }
  if (v6.length > 0 && !v6cidr) return bad('ipv6s without vswitchIpv6CidrBlock');
  const gw6 = i.ipv6Gateway ? canonicalIp(i.ipv6Gateway) : undefined;
  if (i.ipv6Gateway && !gw6) return bad(`ipv6Gateway ${i.ipv6Gateway} is not an address`);
  const prefixes = [...i.ipv4Prefixes, ...i.ipv6Prefixes];
  return {
    ok: true,
    value: {
      mac: i.mac.toLowerCase(),
      networkInterfaceId: i.networkInterfaceId,
      deviceIndex: i.deviceIndex,
      primary: i.primary,
      ipv4: {
        primary: v4[0]!,
        secondaries: v4.slice(1),
        prefixLength: i.prefixLength,
        gateway: canonicalIp(i.gateway)!,
        cidr: networkCidr(cidr),
      },
      ipv6: { addresses: v6, prefixLength: v6cidr?.prefixLength ?? 64, gateway: gw6 ?? null, cidr: v6cidr ? networkCidr(v6cidr) : null },
      ...(prefixes.length > 0 ? { prefixes } : {}),
    },
  };
}

/** A parsed snapshot document (JSON.parse'd) → the desired state. */
export function desiredFromSnapshot(doc: unknown): Desired {
  const top = snapshotSchema.safeParse(doc);
  if (!top.success) return { kind: 'unavailable', reason: 'the metadata answer is not an interfaces snapshot' };
  const problems: string[] = [];
  const interfaces: DesiredInterface[] = [];
  const macs = new Set<string>();
  top.data.interfaces.forEach((raw, at) => {
    const r = checkInterface(raw, at);
    if (!r.ok) return problems.push(r.problem);
    if (macs.has(r.value.mac)) return problems.push(`interfaces[${at}]: MAC ${r.value.mac} appears twice`);
    macs.add(r.value.mac);
    interfaces.push(r.value);
  });
  if (interfaces.filter((i) => i.primary).length > 1) problems.push('more than one primary interface');
  const version = top.data.version;
  return problems.length > 0 ? { kind: 'partial', version, interfaces, problems } : { kind: 'complete', version, interfaces };
}
