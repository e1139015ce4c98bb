// ECS AssignPrivateIpAddresses: secondary private IPv4 addresses on an ENI, auto-picked or named.
import { defineAction, ECS_VERSION, readAddressRequest, readPrefixRequest, refuseAddressesWithPrefixes } from '../action.ts';
import { assignPrivateIps } from '../../service/eni-addresses.ts';

export default defineAction({
  action: 'AssignPrivateIpAddresses',
  version: ECS_VERSION,
  use: {
    required: ['NetworkInterfaceId'],
    honoured: [
      'RegionId',
      'NetworkInterfaceId',
      'PrivateIpAddress',
      'SecondaryPrivateIpAddressCount',
      'Ipv4Prefix',
      'Ipv4PrefixCount',
      'ClientToken',
    ],
  },
  async handle({ deps, caller }, p) {
    const eniId = p.reqStr('NetworkInterfaceId');
    const request = readAddressRequest(p, 'PrivateIpAddress', 'SecondaryPrivateIpAddressCount');
    const prefixes = readPrefixRequest(p, 'Ipv4Prefix', 'Ipv4PrefixCount');
    refuseAddressesWithPrefixes(request, prefixes, 'PrivateIpAddress.N/SecondaryPrivateIpAddressCount', 'Ipv4Prefix.N/Ipv4PrefixCount');
    const r = await assignPrivateIps(deps, caller, {
      regionId: p.str('RegionId'),
      eniId,
      request,
      prefixes,
      clientToken: p.str('ClientToken'),
    });
    return {
      AssignedPrivateIpAddressesSet: {
        NetworkInterfaceId: r.eniId,
        PrivateIpSet: { PrivateIpAddress: r.addresses },
        Ipv4PrefixSet: { Ipv4Prefixes: r.prefixes },
      },
    };
  },
});
