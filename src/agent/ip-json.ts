// `ip -json` output → the actual state (pure). Formats as iproute2 6.1 prints
// them (spec/os-validation.md §7): `ip -json addr` is an array of links with
// addr_info[]; rules carry src/srclen/table; routes carry dst/gateway/dev/table.
import { canonicalIp, parseCidr } from '../osconfig/ip.ts';
import { networkCidr } from './desired.ts';
import { MAIN_TABLE, type ActualAddress, type ActualLink, type ActualRoute, type ActualRule, type Family } from './model.ts';

type Json = Record<string, unknown>;

function parseArray(text: string, what: string): Json[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const v = JSON.parse(trimmed) as unknown;
  if (!Array.isArray(v)) throw new Error(`${what}: expected a JSON array`);
  return v as Json[];
}

const TABLE_NAMES: Record<string, number> = { main: MAIN_TABLE, local: 255, default: 253, unspec: 0 };

function tableNumber(t: unknown): number {
  if (t === undefined) return MAIN_TABLE;
  if (typeof t === 'number') return t;
  const s = String(t);
  return TABLE_NAMES[s] ?? (Number.isInteger(Number(s)) ? Number(s) : -1);
}

/** `ip -json addr show`: ethernet links with their global addresses (loopback and link-local left out). */
export function parseAddrJson(text: string): ActualLink[] {
  const links: ActualLink[] = [];
  for (const l of parseArray(text, 'ip -json addr')) {
    if (l.link_type !== 'ether' || typeof l.ifname !== 'string' || typeof l.address !== 'string') continue;
    const flags = Array.isArray(l.flags) ? (l.flags as string[]) : [];
    const addresses: ActualAddress[] = [];
    for (const a of Array.isArray(l.addr_info) ? (l.addr_info as Json[]) : []) {
      if (a.scope !== 'global' || typeof a.local !== 'string') continue;
      const family: Family | undefined = a.family === 'inet' ? 4 : a.family === 'inet6' ? 6 : undefined;
      const address = canonicalIp(a.local);
      if (!family || !address) continue;
      addresses.push({ family, address, prefixLength: Number(a.prefixlen), secondary: a.secondary === true });
    }
    links.push({ ifname: l.ifname, mac: l.address.toLowerCase(), up: flags.includes('UP'), addresses });
  }
  return links;
}

/** `ip -4|-6 -json rule show`: rules with a source (the "from all" ones are not ours to care about). */
export function parseRuleJson(text: string, family: Family): ActualRule[] {
  const out: ActualRule[] = [];
  for (const r of parseArray(text, 'ip -json rule')) {
    if (typeof r.src !== 'string' || r.src === 'all') continue;
    const src = canonicalIp(r.src);
    if (!src) continue;
    out.push({
      family,
      priority: Number(r.priority),
      src,
      srcLen: r.srclen === undefined ? (family === 4 ? 32 : 128) : Number(r.srclen),
      table: tableNumber(r.table),
    });
  }
  return out;
}

/**
 * `ip [-4|-6] -json route show table all`: unicast routes (local, broadcast,
 * multicast left out). With family 'any' (both families listed together) an
 * IPv6 route is told by its addresses or by the "pref" only IPv6 routes carry.
 */
export function parseRouteJson(text: string, familyArg: Family | 'any'): ActualRoute[] {
  const out: ActualRoute[] = [];
  for (const r0 of parseArray(text, 'ip -json route')) {
    if (r0.type !== undefined && r0.type !== 'unicast') continue;
    if (typeof r0.dst !== 'string' || typeof r0.dev !== 'string') continue;
    const r = r0 as Json & { dst: string; dev: string };
    const family: Family =
      familyArg !== 'any'
        ? familyArg
        : r.dst.includes(':') || (typeof r.gateway === 'string' && r.gateway.includes(':')) || r.pref !== undefined
          ? 6
          : 4;
    let dst = r.dst;
    if (dst !== 'default') {
      const c = parseCidr(dst.includes('/') ? dst : `${dst}/${family === 4 ? 32 : 128}`);
      if (!c) continue;
      dst = networkCidr(c);
    }
    const gateway = typeof r.gateway === 'string' ? canonicalIp(r.gateway) : undefined;
    out.push({ family, table: tableNumber(r.table), dst, ...(gateway ? { gateway } : {}), dev: r.dev });
  }
  return out;
}
