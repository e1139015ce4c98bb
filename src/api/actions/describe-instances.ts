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
        name: p.str('InstanceName'),
        privateIpAddresses: p.jsonList('PrivateIpAddresses'),
        resourceGroupId: p.str('ResourceGroupId'),
        tags: readTagFilter(p),
      },
      paging.paging,
    );
    // Filters on what no instance here can have (a lock, a public or RDMA address) match nothing;
    // the stored attributes filter the page (they are rarely used, and never on a hot path).
    const items = page.items.filter(
      ({ instance: i }) =>
        (p.str('ImageId') ?? i.imageId) === i.imageId &&
        (p.str('InstanceType') ?? i.instanceType) === i.instanceType &&
        (p.str('InstanceChargeType') ?? i.billing.instanceChargeType) === i.billing.instanceChargeType &&
        (p.str('KeyPairName') ?? i.keyPairName) === i.keyPairName &&
        p.str('LockReason') === undefined &&
        p.str('PublicIpAddresses') === undefined &&
        p.str('EipAddresses') === undefined &&
        p.str('RdmaIpAddresses') === undefined &&
        p.str('HpcClusterId') === undefined,
    );
    return {
      Instances: { Instance: items.map((v) => instanceShape(v, additional)) },
      ...pageFields(paging, page, { nextTokenInPages: true }),
    };
  },
});
