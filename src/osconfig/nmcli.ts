// NetworkManager via nmcli, the seed's "Method 1". The connection's name
// differs between images ("System eth0", "Wired connection 1", "cloud-init
// eth0"), so the commands find the profile active on the device by UUID
// (UUIDs have no ":" for `nmcli -g` to escape), and make one if there is none.
// The commands form one shell session: $CON is set first and used after.

import { dnsByFamily, planEni, type EniPlan, type FamilyPolicy } from './eni-plan.ts';
import type { EniFacts } from './facts.ts';
import { BACKUP_DIR, linuxRendering } from './linux-steps.ts';
import type { OsEntry } from './os-catalog.ts';
import type { RenderedCommand, Rendering } from './rendering.ts';

/** the profile name used when the commands have to create one */
const createdProfileName = (ifname: string) => `eniplane-${ifname}`;

/** IP prefixes as local routes (`type=local`; NetworkManager puts them in the local table) */
function localRoutes(plan: EniPlan, family: 4 | 6): string[] {
  return plan.localRoutes.filter((r) => r.family === family).map((r) => `${r.cidr} type=local`);
}

function familyPolicyProperties(fam: 'ipv4' | 'ipv6', f: FamilyPolicy, table: number, priority: number, local: string[]): string[] {
  const any = fam === 'ipv4' ? '0.0.0.0/0' : '::/0';
  return [
    // no default route in the main table (this also ignores router advertisements' default)
    `${fam}.never-default yes`,
    `${fam}.gateway ""`,
    `${fam}.routes "${[`${any} ${f.gateway} table=${table}`, `${f.subnet} table=${table}`, ...local].join(', ')}"`,
    // NetworkManager requires a priority on every rule
    `${fam}.routing-rules "${f.sourceCidrs.map((c) => `priority ${priority} from ${c} table ${table}`).join(', ')}"`,
  ];
}

/** the property arguments of the one `nmcli connection modify` */
function modifyProperties(plan: EniPlan): string[] {
  const { facts, policy } = plan;
  const dns = dnsByFamily(facts);
  const props = [
    'connection.autoconnect yes',
    'ipv4.method manual',
    `ipv4.addresses "${plan.v4.map((a) => `${a}/${plan.v4Prefix}`).join(',')}"`,
  ];
  if (policy) {
    props.push(...familyPolicyProperties('ipv4', policy.v4, policy.table, policy.priority, localRoutes(plan, 4)));
  } else {
    props.push(`ipv4.gateway ${facts.ipv4.gateway}`, 'ipv4.never-default no');
    if (dns.v4.length > 0) props.push(`ipv4.dns "${dns.v4.join(',')}"`);
    if (localRoutes(plan, 4).length > 0) props.push(`ipv4.routes "${localRoutes(plan, 4).join(', ')}"`);
  }
  if (facts.ipv6) {
    props.push('ipv6.method manual', `ipv6.addresses "${plan.v6.map((a) => `${a}/${facts.ipv6!.prefixLength}`).join(',')}"`);
    if (policy?.v6) {
      props.push(...familyPolicyProperties('ipv6', policy.v6, policy.table, policy.priority, localRoutes(plan, 6)));
    } else {
      props.push(`ipv6.gateway ${facts.ipv6.gateway}`, 'ipv6.never-default no');
      if (dns.v6.length > 0) props.push(`ipv6.dns "${dns.v6.join(',')}"`);
      if (localRoutes(plan, 6).length > 0) props.push(`ipv6.routes "${localRoutes(plan, 6).join(', ')}"`);
    }
  }
  return props;
}

function nmcliCommands(plan: EniPlan): RenderedCommand[] {
  const dev = plan.ifname;
  const created = createdProfileName(dev);
  return [
    {
      run: `CON=$(nmcli -g UUID,DEVICE connection show | awk -F: '$2 == "${dev}" { print $1; exit }')`,
      why: `find the profile active on ${dev} (the seed's "nmcli con show"; names differ between images, so go by device)`,
      stage: 'prepare',
    },
    {
      run: `[ -n "$CON" ] || CON=$(nmcli -g UUID,NAME connection show | awk -F: '$2 == "${created}" { print $1; exit }')`,
      why: `none active: reuse the profile an earlier run created`,
      stage: 'prepare',
    },
    {
      run: `[ -n "$CON" ] || { nmcli connection add type ethernet ifname ${dev} con-name ${created} connection.autoconnect no && CON=$(nmcli -g connection.uuid connection show ${created}); }`,
      why: `no profile for ${dev} yet (a newly attached ENI): create one, activated below`,
      stage: 'prepare',
    },
    {
      run:
        `F=$(nmcli -g UUID,FILENAME connection show | awk -F: -v u="$CON" '$1 == u { print $2; exit }'); ` +
        `if [ -n "$F" ] && [ -e "$F" ] && [ ! -e "${BACKUP_DIR}$F" ]; then mkdir -p "${BACKUP_DIR}\${F%/*}" && cp -a "$F" "${BACKUP_DIR}$F"; fi`,
      why: `back up the profile's file to ${BACKUP_DIR} (outside NetworkManager's directories, where a copy would load as a second profile)`,
      stage: 'prepare',
    },
    {
      run: `nmcli connection modify "$CON" ${modifyProperties(plan).join(' ')}`,
      why: plan.policy
        ? `static addresses; no default route in the main table, table ${plan.policy.table} and one rule per address instead`
        : 'static addresses (primary first) and the default gateway, in one step: method manual needs its addresses',
      stage: 'apply',
    },
    {
      run: 'nmcli connection up "$CON"',
      why: 'activates the profile now ("Connection successfully activated"); no network restart is needed',
      stage: 'apply',
    },
  ];
}

export function renderNmcli(facts: EniFacts, os: OsEntry): Rendering {
  const plan = planEni(facts);
  return linuxRendering(os, plan, {
    files: [],
    commands: nmcliCommands(plan),
    warnings: [
      `If another, inactive profile is also bound to ${plan.ifname}, delete it ("nmcli connection delete <uuid>") so it cannot win at the next boot.`,
    ],
    verify: [`nmcli -f GENERAL.CONNECTION,IP4.ADDRESS,IP4.GATEWAY,IP6.ADDRESS device show ${plan.ifname}`],
  });
}
