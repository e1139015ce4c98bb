// RHEL-family ifcfg files (Alibaba Cloud Linux 2/3, CentOS 6/7/8, RHEL 6-9,
// Anolis 7/8, Fedora 33-35): the main ifcfg-ethX, one ifcfg-ethX:N alias file
// per secondary IPv4 address as in the seed (read by initscripts and by
// NetworkManager's ifcfg-rh plugin), IPv6 in the main file. A secondary ENI
// also gets route-/rule-/route6-/rule6-ethX in `ip route`/`ip rule` syntax.

import { dnsByFamily, planEni, type EniPlan } from './eni-plan.ts';
import type { EniFacts } from './facts.ts';
import { isIpv6LinkLocal, parseIpv6 } from './ip.ts';
import { backupCommand, headerComment, linuxRendering, moveAwayCommand, restartCommand } from './linux-steps.ts';
import type { OsEntry } from './os-catalog.ts';
import type { RenderedFile, Rendering } from './rendering.ts';

const DIR = '/etc/sysconfig/network-scripts';

/** KEY=value lines; values with a space are double-quoted (the files are sourced by bash) */
function assignments(pairs: [string, string][]): string {
  return pairs.map(([k, v]) => `${k}=${/\s/.test(v) ? `"${v}"` : v}`).join('\n') + '\n';
}

/** a link-local gateway needs its interface: initscripts and NM accept "fe80::1%eth0" */
function v6Gateway(gateway: string, ifname: string): string {
  return isIpv6LinkLocal(parseIpv6(gateway)!) ? `${gateway}%${ifname}` : gateway;
}

function mainIfcfg(plan: EniPlan): string {
  const { facts, policy, ifname } = plan;
  const pairs: [string, string][] = [
    ['DEVICE', ifname],
    ['TYPE', 'Ethernet'],
    ['BOOTPROTO', 'static'],
    ['ONBOOT', 'yes'],
    ['IPADDR', plan.v4[0]],
    ['NETMASK', plan.v4Netmask],
  ];
  if (policy) {
    // a secondary ENI must not take the main table's default route or the resolver
    pairs.push(['DEFROUTE', 'no'], ['PEERDNS', 'no']);
  } else {
    pairs.push(['GATEWAY', facts.ipv4.gateway], ['DEFROUTE', 'yes']);
    const dns = dnsByFamily(facts);
    [...dns.v4, ...dns.v6].forEach((s, i) => pairs.push([`DNS${i + 1}`, s]));
  }
  if (facts.ipv6) {
    const p = facts.ipv6.prefixLength;
    pairs.push(['IPV6INIT', 'yes'], ['IPV6_AUTOCONF', 'no'], ['IPV6ADDR', `${plan.v6[0]}/${p}`]);
    if (plan.v6.length > 1)
      pairs.push([
        'IPV6ADDR_SECONDARIES',
        plan.v6
          .slice(1)
          .map((a) => `${a}/${p}`)
          .join(' '),
      ]);
    if (policy) pairs.push(['IPV6_DEFROUTE', 'no']);
    else pairs.push(['IPV6_DEFAULTGW', v6Gateway(facts.ipv6.gateway, ifname)]);
  }
  return (
    headerComment([`Written by eniplane for ${plan.label}.`, `Secondary IPv4 addresses are in ${ifname}:0, ${ifname}:1, ...`]) +
    assignments(pairs)
  );
}

/** the seed's alias file, byte for byte after our header */
function aliasIfcfg(plan: EniPlan, n: number): string {
  return (
    headerComment([`Written by eniplane: secondary address ${n + 1} of ${plan.label}.`]) +
    assignments([
      ['DEVICE', `${plan.ifname}:${n}`],
      ['TYPE', 'Ethernet'],
      ['BOOTPROTO', 'static'],
      ['IPADDR', plan.v4[n + 1]],
      ['NETMASK', plan.v4Netmask],
    ])
  );
}

/** "ip route add <line>" lines of the ENI's IP prefixes, as local routes */
function localRouteLines(plan: EniPlan, family: 4 | 6): string {
  return plan.localRoutes
    .filter((r) => r.family === family)
    .map((r) => `local ${r.cidr} dev ${plan.ifname}\n`)
    .join('');
}

function policyFiles(plan: EniPlan): RenderedFile[] {
  const { policy, ifname } = plan;
  if (!policy) {
    // a primary ENI's IP prefixes: route-eth0 / route6-eth0 hold only their local routes
    return ([4, 6] as const)
      .filter((family) => localRouteLines(plan, family))
      .map((family) => ({
        path: `${DIR}/${family === 4 ? 'route' : 'route6'}-${ifname}`,
        content:
          headerComment([`Written by eniplane: ${plan.label} IP prefixes as local routes; each line is "ip route add <line>".`]) +
          localRouteLines(plan, family),
        mode: 0o644,
        description: `the ENI's IPv${family} prefixes as local routes: the guest answers every address inside them`,
      }));
  }
  const files: RenderedFile[] = [];
  const fams = [{ f: policy.v4, route: 'route', rule: 'rule' }];
  if (policy.v6) fams.push({ f: policy.v6, route: 'route6', rule: 'rule6' });
  for (const [n, { f, route, rule }] of fams.entries()) {
    files.push(
      {
        path: `${DIR}/${route}-${ifname}`,
        content:
          headerComment([`Written by eniplane: ${plan.label} routes in its own table; each line is "ip route add <line>".`]) +
          `${f.subnet} dev ${ifname} table ${policy.table}\ndefault via ${f.gateway} dev ${ifname} table ${policy.table}\n` +
          localRouteLines(plan, n === 0 ? 4 : 6),
        mode: 0o644,
        description: `routes of table ${policy.table}: the vSwitch subnet and the default route via the ENI's gateway`,
      },
      {
        path: `${DIR}/${rule}-${ifname}`,
        content:
          headerComment([
            `Written by eniplane: traffic from ${ifname}'s addresses uses table ${policy.table}; each line is "ip rule add <line>".`,
          ]) + f.sourceCidrs.map((c) => `from ${c} table ${policy.table} priority ${policy.priority}\n`).join(''),
        mode: 0o644,
        description: `source rules: replies from ${ifname}'s addresses leave through ${ifname}`,
      },
    );
  }
  return files;
}

export function renderRhelIfcfg(facts: EniFacts, os: OsEntry): Rendering {
  const plan = planEni(facts);
  const { ifname } = plan;
  const files: RenderedFile[] = [
    {
      path: `${DIR}/ifcfg-${ifname}`,
      content: mainIfcfg(plan),
      mode: 0o644,
      description: `main configuration of ${ifname}: primary IPv4 address${facts.ipv6 ? ' and the IPv6 addresses' : ''}`,
    },
    ...plan.v4.slice(1).map((_, n): RenderedFile => ({
      path: `${DIR}/ifcfg-${ifname}:${n}`,
      content: aliasIfcfg(plan, n),
      mode: 0o644,
      description: `alias ${ifname}:${n} for secondary address ${plan.v4[n + 1]}`,
    })),
    ...policyFiles(plan),
  ];
  const warnings: string[] = [];
  if (os.restart?.run.includes('NetworkManager')) {
    warnings.push(
      'On NetworkManager releases the ifcfg files are read by its ifcfg-rh plugin; if "nmcli connection show" lists no profile for the device after the restart, use the nmcli target instead.',
    );
  }
  return linuxRendering(os, plan, {
    files,
    commands: [
      ...files.filter((f) => !f.path.includes(':')).map((f) => backupCommand(f.path)),
      // backs up every existing alias file and removes it, so aliases beyond the new count do not linger
      moveAwayCommand(`${DIR}/ifcfg-${ifname}:*`, `back up and remove the old ${ifname}:N alias files; the new set is written next`),
      ...restartCommand(os.restart),
    ],
    warnings,
  });
}
