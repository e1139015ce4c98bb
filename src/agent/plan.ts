// plan(desired, actual, owned): the steps that bring the kernel's addresses,
// policy rules and routes to what the metadata service says — pure, no I/O.
//
// Safety rules, each enforced here and checked by property tests:
//   - only what the agent itself added (`owned`) is ever removed;
//   - nothing at all is removed unless the desired state is `complete`
//     (a metadata error, timeout or malformed answer removes nothing);
//   - addresses, rules and routes someone else put there are left alone,
//     even when the desired state names the same address.
// A secondary ENI gets source-based policy routing as the osconfig renderers
// write it: table 1000 + device index holding the vSwitch subnet and a default
// route, and one `from <address> lookup <table>` rule per address.
import { POLICY_TABLE_BASE } from '../osconfig/limits.ts';
import { networkOf, parseIp } from '../osconfig/ip.ts';
import {
  MAIN_TABLE,
  type Actual,
  type ActualLink,
  type ActualRoute,
  type Desired,
  type DesiredInterface,
  type Family,
  type OwnedAddress,
  type OwnedRoute,
  type OwnedRule,
  type Ownership,
  type Plan,
  type Step,
} from './model.ts';

interface WantAddress {
  family: Family;
  address: string;
  prefixLength: number;
}

const addrKey = (mac: string, a: { family: Family; address: string }) => `${mac}|${a.family}|${a.address}`;
const ruleKey = (r: OwnedRule) => `${r.family}|${r.src}|${r.table}|${r.priority}`;
const routeKey = (mac: string, r: { family: Family; table: number; dst: string; gateway?: string }) =>
  `${mac}|${r.family}|${r.table}|${r.dst}|${r.gateway ?? ''}`;

function routeMatches(r: ActualRoute, want: { family: Family; table: number; dst: string; gateway?: string }, ifname: string): boolean {
  return (
    r.family === want.family &&
    r.table === want.table &&
    r.dst === want.dst &&
    (r.gateway ?? '') === (want.gateway ?? '') &&
    r.dev === ifname
  );
}

function wantedAddresses(d: DesiredInterface): WantAddress[] {
  return [
    ...[d.ipv4.primary, ...d.ipv4.secondaries].map((address) => ({ family: 4 as const, address, prefixLength: d.ipv4.prefixLength })),
    ...d.ipv6.addresses.map((address) => ({ family: 6 as const, address, prefixLength: d.ipv6.prefixLength })),
  ];
}

/** The policy table of a secondary ENI: 1000 + device index (the osconfig renderers use the same). */
export function policyTable(d: DesiredInterface): number | undefined {
  return d.primary || d.deviceIndex < 1 ? undefined : POLICY_TABLE_BASE + d.deviceIndex;
}

function wantedRoutes(d: DesiredInterface, link: ActualLink, actual: Actual): Omit<OwnedRoute, 'mac'>[] {
  const table = policyTable(d);
  const out: Omit<OwnedRoute, 'mac'>[] = [];
  if (table !== undefined) {
    out.push({ family: 4, table, dst: d.ipv4.cidr }, { family: 4, table, dst: 'default', gateway: d.ipv4.gateway });
    if (d.ipv6.addresses.length > 0 && d.ipv6.cidr) {
      out.push({ family: 6, table, dst: d.ipv6.cidr });
      if (d.ipv6.gateway) out.push({ family: 6, table, dst: 'default', gateway: d.ipv6.gateway });
    }
    return out;
  }
  if (!d.primary) return out;
  // The primary ENI's default routes live in the main table, which DHCP or the
  // image usually fills: add ours only where there is no default at all.
  const mainDefault = (family: Family, gateway: string) => {
    const want = { family, table: MAIN_TABLE, dst: 'default', gateway };
    const defaults = actual.routes.filter((r) => r.family === family && r.table === MAIN_TABLE && r.dst === 'default');
    if (defaults.length === 0 || defaults.some((r) => routeMatches(r, want, link.ifname))) out.push(want);
  };
  mainDefault(4, d.ipv4.gateway);
  if (d.ipv6.addresses.length > 0 && d.ipv6.gateway) mainDefault(6, d.ipv6.gateway);
  return out;
}

function wantedRules(d: DesiredInterface): OwnedRule[] {
  const table = policyTable(d);
  if (table === undefined) return [];
  return wantedAddresses(d).map((a) => ({ family: a.family, src: a.address, table, priority: table }));
}

/**
 * Does deleting `gone` (kernel-primary) leave other IPv4 addresses of its
 * subnet on the link, counting the ones this plan adds before deleting?
 */
function strandsSecondaries(link: ActualLink, gone: OwnedAddress, deleted: Set<string>, added: string[]): boolean {
  const mine = link.addresses.find((a) => a.family === 4 && a.address === gone.address);
  if (!mine || mine.secondary) return false;
  const net = networkOf(parseIp(gone.address)!, mine.prefixLength);
  const remaining = [...link.addresses.filter((a) => a.family === 4).map((a) => a.address), ...added].filter(
    (a) => a !== gone.address && !deleted.has(a),
  );
  return remaining.some((a) => networkOf(parseIp(a)!, mine.prefixLength) === net);
}

export function plan(desired: Desired, actual: Actual, owned: Ownership): Plan {
  const byMac = new Map(actual.links.map((l) => [l.mac, l]));
  const complete = desired.kind === 'complete';
  const interfaces = desired.kind === 'unavailable' ? [] : desired.interfaces;

  // What we own and is still there; anything that vanished (a link moved away,
  // someone deleted it) is forgotten, and re-added below if it is still desired.
  const ownedAddrs = owned.addresses.filter((o) =>
    byMac.get(o.mac)?.addresses.some((a) => a.family === o.family && a.address === o.address),
  );
  const ownedRules = owned.rules.filter((o) =>
    actual.rules.some((r) => r.family === o.family && r.src === o.src && r.table === o.table && r.priority === o.priority),
  );
  const ownedRoutes = owned.routes.filter((o) => {
    const link = byMac.get(o.mac);
    return link !== undefined && actual.routes.some((r) => routeMatches(r, o, link.ifname));
  });

  const linkUps: Step[] = [];
  const addrAdds: Step[] = [];
  const routeAdds: Step[] = [];
  const ruleAdds: Step[] = [];
  const nextAddrs: OwnedAddress[] = [...ownedAddrs];
  const nextRules: OwnedRule[] = [...ownedRules];
  const nextRoutes: OwnedRoute[] = [...ownedRoutes];
  const desiredAddrs = new Set<string>();
  const desiredRules = new Set<string>();
  const desiredRoutes = new Set<string>();
  const missingLinks: string[] = [];

  for (const d of interfaces) {
    const want = wantedAddresses(d);
    for (const w of want) desiredAddrs.add(addrKey(d.mac, w));
    for (const r of wantedRules(d)) desiredRules.add(ruleKey(r));
    const link = byMac.get(d.mac);
    if (!link) {
      missingLinks.push(d.mac);
      continue;
    }
    if (!link.up) linkUps.push({ op: 'link-up', ifname: link.ifname, mac: link.mac });
    for (const w of want) {
      if (link.addresses.some((a) => a.family === w.family && a.address === w.address)) continue;
      addrAdds.push({ op: 'addr-add', ifname: link.ifname, mac: link.mac, ...w });
      nextAddrs.push({ mac: link.mac, ...w });
    }
    for (const r of wantedRoutes(d, link, actual)) {
      desiredRoutes.add(routeKey(link.mac, r));
      if (actual.routes.some((x) => routeMatches(x, r, link.ifname))) continue;
      routeAdds.push({ op: 'route-replace', ...r, ifname: link.ifname, mac: link.mac });
      nextRoutes.push({ ...r, mac: link.mac });
    }
    for (const r of wantedRules(d)) {
      if (actual.rules.some((x) => x.family === r.family && x.src === r.src && x.table === r.table && x.priority === r.priority)) continue;
      ruleAdds.push({ op: 'rule-add', ...r });
      nextRules.push(r);
    }
  }

  const promotes: Step[] = [];
  const ruleDels: Step[] = [];
  const routeDels: Step[] = [];
  const addrDels: Step[] = [];
  if (complete) {
    const goneAddrs = ownedAddrs.filter((o) => !desiredAddrs.has(addrKey(o.mac, o)));
    const deletedByMac = new Map<string, Set<string>>();
    for (const o of goneAddrs) {
      const set = deletedByMac.get(o.mac) ?? new Set<string>();
      set.add(o.address);
      deletedByMac.set(o.mac, set);
    }
    const promoted = new Set<string>();
    for (const o of goneAddrs) {
      const link = byMac.get(o.mac)!;
      // With promote_secondaries=0 (a fresh namespace's default) deleting the
      // subnet's primary address deletes every secondary with it.
      const added = addrAdds.flatMap((a) => (a.op === 'addr-add' && a.mac === o.mac && a.family === 4 ? [a.address] : []));
      if (!promoted.has(link.ifname) && o.family === 4 && strandsSecondaries(link, o, deletedByMac.get(o.mac)!, added)) {
        promotes.push({ op: 'promote-secondaries', ifname: link.ifname });
        promoted.add(link.ifname);
      }
      addrDels.push({
        op: 'addr-del',
        ifname: link.ifname,
        mac: o.mac,
        family: o.family,
        address: o.address,
        prefixLength: o.prefixLength,
      });
    }
    for (const o of ownedRules) if (!desiredRules.has(ruleKey(o))) ruleDels.push({ op: 'rule-del', ...o });
    for (const o of ownedRoutes) {
      if (desiredRoutes.has(routeKey(o.mac, o))) continue;
      routeDels.push({
        op: 'route-del',
        family: o.family,
        table: o.table,
        dst: o.dst,
        ...(o.gateway ? { gateway: o.gateway } : {}),
        ifname: byMac.get(o.mac)!.ifname,
        mac: o.mac,
      });
    }
  }
  // Secondaries before their subnet's primary: deleting the primary first would
  // take them along (promote_secondaries=0) and their own deletes would fail.
  const isSecondary = (s: Step) => s.op === 'addr-del' && byMac.get(s.mac)!.addresses.some((a) => a.address === s.address && a.secondary);
  addrDels.sort((x, y) => Number(isSecondary(y)) - Number(isSecondary(x)));
  const removedAddr = new Set(addrDels.map((s) => (s.op === 'addr-del' ? addrKey(s.mac, s) : '')));
  const removedRule = new Set(ruleDels.map((s) => (s.op === 'rule-del' ? ruleKey(s) : '')));
  const removedRoute = new Set(routeDels.map((s) => (s.op === 'route-del' ? routeKey(s.mac, s) : '')));
  return {
    steps: [...linkUps, ...addrAdds, ...routeAdds, ...ruleAdds, ...promotes, ...ruleDels, ...routeDels, ...addrDels],
    owned: {
      addresses: nextAddrs.filter((o) => !removedAddr.has(addrKey(o.mac, o))),
      rules: nextRules.filter((o) => !removedRule.has(ruleKey(o))),
      routes: nextRoutes.filter((o) => !removedRoute.has(routeKey(o.mac, o))),
    },
    missingLinks,
    removalsSuppressed: !complete,
  };
}

/**
 * What the agent owns after applying a plan of which `failed` steps did not
 * succeed: an add that failed is not ours (someone else may have added the
 * same thing meanwhile), a removal that failed is still ours.
 */
export function settleOwnership(p: Plan, failed: ReadonlySet<Step>): Ownership {
  const owned: Ownership = { addresses: [...p.owned.addresses], rules: [...p.owned.rules], routes: [...p.owned.routes] };
  for (const s of failed) {
    switch (s.op) {
      case 'addr-add':
        owned.addresses = owned.addresses.filter((o) => addrKey(o.mac, o) !== addrKey(s.mac, s));
        break;
      case 'addr-del':
        owned.addresses.push({ mac: s.mac, family: s.family, address: s.address, prefixLength: s.prefixLength });
        break;
      case 'rule-add':
        owned.rules = owned.rules.filter((o) => ruleKey(o) !== ruleKey(s));
        break;
      case 'rule-del':
        owned.rules.push({ family: s.family, src: s.src, table: s.table, priority: s.priority });
        break;
      case 'route-replace':
        owned.routes = owned.routes.filter((o) => routeKey(o.mac, o) !== routeKey(s.mac, s));
        break;
      case 'route-del':
        owned.routes.push({ family: s.family, table: s.table, dst: s.dst, ...(s.gateway ? { gateway: s.gateway } : {}), mac: s.mac });
        break;
      default:
        break;
    }
  }
  return owned;
}

/** One line per step, for --dry-run and logs. */
export function describeStep(s: Step): string {
  switch (s.op) {
    case 'link-up':
      return `ip link set dev ${s.ifname} up`;
    case 'promote-secondaries':
      return `sysctl -w net.ipv4.conf.${s.ifname}.promote_secondaries=1`;
    case 'addr-add':
    case 'addr-del':
      return `ip -${s.family} addr ${s.op === 'addr-add' ? 'add' : 'del'} ${s.address}/${s.prefixLength}${s.op === 'addr-add' && s.family === 4 ? ' brd +' : ''} dev ${s.ifname}`;
    case 'route-replace':
    case 'route-del':
      return `ip -${s.family} route ${s.op === 'route-replace' ? 'replace' : 'del'} ${s.dst}${s.gateway ? ` via ${s.gateway}` : ''} dev ${s.ifname} table ${s.table}`;
    case 'rule-add':
    case 'rule-del':
      return `ip -${s.family} rule ${s.op === 'rule-add' ? 'add' : 'del'} from ${s.src}/${s.family === 4 ? 32 : 128} lookup ${s.table} priority ${s.priority}`;
  }
}
