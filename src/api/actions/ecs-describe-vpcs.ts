// ECS DescribeVpcs (2014-05-26): the VPC twin's answer, with the ECS model's fields.
import { defineAction, ECS_VERSION, EMPTY_PAGE, pageFields, readIdList, readPaging } from '../action.ts';
import { describeVpcs, vSwitchIdsOf } from '../../service/networks.ts';
import { fieldsOf, vpcShape } from '../shapes.ts';

const FIELDS = [
  'VpcId',
  'RegionId',
  'Status',
  'VpcName',
  'Description',
  'CidrBlock',
  'VRouterId',
  'IsDefault',
  'CreationTime',
  'VSwitchIds',
  'UserCidrs',
] as const;

export default defineAction({
  action: 'DescribeVpcs',
  version: ECS_VERSION,
  use: { honoured: ['RegionId', 'VpcId', 'IsDefault', 'PageNumber', 'PageSize'] },
  async handle({ deps, caller }, p) {
    const paging = readPaging(p, { maxPageSize: 50, tokens: false });
    const ids = readIdList(p, 'VpcId');
    // No VPC here is a default one.
    const page =
      p.bool('IsDefault') === true ? EMPTY_PAGE : await describeVpcs(deps, caller, { regionId: p.str('RegionId'), ids }, paging.paging);
    const vSwitchIds = await vSwitchIdsOf(deps, caller, page.items);
    const vpcs = page.items.map((v, i) => fieldsOf(vpcShape(v, vSwitchIds[i]!), FIELDS));
    return { Vpcs: { Vpc: vpcs }, ...pageFields(paging, page) };
  },
});
