// ECS DescribeVSwitches (2014-05-26): the VPC twin's answer, with the ECS model's fields.
import { defineAction, ECS_VERSION, EMPTY_PAGE, pageFields, readIdList, readPaging } from '../action.ts';
import { describeVSwitches } from '../../service/networks.ts';
import { fieldsOf, vSwitchShape } from '../shapes.ts';

const FIELDS = [
  'VSwitchId',
  'VpcId',
  'ZoneId',
  'Status',
  'CidrBlock',
  'AvailableIpAddressCount',
  'VSwitchName',
  'Description',
  'CreationTime',
  'IsDefault',
  'ResourceGroupId',
] as const;

export default defineAction({
  action: 'DescribeVSwitches',
  version: ECS_VERSION,
  use: { honoured: ['RegionId', 'VpcId', 'VSwitchId', 'ZoneId', 'IsDefault', 'PageNumber', 'PageSize'] },
  async handle({ deps, caller }, p) {
    const paging = readPaging(p, { maxPageSize: 50, tokens: false });
    const ids = readIdList(p, 'VSwitchId');
    const page =
      p.bool('IsDefault') === true
        ? EMPTY_PAGE
        : await describeVSwitches(
            deps,
            caller,
            { regionId: p.str('RegionId'), ids, vpcId: p.str('VpcId'), zoneId: p.str('ZoneId') },
            paging.paging,
          );
    const items = page.items.map((s) => fieldsOf(vSwitchShape(s), FIELDS));
    return { VSwitches: { VSwitch: items }, ...pageFields(paging, page) };
  },
});
