// ECS StartInstance.
import { defineAction, ECS_VERSION } from '../action.ts';
import { bool, str } from '../params.ts';
import { INCORRECT_INSTANCE_STATUS } from '../errors.ts';
import { startInstance } from '../../service/instances.ts';

export default defineAction({
  action: 'StartInstance',
  version: ECS_VERSION,
  params: { InstanceId: str(true), ForceStop: bool(), StoppedMode: str(), ConfirmStop: bool(), DryRun: bool(), InitLocalDisk: bool() },
  errors: { InstanceStateInvalid: INCORRECT_INSTANCE_STATUS },
  async handle({ deps, caller }, p) {
    await startInstance(deps, caller, { regionId: p.str('RegionId'), instanceId: p.reqStr('InstanceId') });
    return {};
  },
});
