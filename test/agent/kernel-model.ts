// A tiny model of what the kernel does with the plan's steps, for property
// tests: addresses get the "secondary" flag as the kernel sets it, and
// deleting a subnet's primary address takes its secondaries along unless
// promote_secondaries is on (spec/os-validation.md §7).
import { networkOf, parseIp } from '../../src/osconfig/ip.ts';
import type { Actual, ActualLink, Step } from '../../src/agent/model.ts';

const sameNet = (a: string, b: string, p: number) => networkOf(parseIp(a)!, p) === networkOf(parseIp(b)!, p);

export function applyToModel(actual: Actual, steps: Step[], promoted = new Set<string>()): { actual: Actual; failed: Set<Step> } {
  const links: ActualLink[] = actual.links.map((l) => ({ ...l, addresses: l.addresses.map((a) => ({ ...a })) }));
  let rules = actual.rules.map((r) => ({ ...r }));
  let routes = actual.routes.map((r) => ({ ...r }));
  const failed = new Set<Step>();
  const link = (ifname: string) => links.find((l) => l.ifname === ifname);
  for (const s of steps) {
    switch (s.op) {
      case 'link-up':
        link(s.ifname)!.up = true;
        break;
      case 'promote-secondaries':
        promoted.add(s.ifname);
        break;
      case 'addr-add': {
        const l = link(s.ifname)!;
        if (l.addresses.some((a) => a.family === s.family && a.address === s.address)) {
          failed.add(s);
          break;
        }
        const secondary = s.family === 4 && l.addresses.some((a) => a.family === 4 && sameNet(a.address, s.address, s.prefixLength));
        l.addresses.push({ family: s.family, address: s.address, prefixLength: s.prefixLength, secondary });
        break;
      }
      case 'addr-del': {
        const l = link(s.ifname)!;
        const a = l.addresses.find((x) => x.family === s.family && x.address === s.address);
        if (!a) {
          failed.add(s);
          break;
        }
        l.addresses = l.addresses.filter((x) => x !== a);
        if (a.family === 4 && !a.secondary) {
          const mates = l.addresses.filter((x) => x.family === 4 && sameNet(x.address, a.address, a.prefixLength));
          if (promoted.has(l.ifname)) {
            if (mates[0]) mates[0].secondary = false;
          } else {
            l.addresses = l.addresses.filter((x) => !mates.includes(x));
          }
        }
        break;
      }
      case 'route-replace':
        routes = routes.filter((r) => !(r.family === s.family && r.table === s.table && r.dst === s.dst));
        routes.push({ family: s.family, table: s.table, dst: s.dst, ...(s.gateway ? { gateway: s.gateway } : {}), dev: s.ifname });
        break;
      case 'route-del': {
        const before = routes.length;
        routes = routes.filter(
          (r) =>
            !(
              r.family === s.family &&
              r.table === s.table &&
              r.dst === s.dst &&
              (r.gateway ?? '') === (s.gateway ?? '') &&
              r.dev === s.ifname
            ),
        );
        if (routes.length === before) failed.add(s);
        break;
      }
      case 'rule-add':
        if (rules.some((r) => r.family === s.family && r.src === s.src && r.table === s.table && r.priority === s.priority)) {
          failed.add(s);
          break;
        }
        rules.push({ family: s.family, src: s.src, srcLen: s.family === 4 ? 32 : 128, table: s.table, priority: s.priority });
        break;
      case 'rule-del': {
        const before = rules.length;
        rules = rules.filter((r) => !(r.family === s.family && r.src === s.src && r.table === s.table && r.priority === s.priority));
        if (rules.length === before) failed.add(s);
        break;
      }
    }
  }
  return { actual: { links, rules, routes }, failed };
}
