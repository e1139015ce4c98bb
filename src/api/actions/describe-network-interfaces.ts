// ECS DescribeNetworkInterfaces: filters, MaxResults/NextToken or PageNumber/PageSize paging; unknown ids give an empty list.
import { defineAction, ECS_VERSION, pageFields, readPaging } from '../action.ts';
import { wireErrors } from '../errors.ts';
import { describeEnis } from '../../service/describe-enis.ts';
import { eniShape } from '../shapes.ts';

const STATUSES = ['Available', 'Attaching', 'InUse', 'Detaching', 'Deleting'] as const;
const TYPES = ['Primary', 'Secondary', 'Trunk', 'Member'] as const;

export default defineAction({
  action: 'DescribeNetworkInterfaces',
  version: ECS_VERSION,
  use: {
    honoured: [
      'RegionId', 'NetworkInterfaceId', 'InstanceId', 'VpcId', 'VSwitchId', 'SecurityGroupId', 'PrimaryIpAddress', 'PrivateIpAddress', 'Ipv6Address',
      'NetworkInterfaceName', 'Type', 'Status', 'ResourceGroupId', 'ServiceManaged', 'Tag', 'MaxResults', 'NextToken', 'PageNumber', 'PageSize',
    ],
  },
  async handle({ deps, caller }, p) {
    const status = p.str('Status');
    if (status !== undefined && !(STATUSES as readonly string[]).includes(status)) throw wireErrors.invalidParameter('Status');
    const type = p.str('Type');
    if (type !== undefined && !(TYPES as readonly string[]).includes(type)) throw wireErrors.invalidParameter('Type');
    const paging = readPaging(p);
    // Every ENI eniplane has is customer-managed: asking for service-managed ones finds none.
    const serviceManaged = p.bool('ServiceManaged');
    const page = await describeEnis(deps, caller, {
      regionId: p.str('RegionId'), ids: p.list('NetworkInterfaceId', 100), instanceId: p.str('InstanceId'), vpcId: p.str('VpcId'),
      vSwitchId: p.str('VSwitchId'), securityGroupId: p.str('SecurityGroupId'), primaryIpAddress: p.str('PrimaryIpAddress'),
      privateIpAddresses: p.list('PrivateIpAddress', 100), ipv6Addresses: p.list('Ipv6Address', 100), name: p.str('NetworkInterfaceName'),
      type: type as (typeof TYPES)[number] | undefined, status: status as (typeof STATUSES)[number] | undefined, resourceGroupId: p.str('ResourceGroupId'),
      tags: p.objectList('Tag', 20)?.map((t) => ({ key: t.Key ?? '', value: t.Value })),
    }, serviceManaged === true ? { ...paging.paging, limit: 0 } : paging.paging);
    const items = serviceManaged === true ? [] : page.items;
    return {
      NetworkInterfaceSets: { NetworkInterfaceSet: items.map(eniShape) },
      ...pageFields(paging, serviceManaged === true ? { totalCount: 0, nextToken: '' } : page),
    };
  },
});
