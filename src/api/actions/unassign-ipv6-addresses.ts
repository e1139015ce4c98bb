// ECS UnassignIpv6Addresses: removes named IPv6 addresses from an ENI.
import { defineAction, ECS_VERSION } from '../action.ts';
import { wireErrors } from '../errors.ts';
import { unassignIpv6 } from '../../service/eni-addresses.ts';

export default defineAction({
  action: 'UnassignIpv6Addresses',
  version: ECS_VERSION,
  use: { required: ['NetworkInterfaceId'], honoured: ['RegionId', 'NetworkInterfaceId', 'Ipv6Address'], refused: ['Ipv6Prefix'] },
  async handle({ deps, caller }, p) {
    const eniId = p.reqStr('NetworkInterfaceId');
    if (p.has('Ipv6Prefix')) throw wireErrors.unsupportedParameter('IPv6 prefixes');
    await unassignIpv6(deps, caller, { regionId: p.str('RegionId'), eniId, addresses: p.list('Ipv6Address', 50) ?? [] });
    return {};
  },
});
