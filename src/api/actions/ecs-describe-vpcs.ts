// ECS DescribeVpcs (2014-05-26): the VPC twin's answer, with the ECS model's fields.
import { defineAction, ECS_VERSION, pageFields, readPaging } from '../action.ts';
import { describeVpcs, describeVSwitches } from '../../service/networks.ts';
import { vpcShape } from '../shapes.ts';

export default defineAction({
  action: 'DescribeVpcs',
  version: ECS_VERSION,
  use: { honoured: ['RegionId', 'VpcId', 'IsDefault', 'PageNumber', 'PageSize'] },
  async handle({ deps, caller }, p) {
    const paging = readPaging(p, { maxPageSize: 50, tokens: false });
    const ids = p
      .str('VpcId')
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    // No VPC here is a default one.
    const page =
      p.bool('IsDefault') === true
        ? { items: [], totalCount: 0, nextToken: '' }
        : await describeVpcs(deps, caller, { regionId: p.str('RegionId'), ids }, paging.paging);
    const vpcs = [];
    for (const v of page.items) {
      const vsws = await describeVSwitches(deps, caller, { regionId: v.regionId, vpcId: v.id }, { limit: 150 });
      const { VpcId, RegionId, Status, VpcName, Description, CidrBlock, VRouterId, IsDefault, CreationTime, VSwitchIds, UserCidrs } =
        vpcShape(
          v,
          vsws.items.map((s) => s.id),
        );
      vpcs.push({ VpcId, RegionId, Status, VpcName, Description, CidrBlock, VRouterId, IsDefault, CreationTime, VSwitchIds, UserCidrs });
    }
    return { Vpcs: { Vpc: vpcs }, ...pageFields(paging, page) };
  },
});
