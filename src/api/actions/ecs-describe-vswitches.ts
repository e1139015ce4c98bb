// ECS DescribeVSwitches (2014-05-26): the VPC twin's answer, with the ECS model's fields.
import { defineAction, ECS_VERSION, pageFields, readPaging } from '../action.ts';
import { describeVSwitches } from '../../service/networks.ts';
import { vSwitchShape } from '../shapes.ts';

export default defineAction({
  action: 'DescribeVSwitches',
  version: ECS_VERSION,
  use: { honoured: ['RegionId', 'VpcId', 'VSwitchId', 'ZoneId', 'IsDefault', 'PageNumber', 'PageSize'] },
  async handle({ deps, caller }, p) {
    const paging = readPaging(p, { maxPageSize: 50, tokens: false });
    const ids = p
      .str('VSwitchId')
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const page =
      p.bool('IsDefault') === true
        ? { items: [], totalCount: 0, nextToken: '' }
        : await describeVSwitches(
            deps,
            caller,
            { regionId: p.str('RegionId'), ids, vpcId: p.str('VpcId'), zoneId: p.str('ZoneId') },
            paging.paging,
          );
    const items = page.items.map((s) => {
      const {
        VSwitchId,
        VpcId,
        ZoneId,
        Status,
        CidrBlock,
        AvailableIpAddressCount,
        VSwitchName,
        Description,
        CreationTime,
        IsDefault,
        ResourceGroupId,
      } = vSwitchShape(s);
      return {
        VSwitchId,
        VpcId,
        ZoneId,
        Status,
        CidrBlock,
        AvailableIpAddressCount,
        VSwitchName,
        Description,
        CreationTime,
        IsDefault,
        ResourceGroupId,
      };
    });
    return { VSwitches: { VSwitch: items }, ...pageFields(paging, page) };
  },
});
