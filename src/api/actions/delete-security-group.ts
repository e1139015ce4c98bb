// ECS DeleteSecurityGroup: refused while an ENI is in the group.
import { defineAction, ECS_VERSION } from '../action.ts';
import { deleteSecurityGroup } from '../../service/networks.ts';

export default defineAction({
  action: 'DeleteSecurityGroup',
  version: ECS_VERSION,
  use: { required: ['SecurityGroupId'], honoured: ['RegionId', 'SecurityGroupId'] },
  errors: {
    DependencyViolation: {
      status: 403,
      code: 'DependencyViolation',
      message: () => 'There is still instance(s) in the specified security group.',
    },
  },
  async handle({ deps, caller }, p) {
    await deleteSecurityGroup(deps, caller, { regionId: p.str('RegionId'), securityGroupId: p.reqStr('SecurityGroupId') });
    return {};
  },
});
