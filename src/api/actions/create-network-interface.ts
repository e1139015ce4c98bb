// ECS CreateNetworkInterface: a Secondary (or, InstanceType=Trunk, a Trunk) ENI in a vSwitch, Available at once (synchronous).
import {
  defineAction,
  ECS_VERSION,
  readAddressRequest,
  readDescription,
  readName,
  readPrefixRequest,
  readTags,
  refuseAddressesWithPrefixes,
} from '../action.ts';
import { wireErrors } from '../errors.ts';
import { createEni } from '../../service/create-eni.ts';
import { createdEniShape } from '../shapes.ts';
import { readEniTraffic } from '../eni-traffic.ts';

export default defineAction({
  action: 'CreateNetworkInterface',
  version: ECS_VERSION,
  use: {
    required: ['VSwitchId'],
    honoured: [
      'RegionId',
      'VSwitchId',
      'SecurityGroupId',
      'SecurityGroupIds',
      'PrimaryIpAddress',
      'PrivateIpAddress',
      'SecondaryPrivateIpAddressCount',
      'Ipv6Address',
      'Ipv6AddressCount',
      'Ipv4Prefix',
      'Ipv4PrefixCount',
      'Ipv6Prefix',
      'Ipv6PrefixCount',
      'InstanceType',
      'NetworkInterfaceName',
      'Description',
      'ResourceGroupId',
      'Tag',
      'ClientToken',
      'DeleteOnRelease',
    ],
    stored: [
      'SourceDestCheck',
      'NetworkInterfaceTrafficMode',
      'QueueNumber',
      'QueuePairNumber',
      'RxQueueSize',
      'TxQueueSize',
      'NetworkInterfaceTrafficConfig',
      'ConnectionTrackingConfiguration',
      'EnhancedNetwork',
    ],
  },
  async handle({ deps, caller }, p) {
    const vSwitchId = p.reqStr('VSwitchId');
    const single = p.str('SecurityGroupId');
    const many = p.list('SecurityGroupIds', 10);
    if (single !== undefined && many) throw wireErrors.parameterConflict('SecurityGroupId and SecurityGroupIds.N');
    const securityGroupIds = many ?? (single !== undefined ? [single] : undefined);
    if (!securityGroupIds) throw wireErrors.missingParameter('SecurityGroupId');
    const type = p.str('InstanceType') ?? 'Secondary';
    // COMPAT: Trunk is invitational on the real cloud; here every account may create one.
    if (type !== 'Secondary' && type !== 'Trunk') throw wireErrors.invalidParameter('InstanceType', 'It must be Secondary or Trunk.');
    const secondaryIpv4 = readAddressRequest(p, 'PrivateIpAddress', 'SecondaryPrivateIpAddressCount');
    const ipv6 = readAddressRequest(p, 'Ipv6Address', 'Ipv6AddressCount');
    const ipv4Prefixes = readPrefixRequest(p, 'Ipv4Prefix', 'Ipv4PrefixCount');
    const ipv6Prefixes = readPrefixRequest(p, 'Ipv6Prefix', 'Ipv6PrefixCount');
    refuseAddressesWithPrefixes(
      secondaryIpv4,
      ipv4Prefixes,
      'PrivateIpAddress.N/SecondaryPrivateIpAddressCount',
      'Ipv4Prefix.N/Ipv4PrefixCount',
    );
    refuseAddressesWithPrefixes(ipv6, ipv6Prefixes, 'Ipv6Address.N/Ipv6AddressCount', 'Ipv6Prefix.N/Ipv6PrefixCount');
    const eni = await createEni(deps, caller, {
      regionId: p.str('RegionId'),
      vSwitchId,
      type,
      securityGroupIds,
      primaryIpAddress: p.str('PrimaryIpAddress'),
      secondaryIpv4,
      ipv6,
      ipv4Prefixes,
      ipv6Prefixes,
      name: readName(p, 'NetworkInterfaceName'),
      description: readDescription(p, 'Description'),
      resourceGroupId: p.str('ResourceGroupId'),
      tags: readTags(p),
      deleteOnRelease: p.bool('DeleteOnRelease'),
      clientToken: p.str('ClientToken'),
      sourceDestCheck: p.bool('SourceDestCheck'),
      traffic: readEniTraffic(p),
    });
    return createdEniShape(eni);
  },
});
