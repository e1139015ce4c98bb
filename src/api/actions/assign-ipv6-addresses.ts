// ECS AssignIpv6Addresses: IPv6 addresses from the vSwitch's /64 on an ENI.
import { defineAction, ECS_VERSION, readAddressRequest } from '../action.ts';
import { wireErrors } from '../errors.ts';
import { assignIpv6 } from '../../service/eni-addresses.ts';

export default defineAction({
  action: 'AssignIpv6Addresses',
  version: ECS_VERSION,
  use: {
    required: ['NetworkInterfaceId'],
    honoured: ['RegionId', 'NetworkInterfaceId', 'Ipv6Address', 'Ipv6AddressCount', 'ClientToken'],
    refused: ['Ipv6Prefix', 'Ipv6PrefixCount'],
  },
  async handle({ deps, caller }, p) {
    const eniId = p.reqStr('NetworkInterfaceId');
    if (p.has('Ipv6Prefix') || p.has('Ipv6PrefixCount')) throw wireErrors.unsupportedParameter('IPv6 prefixes');
    const request = readAddressRequest(p, 'Ipv6Address', 'Ipv6AddressCount');
    if (!request) throw wireErrors.missingParameter('Ipv6AddressCount');
    const r = await assignIpv6(deps, caller, { regionId: p.str('RegionId'), eniId, request, clientToken: p.str('ClientToken') });
    // Note the shape: Ipv6Sets.Ipv6Address[] (strings), unlike Describe*'s Ipv6Sets.Ipv6Set[].
    return { NetworkInterfaceId: r.eniId, Ipv6Sets: { Ipv6Address: r.addresses }, Ipv6PrefixSets: { Ipv6Prefix: [] } };
  },
});
