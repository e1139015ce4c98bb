// ECS DescribeInstanceMaintenanceAttributes: the real API's defaults for every instance
// (eniplane has no maintenance: the window and action are reported, never acted on).
import { defineAction, ECS_VERSION, pageFields, readPaging } from '../action.ts';
import { describeInstances } from '../../service/instances.ts';

export default defineAction({
  action: 'DescribeInstanceMaintenanceAttributes',
  version: ECS_VERSION,
  use: { honoured: ['RegionId', 'InstanceId', 'PageNumber', 'PageSize'] },
  async handle({ deps, caller }, p) {
    const paging = readPaging(p, { maxPageSize: 100, tokens: false });
    const page = await describeInstances(deps, caller, { regionId: p.str('RegionId'), ids: p.list('InstanceId', 100) }, paging.paging);
    return {
      MaintenanceAttributes: {
        MaintenanceAttribute: page.items.map(({ instance }) => ({
          InstanceId: instance.id,
          NotifyOnMaintenance: false,
          ActionOnMaintenance: {
            Value: 'AutoRecover',
            DefaultValue: 'AutoRecover',
            SupportedValues: { SupportedValue: ['Stop', 'AutoRecover', 'AutoRedeploy'] },
          },
          MaintenanceWindows: { MaintenanceWindow: [] },
        })),
      },
      ...pageFields(paging, page),
    };
  },
});
