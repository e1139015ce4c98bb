// netplan YAML for Ubuntu 18.04/20.04 (`gateway4`/`gateway6`) and for Ubuntu
// 22.04/24.04 and Debian 12 (`routes: - to: default`), with the seed's
// `match: macaddress` + `set-name`. Two targets, one builder: they differ only
// in how the default route is spelled. netplan older than 0.103 (18.04 and the
// original 20.04) does not know `to: default`, and 0.103+ warns about gateway4.

import { dnsByFamily, planEni, type EniPlan } from './eni-plan.ts';
import type { EniFacts } from './facts.ts';
import { backupCommand, headerComment, linuxRendering, restartCommand } from './linux-steps.ts';
import type { OsEntry } from './os-catalog.ts';
import type { Rendering } from './rendering.ts';

type Variant = 'gateway4' | 'default-route';

/** the file cloud-init writes on these images; the seed edits it in place */
const PRIMARY_FILE = '/etc/netplan/50-cloud-init.yaml';

export function renderNetplanGateway4(facts: EniFacts, os: OsEntry): Rendering {
  return renderNetplan(facts, os, 'gateway4');
}

export function renderNetplanDefaultRoute(facts: EniFacts, os: OsEntry): Rendering {
  return renderNetplan(facts, os, 'default-route');
}

// IPv6 text is quoted: a plain scalar with colons is legal YAML but easy to break by hand.
const q6 = (s: string) => (s.includes(':') ? `"${s}"` : s);

function routeLines(plan: EniPlan, variant: Variant): string[] {
  const { facts, policy } = plan;
  const lines: string[] = [];
  const route = (to: string, extra: string[]) => {
    lines.push(`- to: ${q6(to)}`, ...extra.map((e) => `  ${e}`));
  };
  // IP prefixes: local routes (networkd puts Type=local in the local table)
  // (scope host is the kernel's default for them; networkd takes Scope= for IPv4 only)
  for (const r of plan.localRoutes) route(r.cidr, r.family === 4 ? ['type: local', 'scope: host'] : ['type: local']);
  if (!policy) {
    if (variant === 'default-route') {
      route('default', [`via: ${facts.ipv4.gateway}`]);
      if (facts.ipv6) route('default', [`via: ${q6(facts.ipv6.gateway)}`]);
    }
    return lines;
  }
  // secondary ENI: default and subnet routes live in the ENI's own table only
  const table = `table: ${policy.table}`;
  route(variant === 'default-route' ? 'default' : '0.0.0.0/0', [`via: ${policy.v4.gateway}`, table]);
  route(policy.v4.subnet, ['scope: link', table]);
  if (policy.v6) {
    route(variant === 'default-route' ? 'default' : '::/0', [`via: ${q6(policy.v6.gateway)}`, table]);
    route(policy.v6.subnet, ['scope: link', table]);
  }
  return lines;
}

function policyLines(plan: EniPlan): string[] {
  const { policy } = plan;
  if (!policy) return [];
  const fams = policy.v6 ? [policy.v4, policy.v6] : [policy.v4];
  return fams.flatMap((f) =>
    f.sourceCidrs.flatMap((c) => [`- from: ${q6(c)}`, `  table: ${policy.table}`, `  priority: ${policy.priority}`]),
  );
}

function netplanYaml(plan: EniPlan, variant: Variant): string {
  const { facts } = plan;
  const ind = (n: number, lines: string[]) => lines.map((l) => ' '.repeat(n) + l);
  const body: string[] = [
    'dhcp4: false',
    'match:',
    `    macaddress: ${facts.macAddress}`,
    `set-name: ${plan.ifname}`,
    'addresses:',
    ...ind(4, [...plan.v4.map((a) => `- ${a}/${plan.v4Prefix}`), ...plan.v6.map((a) => `- ${q6(`${a}/${facts.ipv6!.prefixLength}`)}`)]),
  ];
  if (!plan.policy && variant === 'gateway4') {
    body.push(`gateway4: ${facts.ipv4.gateway}`);
    if (facts.ipv6) body.push(`gateway6: ${q6(facts.ipv6.gateway)}`);
  }
  // a secondary ENI ignores router advertisements: they would add a default route to the main table
  if (plan.policy && facts.ipv6) body.push('accept-ra: false');
  const routes = routeLines(plan, variant);
  if (routes.length > 0) body.push('routes:', ...ind(4, routes));
  const rules = policyLines(plan);
  if (rules.length > 0) body.push('routing-policy:', ...ind(4, rules));
  const dns = dnsByFamily(facts);
  if (!plan.policy && facts.dnsServers.length > 0) {
    body.push('nameservers:', `    addresses: [${[...dns.v4, ...dns.v6].map(q6).join(', ')}]`);
  }
  return (
    headerComment([
      `Written by eniplane for ${plan.label}.`,
      'cloud-init no longer regenerates this file: see /etc/cloud/cloud.cfg.d/99-disable-network-config.cfg.',
    ]) +
    ['network:', '    version: 2', '    ethernets:', `        ${plan.ifname}:`, ...ind(12, body)].join('\n') +
    '\n'
  );
}

function renderNetplan(facts: EniFacts, os: OsEntry, variant: Variant): Rendering {
  const plan = planEni(facts);
  const path = plan.policy ? `/etc/netplan/60-eniplane-${plan.ifname}.yaml` : PRIMARY_FILE;
  const warnings = plan.policy
    ? [
        `netplan merges every file in /etc/netplan: if ${PRIMARY_FILE} also defines ${plan.ifname} (for example with dhcp4: true), remove that stanza there.`,
      ]
    : [`${PRIMARY_FILE} is replaced as a whole: if it also configured other interfaces, copy their stanzas back from the backup.`];
  return linuxRendering(os, plan, {
    files: [
      {
        path,
        content: netplanYaml(plan, variant),
        // netplan warns "Permissions ... are too open" for anything wider
        mode: 0o600,
        description:
          variant === 'gateway4'
            ? 'netplan for Ubuntu 18.04/20.04: default routes as gateway4/gateway6 (their netplan predates "to: default")'
            : 'netplan with "routes: - to: default" (netplan 0.103+)',
      },
    ],
    commands: [
      backupCommand(path),
      { run: 'netplan generate', why: 'checks the YAML first: it prints errors and changes nothing', stage: 'apply' },
      ...restartCommand(os.restart),
    ],
    warnings,
  });
}
