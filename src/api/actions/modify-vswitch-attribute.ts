// VPC ModifyVSwitchAttribute: name and description. COMPAT: the IPv6 block cannot change here.
import { defineAction, VPC_VERSION, readDescription } from '../action.ts';
import { renameNetworkResource } from '../../service/networks.ts';
import { wireErrors } from '../errors.ts';

export default defineAction({
  action: 'ModifyVSwitchAttribute',
  version: VPC_VERSION,
  use: {
    required: ['VSwitchId'],
    honoured: ['RegionId', 'VSwitchId', 'VSwitchName', 'Description'],
    refused: ['EnableIPv6', 'Ipv6CidrBlock', 'Ipv6CidrMask', 'VpcIpv6CidrBlock'],
  },
  async handle({ deps, caller }, p) {
    for (const name of ['EnableIPv6', 'Ipv6CidrBlock', 'Ipv6CidrMask', 'VpcIpv6CidrBlock']) {
      if (p.has(name)) throw wireErrors.unsupportedParameter(`Changes of ${name}`);
    }
    await renameNetworkResource(deps, caller, {
      regionId: p.str('RegionId'),
      kind: 'vswitch',
      id: p.reqStr('VSwitchId'),
      name: p.str('VSwitchName'),
      description: readDescription(p, 'Description'),
    });
    return {};
  },
});
