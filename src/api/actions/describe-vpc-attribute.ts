// VPC DescribeVpcAttribute: one VPC in full (Terraform's alicloud_vpc refresh, DescribeVpcVpc).
import { defineAction, VPC_VERSION } from '../action.ts';
import { describeVpc } from '../../service/networks.ts';
import { vpcAttributeShape } from '../shapes.ts';

export default defineAction({
  action: 'DescribeVpcAttribute',
  version: VPC_VERSION,
  use: { required: ['VpcId'], honoured: ['RegionId', 'VpcId'] },
  async handle({ deps, caller }, p) {
    const { vpc, vSwitchIds } = await describeVpc(deps, caller, { regionId: p.str('RegionId'), vpcId: p.reqStr('VpcId') });
    return vpcAttributeShape(vpc, vSwitchIds);
  },
});
