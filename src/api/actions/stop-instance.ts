// ECS StopInstance.
import { defineAction, ECS_VERSION } from '../action.ts';
import { INCORRECT_INSTANCE_STATUS } from '../errors.ts';
import { stopInstance } from '../../service/instances.ts';

export default defineAction({
  action: 'StopInstance',
  version: ECS_VERSION,
  use: { required: ['InstanceId'], honoured: ['RegionId', 'InstanceId'] },
  errors: { InstanceStateInvalid: INCORRECT_INSTANCE_STATUS },
  async handle({ deps, caller }, p) {
    await stopInstance(deps, caller, { regionId: p.str('RegionId'), instanceId: p.reqStr('InstanceId') });
    return {};
  },
});
