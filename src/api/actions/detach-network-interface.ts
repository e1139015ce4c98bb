// ECS DetachNetworkInterface: asynchronous, InUse → Detaching → Available.
// A member names its trunk in TrunkNetworkInstanceId (terway's gcMemberENI does).
import { defineAction, ECS_VERSION } from '../action.ts';
import { ECS_ID_NOT_FOUND } from '../errors.ts';
import { detachEni } from '../../service/eni-lifecycle.ts';

export default defineAction({
  action: 'DetachNetworkInterface',
  version: ECS_VERSION,
  use: {
    required: ['NetworkInterfaceId', 'InstanceId'],
    honoured: ['RegionId', 'NetworkInterfaceId', 'InstanceId', 'TrunkNetworkInstanceId'],
  },
  errors: { InstanceNotFound: ECS_ID_NOT_FOUND },
  async handle({ deps, caller }, p) {
    await detachEni(deps, caller, {
      regionId: p.str('RegionId'),
      eniId: p.reqStr('NetworkInterfaceId'),
      instanceId: p.reqStr('InstanceId'),
      trunkEniId: p.str('TrunkNetworkInstanceId') || undefined,
    });
    return {};
  },
});
