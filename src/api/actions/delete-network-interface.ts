// ECS DeleteNetworkInterface: asynchronous; the ENI passes through Deleting and is gone.
import { defineAction, ECS_VERSION } from '../action.ts';
import { deleteEni } from '../../service/eni-lifecycle.ts';

export default defineAction({
  action: 'DeleteNetworkInterface',
  version: ECS_VERSION,
  use: { required: ['NetworkInterfaceId'], honoured: ['RegionId', 'NetworkInterfaceId'] },
  async handle({ deps, caller }, p) {
    await deleteEni(deps, caller, { regionId: p.str('RegionId'), eniId: p.reqStr('NetworkInterfaceId') });
    return {};
  },
});
