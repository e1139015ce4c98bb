// The lab as it should be, computed from the store (pure): a router namespace
// with one bridge per vSwitch (the vSwitch gateway on it), a parking
// namespace for ENIs bound to nothing, one namespace per instance, and one
// veth per ENI carrying the ENI's MAC — its guest end where the ENI is bound,
// its other end on the vSwitch's bridge.
import { createHash } from 'node:crypto';
import {
  canonicalIpv6,
  cidrContains,
  cidrsOverlap,
  formatIpv4,
  ipv4Gateway,
  ipv6Gateway,
  ipv6InCidr,
  parseIpv4Cidr,
  parseIpv6Cidr,
  parseIpv6Pool,
} from '../ipam/index.ts';
import type { LabInventory } from '../service/lab-inventory.ts';

/** The only IPv4 range the lab ever puts on an interface (RFC 2544 benchmarking). */
const LAB_IPV4_RANGE = '198.18.0.0/15';
/** ... and IPv6 (RFC 3849 documentation). */
const LAB_IPV6_RANGE = '2001:db8::/32';
export const METADATA_ADDRESS = '100.100.100.200';

export interface LabVSwitch {
  id: string;
  bridge: string;
  /** the bridge's (so the gateway's) MAC: fixed for the life of the vSwitch, see bridgeMac */
  mac: string;
  cidr: string;
  gateway: string;
  prefixLength: number;
  ipv6?: { cidr: string; gateway: string; prefixLength: number };
}

export interface LabInstance {
  id: string;
  ns: string;
  /** Running: links up, agent running; anything else: powered off */
  on: boolean;
  status: string;
  primaryMac: string;
  primaryIp: string;
  prefixLength: number;
  gateway: string;
}

export interface LabEni {
  id: string;
  mac: string;
  primary: boolean;
  /** the bridge its router-side end hangs on */
  bridge: string;
  /** router-side veth name */
  peer: string;
  /** the guest-side name when parked */
  transit: string;
  /** the guest-side name of its old veth while a move replaces it */
  doomed: string;
  /** where the guest end belongs: an instance namespace, or the parking one */
  ns: string;
  /** the name it gets there: eth<device index> in an instance, the transit name when parked */
  ifname: string;
  /** the instance it is bound (or being attached/detached) to, if any */
  instanceId: string | null;
}

/**
 * An IP prefix routed in the router to the ENI holding it: what the VPC does
 * for an assigned prefix (delivers any address inside it to the ENI, whether
 * or not the guest answers ARP/ND for it). The next hop is the ENI itself —
 * its primary IPv4, its link-local IPv6 (from its MAC) — so the route follows
 * the ENI when it moves to another instance without being touched.
 */
export interface LabPrefixRoute {
  eniId: string;
  family: 4 | 6;
  /** CIDR text as the store has it (canonical) */
  prefix: string;
  via: string;
  bridge: string;
}

export interface LabLayout {
  prefix: string;
  router: string;
  park: string;
  vSwitches: LabVSwitch[];
  instances: LabInstance[];
  enis: LabEni[];
  /** assigned IP prefixes of ENIs bound to an instance */
  prefixRoutes: LabPrefixRoute[];
  /** things in the store the lab leaves out, and why */
  skipped: string[];
}

export const PREFIX_PATTERN = /^[a-z][a-z0-9]{0,11}$/;

const short = (kind: string, id: string) => kind + createHash('sha1').update(id).digest('hex').slice(0, 10);

/**
 * The MAC of a vSwitch's bridge, from its id alone: locally administered,
 * unicast, the same on every `lab up`. A bridge left to the kernel takes the
 * lowest MAC of its ports, so a new ENI veth with a lower random MAC would
 * change the gateway's MAC under running instances, whose neighbour tables
 * keep the old one for 20-45 s (traffic to the gateway and to the metadata
 * service dropped meanwhile). A MAC set at creation is never recalculated.
 */
export function bridgeMac(vSwitchId: string): string {
  const h = createHash('sha256').update(`eniplane-lab-bridge:${vSwitchId}`).digest();
  // first octet: locally administered (bit 1 set), unicast (bit 0 clear)
  const bytes = [(h[0]! & 0xfc) | 0x02, h[1]!, h[2]!, h[3]!, h[4]!, h[5]!];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/** The IPv6 link-local address the kernel gives a link with this MAC (EUI-64, addr_gen_mode 0). */
export function linkLocalOf(mac: string): string {
  const b = mac.split(':').map((x) => parseInt(x, 16));
  const eui = [b[0]! ^ 0x02, b[1]!, b[2]!, 0xff, 0xfe, b[3]!, b[4]!, b[5]!];
  const groups = [0, 2, 4, 6].map((i) => ((eui[i]! << 8) | eui[i + 1]!).toString(16));
  return canonicalIpv6(`fe80::${groups.join(':')}`);
}

export function labNames(prefix: string) {
  if (!PREFIX_PATTERN.test(prefix)) throw new Error(`lab prefix "${prefix}" must be 1-12 characters of a-z 0-9, starting with a letter`);
  return {
    router: `${prefix}-rt`,
    park: `${prefix}-park`,
    instance: (id: string) => `${prefix}-${id}`,
    /** does this namespace name belong to this lab? */
    owns: (ns: string) => ns === `${prefix}-rt` || ns === `${prefix}-park` || new RegExp(`^${prefix}-i-[A-Za-z0-9]+$`).test(ns),
    bridge: (vSwitchId: string) => short('b', vSwitchId),
    peer: (eniId: string) => short('v', eniId),
    transit: (eniId: string) => short('t', eniId),
    doomed: (eniId: string) => short('d', eniId),
  };
}

export function labLayout(inv: LabInventory, prefix: string): LabLayout {
  const n = labNames(prefix);
  const skipped: string[] = [];
  const labV4 = parseIpv4Cidr(LAB_IPV4_RANGE, { minPrefix: 1, maxPrefix: 32 });
  const labV6 = parseIpv6Pool(LAB_IPV6_RANGE, 64);

  const vSwitches: LabVSwitch[] = [];
  for (const v of inv.vSwitches) {
    const cidr = parseIpv4Cidr(v.cidrBlock, { minPrefix: 1, maxPrefix: 32 });
    if (!cidrContains(labV4, cidr)) {
      skipped.push(`vSwitch ${v.id} (${v.cidrBlock}): outside ${LAB_IPV4_RANGE}`);
      continue;
    }
    const clash = vSwitches.find((x) => cidrsOverlap(parseIpv4Cidr(x.cidr, { minPrefix: 1, maxPrefix: 32 }), cidr));
    if (clash) {
      skipped.push(`vSwitch ${v.id} (${v.cidrBlock}): overlaps ${clash.id} (${clash.cidr}) — one router cannot hold both`);
      continue;
    }
    let ipv6: LabVSwitch['ipv6'];
    if (v.ipv6CidrBlock) {
      const c6 = parseIpv6Cidr(v.ipv6CidrBlock);
      const gw6 = ipv6Gateway(c6);
      if (ipv6InCidr(labV6, gw6)) ipv6 = { cidr: v.ipv6CidrBlock, gateway: gw6, prefixLength: c6.prefixLength };
      else skipped.push(`IPv6 of vSwitch ${v.id} (${v.ipv6CidrBlock}): outside ${LAB_IPV6_RANGE}`);
    }
    vSwitches.push({
      id: v.id,
      bridge: n.bridge(v.id),
      mac: bridgeMac(v.id),
      cidr: v.cidrBlock,
      gateway: formatIpv4(ipv4Gateway(cidr)),
      prefixLength: cidr.prefixLength,
      ...(ipv6 ? { ipv6 } : {}),
    });
  }
  const vswById = new Map(vSwitches.map((v) => [v.id, v]));

  const instances: LabInstance[] = [];
  for (const i of inv.instances) {
    const primary = inv.enis.find((e) => e.type === 'Primary' && e.instanceId === i.id);
    const vsw = primary && vswById.get(primary.vSwitchId);
    const ip = primary?.addresses.find((a) => a.family === 4 && a.primary)?.address;
    if (!primary || !vsw || !ip) {
      if (primary && !vsw) skipped.push(`instance ${i.id}: its vSwitch is not in the lab`);
      continue;
    }
    instances.push({
      id: i.id,
      ns: n.instance(i.id),
      on: i.status === 'Running',
      status: i.status,
      primaryMac: primary.macAddress.toLowerCase(),
      primaryIp: ip,
      prefixLength: vsw.prefixLength,
      gateway: vsw.gateway,
    });
  }
  const instById = new Map(instances.map((i) => [i.id, i]));

  const enis: LabEni[] = [];
  const prefixRoutes: LabPrefixRoute[] = [];
  for (const e of inv.enis) {
    const vsw = vswById.get(e.vSwitchId);
    if (!vsw) continue;
    // The NIC is plugged in while Attaching and until Detaching completes.
    const boundTo = e.instanceId ?? (e.status === 'Attaching' || e.status === 'Detaching' ? e.pendingInstanceId : null);
    const inst = boundTo ? instById.get(boundTo) : undefined;
    if (e.type === 'Primary' && !inst) continue;
    const base = {
      id: e.id,
      mac: e.macAddress.toLowerCase(),
      primary: e.type === 'Primary',
      bridge: vsw.bridge,
      peer: n.peer(e.id),
      transit: n.transit(e.id),
      doomed: n.doomed(e.id),
    };
    enis.push(
      inst
        ? { ...base, ns: inst.ns, ifname: `eth${e.deviceIndex ?? 0}`, instanceId: inst.id }
        : { ...base, ns: n.park, ifname: base.transit, instanceId: null },
    );
    if (!inst) continue; // a parked ENI's prefixes reach nobody: no route, as for its addresses
    const primaryV4 = e.addresses.find((a) => a.family === 4 && a.primary)?.address;
    for (const p of e.ipv4Prefixes ?? []) {
      const c = parseIpv4Cidr(p, { minPrefix: 1, maxPrefix: 32 });
      if (primaryV4 && cidrContains(parseIpv4Cidr(vsw.cidr, { minPrefix: 1, maxPrefix: 32 }), c))
        prefixRoutes.push({ eniId: e.id, family: 4, prefix: p, via: primaryV4, bridge: vsw.bridge });
    }
    for (const p of e.ipv6Prefixes ?? []) {
      const [first] = p.split('/');
      if (vsw.ipv6 && first && ipv6InCidr(parseIpv6Cidr(vsw.ipv6.cidr), first))
        prefixRoutes.push({ eniId: e.id, family: 6, prefix: p, via: linkLocalOf(base.mac), bridge: vsw.bridge });
    }
  }
  return { prefix, router: n.router, park: n.park, vSwitches, instances, enis, prefixRoutes, skipped };
}
