// ECS ModifySecurityGroupAttribute: name and description.
import { defineAction, ECS_VERSION, readDescription } from '../action.ts';
import { renameNetworkResource } from '../../service/networks.ts';

export default defineAction({
  action: 'ModifySecurityGroupAttribute',
  version: ECS_VERSION,
  use: { required: ['SecurityGroupId'], honoured: ['RegionId', 'SecurityGroupId', 'SecurityGroupName', 'Description'] },
  async handle({ deps, caller }, p) {
    await renameNetworkResource(deps, caller, {
      regionId: p.str('RegionId'),
      kind: 'securitygroup',
      id: p.reqStr('SecurityGroupId'),
      name: p.str('SecurityGroupName'),
      description: readDescription(p, 'Description'),
    });
    return {};
  },
});
