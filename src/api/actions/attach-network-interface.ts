// ECS AttachNetworkInterface: asynchronous, Available → Attaching → InUse.
// With TrunkNetworkInstanceId the ENI binds as a member of that trunk ENI (terway's trunk mode).
import { defineAction, ECS_VERSION } from '../action.ts';
import { ECS_ID_NOT_FOUND } from '../errors.ts';
import { attachEni } from '../../service/eni-lifecycle.ts';

export default defineAction({
  action: 'AttachNetworkInterface',
  version: ECS_VERSION,
  use: {
    required: ['NetworkInterfaceId', 'InstanceId'],
    honoured: ['RegionId', 'NetworkInterfaceId', 'InstanceId', 'NetworkCardIndex', 'TrunkNetworkInstanceId'],
  },
  errors: { InstanceNotFound: ECS_ID_NOT_FOUND },
  async handle({ deps, caller }, p) {
    // Every instance type here has one network card (DescribeInstanceTypes NetworkCardQuantity 1): index 0.
    const networkCardIndex = p.int('NetworkCardIndex', { min: 0, max: 0 });
    await attachEni(deps, caller, {
      regionId: p.str('RegionId'),
      eniId: p.reqStr('NetworkInterfaceId'),
      instanceId: p.reqStr('InstanceId'),
      networkCardIndex,
      trunkEniId: p.str('TrunkNetworkInstanceId') || undefined,
    });
    return {};
  },
});
