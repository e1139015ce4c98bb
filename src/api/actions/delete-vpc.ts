// VPC DeleteVpc: refused while vSwitches or security groups remain.
import { defineAction, VPC_VERSION } from '../action.ts';
import { deleteVpc } from '../../service/networks.ts';

export default defineAction({
  action: 'DeleteVpc',
  version: VPC_VERSION,
  use: { required: ['VpcId'], honoured: ['RegionId', 'VpcId', 'ClientToken'] },
  async handle({ deps, caller }, p) {
    await deleteVpc(deps, caller, { regionId: p.str('RegionId'), vpcId: p.reqStr('VpcId'), clientToken: p.str('ClientToken') });
    return {};
  },
});
