// ECS DescribeSecurityGroups.
import { defineAction, ECS_VERSION, pageFields, readPaging, readTagFilter } from '../action.ts';
import { describeSecurityGroups } from '../../service/networks.ts';
import { securityGroupShape } from '../shapes.ts';

export default defineAction({
  action: 'DescribeSecurityGroups',
  version: ECS_VERSION,
  use: {
    honoured: [
      'RegionId',
      'VpcId',
      'SecurityGroupId',
      'SecurityGroupIds',
      'SecurityGroupName',
      'SecurityGroupType',
      'ResourceGroupId',
      'PageNumber',
      'PageSize',
      'MaxResults',
      'NextToken',
      'Tag',
    ],
  },
  async handle({ deps, caller }, p) {
    const paging = readPaging(p, { maxPageSize: 50 });
    const one = p.str('SecurityGroupId');
    const ids = p.jsonList('SecurityGroupIds') ?? (one !== undefined ? [one] : undefined);
    const page = await describeSecurityGroups(
      deps,
      caller,
      {
        regionId: p.str('RegionId'),
        ids,
        vpcId: p.str('VpcId'),
        name: p.str('SecurityGroupName'),
        resourceGroupId: p.str('ResourceGroupId'),
        tags: readTagFilter(p),
        type: p.str('SecurityGroupType') || undefined,
      },
      paging.paging,
    );
    return {
      RegionId: p.str('RegionId') ?? deps.defaultRegionId,
      SecurityGroups: { SecurityGroup: page.items.map((g) => securityGroupShape(g, 0)) },
      ...pageFields(paging, page),
    };
  },
});
