// ECS CreateVpc (2014-05-26, deprecated but still in the SDK): older clients send it to the ECS product.
// Answers as its VPC twin does, with the ECS model's parameters.
import { defineAction, ECS_VERSION, readDescription } from '../action.ts';
import { createVpc } from '../../service/networks.ts';
import { systemRouteTableId, vRouterId } from '../shapes.ts';

export default defineAction({
  action: 'CreateVpc',
  version: ECS_VERSION,
  use: { honoured: ['RegionId', 'CidrBlock', 'VpcName', 'Description'] },
  async handle({ deps, caller }, p) {
    const vpc = await createVpc(deps, caller, {
      regionId: p.str('RegionId'),
      cidrBlock: p.str('CidrBlock'),
      name: p.str('VpcName'),
      description: readDescription(p, 'Description'),
    });
    return { VpcId: vpc.id, VRouterId: vRouterId(vpc.id), RouteTableId: systemRouteTableId(vpc.id) };
  },
});
