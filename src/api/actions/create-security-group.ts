// ECS CreateSecurityGroup: basic ("normal") or enterprise, in a VPC.
import { defineAction, ECS_VERSION, readDescription, readTags } from '../action.ts';
import { objectList, str } from '../params.ts';
import { wireErrors } from '../errors.ts';
import { createSecurityGroup } from '../../service/networks.ts';

export default defineAction({
  action: 'CreateSecurityGroup',
  version: ECS_VERSION,
  params: { VpcId: str(true), SecurityGroupName: str(), Description: str(), SecurityGroupType: str(), ResourceGroupId: str(), ClientToken: str(), Tag: objectList('Key', 'Value') },
  async handle({ deps, caller }, p) {
    const type = p.str('SecurityGroupType') ?? 'normal';
    if (type !== 'normal' && type !== 'enterprise') throw wireErrors.invalidParameter('SecurityGroupType');
    // COMPAT: classic-network groups do not exist here, so VpcId is required.
    const g = await createSecurityGroup(deps, caller, {
      regionId: p.str('RegionId'), vpcId: p.reqStr('VpcId'), name: p.str('SecurityGroupName'), description: readDescription(p, 'Description'),
      type, resourceGroupId: p.str('ResourceGroupId'), tags: readTags(p),
    });
    return { SecurityGroupId: g.id };
  },
});
