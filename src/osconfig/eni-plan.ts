// What every renderer derives from the facts the same way: the address lists
// in order, and for a secondary ENI the source-based policy routing that makes
// replies leave through the interface they came in on.

import type { EniFacts } from './facts.ts';
import { ipv4Netmask } from './ip.ts';
import { POLICY_TABLE_BASE } from './limits.ts';

export interface FamilyPolicy {
  /** the vSwitch CIDR, routed on-link in the ENI's table */
  subnet: string;
  /** default route of the ENI's table */
  gateway: string;
  /** one "from <address>/<32|128> lookup <table>" rule each */
  sources: string[];
  hostPrefix: 32 | 128;
  /** what the rules match: each source as <address>/<32|128>, then each IP prefix of the family */
  sourceCidrs: string[];
}

/**
 * An IP prefix as a local route (`ip route add local <cidr> dev <if>`, table
 * local): the guest accepts and answers every address inside it without
 * configuring each one, as the cloud routes the whole prefix to the ENI.
 */
interface LocalRoute {
  family: 4 | 6;
  cidr: string;
}

interface PolicyRouting {
  /** route table id: 1000 + device index */
  table: number;
  /** rule priority; the same number as the table, well before main (32766) */
  priority: number;
  v4: FamilyPolicy;
  v6?: FamilyPolicy;
}

export interface EniPlan {
  facts: EniFacts;
  ifname: string;
  /** primary first, then the secondaries in the order given */
  v4: string[];
  v4Prefix: number;
  v4Netmask: string;
  v6: string[];
  /** "eni-xxx (primary ENI eth0, MAC 00:16:3e:...)" for comments */
  label: string;
  /** set for a secondary ENI only */
  policy?: PolicyRouting;
  /** the ENI's IP prefixes, IPv4 first */
  localRoutes: LocalRoute[];
}

export function planEni(facts: EniFacts): EniPlan {
  const table = POLICY_TABLE_BASE + facts.deviceIndex;
  const v4 = [facts.ipv4.primary, ...facts.ipv4.secondaries];
  const v6 = facts.ipv6?.addresses ?? [];
  const localRoutes: LocalRoute[] = [
    ...(facts.prefixes ?? []).filter((p) => !p.includes(':')).map((cidr) => ({ family: 4 as const, cidr })),
    ...(facts.prefixes ?? []).filter((p) => p.includes(':')).map((cidr) => ({ family: 6 as const, cidr })),
  ];
  const cidrsOf = (family: 4 | 6, addresses: string[], hostPrefix: number) => [
    ...addresses.map((a) => `${a}/${hostPrefix}`),
    ...localRoutes.filter((r) => r.family === family).map((r) => r.cidr),
  ];
  const role = facts.isPrimaryEni ? 'primary ENI' : `secondary ENI, device index ${facts.deviceIndex}`;
  const policy: PolicyRouting | undefined = facts.isPrimaryEni
    ? undefined
    : {
        table,
        priority: table,
        v4: { subnet: facts.ipv4.cidrBlock, gateway: facts.ipv4.gateway, sources: v4, hostPrefix: 32, sourceCidrs: cidrsOf(4, v4, 32) },
        ...(facts.ipv6
          ? {
              v6: {
                subnet: facts.ipv6.cidrBlock,
                gateway: facts.ipv6.gateway,
                sources: v6,
                hostPrefix: 128,
                sourceCidrs: cidrsOf(6, v6, 128),
              },
            }
          : {}),
      };
  return {
    facts,
    ifname: facts.interfaceName,
    v4,
    v4Prefix: facts.ipv4.prefixLength,
    v4Netmask: ipv4Netmask(facts.ipv4.prefixLength),
    v6,
    label: `${facts.eniId ?? 'ENI'} (${role}, ${facts.interfaceName}, MAC ${facts.macAddress})`,
    ...(policy ? { policy } : {}),
    localRoutes,
  };
}

/** IPv4 DNS servers first, as most formats keep the families apart */
export function dnsByFamily(facts: EniFacts): { v4: string[]; v6: string[] } {
  return {
    v4: facts.dnsServers.filter((s) => !s.includes(':')),
    v6: facts.dnsServers.filter((s) => s.includes(':')),
  };
}
