// ECS DescribeInstanceRamRole: the RAM role each instance was created with (RamRoleName); instances without one are left out.
import { defineAction, ECS_VERSION, readPaging } from '../action.ts';
import { describeInstances } from '../../service/instances.ts';

export default defineAction({
  action: 'DescribeInstanceRamRole',
  version: ECS_VERSION,
  use: { honoured: ['RegionId', 'InstanceIds', 'RamRoleName', 'PageNumber', 'PageSize'] },
  async handle({ deps, caller }, p) {
    const paging = readPaging(p, { maxPageSize: 50, tokens: false });
    const role = p.str('RamRoleName');
    // Every filter in the query: TotalCount and the page are exact at any size.
    const page = await describeInstances(
      deps,
      caller,
      { regionId: p.str('RegionId'), ids: p.jsonList('InstanceIds'), hasRamRole: true, ramRoleName: role },
      paging.paging,
    );
    return {
      RegionId: p.str('RegionId') ?? deps.defaultRegionId,
      TotalCount: page.totalCount,
      InstanceRamRoleSets: {
        InstanceRamRoleSet: page.items.map(({ instance: i }) => ({ InstanceId: i.id, RamRoleName: i.ramRoleName })),
      },
    };
  },
});
