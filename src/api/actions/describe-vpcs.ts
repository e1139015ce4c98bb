// VPC DescribeVpcs.
import { defineAction, VPC_VERSION, pageFields, readPaging, readTagFilter } from '../action.ts';
import { describeVpcs } from '../../service/networks.ts';
import { describeVSwitches } from '../../service/networks.ts';
import { vpcShape } from '../shapes.ts';

export default defineAction({
  action: 'DescribeVpcs',
  version: VPC_VERSION,
  use: { honoured: ['RegionId', 'VpcId', 'VpcName', 'ResourceGroupId', 'PageNumber', 'PageSize', 'Tag'] },
  async handle({ deps, caller }, p) {
    const paging = readPaging(p, { maxPageSize: 50, tokens: false });
    const ids = p
      .str('VpcId')
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const page = await describeVpcs(
      deps,
      caller,
      { regionId: p.str('RegionId'), ids, name: p.str('VpcName'), resourceGroupId: p.str('ResourceGroupId'), tags: readTagFilter(p) },
      paging.paging,
    );
    const vpcs = [];
    for (const v of page.items) {
      const vsws = await describeVSwitches(deps, caller, { regionId: v.regionId, vpcId: v.id }, { limit: 150 });
      vpcs.push(
        vpcShape(
          v,
          vsws.items.map((s) => s.id),
        ),
      );
    }
    return { Vpcs: { Vpc: vpcs }, ...pageFields(paging, page) };
  },
});
