// VPC ModifyVSwitchAttribute: name and description. COMPAT: the IPv6 block cannot change here.
import { defineAction, VPC_VERSION, readDescription } from '../action.ts';
import { bool, int, str } from '../params.ts';
import { renameNetworkResource } from '../../service/networks.ts';
import { wireErrors } from '../errors.ts';

export default defineAction({
  action: 'ModifyVSwitchAttribute',
  version: VPC_VERSION,
  params: { VSwitchId: str(true), VSwitchName: str(), Description: str(), EnableIPv6: bool(), Ipv6CidrBlock: int(), Ipv6CidrMask: int(), VpcIpv6CidrBlock: str() },
  async handle({ deps, caller }, p) {
    for (const name of ['EnableIPv6', 'Ipv6CidrBlock', 'Ipv6CidrMask', 'VpcIpv6CidrBlock']) {
      if (p.has(name)) throw wireErrors.unsupportedParameter(`Changes of ${name}`);
    }
    await renameNetworkResource(deps, caller, {
      regionId: p.str('RegionId'), kind: 'vswitch', id: p.reqStr('VSwitchId'), name: p.str('VSwitchName'), description: readDescription(p, 'Description'),
    });
    return {};
  },
});
