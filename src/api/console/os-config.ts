// GET /console/api/eni/<id>/os-config?os=<osId>[&regionId=..][&interface=eth1]:
// the guest configuration for one ENI, rendered by src/osconfig from the ENI
// as the caller's account sees it (the seed's "Configure the OS" step).
import type { Eni } from '../../domain/model.ts';
import { formatIpv4, ipv4Gateway, ipv6Gateway, parseIpv4Cidr, parseIpv6Cidr } from '../../ipam/index.ts';
import { describeEni } from '../../service/describe-enis.ts';
import { describeVSwitches } from '../../service/networks.ts';
import type { Caller, ServiceDeps } from '../../service/deps.ts';
import { InvalidFactsError, listOs, render, UnsupportedOsError, type EniFacts, type Rendering } from '../../osconfig/index.ts';
import { WireError } from '../wire-error.ts';

/** Alibaba Cloud's resolvers, as in the metadata service. */
const DNS_SERVERS = ['100.100.2.136', '100.100.2.138'];

export interface OsConfigAnswer {
  eniId: string;
  facts: EniFacts;
  /** what the console had to assume (an unbound ENI has no device index yet) */
  assumptions: string[];
  rendering: Rendering;
}

export function osCatalog() {
  return listOs().map((o) => ({ id: o.id, name: o.name, family: o.family, target: o.target }));
}

export function factsOf(eni: Eni, vsw: { cidrBlock: string; ipv6CidrBlock: string | null }, interfaceName?: string): { facts: EniFacts; assumptions: string[] } {
  const assumptions: string[] = [];
  const isPrimaryEni = eni.type === 'Primary';
  let deviceIndex = eni.deviceIndex ?? (isPrimaryEni ? 0 : 1);
  if (eni.deviceIndex === null && !isPrimaryEni) {
    assumptions.push('The ENI is not bound to an instance, so it has no device index yet: device index 1 (eth1) is assumed. Bind it first for the exact values.');
  }
  if (isPrimaryEni) deviceIndex = 0;
  const v4 = parseIpv4Cidr(vsw.cidrBlock);
  const ipv4 = eni.addresses.filter((a) => a.family === 4);
  const ipv6 = eni.addresses.filter((a) => a.family === 6).map((a) => a.address);
  const facts: EniFacts = {
    interfaceName: interfaceName ?? `eth${deviceIndex}`,
    macAddress: eni.macAddress,
    eniId: eni.id,
    isPrimaryEni,
    deviceIndex,
    ipv4: {
      primary: ipv4.find((a) => a.primary)?.address ?? '',
      secondaries: ipv4.filter((a) => !a.primary).map((a) => a.address),
      prefixLength: v4.prefixLength,
      gateway: formatIpv4(ipv4Gateway(v4)),
      cidrBlock: vsw.cidrBlock,
    },
    dnsServers: DNS_SERVERS,
  };
  if (ipv6.length > 0 && vsw.ipv6CidrBlock) {
    const c = parseIpv6Cidr(vsw.ipv6CidrBlock, 64);
    facts.ipv6 = { addresses: ipv6, prefixLength: 64, gateway: ipv6Gateway(c), cidrBlock: vsw.ipv6CidrBlock };
  }
  return { facts, assumptions };
}

export async function osConfigFor(
  deps: ServiceDeps, caller: Caller, q: { regionId?: string; eniId: string; osId: string; interfaceName?: string },
): Promise<OsConfigAnswer> {
  const eni = await describeEni(deps, caller, { regionId: q.regionId, eniId: q.eniId });
  const vsws = await describeVSwitches(deps, caller, { regionId: eni.regionId, ids: [eni.vSwitchId] }, { limit: 1 });
  const vsw = vsws.items[0];
  if (!vsw) throw new WireError(404, 'InvalidVSwitchId.NotFound', 'The specified VSwitchId is not found.');
  const { facts, assumptions } = factsOf(eni, vsw, q.interfaceName);
  try {
    return { eniId: eni.id, facts, assumptions, rendering: render(q.osId, facts) };
  } catch (e) {
    if (e instanceof UnsupportedOsError) {
      throw new WireError(400, 'InvalidParameter', `The specified parameter "os" is not valid. Supported: ${e.supportedIds.join(', ')}.`);
    }
    if (e instanceof InvalidFactsError) {
      throw new WireError(400, 'InvalidParameter', `The ENI cannot be rendered for this OS: ${e.problems.map((p) => `${p.path || 'facts'}: ${p.message}`).join('; ')}.`);
    }
    throw e;
  }
}
