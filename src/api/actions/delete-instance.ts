// ECS DeleteInstance: a Stopped instance (or any with Force), its primary ENI with it.
import { defineAction, ECS_VERSION } from '../action.ts';
import { INCORRECT_INSTANCE_STATUS } from '../errors.ts';
import { deleteInstance } from '../../service/instances.ts';

export default defineAction({
  action: 'DeleteInstance',
  version: ECS_VERSION,
  use: { required: ['InstanceId'], honoured: ['RegionId', 'InstanceId', 'Force'] },
  errors: { InstanceStateInvalid: INCORRECT_INSTANCE_STATUS },
  async handle({ deps, caller }, p) {
    await deleteInstance(deps, caller, { regionId: p.str('RegionId'), instanceId: p.reqStr('InstanceId'), force: p.bool('Force') });
    return {};
  },
});
