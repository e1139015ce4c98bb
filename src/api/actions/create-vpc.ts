// VPC CreateVpc (2016-04-28), optionally with an IPv6 /56 (EnableIpv6).
import { defineAction, VPC_VERSION, readDescription, readTags } from '../action.ts';
import { VPC_TAG_RULES } from '../../domain/tags.ts';
import { createVpc } from '../../service/networks.ts';
import { systemRouteTableId, vRouterId } from '../shapes.ts';

export default defineAction({
  action: 'CreateVpc',
  version: VPC_VERSION,
  use: { honoured: ['RegionId', 'CidrBlock', 'VpcName', 'Description', 'ResourceGroupId', 'EnableIpv6', 'Tag'] },
  async handle({ deps, caller }, p) {
    const vpc = await createVpc(deps, caller, {
      regionId: p.str('RegionId'),
      cidrBlock: p.str('CidrBlock'),
      name: p.str('VpcName'),
      description: readDescription(p, 'Description'),
      enableIpv6: p.bool('EnableIpv6'),
      resourceGroupId: p.str('ResourceGroupId'),
      tags: readTags(p, VPC_TAG_RULES),
    });
    return {
      VpcId: vpc.id,
      VRouterId: vRouterId(vpc.id),
      RouteTableId: systemRouteTableId(vpc.id),
      ResourceGroupId: vpc.resourceGroupId,
    };
  },
});
