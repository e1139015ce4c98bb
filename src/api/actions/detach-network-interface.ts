// ECS DetachNetworkInterface: asynchronous, InUse → Detaching → Available.
import { defineAction, ECS_VERSION } from '../action.ts';
import { ECS_ID_NOT_FOUND } from '../errors.ts';
import { detachEni } from '../../service/eni-lifecycle.ts';

export default defineAction({
  action: 'DetachNetworkInterface',
  version: ECS_VERSION,
  use: { required: ['NetworkInterfaceId', 'InstanceId'], honoured: ['RegionId', 'NetworkInterfaceId', 'InstanceId'] },
  errors: { InstanceNotFound: ECS_ID_NOT_FOUND },
  async handle({ deps, caller }, p) {
    await detachEni(deps, caller, { regionId: p.str('RegionId'), eniId: p.reqStr('NetworkInterfaceId'), instanceId: p.reqStr('InstanceId') });
    return {};
  },
});
