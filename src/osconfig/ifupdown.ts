// /etc/network/interfaces (ifupdown) for Ubuntu 14.04/16.04 and Debian 8-11.
// Each secondary IPv4 address gets its own `ethX:N` alias stanza, as in the
// seed: with two `address` lines in one stanza ifupdown silently keeps only
// the first. Extra IPv6 addresses get repeated `iface ethX inet6 static`
// stanzas (legal; all are applied), since alias labels are IPv4-only.

import { dnsByFamily, planEni, type EniPlan, type FamilyPolicy } from './eni-plan.ts';
import type { EniFacts } from './facts.ts';
import { backupCommand, headerComment, linuxRendering, moveAwayCommand, restartCommand } from './linux-steps.ts';
import type { OsEntry } from './os-catalog.ts';
import type { RenderedCommand, Rendering } from './rendering.ts';

const MAIN_FILE = '/etc/network/interfaces';

/**
 * Where a secondary ENI's stanzas go, and the line the main file uses to read
 * that directory. Ubuntu's images read only `*.cfg`; Debian 8's
 * `source-directory` skips any name with a dot, so Debian gets no suffix.
 */
function includeStyle(os: OsEntry): { sourceLine: string; fileFor: (ifname: string) => string } {
  return os.family === 'ubuntu'
    ? { sourceLine: 'source /etc/network/interfaces.d/*.cfg', fileFor: (n) => `/etc/network/interfaces.d/${n}.cfg` }
    : { sourceLine: 'source /etc/network/interfaces.d/*', fileFor: (n) => `/etc/network/interfaces.d/${n}` };
}

function stanza(head: string[], options: string[]): string {
  return [...head, ...options.map((o) => `    ${o}`)].join('\n');
}

/** post-up/pre-down lines for one source address's rule (delete first: `ip rule add` twice duplicates it) */
function ruleHooks(family: '-4' | '-6', f: FamilyPolicy, address: string, table: number, priority: number): string[] {
  const rule = `from ${address}/${f.hostPrefix} lookup ${table} priority ${priority}`;
  return [
    `post-up ip ${family} rule del ${rule} 2>/dev/null || true`,
    `post-up ip ${family} rule add ${rule}`,
    `pre-down ip ${family} rule del ${rule} 2>/dev/null || true`,
  ];
}

/** an IP prefix as a local route, and (secondary ENI) its rule into the ENI's table */
function prefixHooks(plan: EniPlan, family: 4 | 6): string[] {
  const f = family === 4 ? '-4' : '-6';
  const fp = family === 4 ? plan.policy?.v4 : plan.policy?.v6;
  return plan.localRoutes
    .filter((r) => r.family === family)
    .flatMap((r) => {
      const rule = plan.policy ? `from ${r.cidr} lookup ${plan.policy.table} priority ${plan.policy.priority}` : '';
      return [
        `post-up ip ${f} route replace local ${r.cidr} dev ${plan.ifname}`,
        ...(plan.policy && fp
          ? [
              `post-up ip ${f} rule del ${rule} 2>/dev/null || true`,
              `post-up ip ${f} rule add ${rule}`,
              `pre-down ip ${f} rule del ${rule} 2>/dev/null || true`,
            ]
          : []),
        `pre-down ip ${f} route del local ${r.cidr} dev ${plan.ifname} 2>/dev/null || true`,
      ];
    });
}

function tableHooks(family: '-4' | '-6', f: FamilyPolicy, dev: string, table: number): string[] {
  return [
    `post-up ip ${family} route replace ${f.subnet} dev ${dev} table ${table}`,
    `post-up ip ${family} route replace default via ${f.gateway} dev ${dev} table ${table}`,
    `pre-down ip ${family} route flush table ${table} 2>/dev/null || true`,
  ];
}

function interfacesStanzas(plan: EniPlan): string[] {
  const { facts, policy, ifname } = plan;
  const out: string[] = [];
  const dns = dnsByFamily(facts);

  // primary address
  const v4Main = [`address ${plan.v4[0]}`, `netmask ${plan.v4Netmask}`];
  if (!policy) {
    v4Main.push(`gateway ${facts.ipv4.gateway}`);
    // read by the resolvconf package when installed; harmless otherwise
    if (facts.dnsServers.length > 0) v4Main.push(`dns-nameservers ${[...dns.v4, ...dns.v6].join(' ')}`);
  } else {
    v4Main.push(
      ...tableHooks('-4', policy.v4, ifname, policy.table),
      ...ruleHooks('-4', policy.v4, plan.v4[0], policy.table, policy.priority),
    );
  }
  v4Main.push(...prefixHooks(plan, 4));
  out.push(stanza([`auto ${ifname}`, `iface ${ifname} inet static`], v4Main));

  // IPv6: one stanza per address; the first carries the gateway or the table routes
  plan.v6.forEach((address, i) => {
    const opts = [`address ${address}`, `netmask ${facts.ipv6!.prefixLength}`];
    if (policy?.v6) {
      // router advertisements would add a default route to the main table
      opts.push('accept_ra 0');
      if (i === 0) opts.push(...tableHooks('-6', policy.v6, ifname, policy.table));
      opts.push(...ruleHooks('-6', policy.v6, address, policy.table, policy.priority));
    } else if (i === 0) {
      opts.push(`gateway ${facts.ipv6!.gateway}`);
    }
    if (i === 0) opts.push(...prefixHooks(plan, 6));
    out.push(stanza([`iface ${ifname} inet6 static`], opts));
  });

  // one alias stanza per secondary IPv4 address, as in the seed
  plan.v4.slice(1).forEach((address, n) => {
    const alias = `${ifname}:${n}`;
    const opts = [`address ${address}`, `netmask ${plan.v4Netmask}`];
    if (policy) opts.push(...ruleHooks('-4', policy.v4, address, policy.table, policy.priority));
    out.push(stanza([`auto ${alias}`, `iface ${alias} inet static`], opts));
  });
  return out;
}

export function renderIfupdown(facts: EniFacts, os: OsEntry): Rendering {
  const plan = planEni(facts);
  const style = includeStyle(os);
  const header = headerComment([
    `Written by eniplane for ${plan.label}.`,
    `Each secondary IPv4 address has its own ${plan.ifname}:N stanza: ifupdown uses only the first`,
    'of several "address" lines in one stanza, without a warning.',
  ]);
  const stanzas = interfacesStanzas(plan);
  const commands: RenderedCommand[] = [];
  const warnings: string[] = [];
  let path: string;
  let content: string;
  if (!plan.policy) {
    path = MAIN_FILE;
    content =
      `${header}\nauto lo\niface lo inet loopback\n\n${stanzas.join('\n\n')}\n\n` +
      `# other interfaces (secondary ENIs) live in /etc/network/interfaces.d\n${style.sourceLine}\n`;
    commands.push(
      backupCommand(MAIN_FILE),
      moveAwayCommand(
        '/etc/network/interfaces.d/50-cloud-init /etc/network/interfaces.d/50-cloud-init.cfg',
        `cloud-init's own stanzas also define ${plan.ifname} (dhcp) and ifupdown would apply both; moved to the backup directory`,
      ),
    );
    warnings.push(
      `${MAIN_FILE} is replaced as a whole: if it configured other interfaces, copy their stanzas from the backup into /etc/network/interfaces.d.`,
    );
  } else {
    path = style.fileFor(plan.ifname);
    content = `${header}\n${stanzas.join('\n\n')}\n`;
    commands.push(backupCommand(path));
    warnings.push(
      `${MAIN_FILE} must read ${path} ("${style.sourceLine}" or "source-directory /etc/network/interfaces.d"); check that "ifquery --list" shows ${plan.ifname}.`,
    );
  }
  commands.push(...restartCommand(os.restart));
  return linuxRendering(os, plan, {
    files: [
      {
        path,
        content,
        mode: 0o644,
        description: `ifupdown stanzas for ${plan.ifname} with one ${plan.ifname}:N alias stanza per secondary IPv4 address`,
      },
    ],
    commands,
    warnings,
  });
}
