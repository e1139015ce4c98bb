// ECS DescribeUserData: what RunInstances/CreateInstance/ModifyInstanceAttribute stored (base64), empty when none.
import { defineAction, ECS_VERSION } from '../action.ts';
import { describeInstance } from '../../service/instances.ts';

export default defineAction({
  action: 'DescribeUserData',
  version: ECS_VERSION,
  use: { required: ['InstanceId'], honoured: ['RegionId', 'InstanceId'] },
  async handle({ deps, caller }, p) {
    const { instance } = await describeInstance(deps, caller, { regionId: p.str('RegionId'), instanceId: p.reqStr('InstanceId') });
    return { InstanceId: instance.id, RegionId: instance.regionId, UserData: instance.userData };
  },
});
