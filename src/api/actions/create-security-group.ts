// ECS CreateSecurityGroup: basic ("normal") or enterprise, in a VPC.
import { defineAction, ECS_VERSION, readDescription, readTags } from '../action.ts';
import { wireErrors } from '../errors.ts';
import { createSecurityGroup } from '../../service/networks.ts';

export default defineAction({
  action: 'CreateSecurityGroup',
  version: ECS_VERSION,
  use: {
    required: ['VpcId'],
    honoured: ['RegionId', 'VpcId', 'SecurityGroupName', 'Description', 'SecurityGroupType', 'ResourceGroupId', 'Tag'],
  },
  async handle({ deps, caller }, p) {
    const type = p.str('SecurityGroupType') ?? 'normal';
    if (type !== 'normal' && type !== 'enterprise') throw wireErrors.invalidParameter('SecurityGroupType');
    // COMPAT: classic-network groups do not exist here, so VpcId is required.
    const g = await createSecurityGroup(deps, caller, {
      regionId: p.str('RegionId'),
      vpcId: p.reqStr('VpcId'),
      name: p.str('SecurityGroupName'),
      description: readDescription(p, 'Description'),
      type,
      resourceGroupId: p.str('ResourceGroupId'),
      tags: readTags(p),
    });
    return { SecurityGroupId: g.id };
  },
});
