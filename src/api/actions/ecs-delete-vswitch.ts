// ECS DeleteVSwitch (2014-05-26): as the VPC twin, refused while ENIs (and so instances) remain in it.
import { defineAction, ECS_VERSION } from '../action.ts';
import { deleteVSwitch } from '../../service/networks.ts';

export default defineAction({
  action: 'DeleteVSwitch',
  version: ECS_VERSION,
  use: { required: ['VSwitchId'], honoured: ['RegionId', 'VSwitchId'] },
  async handle({ deps, caller }, p) {
    await deleteVSwitch(deps, caller, { regionId: p.str('RegionId'), vSwitchId: p.reqStr('VSwitchId') });
    return {};
  },
});
