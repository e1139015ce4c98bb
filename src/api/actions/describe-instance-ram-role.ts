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
    const page = await describeInstances(
      deps,
      caller,
      { regionId: p.str('RegionId'), ids: p.jsonList('InstanceIds') },
      { limit: 100, offset: 0 },
    );
    const withRole = page.items
      .map((v) => v.instance)
      .filter((i) => i.ramRoleName !== '' && (role === undefined || i.ramRoleName === role));
    const start = (paging.pageNumber - 1) * paging.pageSize;
    return {
      RegionId: p.str('RegionId') ?? deps.defaultRegionId,
      TotalCount: withRole.length,
      InstanceRamRoleSets: {
        InstanceRamRoleSet: withRole.slice(start, start + paging.pageSize).map((i) => ({ InstanceId: i.id, RamRoleName: i.ramRoleName })),
      },
    };
  },
});
