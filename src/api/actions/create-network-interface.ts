// ECS CreateNetworkInterface: a secondary ENI in a vSwitch, Available at once (synchronous).
import { defineAction, ECS_VERSION, readAddressRequest, readDescription, readName, readTags } from '../action.ts';
import { bool, int, list, object, objectList, str } from '../params.ts';
import { wireErrors } from '../errors.ts';
import { createEni } from '../../service/create-eni.ts';
import { createdEniShape } from '../shapes.ts';

export default defineAction({
  action: 'CreateNetworkInterface',
  version: ECS_VERSION,
  params: {
    VSwitchId: str(true), SecurityGroupId: str(), SecurityGroupIds: list(), PrimaryIpAddress: str(), PrivateIpAddress: list(),
    SecondaryPrivateIpAddressCount: int(), Ipv6Address: list(), Ipv6AddressCount: int(), Ipv4Prefix: list(), Ipv4PrefixCount: int(),
    Ipv6Prefix: list(), Ipv6PrefixCount: int(), InstanceType: str(), NetworkInterfaceName: str(), Description: str(), ResourceGroupId: str(),
    Tag: objectList('Key', 'Value'), ClientToken: str(), DeleteOnRelease: bool(), QueueNumber: int(), QueuePairNumber: int(), RxQueueSize: int(),
    TxQueueSize: int(), NetworkInterfaceTrafficMode: str(), SourceDestCheck: bool(), EnablePrimaryIPv6: bool(), Visible: bool(), BusinessType: str(),
    NetworkInterfaceTrafficConfig: object('NetworkInterfaceTrafficMode', 'QueueNumber', 'QueuePairNumber', 'RxQueueSize', 'TxQueueSize'),
    ConnectionTrackingConfiguration: object('TcpClosedAndTimeWaitTimeout', 'TcpEstablishedTimeout', 'UdpTimeout'),
    EnhancedNetwork: object('EnableExpress', 'EnableRss', 'EnableSriov', 'VirtualFunctionQuantity', 'VirtualFunctionTotalQueueNumber'),
  },
  async handle({ deps, caller }, p) {
    const vSwitchId = p.reqStr('VSwitchId');
    const single = p.str('SecurityGroupId');
    const many = p.list('SecurityGroupIds', 10);
    if (single !== undefined && many) throw wireErrors.parameterConflict('SecurityGroupId and SecurityGroupIds.N');
    const securityGroupIds = many ?? (single !== undefined ? [single] : undefined);
    if (!securityGroupIds) throw wireErrors.missingParameter('SecurityGroupId');
    const type = p.str('InstanceType') ?? 'Secondary';
    // COMPAT: only Secondary ENIs can be created; Trunk is invitational on the real cloud.
    if (type !== 'Secondary') throw wireErrors.invalidParameter('InstanceType', 'Only Secondary is supported.');
    if (p.has('Ipv4Prefix') || p.has('Ipv4PrefixCount') || p.has('Ipv6Prefix') || p.has('Ipv6PrefixCount')) {
      throw wireErrors.unsupportedParameter('IP prefixes');
    }
    const eni = await createEni(deps, caller, {
      regionId: p.str('RegionId'), vSwitchId, securityGroupIds, primaryIpAddress: p.str('PrimaryIpAddress'),
      secondaryIpv4: readAddressRequest(p, 'PrivateIpAddress', 'SecondaryPrivateIpAddressCount'), ipv6: readAddressRequest(p, 'Ipv6Address', 'Ipv6AddressCount'),
      name: readName(p, 'NetworkInterfaceName'), description: readDescription(p, 'Description'), resourceGroupId: p.str('ResourceGroupId'),
      tags: readTags(p), deleteOnRelease: p.bool('DeleteOnRelease'), clientToken: p.str('ClientToken'),
    });
    return createdEniShape(eni);
  },
});
