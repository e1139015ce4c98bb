// ECS DescribeSecurityGroupAttribute: the group and its (empty) rule list; Terraform reads InnerAccessPolicy.
import { defineAction, ECS_VERSION } from '../action.ts';
import { describeSecurityGroup } from '../../service/networks.ts';
import { securityGroupAttributeShape } from '../shapes.ts';
import { wireErrors } from '../errors.ts';

const DIRECTIONS = ['egress', 'ingress', 'all'];

export default defineAction({
  action: 'DescribeSecurityGroupAttribute',
  version: ECS_VERSION,
  use: { required: ['SecurityGroupId'], honoured: ['RegionId', 'SecurityGroupId', 'Direction', 'MaxResults'] },
  async handle({ deps, caller }, p) {
    const direction = p.str('Direction');
    if (direction !== undefined && !DIRECTIONS.includes(direction)) throw wireErrors.invalidParameter('Direction');
    p.int('MaxResults', { min: 10, max: 1000 });
    const g = await describeSecurityGroup(deps, caller, { regionId: p.str('RegionId'), securityGroupId: p.reqStr('SecurityGroupId') });
    return securityGroupAttributeShape(g);
  },
});
