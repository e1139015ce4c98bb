// ECS CreateVSwitch (2014-05-26): as the VPC twin, IPv4 only (the ECS model has no IPv6 parameters).
import { defineAction, ECS_VERSION, readDescription } from '../action.ts';
import { createVSwitch } from '../../service/networks.ts';

export default defineAction({
  action: 'CreateVSwitch',
  version: ECS_VERSION,
  use: { required: ['VpcId', 'ZoneId', 'CidrBlock'], honoured: ['RegionId', 'VpcId', 'ZoneId', 'CidrBlock', 'VSwitchName', 'Description'] },
  async handle({ deps, caller }, p) {
    const vsw = await createVSwitch(deps, caller, {
      regionId: p.str('RegionId'),
      vpcId: p.reqStr('VpcId'),
      zoneId: p.reqStr('ZoneId'),
      cidrBlock: p.reqStr('CidrBlock'),
      name: p.str('VSwitchName'),
      description: readDescription(p, 'Description'),
    });
    return { VSwitchId: vsw.id };
  },
});
