// ECS DescribeInstances, with each instance's ENIs and their addresses.
import { defineAction, ECS_VERSION, pageFields, readPaging, readTagFilter } from '../action.ts';
import { wireErrors } from '../errors.ts';
import { describeInstances } from '../../service/instances.ts';
import { instanceShape } from '../shapes.ts';
import type { InstanceStatus } from '../../domain/model.ts';

const STATUSES = ['Pending', 'Running', 'Starting', 'Stopping', 'Stopped'];

export default defineAction({
  action: 'DescribeInstances',
  version: ECS_VERSION,
  use: {
    honoured: [
      'RegionId', 'InstanceIds', 'VpcId', 'VSwitchId', 'ZoneId', 'Status', 'InstanceName', 'PrivateIpAddresses', 'ResourceGroupId',
      'PageNumber', 'PageSize', 'MaxResults', 'NextToken', 'Tag',
    ],
  },
  async handle({ deps, caller }, p) {
    const status = p.str('Status');
    if (status !== undefined && !STATUSES.includes(status)) throw wireErrors.invalidParameter('Status');
    const paging = readPaging(p, { maxPageSize: 100 });
    const page = await describeInstances(deps, caller, {
      regionId: p.str('RegionId'), ids: p.jsonList('InstanceIds'), vpcId: p.str('VpcId'), vSwitchId: p.str('VSwitchId'), zoneId: p.str('ZoneId'),
      status: status as InstanceStatus | undefined, name: p.str('InstanceName'), privateIpAddresses: p.jsonList('PrivateIpAddresses'),
      resourceGroupId: p.str('ResourceGroupId'), tags: readTagFilter(p),
    }, paging.paging);
    return { Instances: { Instance: page.items.map(instanceShape) }, ...pageFields(paging, page) };
  },
});
