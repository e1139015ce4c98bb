// VPC DescribeVSwitchAttributes: one vSwitch in full (Terraform's alicloud_vswitch refresh, DescribeVpcVswitch).
import { defineAction, VPC_VERSION } from '../action.ts';
import { describeVSwitch } from '../../service/networks.ts';
import { vSwitchShape } from '../shapes.ts';

export default defineAction({
  action: 'DescribeVSwitchAttributes',
  version: VPC_VERSION,
  use: { required: ['VSwitchId'], honoured: ['RegionId', 'VSwitchId'] },
  async handle({ deps, caller }, p) {
    return vSwitchShape(await describeVSwitch(deps, caller, { regionId: p.str('RegionId'), vSwitchId: p.reqStr('VSwitchId') }));
  },
});
