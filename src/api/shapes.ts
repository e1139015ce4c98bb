// Domain objects in Alibaba's wire shapes: wrapped lists (always arrays, even
// for one element), OwnerId as a string, booleans as JSON booleans.
import type { Eni, Instance, ResourceGroup, SecurityGroup, Vpc } from '../domain/model.ts';
import { findInstanceType } from '../domain/instance-types.ts';
import type { VSwitchView } from '../service/networks.ts';
import type { InstanceView } from '../service/instances.ts';
import type { InstanceTypeSpec } from '../domain/instance-types.ts';
import { trunkSupported } from '../domain/trunk-rules.ts';
import type { Tag } from '../domain/tags.ts';

function ipv4Sets(eni: Eni) {
  return { PrivateIpSet: eni.addresses.filter((a) => a.family === 4).map((a) => ({ PrivateIpAddress: a.address, Primary: a.primary })) };
}
function ipv6Sets(eni: Eni) {
  return { Ipv6Set: eni.addresses.filter((a) => a.family === 6).map((a) => ({ Ipv6Address: a.address, Primary: false })) };
}
function primaryAddress(eni: Eni): string {
  return eni.addresses.find((a) => a.family === 4 && a.primary)?.address ?? '';
}
/** `keys` of a shape, in that order: an older model's subset of a newer answer (ECS DescribeVpcs, DescribeVSwitches). */
export function fieldsOf<T extends object, K extends keyof T>(shape: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, shape[k]])) as Pick<T, K>;
}
/** ECS answers carry tags as TagKey/TagValue, the VPC product's as Key/Value. */
const ecsTags = (tags: Tag[]) => ({ Tag: tags.map((t) => ({ TagKey: t.key, TagValue: t.value })) });
const vpcTags = (tags: Tag[]) => ({ Tag: tags.map((t) => ({ Key: t.key, Value: t.value })) });
const tagsOf = (eni: Eni) => ecsTags(eni.tags);

/** Unset queue counts read as the defaults the real API reports for an ENI of a type without multi-queue settings. */
function trafficFields(eni: Eni) {
  return {
    NetworkInterfaceTrafficMode: eni.traffic.mode,
    QueueNumber: eni.traffic.queueNumber ?? 1,
    QueuePairNumber: eni.traffic.queuePairNumber ?? 0,
  };
}

/** DescribeNetworkInterfaceAttribute's extra object (the same values as the flat fields). */
export function eniTrafficConfigShape(eni: Eni) {
  return trafficFields(eni);
}

/** The real defaults (seconds) for an ENI whose timeouts were never set. */
export function eniConnectionTrackingShape(eni: Eni) {
  const t = eni.traffic;
  return {
    TcpClosedAndTimeWaitTimeout: t.tcpClosedAndTimeWaitTimeout ?? 3,
    TcpEstablishedTimeout: t.tcpEstablishedTimeout ?? 910,
    UdpTimeout: t.udpTimeout ?? 30,
  };
}

export function eniEnhancedNetworkShape(eni: Eni) {
  const t = eni.traffic;
  return {
    EnableSriov: t.enableSriov ?? false,
    EnableRss: t.enableRss ?? false,
    EnableExpress: t.enableExpress ?? false,
    VirtualFunctionQuantity: t.virtualFunctionQuantity ?? 0,
    VirtualFunctionTotalQueueNumber: t.virtualFunctionTotalQueueNumber ?? 0,
  };
}

/** Ipv4PrefixSets.Ipv4PrefixSet[].Ipv4Prefix and the IPv6 twin, as the SDK response models have them. */
function prefixSets(eni: Pick<Eni, 'ipv4Prefixes' | 'ipv6Prefixes'>) {
  return {
    Ipv4PrefixSets: { Ipv4PrefixSet: eni.ipv4Prefixes.map((p) => ({ Ipv4Prefix: p })) },
    Ipv6PrefixSets: { Ipv6PrefixSet: eni.ipv6Prefixes.map((p) => ({ Ipv6Prefix: p })) },
  };
}

/** The body of CreateNetworkInterface. */
export function createdEniShape(eni: Eni) {
  return {
    NetworkInterfaceId: eni.id,
    Status: eni.status,
    Type: eni.type,
    VpcId: eni.vpcId,
    VSwitchId: eni.vSwitchId,
    ZoneId: eni.zoneId,
    PrivateIpAddress: primaryAddress(eni),
    MacAddress: eni.macAddress,
    NetworkInterfaceName: eni.name,
    Description: eni.description,
    ResourceGroupId: eni.resourceGroupId,
    OwnerId: eni.accountId,
    ServiceID: 0,
    ServiceManaged: false,
    SourceDestCheck: eni.sourceDestCheck,
    SecurityGroupIds: { SecurityGroupId: eni.securityGroupIds },
    PrivateIpSets: ipv4Sets(eni),
    Ipv6Sets: ipv6Sets(eni),
    ...prefixSets(eni),
    Tags: tagsOf(eni),
  };
}

/** One item of DescribeNetworkInterfaces, also the body of DescribeNetworkInterfaceAttribute. */
export function eniShape(eni: Eni) {
  const instanceId = eni.instanceId ?? eni.pendingInstanceId ?? '';
  return {
    NetworkInterfaceId: eni.id,
    NetworkInterfaceName: eni.name,
    Status: eni.status,
    Type: eni.type,
    VpcId: eni.vpcId,
    VSwitchId: eni.vSwitchId,
    ZoneId: eni.zoneId,
    PrivateIpAddress: primaryAddress(eni),
    MacAddress: eni.macAddress,
    InstanceId: instanceId,
    CreationTime: eni.createdAt,
    Description: eni.description,
    ResourceGroupId: eni.resourceGroupId,
    OwnerId: eni.accountId,
    ServiceID: 0,
    ServiceManaged: false,
    DeleteOnRelease: eni.deleteOnRelease,
    SourceDestCheck: eni.sourceDestCheck,
    ...trafficFields(eni),
    SecurityGroupIds: { SecurityGroupId: eni.securityGroupIds },
    PrivateIpSets: {
      PrivateIpSet: eni.addresses
        .filter((a) => a.family === 4)
        .map((a) => ({ PrivateIpAddress: a.address, Primary: a.primary, PrivateDnsName: '', AssociatedPublicIp: {} })),
    },
    Ipv6Sets: ipv6Sets(eni),
    ...prefixSets(eni),
    AssociatedPublicIp: {},
    Attachment: instanceId
      ? {
          InstanceId: instanceId,
          DeviceIndex: eni.deviceIndex ?? 0,
          NetworkCardIndex: eni.networkCardIndex ?? 0,
          TrunkNetworkInterfaceId: eni.trunkEniId ?? '',
        }
      : {},
    Tags: tagsOf(eni),
  };
}

export function vpcShape(v: Vpc & { tags: Tag[] }, vSwitchIds: string[]) {
  return {
    VpcId: v.id,
    RegionId: v.regionId,
    Status: v.status,
    VpcName: v.name,
    Description: v.description,
    CidrBlock: v.cidrBlock,
    Ipv6CidrBlock: v.ipv6CidrBlock ?? '',
    Ipv6CidrBlocks: { Ipv6CidrBlock: v.ipv6CidrBlock ? [{ Ipv6CidrBlock: v.ipv6CidrBlock, Ipv6Isp: 'BGP' }] : [] },
    VRouterId: vRouterId(v.id),
    IsDefault: false,
    CreationTime: v.createdAt,
    ResourceGroupId: v.resourceGroupId,
    OwnerId: Number(v.accountId),
    VSwitchIds: { VSwitchId: vSwitchIds },
    UserCidrs: { UserCidr: [] },
    Tags: vpcTags(v.tags),
  };
}

export function vSwitchShape(v: VSwitchView) {
  return {
    VSwitchId: v.id,
    VpcId: v.vpcId,
    ZoneId: v.zoneId,
    Status: v.status,
    CidrBlock: v.cidrBlock,
    Ipv6CidrBlock: v.ipv6CidrBlock ?? '',
    EnabledIpv6: v.ipv6CidrBlock !== null,
    AvailableIpAddressCount: v.availableIpAddressCount,
    VSwitchName: v.name,
    Description: v.description,
    CreationTime: v.createdAt,
    IsDefault: false,
    ResourceGroupId: v.resourceGroupId,
    OwnerId: Number(v.accountId),
    ShareType: 'Private',
    NetworkAclId: '',
    RouteTable: { RouteTableId: systemRouteTableId(v.vpcId), RouteTableType: 'System' },
    Tags: vpcTags(v.tags),
  };
}

export function securityGroupShape(g: SecurityGroup & { tags: Tag[] }, enis: number) {
  return {
    SecurityGroupId: g.id,
    SecurityGroupName: g.name,
    Description: g.description,
    VpcId: g.vpcId,
    SecurityGroupType: g.type,
    CreationTime: g.createdAt,
    ResourceGroupId: g.resourceGroupId,
    ServiceManaged: false,
    EcsCount: enis,
    AvailableInstanceAmount: 0,
    Tags: ecsTags(g.tags),
  };
}

/** PostPaid instances never expire; the real API reports this date for them. */
const NEVER_EXPIRES = '2099-12-31T15:59Z';

/** Fields DescribeInstances and DescribeInstanceAttribute share. */
function instanceCommon(v: InstanceView) {
  const { instance: i, enis } = v;
  const primary = enis.find((e) => e.type === 'Primary');
  const primaryIp = primary?.addresses.find((a) => a.family === 4 && a.primary)?.address;
  const type = findInstanceType(i.instanceType);
  const b = i.billing;
  return {
    InstanceId: i.id,
    InstanceName: i.name,
    Description: i.description,
    RegionId: i.regionId,
    ZoneId: i.zoneId,
    InstanceType: i.instanceType,
    ImageId: i.imageId,
    HostName: i.hostName,
    Status: i.status,
    CreationTime: i.createdAt,
    InstanceNetworkType: 'vpc',
    Cpu: type?.cpuCoreCount ?? 0,
    Memory: (type?.memorySizeGiB ?? 0) * 1024,
    InstanceChargeType: b.instanceChargeType,
    InternetChargeType: b.internetChargeType,
    InternetMaxBandwidthOut: b.internetMaxBandwidthOut,
    InternetMaxBandwidthIn: b.internetMaxBandwidthIn,
    CreditSpecification: i.creditSpecification,
    ExpiredTime: NEVER_EXPIRES,
    StoppedMode: i.status === 'Stopped' ? 'KeepCharging' : 'Not-applicable',
    SecurityGroupIds: { SecurityGroupId: primary?.securityGroupIds ?? [] },
    VpcAttributes: {
      VpcId: i.vpcId,
      VSwitchId: i.vSwitchId,
      PrivateIpAddress: { IpAddress: primaryIp ? [primaryIp] : [] },
      NatIpAddress: '',
    },
    InnerIpAddress: { IpAddress: [] },
    PublicIpAddress: { IpAddress: [] },
    EipAddress: { AllocationId: '', IpAddress: '', InternetChargeType: '', Bandwidth: 0 },
    OperationLocks: { LockReason: [] },
    DedicatedHostAttribute: { DedicatedHostId: '', DedicatedHostName: '', DedicatedHostClusterId: '' },
  };
}

/** The body of DescribeInstanceAttribute. */
export function instanceAttributeShape(v: InstanceView) {
  return {
    ...instanceCommon(v),
    IoOptimized: 'optimized',
    EnableJumboFrame: false,
    EnableNetworkEncryption: false,
    VlanId: '',
    ClusterId: '',
  };
}

/** What DescribeInstances' AdditionalAttributes.N adds (the real API leaves these objects out unless asked). */
export const INSTANCE_ADDITIONAL_ATTRIBUTES = [
  'META_OPTIONS',
  'DDH_CLUSTER',
  'NETWORK_PRIMARY_ENI_IP',
  'CPU_OPTIONS_TOPOLOGY_TYPE',
  'LOGIN_AS_NON_ROOT',
  'DISK_HIGH_DENSITY_MODE',
  'PERFORMANCE_MODE',
] as const;

export function instanceShape(v: InstanceView, additional: readonly string[] = []) {
  const { instance: i, enis } = v;
  const b = i.billing;
  const type = findInstanceType(i.instanceType);
  const extra: Record<string, unknown> = {};
  if (additional.includes('META_OPTIONS'))
    extra.MetadataOptions = { HttpEndpoint: 'enabled', HttpTokens: 'optional', HttpPutResponseHopLimit: 1 };
  if (additional.includes('LOGIN_AS_NON_ROOT')) extra.ImageOptions = { LoginAsNonRoot: false };
  if (additional.includes('DISK_HIGH_DENSITY_MODE')) extra.AdditionalInfo = { EnableHighDensityMode: false };
  if (additional.includes('CPU_OPTIONS_TOPOLOGY_TYPE'))
    extra.CpuOptions = { CoreCount: type?.cpuCoreCount ?? 0, ThreadsPerCore: 1, Numa: '', TopologyType: '' };
  return {
    ...instanceCommon(v),
    ...extra,
    ResourceGroupId: i.resourceGroupId,
    InstanceTypeFamily: type?.family ?? '',
    KeyPairName: i.keyPairName,
    DeletionProtection: i.deletionProtection,
    SpotStrategy: b.spotStrategy,
    SpotPriceLimit: b.spotPriceLimit,
    SpotDuration: 0,
    SpotInterruptionBehavior: 'Terminate',
    AutoReleaseTime: '',
    StartTime: i.createdAt,
    IoOptimized: true,
    DeviceAvailable: true,
    Recyclable: false,
    DeploymentSetId: '',
    HpcClusterId: '',
    OSType: 'linux',
    OSName: 'Alibaba Cloud Linux 3',
    OSNameEn: 'Alibaba Cloud Linux 3',
    NetworkInterfaces: {
      NetworkInterface: enis
        .filter((e) => e.status !== 'Detaching')
        .map((e) => ({
          NetworkInterfaceId: e.id,
          MacAddress: e.macAddress,
          PrimaryIpAddress: e.addresses.find((a) => a.family === 4 && a.primary)?.address ?? '',
          Type: e.type,
          PrivateIpSets: {
            PrivateIpSet: e.addresses
              .filter((a) => a.family === 4)
              .map((a) => ({ PrivateIpAddress: a.address, Primary: a.primary, PrivateDnsName: '' })),
          },
          Ipv6Sets: { Ipv6Set: e.addresses.filter((a) => a.family === 6).map((a) => ({ Ipv6Address: a.address, Primary: false })) },
          ...prefixSets(e),
        })),
    },
    Tags: ecsTags(v.tags),
  };
}

/** The stable id of an instance's system disk: eniplane derives disks, it stores none. */
const systemDiskId = (instanceId: string) => `d-${instanceId.replace(/^i-/, '')}`;
export const instanceIdOfDisk = (diskId: string) => `i-${diskId.replace(/^d-/, '')}`;

/** One item of DescribeDisks: the system disk every instance has. */
export function systemDiskShape(i: Instance) {
  const d = i.systemDisk;
  const attached = i.createdAt;
  return {
    DiskId: systemDiskId(i.id),
    DiskName: d.name,
    Description: d.description,
    Type: 'system',
    Category: d.category,
    Size: d.sizeGiB,
    PerformanceLevel: d.performanceLevel,
    Status: 'In_use',
    InstanceId: i.id,
    Device: '/dev/xvda',
    ImageId: i.imageId,
    RegionId: i.regionId,
    ZoneId: i.zoneId,
    ResourceGroupId: i.resourceGroupId,
    CreationTime: i.createdAt,
    AttachedTime: attached,
    DetachedTime: '',
    ExpiredTime: NEVER_EXPIRES,
    DiskChargeType: i.billing.instanceChargeType,
    DeleteWithInstance: true,
    DeleteAutoSnapshot: true,
    EnableAutoSnapshot: false,
    EnableAutomatedSnapshotPolicy: false,
    AutoSnapshotPolicyId: '',
    Encrypted: false,
    KMSKeyId: '',
    Portable: false,
    MultiAttach: 'Disabled',
    StorageClusterId: '',
    StorageSetId: '',
    SourceSnapshotId: '',
    ProvisionedIops: 0,
    BurstingEnabled: false,
    IOPS: 0,
    IOPSRead: 0,
    IOPSWrite: 0,
    Throughput: 0,
    ThroughputRead: 0,
    ThroughputWrite: 0,
    MountInstanceNum: 1,
    SerialNumber: '',
    Attachments: { Attachment: [{ InstanceId: i.id, Device: '/dev/xvda', AttachedTime: attached }] },
    MountInstances: { MountInstance: [] },
    OperationLocks: { OperationLock: [] },
    Tags: { Tag: [] },
  };
}

/** The one route table eniplane keeps per VPC: its system table, with an id derived from the VPC's. */
export const systemRouteTableId = (vpcId: string) => vpcId.replace(/^vpc-/, 'vtb-');
export const vRouterId = (vpcId: string) => vpcId.replace(/^vpc-/, 'vrt-');

export function routeTableShape(v: Vpc, vSwitchIds: string[]) {
  return {
    RouteTableId: systemRouteTableId(v.id),
    RouteTableName: '',
    RouteTableType: 'System',
    Description: '',
    VpcId: v.id,
    RouterId: vRouterId(v.id),
    RouterType: 'VRouter',
    Status: 'Available',
    AssociateType: 'VSwitch',
    CreationTime: v.createdAt,
    ResourceGroupId: v.resourceGroupId,
    OwnerId: Number(v.accountId),
    RoutePropagationEnable: true,
    VSwitchIds: { VSwitchId: vSwitchIds },
    GatewayIds: { GatewayIds: [] },
    Tags: { Tag: [] },
  };
}

/** The body of DescribeVpcAttribute. */
export function vpcAttributeShape(v: Vpc & { tags: Tag[] }, vSwitchIds: string[]) {
  const { VSwitchIds, UserCidrs, Tags, Ipv6CidrBlock, Ipv6CidrBlocks, ...rest } = vpcShape(v, vSwitchIds);
  return {
    ...rest,
    Ipv6CidrBlock,
    Ipv6CidrBlocks,
    EnabledIpv6: v.ipv6CidrBlock !== null,
    ClassicLinkEnabled: false,
    DnsHostnameStatus: 'DISABLED',
    DhcpOptionsSetId: '',
    DhcpOptionsSetStatus: '',
    Ipv4GatewayId: '',
    SupportIpv4Gateway: true,
    VSwitchIds,
    UserCidrs,
    Tags,
    SecondaryCidrBlocks: { SecondaryCidrBlock: [] },
    AssociatedCens: { AssociatedCen: [] },
    CloudResources: { CloudResourceSetType: [] },
  };
}

/** The body of DescribeSecurityGroupAttribute: no rules are kept (eniplane filters no traffic). */
export function securityGroupAttributeShape(g: SecurityGroup) {
  return {
    SecurityGroupId: g.id,
    SecurityGroupName: g.name,
    Description: g.description,
    VpcId: g.vpcId,
    RegionId: g.regionId,
    InnerAccessPolicy: g.type === 'enterprise' ? 'Drop' : 'Accept',
    Permissions: { Permission: [] },
    NextToken: '',
  };
}

export function instanceTypeShape(t: InstanceTypeSpec) {
  return {
    InstanceTypeId: t.id,
    InstanceTypeFamily: t.family,
    CpuCoreCount: t.cpuCoreCount,
    MemorySize: t.memorySizeGiB,
    EniQuantity: t.eniQuantity,
    EniPrivateIpAddressQuantity: t.eniPrivateIpAddressQuantity,
    EniIpv6AddressQuantity: t.eniIpv6AddressQuantity,
    EniTotalQuantity: t.eniTotalQuantity,
    EniTrunkSupported: trunkSupported(t),
    EriQuantity: 0,
    PrimaryEniQueueNumber: 1,
    SecondaryEniQueueNumber: 1,
    MaximumQueueNumberPerEni: 1,
    TotalEniQueueQuantity: t.eniQuantity,
    NetworkCardQuantity: 1,
    NetworkCards: { NetworkCardInfo: [{ NetworkCardIndex: 0 }] },
  };
}

export function resourceGroupShape(g: ResourceGroup) {
  return { Id: g.id, Name: g.name, DisplayName: g.displayName, AccountId: g.accountId, Status: 'OK', CreateDate: g.createdAt };
}
