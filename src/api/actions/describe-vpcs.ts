// VPC DescribeVpcs.
import { defineAction, VPC_VERSION, pageFields, readIdList, readPaging, readTagFilter } from '../action.ts';
import { describeVpcs, vSwitchIdsOf } from '../../service/networks.ts';
import { vpcShape } from '../shapes.ts';

export default defineAction({
  action: 'DescribeVpcs',
  version: VPC_VERSION,
  use: { honoured: ['RegionId', 'VpcId', 'VpcName', 'ResourceGroupId', 'PageNumber', 'PageSize', 'Tag'] },
  async handle({ deps, caller }, p) {
    const paging = readPaging(p, { maxPageSize: 50, tokens: false });
    const page = await describeVpcs(
      deps,
      caller,
      {
        regionId: p.str('RegionId'),
        ids: readIdList(p, 'VpcId'),
        name: p.str('VpcName'),
        resourceGroupId: p.str('ResourceGroupId'),
        tags: readTagFilter(p),
      },
      paging.paging,
    );
    const vSwitchIds = await vSwitchIdsOf(deps, caller, page.items);
    return { Vpcs: { Vpc: page.items.map((v, i) => vpcShape(v, vSwitchIds[i]!)) }, ...pageFields(paging, page) };
  },
});
