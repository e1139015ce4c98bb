// VPC ModifyVpcAttribute: name and description. COMPAT: the CIDR block, IPv6 and DNS settings cannot change here.
import { defineAction, VPC_VERSION, readDescription } from '../action.ts';
import { bool, str } from '../params.ts';
import { WireError } from '../wire-error.ts';
import { renameNetworkResource } from '../../service/networks.ts';

export default defineAction({
  action: 'ModifyVpcAttribute',
  version: VPC_VERSION,
  params: { VpcId: str(true), VpcName: str(), Description: str(), CidrBlock: str(), EnableIPv6: bool(), Ipv6CidrBlock: str(), Ipv6Isp: str(), EnableDnsHostname: bool() },
  async handle({ deps, caller }, p) {
    for (const name of ['CidrBlock', 'EnableIPv6', 'Ipv6CidrBlock', 'Ipv6Isp', 'EnableDnsHostname']) {
      if (p.has(name)) throw new WireError(400, 'UnsupportedParameter', `Changing ${name} is not supported by eniplane.`);
    }
    await renameNetworkResource(deps, caller, { regionId: p.str('RegionId'), kind: 'vpc', id: p.reqStr('VpcId'), name: p.str('VpcName'), description: readDescription(p, 'Description') });
    return {};
  },
});
