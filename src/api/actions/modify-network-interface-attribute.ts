// ECS ModifyNetworkInterfaceAttribute: name, description, security groups (replacing the set), DeleteOnRelease.
import { defineAction, ECS_VERSION, readDescription, readName } from '../action.ts';
import { modifyEni } from '../../service/eni-lifecycle.ts';

export default defineAction({
  action: 'ModifyNetworkInterfaceAttribute',
  version: ECS_VERSION,
  use: { required: ['NetworkInterfaceId'], honoured: ['RegionId', 'NetworkInterfaceId', 'NetworkInterfaceName', 'Description', 'SecurityGroupId', 'DeleteOnRelease'] },
  async handle({ deps, caller }, p) {
    await modifyEni(deps, caller, {
      regionId: p.str('RegionId'), eniId: p.reqStr('NetworkInterfaceId'), name: readName(p, 'NetworkInterfaceName'),
      description: readDescription(p, 'Description'), securityGroupIds: p.list('SecurityGroupId', 10), deleteOnRelease: p.bool('DeleteOnRelease'),
    });
    return {};
  },
});
