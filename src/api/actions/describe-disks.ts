// ECS DescribeDisks: the system disk each instance has, derived from the instance (no block storage
// is emulated: there are no data disks, and a disk's id is d- + its instance id's tail).
import { defineAction, ECS_VERSION, pageFields, readPaging } from '../action.ts';
import { describeInstances } from '../../service/instances.ts';
import { instanceIdOfDisk, systemDiskShape } from '../shapes.ts';
import { wireErrors } from '../errors.ts';

const DISK_TYPES = ['all', 'system', 'data'];

export default defineAction({
  action: 'DescribeDisks',
  version: ECS_VERSION,
  use: {
    honoured: [
      'RegionId',
      'InstanceId',
      'DiskIds',
      'DiskType',
      'Category',
      'Status',
      'ZoneId',
      'DiskName',
      'ResourceGroupId',
      'Portable',
      'DeleteWithInstance',
      'Encrypted',
      'SnapshotId',
      'LockReason',
      'PageNumber',
      'PageSize',
      'MaxResults',
      'NextToken',
    ],
  },
  async handle({ deps, caller }, p) {
    const diskType = p.str('DiskType') ?? 'all';
    if (!DISK_TYPES.includes(diskType)) throw wireErrors.invalidParameter('DiskType');
    const paging = readPaging(p, { maxPageSize: 100 });
    const diskIds = p.jsonList('DiskIds');
    const instanceId = p.str('InstanceId');
    const ids =
      diskIds?.map(instanceIdOfDisk).filter((id) => instanceId === undefined || id === instanceId) ??
      (instanceId !== undefined ? [instanceId] : undefined);
    // What a system disk here can never be (a data disk, portable, detached, another category) matches nothing.
    const category = p.str('Category');
    const status = p.str('Status');
    // Every filter is part of the query (TotalCount and the pages are exact).
    const never =
      diskType === 'data' ||
      p.bool('Portable') === true ||
      p.bool('DeleteWithInstance') === false ||
      p.bool('Encrypted') === true ||
      (status !== undefined && status !== 'All' && status !== 'In_use') ||
      (p.str('SnapshotId') ?? '') !== '' ||
      (p.str('LockReason') ?? '') !== '';
    const page = await describeInstances(
      deps,
      caller,
      {
        regionId: p.str('RegionId'),
        ids,
        zoneId: p.str('ZoneId'),
        resourceGroupId: p.str('ResourceGroupId'),
        systemDiskCategory: category === 'all' ? undefined : category,
        systemDiskName: p.str('DiskName'),
        matchNothing: never,
      },
      paging.paging,
    );
    const disks = page.items.map((v) => systemDiskShape(v.instance));
    return { Disks: { Disk: disks }, ...pageFields(paging, page, { nextTokenInPages: true }) };
  },
});
