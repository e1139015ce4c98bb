// ResourceManager CreateResourceGroup (2020-03-31), so ResourceGroupId has groups to name.
import { defineAction, RM_VERSION } from '../action.ts';
import { objectList, str } from '../params.ts';
import { createResourceGroup } from '../../service/resource-groups.ts';
import { resourceGroupShape } from '../shapes.ts';

export default defineAction({
  action: 'CreateResourceGroup',
  version: RM_VERSION,
  params: { Name: str(true), DisplayName: str(true), Tag: objectList('Key', 'Value') },
  async handle({ deps, caller }, p) {
    const g = await createResourceGroup(deps, caller, { name: p.reqStr('Name'), displayName: p.reqStr('DisplayName') });
    return { ResourceGroup: resourceGroupShape(g) };
  },
});
