// VPC DescribeRouteTableList: each VPC's system route table (eniplane keeps no custom ones).
// Its ids are derived from the VPC's (vtb-/vrt- + the VPC id's tail), so any filter maps back to one VPC.
import { defineAction, EMPTY_PAGE, VPC_VERSION, pageFields, readPaging } from '../action.ts';
import { describeVpcs, vSwitchIdsOf } from '../../service/networks.ts';
import { routeTableShape } from '../shapes.ts';

export default defineAction({
  action: 'DescribeRouteTableList',
  version: VPC_VERSION,
  use: {
    honoured: [
      'RegionId',
      'VpcId',
      'RouteTableId',
      'RouteTableName',
      'RouteTableType',
      'RouterId',
      'RouterType',
      'ResourceGroupId',
      'PageNumber',
      'PageSize',
    ],
  },
  async handle({ deps, caller }, p) {
    const paging = readPaging(p, { maxPageSize: 50, tokens: false });
    const wanted = new Set<string>();
    const vpcId = p.str('VpcId');
    if (vpcId !== undefined) wanted.add(vpcId);
    const tableId = p.str('RouteTableId');
    if (tableId !== undefined) wanted.add(/^vtb-/.test(tableId) ? tableId.replace(/^vtb-/, 'vpc-') : '');
    const routerId = p.str('RouterId');
    if (routerId !== undefined) wanted.add(/^vrt-/.test(routerId) ? routerId.replace(/^vrt-/, 'vpc-') : '');
    // Filters naming different VPCs, or what only a custom table or a VBR could have, match nothing.
    const impossible =
      wanted.size > 1 ||
      wanted.has('') ||
      (p.str('RouteTableType') ?? 'System') !== 'System' ||
      (p.str('RouterType') ?? 'VRouter') !== 'VRouter' ||
      (p.str('RouteTableName') ?? '') !== '';
    const page = impossible
      ? EMPTY_PAGE
      : await describeVpcs(
          deps,
          caller,
          { regionId: p.str('RegionId'), ids: wanted.size ? [...wanted] : undefined, resourceGroupId: p.str('ResourceGroupId') },
          paging.paging,
        );
    const vSwitchIds = await vSwitchIdsOf(deps, caller, page.items);
    const tables = page.items.map((v, i) => routeTableShape(v, vSwitchIds[i]!));
    return { RouterTableList: { RouterTableListType: tables }, ...pageFields(paging, page) };
  },
});
