// ECS DeleteSecurityGroup: refused while an ENI is in the group.
import { defineAction, ECS_VERSION } from '../action.ts';
import { deleteSecurityGroup } from '../../service/networks.ts';
import { SECURITY_GROUP_IN_USE } from '../errors.ts';

export default defineAction({
  action: 'DeleteSecurityGroup',
  version: ECS_VERSION,
  use: { required: ['SecurityGroupId'], honoured: ['RegionId', 'SecurityGroupId'] },
  errors: { DependencyViolation: SECURITY_GROUP_IN_USE },
  async handle({ deps, caller }, p) {
    await deleteSecurityGroup(deps, caller, { regionId: p.str('RegionId'), securityGroupId: p.reqStr('SecurityGroupId') });
    return {};
  },
});
