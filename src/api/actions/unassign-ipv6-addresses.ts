// ECS UnassignIpv6Addresses: removes named IPv6 addresses from an ENI.
import { defineAction, ECS_VERSION } from '../action.ts';
import { str } from '../params.ts';
import { unassignIpv6 } from '../../service/eni-addresses.ts';

export default defineAction({
  action: 'UnassignIpv6Addresses',
  version: ECS_VERSION,
  // ClientToken is not in the model, but the gateway takes it and Terraform sends it.
  use: {
    required: ['NetworkInterfaceId'],
    honoured: ['RegionId', 'NetworkInterfaceId', 'Ipv6Address', 'Ipv6Prefix', 'ClientToken'],
    extra: { ClientToken: str() },
  },
  async handle({ deps, caller }, p) {
    const eniId = p.reqStr('NetworkInterfaceId');
    await unassignIpv6(deps, caller, {
      regionId: p.str('RegionId'),
      eniId,
      addresses: p.list('Ipv6Address', 50) ?? [],
      prefixes: p.list('Ipv6Prefix', 10) ?? [],
      clientToken: p.str('ClientToken'),
    });
    return {};
  },
});
