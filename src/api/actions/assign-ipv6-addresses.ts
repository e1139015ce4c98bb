// ECS AssignIpv6Addresses: IPv6 addresses from the vSwitch's /64 on an ENI.
import { defineAction, ECS_VERSION, readAddressRequest, readPrefixRequest, refuseAddressesWithPrefixes } from '../action.ts';
import { assignIpv6 } from '../../service/eni-addresses.ts';

export default defineAction({
  action: 'AssignIpv6Addresses',
  version: ECS_VERSION,
  use: {
    required: ['NetworkInterfaceId'],
    honoured: ['RegionId', 'NetworkInterfaceId', 'Ipv6Address', 'Ipv6AddressCount', 'Ipv6Prefix', 'Ipv6PrefixCount', 'ClientToken'],
  },
  async handle({ deps, caller }, p) {
    const eniId = p.reqStr('NetworkInterfaceId');
    const request = readAddressRequest(p, 'Ipv6Address', 'Ipv6AddressCount');
    const prefixes = readPrefixRequest(p, 'Ipv6Prefix', 'Ipv6PrefixCount');
    refuseAddressesWithPrefixes(request, prefixes, 'Ipv6Address.N/Ipv6AddressCount', 'Ipv6Prefix.N/Ipv6PrefixCount');
    const r = await assignIpv6(deps, caller, { regionId: p.str('RegionId'), eniId, request, prefixes, clientToken: p.str('ClientToken') });
    // Note the shape: Ipv6Sets.Ipv6Address[] (strings), unlike Describe*'s Ipv6Sets.Ipv6Set[].
    return { NetworkInterfaceId: r.eniId, Ipv6Sets: { Ipv6Address: r.addresses }, Ipv6PrefixSets: { Ipv6Prefix: r.prefixes } };
  },
});
