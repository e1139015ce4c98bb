// VPC CreateVSwitch: an IPv4 CIDR /16–/29 inside the VPC, optional IPv6 /64 (index 0–255 of the VPC's /56).
import { str } from '../params.ts';
import { defineAction, VPC_VERSION, readDescription, readTags } from '../action.ts';
import { VPC_TAG_RULES } from '../../domain/tags.ts';
import { createVSwitch } from '../../service/networks.ts';

export default defineAction({
  action: 'CreateVSwitch',
  version: VPC_VERSION,
  use: {
    required: ['VpcId', 'ZoneId', 'CidrBlock'],
    honoured: ['RegionId', 'VpcId', 'ZoneId', 'CidrBlock', 'VSwitchName', 'Description', 'Ipv6CidrBlock', 'ResourceGroupId', 'Tag'],
    extra: { ResourceGroupId: str() },
  },
  async handle({ deps, caller }, p) {
    const vsw = await createVSwitch(deps, caller, {
      regionId: p.str('RegionId'),
      vpcId: p.reqStr('VpcId'),
      zoneId: p.reqStr('ZoneId'),
      cidrBlock: p.reqStr('CidrBlock'),
      ipv6CidrBlock: p.int('Ipv6CidrBlock', { min: 0, max: 255 }),
      name: p.str('VSwitchName'),
      description: readDescription(p, 'Description'),
      resourceGroupId: p.str('ResourceGroupId'),
      tags: readTags(p, VPC_TAG_RULES),
    });
    return { VSwitchId: vsw.id };
  },
});
