// The facts the OS renderers need about one ENI, built from the domain objects
// (for the console and the CLI alike): addresses, prefix length and gateway of
// its vSwitch, interface name by device index, primary or secondary.
import type { EniFacts } from '../domain/eni-facts.ts';
import type { Eni, VSwitch } from '../domain/model.ts';
import { formatIpv4, ipv4Gateway, ipv6Gateway, parseIpv4Cidr, parseIpv6Cidr } from '../ipam/index.ts';

/** Alibaba Cloud's resolvers inside a VPC. */
const DEFAULT_DNS_SERVERS = ['100.100.2.136', '100.100.2.138'];

export type EniForFacts = Pick<Eni, 'id' | 'macAddress' | 'type' | 'deviceIndex' | 'addresses'> &
  Partial<Pick<Eni, 'ipv4Prefixes' | 'ipv6Prefixes'>>;

export function toEniFacts(
  eni: EniForFacts,
  vsw: Pick<VSwitch, 'cidrBlock' | 'ipv6CidrBlock'>,
  dnsServers = DEFAULT_DNS_SERVERS,
): EniFacts {
  const cidr = parseIpv4Cidr(vsw.cidrBlock);
  const primary = eni.addresses.find((a) => a.family === 4 && a.primary);
  if (!primary) throw new Error(`ENI ${eni.id} has no primary address`);
  // A secondary ENI that is not bound has no device index yet: it would come up as the next one.
  const deviceIndex = eni.type === 'Primary' ? 0 : (eni.deviceIndex ?? 1);
  const v6 = eni.addresses.filter((a) => a.family === 6).map((a) => a.address);
  const withV6 = v6.length > 0 && vsw.ipv6CidrBlock !== null;
  // an IPv6 prefix is rendered only with an IPv6 address: the ipv6 section (and its gateway) comes with one
  const prefixes = [...(eni.ipv4Prefixes ?? []), ...(withV6 ? (eni.ipv6Prefixes ?? []) : [])];
  return {
    interfaceName: `eth${deviceIndex}`,
    macAddress: eni.macAddress.toLowerCase(),
    eniId: eni.id,
    isPrimaryEni: eni.type === 'Primary',
    deviceIndex,
    ipv4: {
      primary: primary.address,
      secondaries: eni.addresses.filter((a) => a.family === 4 && !a.primary).map((a) => a.address),
      prefixLength: cidr.prefixLength,
      gateway: formatIpv4(ipv4Gateway(cidr)),
      cidrBlock: vsw.cidrBlock,
    },
    ...(withV6 && vsw.ipv6CidrBlock
      ? {
          ipv6: {
            addresses: v6,
            prefixLength: 64,
            gateway: ipv6Gateway(parseIpv6Cidr(vsw.ipv6CidrBlock, 64)),
            cidrBlock: vsw.ipv6CidrBlock,
          },
        }
      : {}),
    ...(prefixes.length > 0 ? { prefixes } : {}),
    dnsServers: [...dnsServers],
  };
}
