// ECS DescribeInstances, with each instance's ENIs and their addresses; AdditionalAttributes.N adds
// the objects the real API leaves out unless asked (Terraform's DescribeInstance asks for META_OPTIONS and more).
import { defineAction, ECS_VERSION, pageFields, readPaging, readTagFilter } from '../action.ts';
import { wireErrors } from '../errors.ts';
import { describeInstances } from '../../service/instances.ts';
import { INSTANCE_ADDITIONAL_ATTRIBUTES, instanceShape } from '../shapes.ts';
import type { InstanceStatus } from '../../domain/model.ts';

const STATUSES = ['Pending', 'Running', 'Starting', 'Stopping', 'Stopped'];

export default defineAction({
  action: 'DescribeInstances',
  version: ECS_VERSION,
  use: {
    honoured: [
      'RegionId',
      'InstanceIds',
      'VpcId',
      'VSwitchId',
      'ZoneId',
      'Status',
      'InstanceName',
      'PrivateIpAddresses',
      'ResourceGroupId',
      'PageNumber',
      'PageSize',
      'MaxResults',
      'NextToken',
      'Tag',
      'AdditionalAttributes',
      'ImageId',
      'InstanceType',
      'InstanceChargeType',
      'KeyPairName',
      'LockReason',
      'PublicIpAddresses',
      'EipAddresses',
      'RdmaIpAddresses',
      'HpcClusterId',
    ],
  },
  async handle({ deps, caller }, p) {
    const status = p.str('Status');
    if (status !== undefined && !STATUSES.includes(status)) throw wireErrors.invalidParameter('Status');
    const additional = p.list('AdditionalAttributes', 20) ?? [];
    const unknown = additional.find((a) => !(INSTANCE_ADDITIONAL_ATTRIBUTES as readonly string[]).includes(a));
    if (unknown !== undefined) throw wireErrors.invalidParameter('AdditionalAttributes');
    const paging = readPaging(p, { maxPageSize: 100 });
    // The real API's fuzzy search: a `*` in InstanceName stands for any run of characters.
    const name = p.str('InstanceName');
    const page = await describeInstances(
      deps,
      caller,
      {
        regionId: p.str('RegionId'),
        ids: p.jsonList('InstanceIds'),
        vpcId: p.str('VpcId'),
        vSwitchId: p.str('VSwitchId'),
        zoneId: p.str('ZoneId'),
        status: status as InstanceStatus | undefined,
        ...(name?.includes('*') ? { namePattern: name } : { name }),
        privateIpAddresses: p.jsonList('PrivateIpAddresses'),
        resourceGroupId: p.str('ResourceGroupId'),
        tags: readTagFilter(p),
        imageId: p.str('ImageId'),
        instanceType: p.str('InstanceType'),
        instanceChargeType: p.str('InstanceChargeType'),
        keyPairName: p.str('KeyPairName'),
        // What no instance here can have (a lock, a public or RDMA address, an HPC cluster) matches nothing.
        matchNothing: ['LockReason', 'PublicIpAddresses', 'EipAddresses', 'RdmaIpAddresses', 'HpcClusterId'].some(
          (n) => p.str(n) !== undefined,
        ),
      },
      paging.paging,
    );
    return {
      Instances: { Instance: page.items.map((v) => instanceShape(v, additional)) },
      ...pageFields(paging, page, { nextTokenInPages: true }),
    };
  },
});
