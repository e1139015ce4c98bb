// ECS DescribeInstanceAttribute: one instance (Terraform's alicloud_instance refresh reads EnableJumboFrame from it).
import { defineAction, ECS_VERSION } from '../action.ts';
import { describeInstance } from '../../service/instances.ts';
import { instanceAttributeShape } from '../shapes.ts';

export default defineAction({
  action: 'DescribeInstanceAttribute',
  version: ECS_VERSION,
  use: { required: ['InstanceId'], honoured: ['RegionId', 'InstanceId'] },
  async handle({ deps, caller }, p) {
    return instanceAttributeShape(
      await describeInstance(deps, caller, { regionId: p.str('RegionId'), instanceId: p.reqStr('InstanceId') }),
    );
  },
});
