// ECS AssignPrivateIpAddresses: secondary private IPv4 addresses on an ENI, auto-picked or named.
import { defineAction, ECS_VERSION, readAddressRequest } from '../action.ts';
import { wireErrors } from '../errors.ts';
import { assignPrivateIps } from '../../service/eni-addresses.ts';

export default defineAction({
  action: 'AssignPrivateIpAddresses',
  version: ECS_VERSION,
  use: {
    required: ['NetworkInterfaceId'],
    honoured: ['RegionId', 'NetworkInterfaceId', 'PrivateIpAddress', 'SecondaryPrivateIpAddressCount', 'ClientToken'],
    refused: ['Ipv4Prefix', 'Ipv4PrefixCount'],
  },
  async handle({ deps, caller }, p) {
    const eniId = p.reqStr('NetworkInterfaceId');
    // COMPAT: IPv4 prefixes (Ipv4Prefix.N / Ipv4PrefixCount) are not emulated.
    if (p.has('Ipv4Prefix') || p.has('Ipv4PrefixCount')) throw wireErrors.unsupportedParameter('IPv4 prefixes');
    const request = readAddressRequest(p, 'PrivateIpAddress', 'SecondaryPrivateIpAddressCount');
    if (!request) throw wireErrors.missingParameter('SecondaryPrivateIpAddressCount');
    const r = await assignPrivateIps(deps, caller, { regionId: p.str('RegionId'), eniId, request, clientToken: p.str('ClientToken') });
    return {
      AssignedPrivateIpAddressesSet: {
        NetworkInterfaceId: r.eniId,
        PrivateIpSet: { PrivateIpAddress: r.addresses },
        Ipv4PrefixSet: { Ipv4Prefixes: [] },
      },
    };
  },
});
