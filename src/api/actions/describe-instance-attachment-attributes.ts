// ECS DescribeInstanceAttachmentAttributes: the private pool each instance was launched from (none here).
import { defineAction, ECS_VERSION, pageFields, readPaging } from '../action.ts';
import { describeInstances } from '../../service/instances.ts';

export default defineAction({
  action: 'DescribeInstanceAttachmentAttributes',
  version: ECS_VERSION,
  use: { required: ['InstanceIds'], honoured: ['RegionId', 'InstanceIds', 'PageNumber', 'PageSize'] },
  async handle({ deps, caller }, p) {
    const paging = readPaging(p, { maxPageSize: 100, tokens: false });
    const page = await describeInstances(deps, caller, { regionId: p.str('RegionId'), ids: p.jsonList('InstanceIds') }, paging.paging);
    return {
      Instances: {
        Instance: page.items.map(({ instance }) => ({
          InstanceId: instance.id,
          PrivatePoolOptionsId: '',
          PrivatePoolOptionsMatchCriteria: 'None',
        })),
      },
      ...pageFields(paging, page),
    };
  },
});
