// VPC DescribeVSwitches, with AvailableIpAddressCount.
import { defineAction, VPC_VERSION, pageFields, readIdList, readPaging, readTagFilter } from '../action.ts';
import { describeVSwitches } from '../../service/networks.ts';
import { vSwitchShape } from '../shapes.ts';

export default defineAction({
  action: 'DescribeVSwitches',
  version: VPC_VERSION,
  use: {
    honoured: ['RegionId', 'VpcId', 'VSwitchId', 'ZoneId', 'VSwitchName', 'ResourceGroupId', 'EnableIpv6', 'PageNumber', 'PageSize', 'Tag'],
  },
  async handle({ deps, caller }, p) {
    const paging = readPaging(p, { maxPageSize: 50, tokens: false });
    const page = await describeVSwitches(
      deps,
      caller,
      {
        regionId: p.str('RegionId'),
        ids: readIdList(p, 'VSwitchId'),
        vpcId: p.str('VpcId'),
        zoneId: p.str('ZoneId'),
        name: p.str('VSwitchName'),
        resourceGroupId: p.str('ResourceGroupId'),
        tags: readTagFilter(p),
        ipv6Enabled: p.bool('EnableIpv6'),
      },
      paging.paging,
    );
    return { VSwitches: { VSwitch: page.items.map(vSwitchShape) }, ...pageFields(paging, page) };
  },
});
