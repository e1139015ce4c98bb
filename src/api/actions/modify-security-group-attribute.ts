// ECS ModifySecurityGroupAttribute: name and description.
import { defineAction, ECS_VERSION, readDescription } from '../action.ts';
import { str } from '../params.ts';
import { renameNetworkResource } from '../../service/networks.ts';

export default defineAction({
  action: 'ModifySecurityGroupAttribute',
  version: ECS_VERSION,
  params: { SecurityGroupId: str(true), SecurityGroupName: str(), Description: str() },
  async handle({ deps, caller }, p) {
    await renameNetworkResource(deps, caller, {
      regionId: p.str('RegionId'), kind: 'securitygroup', id: p.reqStr('SecurityGroupId'), name: p.str('SecurityGroupName'), description: readDescription(p, 'Description'),
    });
    return {};
  },
});
