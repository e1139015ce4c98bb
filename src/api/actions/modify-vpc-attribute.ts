// VPC ModifyVpcAttribute: name and description. COMPAT: the CIDR block, IPv6 and DNS settings cannot change here.
import { defineAction, VPC_VERSION, readDescription } from '../action.ts';
import { renameNetworkResource } from '../../service/networks.ts';
import { wireErrors } from '../errors.ts';

export default defineAction({
  action: 'ModifyVpcAttribute',
  version: VPC_VERSION,
  use: {
    required: ['VpcId'],
    honoured: ['RegionId', 'VpcId', 'VpcName', 'Description'],
    refused: ['CidrBlock', 'EnableIPv6', 'Ipv6CidrBlock', 'Ipv6Isp', 'EnableDnsHostname'],
  },
  async handle({ deps, caller }, p) {
    for (const name of ['CidrBlock', 'EnableIPv6', 'Ipv6CidrBlock', 'Ipv6Isp', 'EnableDnsHostname']) {
      if (p.has(name)) throw wireErrors.unsupportedParameter(`Changes of ${name}`);
    }
    await renameNetworkResource(deps, caller, {
      regionId: p.str('RegionId'),
      kind: 'vpc',
      id: p.reqStr('VpcId'),
      name: p.str('VpcName'),
      description: readDescription(p, 'Description'),
    });
    return {};
  },
});
