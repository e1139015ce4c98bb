// ECS DeleteVpc (2014-05-26): as the VPC twin, refused while vSwitches or security groups remain.
import { defineAction, ECS_VERSION } from '../action.ts';
import { deleteVpc } from '../../service/networks.ts';

export default defineAction({
  action: 'DeleteVpc',
  version: ECS_VERSION,
  use: { required: ['VpcId'], honoured: ['RegionId', 'VpcId'] },
  async handle({ deps, caller }, p) {
    await deleteVpc(deps, caller, { regionId: p.str('RegionId'), vpcId: p.reqStr('VpcId') });
    return {};
  },
});
