// SUSE ifcfg (SLES 11/12/15, openSUSE Leap 15): one ifcfg-ethX with the seed's
// IPADDR_n / NETMASK_n / LABEL_n triples (LABEL_n=0 makes the alias ethX:0),
// IPv6 as further IPADDR_n=addr/prefix, the default route in the global
// `routes` file. A secondary ENI gets ifroute-ethX (routes in its own table)
// and ifrule-ethX (source rules) instead, which wicked reads.

import { planEni, type EniPlan } from './eni-plan.ts';
import type { EniFacts } from './facts.ts';
import { backupCommand, headerComment, linuxRendering, restartCommand } from './linux-steps.ts';
import type { OsEntry } from './os-catalog.ts';
import type { RenderedCommand, RenderedFile, Rendering } from './rendering.ts';

const DIR = '/etc/sysconfig/network';

function slesIfcfg(plan: EniPlan): string {
  const lines = ['BOOTPROTO=static', 'STARTMODE=auto', 'USERCONTROL=no'];
  // the seed numbers from 1 and leaves the primary's label empty
  plan.v4.forEach((address, i) => {
    lines.push('', `IPADDR_${i + 1}=${address}`, `NETMASK_${i + 1}=${plan.v4Netmask}`, `LABEL_${i + 1}=${i === 0 ? '' : String(i - 1)}`);
  });
  plan.v6.forEach((address, i) => {
    lines.push('', `IPADDR_${plan.v4.length + i + 1}=${address}/${plan.facts.ipv6!.prefixLength}`);
  });
  return headerComment([`Written by eniplane for ${plan.label}.`]) + lines.join('\n') + '\n';
}

/** the global routes file: the seed's "default G - -", plus the IPv6 default */
function slesRoutes(plan: EniPlan): string {
  const { facts, ifname } = plan;
  // the interface column is given for IPv6: a link-local gateway is ambiguous without it
  const v6 = facts.ipv6 ? `default ${facts.ipv6.gateway} - ${ifname}\n` : '';
  return (
    headerComment(['Written by eniplane: default routes (Destination Gateway Netmask Interface).']) +
    `default ${facts.ipv4.gateway} - -\n${v6}`
  );
}

function slesIfroute(plan: EniPlan): string {
  const { policy, ifname } = plan;
  const fams = policy!.v6 ? [policy!.v4, policy!.v6] : [policy!.v4];
  return (
    headerComment([
      `Written by eniplane: ${plan.label} routes in table ${policy!.table}.`,
      'Destination Gateway Netmask Interface Options',
    ]) +
    fams.map((f) => `${f.subnet} - - ${ifname} table ${policy!.table}\ndefault ${f.gateway} - ${ifname} table ${policy!.table}\n`).join('')
  );
}

function slesIfrule(plan: EniPlan): string {
  const { policy } = plan;
  const fams = policy!.v6 ? [policy!.v4, policy!.v6] : [policy!.v4];
  return (
    headerComment([`Written by eniplane: replies from ${plan.ifname}'s addresses use table ${policy!.table}.`]) +
    fams
      .flatMap((f) =>
        f.sourceCidrs.map(
          (c) => `${f.hostPrefix === 32 ? 'ipv4' : 'ipv6'} from ${c} table ${policy!.table} priority ${policy!.priority}\n`,
        ),
      )
      .join('')
  );
}

export function renderSlesIfcfg(facts: EniFacts, os: OsEntry): Rendering {
  const plan = planEni(facts);
  const { ifname } = plan;
  const files: RenderedFile[] = [
    {
      path: `${DIR}/ifcfg-${ifname}`,
      content: slesIfcfg(plan),
      mode: 0o644,
      description: `${ifname} with every address as IPADDR_n (the seed's format)`,
    },
  ];
  const warnings: string[] = [];
  const apply: RenderedCommand[] = [];
  if (plan.policy) {
    files.push(
      {
        path: `${DIR}/ifroute-${ifname}`,
        content: slesIfroute(plan),
        mode: 0o644,
        description: `routes of table ${plan.policy.table}: subnet and default via the ENI's gateway`,
      },
      {
        path: `${DIR}/ifrule-${ifname}`,
        content: slesIfrule(plan),
        mode: 0o644,
        description: `source rules: replies from ${ifname}'s addresses leave through ${ifname}`,
      },
    );
    if (os.id === 'sles-11') {
      warnings.push(
        `SLES 11's sysconfig scripts predate ifrule files: add the rules of ${DIR}/ifrule-${ifname} with "ip rule add" from a POST_UP_SCRIPT.`,
      );
    }
  } else {
    files.push({
      path: `${DIR}/routes`,
      content: slesRoutes(plan),
      mode: 0o644,
      description: 'the default gateway (seed: "default G - -")',
    });
    warnings.push(`${DIR}/routes is replaced as a whole: copy any other static routes back from the backup.`);
    if (facts.dnsServers.length > 0) {
      // BOOTPROTO=static ends the DHCP-supplied resolver list; netconfig then uses the static one
      const servers = facts.dnsServers.join(' ');
      apply.push(
        {
          run: `sed -i 's/^NETCONFIG_DNS_STATIC_SERVERS=.*/NETCONFIG_DNS_STATIC_SERVERS="${servers}"/' ${DIR}/config`,
          why: 'static addressing stops DHCP from supplying DNS servers: give netconfig the static list',
          stage: 'apply',
        },
        { run: 'netconfig update -f', why: 'rewrites /etc/resolv.conf from the static list', stage: 'apply' },
      );
    }
  }
  if (plan.localRoutes.length > 0) {
    // COMPAT: wicked's ifroute files are not checked here for local routes (wicked is not on Debian)
    warnings.push(
      `IP prefixes: add ${plan.localRoutes.map((r) => `"ip route add local ${r.cidr} dev ${ifname}"`).join(', ')} from a POST_UP_SCRIPT (or add the addresses you use from each prefix yourself), so ${ifname} answers on the addresses inside them.`,
    );
  }
  const backups = files.map((f) => backupCommand(f.path));
  if (!plan.policy && facts.dnsServers.length > 0) backups.push(backupCommand(`${DIR}/config`));
  return linuxRendering(os, plan, { files, commands: [...backups, ...apply, ...restartCommand(os.restart)], warnings });
}
