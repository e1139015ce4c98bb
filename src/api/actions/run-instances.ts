// ECS RunInstances, the subset a network user needs: each instance comes with its primary ENI.
import { defineAction, ECS_VERSION, readAddressRequest, readTags } from '../action.ts';
import { bool, int, list, objectList, str } from '../params.ts';
import { wireErrors } from '../errors.ts';
import { runInstances } from '../../service/instances.ts';

export default defineAction({
  action: 'RunInstances',
  version: ECS_VERSION,
  params: {
    InstanceType: str(true), VSwitchId: str(true), ZoneId: str(), SecurityGroupId: str(), SecurityGroupIds: list(), PrivateIpAddress: str(),
    Ipv6AddressCount: int(), Ipv6Address: list(), Amount: int(), MinAmount: int(), InstanceName: str(), ImageId: str(), ClientToken: str(),
    ResourceGroupId: str(), DryRun: bool(), HostName: str(), Description: str(), InternetMaxBandwidthOut: int(), InstanceChargeType: str(),
    SystemDisk: objectList('Category', 'Size'), Tag: objectList('Key', 'Value'), Password: str(), KeyPairName: str(),
  },
  async handle({ deps, caller }, p) {
    const single = p.str('SecurityGroupId');
    const many = p.list('SecurityGroupIds', 10);
    if (single !== undefined && many) throw wireErrors.parameterConflict('SecurityGroupId and SecurityGroupIds.N');
    const securityGroupIds = many ?? (single !== undefined ? [single] : undefined);
    if (!securityGroupIds) throw wireErrors.missingParameter('SecurityGroupId');
    const ids = await runInstances(deps, caller, {
      regionId: p.str('RegionId'), instanceType: p.reqStr('InstanceType'), vSwitchId: p.reqStr('VSwitchId'), zoneId: p.str('ZoneId'),
      securityGroupIds, privateIpAddress: p.str('PrivateIpAddress'), ipv6: readAddressRequest(p, 'Ipv6Address', 'Ipv6AddressCount', 10),
      amount: p.int('Amount', { min: 1, max: 100 }) ?? 1, name: p.str('InstanceName'), imageId: p.str('ImageId'),
      resourceGroupId: p.str('ResourceGroupId'), tags: readTags(p), clientToken: p.str('ClientToken'),
    });
    return { InstanceIdSets: { InstanceIdSet: ids }, OrderId: '', TradePrice: 0 };
  },
});
