// ECS CreateInstance (older clients): one instance, created Stopped as the real API does (StartInstance runs it),
// with its primary ENI in the vSwitch; the same attributes as RunInstances are stored and returned.
import { defineAction, ECS_VERSION } from '../action.ts';
import { bool, int, object, objectList, str } from '../params.ts';
import { INSTANCE_ATTRIBUTE_PARAMS, readInstanceAttributes } from '../instance-params.ts';
import { runInstances } from '../../service/instances.ts';
import { wireErrors } from '../errors.ts';

export default defineAction({
  action: 'CreateInstance',
  version: ECS_VERSION,
  params: {
    ...INSTANCE_ATTRIBUTE_PARAMS,
    InstanceType: str(true), VSwitchId: str(), ZoneId: str(), SecurityGroupId: str(), PrivateIpAddress: str(), InstanceName: str(), ImageId: str(),
    ImageFamily: str(), ClientToken: str(), ResourceGroupId: str(), DryRun: bool(), Password: str(), PasswordInherit: bool(), IoOptimized: str(),
    SecurityEnhancementStrategy: str(), UseAdditionalService: bool(), HpcClusterId: str(), DeploymentSetId: str(), DeploymentSetGroupNo: int(),
    DedicatedHostId: str(), Tenancy: str(), Affinity: str(), ClusterId: str(), VlanId: str(), InnerIpAddress: str(), NodeControllerId: str(),
    ManagedHostId: str(), StorageSetId: str(), StorageSetPartitionNumber: int(), SpotDuration: int(), SpotInterruptionBehavior: str(),
    HttpEndpoint: str(), HttpTokens: str(), HttpPutResponseHopLimit: int(),
    Tag: objectList('Key', 'Value'), DataDisk: objectList('Size', 'SnapshotId', 'Category', 'DiskName', 'Description', 'Device', 'DeleteWithInstance', 'Encrypted', 'KMSKeyId', 'PerformanceLevel', 'EncryptAlgorithm', 'StorageClusterId', 'ProvisionedIops', 'BurstingEnabled'),
    Arn: objectList('RoleType', 'Rolearn', 'AssumeRoleFor'),
    HibernationOptions: object('Configured'), PrivatePoolOptions: object('MatchCriteria', 'Id'),
  },
  async handle({ deps, caller }, p) {
    // COMPAT: classic network does not exist here, so the vSwitch is required.
    const vSwitchId = p.str('VSwitchId');
    if (vSwitchId === undefined) throw wireErrors.missingParameter('VSwitchId');
    const securityGroupId = p.str('SecurityGroupId');
    if (securityGroupId === undefined) throw wireErrors.missingParameter('SecurityGroupId');
    // COMPAT: data disks are not emulated.
    if (p.has('DataDisk')) throw wireErrors.unsupportedParameter('Data disks');
    const attributes = readInstanceAttributes(p);
    const [id] = await runInstances(deps, caller, {
      regionId: p.str('RegionId'), instanceType: p.reqStr('InstanceType'), vSwitchId, zoneId: p.str('ZoneId'), securityGroupIds: [securityGroupId],
      privateIpAddress: p.str('PrivateIpAddress'), amount: 1, name: p.str('InstanceName'), imageId: p.str('ImageId'),
      resourceGroupId: p.str('ResourceGroupId'), clientToken: p.str('ClientToken'), attributes, initialStatus: 'Stopped',
    });
    return { InstanceId: id, OrderId: '', TradePrice: 0 };
  },
});
