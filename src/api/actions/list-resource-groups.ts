// ResourceManager ListResourceGroups (2020-03-31): the caller's groups, the default one first.
import { defineAction, RM_VERSION } from '../action.ts';
import { int, list, str } from '../params.ts';
import { listResourceGroups } from '../../service/resource-groups.ts';
import { resourceGroupShape } from '../shapes.ts';

export default defineAction({
  action: 'ListResourceGroups',
  version: RM_VERSION,
  params: {
    PageNumber: int(),
    PageSize: int(),
    Status: str(),
    Name: str(),
    DisplayName: str(),
    ResourceGroupId: str(),
    ResourceGroupIds: list(),
    IncludeTags: str(),
  },
  async handle({ deps, caller }, p) {
    const pageNumber = p.int('PageNumber', { min: 1 }) ?? 1;
    const pageSize = p.int('PageSize', { min: 1, max: 100 }) ?? 10;
    const name = p.str('Name');
    const id = p.str('ResourceGroupId');
    const all = (await listResourceGroups(deps, caller)).filter((g) => (!name || g.name === name) && (!id || g.id === id));
    return {
      ResourceGroups: { ResourceGroup: all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize).map(resourceGroupShape) },
      TotalCount: all.length,
      PageNumber: pageNumber,
      PageSize: pageSize,
    };
  },
});
