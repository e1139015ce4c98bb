// ECS DescribeNetworkInterfaces: every filter of the model, MaxResults/NextToken or PageNumber/PageSize
// paging (NextToken answered in both); unknown ids, and values no ENI here can have, give an empty list.
import { defineAction, ECS_VERSION, pageFields, readPaging, readTagFilter } from '../action.ts';
import { wireErrors } from '../errors.ts';
import { describeEnis } from '../../service/describe-enis.ts';
import { enisJson, RawJson } from '../fast-json.ts';
import type { EniStatus, EniType } from '../../domain/model.ts';

const STATUSES = ['Available', 'Attaching', 'InUse', 'Detaching', 'Deleting', 'Creating', 'CreateFailed'] as const;
const TYPES = ['Primary', 'Secondary', 'Trunk', 'Member'] as const;
/** Values the model allows that no ENI here ever has: ENIs are created synchronously. */
const NEVER = new Set<string>(['Creating', 'CreateFailed']);

export default defineAction({
  action: 'DescribeNetworkInterfaces',
  version: ECS_VERSION,
  use: {
    honoured: [
      'RegionId',
      'NetworkInterfaceId',
      'InstanceId',
      'VpcId',
      'VSwitchId',
      'SecurityGroupId',
      'PrimaryIpAddress',
      'PrivateIpAddress',
      'Ipv6Address',
      'NetworkInterfaceName',
      'Type',
      'Status',
      'ResourceGroupId',
      'ServiceManaged',
      'Tag',
      'MaxResults',
      'NextToken',
      'PageNumber',
      'PageSize',
    ],
  },
  async handle({ deps, caller }, p) {
    const status = p.str('Status');
    if (status !== undefined && !(STATUSES as readonly string[]).includes(status)) throw wireErrors.invalidParameter('Status');
    const type = p.str('Type');
    if (type !== undefined && !(TYPES as readonly string[]).includes(type)) throw wireErrors.invalidParameter('Type');
    const paging = readPaging(p);
    // Every ENI eniplane has is customer-managed: asking for service-managed ones finds none.
    const none = p.bool('ServiceManaged') === true || NEVER.has(status ?? '') || NEVER.has(type ?? '');
    const page = none
      ? { items: [], totalCount: 0, nextToken: '' }
      : await describeEnis(
          deps,
          caller,
          {
            regionId: p.str('RegionId'),
            ids: p.list('NetworkInterfaceId', 100),
            instanceId: p.str('InstanceId'),
            vpcId: p.str('VpcId'),
            vSwitchId: p.str('VSwitchId'),
            securityGroupId: p.str('SecurityGroupId'),
            primaryIpAddress: p.str('PrimaryIpAddress'),
            privateIpAddresses: p.list('PrivateIpAddress', 100),
            ipv6Addresses: p.list('Ipv6Address', 100),
            name: p.str('NetworkInterfaceName'),
            type: type as EniType | undefined,
            status: status as EniStatus | undefined,
            resourceGroupId: p.str('ResourceGroupId'),
            tags: readTagFilter(p),
          },
          paging.paging,
        );
    return {
      // JSON.stringify(page.items.map(eniShape)), written directly (fast-json.ts): the bulk of a page's CPU.
      NetworkInterfaceSets: { NetworkInterfaceSet: new RawJson(enisJson(page.items)) },
      ...pageFields(paging, page, { nextTokenInPages: true }),
    };
  },
});
