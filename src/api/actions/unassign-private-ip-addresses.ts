// ECS UnassignPrivateIpAddresses: removes named secondary IPv4 addresses from an ENI.
import { defineAction, ECS_VERSION } from '../action.ts';
import { str } from '../params.ts';
import { unassignPrivateIps } from '../../service/eni-addresses.ts';

export default defineAction({
  action: 'UnassignPrivateIpAddresses',
  version: ECS_VERSION,
  // ClientToken is not in the model, but the gateway takes it and Terraform sends it.
  use: {
    required: ['NetworkInterfaceId'],
    honoured: ['RegionId', 'NetworkInterfaceId', 'PrivateIpAddress', 'Ipv4Prefix', 'ClientToken'],
    extra: { ClientToken: str() },
  },
  async handle({ deps, caller }, p) {
    const eniId = p.reqStr('NetworkInterfaceId');
    await unassignPrivateIps(deps, caller, {
      regionId: p.str('RegionId'),
      eniId,
      addresses: p.list('PrivateIpAddress', 50) ?? [],
      prefixes: p.list('Ipv4Prefix', 10) ?? [],
      clientToken: p.str('ClientToken'),
    });
    return {};
  },
});
