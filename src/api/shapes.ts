// Domain objects in Alibaba's wire shapes: wrapped lists (always arrays, even
// for one element), OwnerId as a string, booleans as JSON booleans.
import type { Eni, ResourceGroup, SecurityGroup, Vpc } from '../domain/model.ts';
import type { VSwitchView } from '../service/networks.ts';
import type { InstanceView } from '../service/instances.ts';
import type { InstanceTypeSpec } from '../domain/instance-types.ts';
import { trunkSupported } from '../domain/trunk-rules.ts';

function ipv4Sets(eni: Eni) {
  return { PrivateIpSet: eni.addresses.filter((a) => a.family === 4).map((a) => ({ PrivateIpAddress: a.address, Primary: a.primary })) };
}
function ipv6Sets(eni: Eni) {
  return { Ipv6Set: eni.addresses.filter((a) => a.family === 6).map((a) => ({ Ipv6Address: a.address, Primary: false })) };
}
function primaryAddress(eni: Eni): string {
  return eni.addresses.find((a) => a.family === 4 && a.primary)?.address ?? '';
}
const tagsOf = (eni: Eni) => ({ Tag: eni.tags.map((t) => ({ TagKey: t.key, TagValue: t.value })) });

/** The body of CreateNetworkInterface. */
export function createdEniShape(eni: Eni) {
  return {
    NetworkInterfaceId: eni.id, Status: eni.status, Type: eni.type, VpcId: eni.vpcId, VSwitchId: eni.vSwitchId, ZoneId: eni.zoneId,
    PrivateIpAddress: primaryAddress(eni), MacAddress: eni.macAddress, NetworkInterfaceName: eni.name, Description: eni.description,
    ResourceGroupId: eni.resourceGroupId, OwnerId: eni.accountId, ServiceID: 0, ServiceManaged: false, SourceDestCheck: false,
    SecurityGroupIds: { SecurityGroupId: eni.securityGroupIds }, PrivateIpSets: ipv4Sets(eni), Ipv6Sets: ipv6Sets(eni),
    Ipv4PrefixSets: { Ipv4PrefixSet: [] }, Ipv6PrefixSets: { Ipv6PrefixSet: [] }, Tags: tagsOf(eni),
  };
}

/** One item of DescribeNetworkInterfaces, also the body of DescribeNetworkInterfaceAttribute. */
export function eniShape(eni: Eni) {
  const instanceId = eni.instanceId ?? eni.pendingInstanceId ?? '';
  return {
    NetworkInterfaceId: eni.id, NetworkInterfaceName: eni.name, Status: eni.status, Type: eni.type, VpcId: eni.vpcId, VSwitchId: eni.vSwitchId,
    ZoneId: eni.zoneId, PrivateIpAddress: primaryAddress(eni), MacAddress: eni.macAddress, InstanceId: instanceId, CreationTime: eni.createdAt,
    Description: eni.description, ResourceGroupId: eni.resourceGroupId, OwnerId: eni.accountId, ServiceID: 0, ServiceManaged: false,
    DeleteOnRelease: eni.deleteOnRelease, SourceDestCheck: false, NetworkInterfaceTrafficMode: 'Standard', QueueNumber: 1, QueuePairNumber: 0,
    SecurityGroupIds: { SecurityGroupId: eni.securityGroupIds },
    PrivateIpSets: { PrivateIpSet: eni.addresses.filter((a) => a.family === 4).map((a) => ({ PrivateIpAddress: a.address, Primary: a.primary, PrivateDnsName: '', AssociatedPublicIp: {} })) },
    Ipv6Sets: ipv6Sets(eni), Ipv4PrefixSets: { Ipv4PrefixSet: [] }, Ipv6PrefixSets: { Ipv6PrefixSet: [] }, AssociatedPublicIp: {},
    Attachment: instanceId ? { InstanceId: instanceId, DeviceIndex: eni.deviceIndex ?? 0, TrunkNetworkInterfaceId: eni.trunkEniId ?? '' } : {},
    Tags: tagsOf(eni),
  };
}

export function vpcShape(v: Vpc, vSwitchIds: string[]) {
  return {
    VpcId: v.id, RegionId: v.regionId, Status: v.status, VpcName: v.name, Description: v.description, CidrBlock: v.cidrBlock,
    Ipv6CidrBlock: v.ipv6CidrBlock ?? '', Ipv6CidrBlocks: { Ipv6CidrBlock: v.ipv6CidrBlock ? [{ Ipv6CidrBlock: v.ipv6CidrBlock, Ipv6Isp: 'BGP' }] : [] },
    VRouterId: v.id.replace(/^vpc-/, 'vrt-'), IsDefault: false, CreationTime: v.createdAt, ResourceGroupId: v.resourceGroupId,
    OwnerId: Number(v.accountId), VSwitchIds: { VSwitchId: vSwitchIds }, UserCidrs: { UserCidr: [] }, Tags: { Tag: [] },
  };
}

export function vSwitchShape(v: VSwitchView) {
  return {
    VSwitchId: v.id, VpcId: v.vpcId, ZoneId: v.zoneId, Status: v.status, CidrBlock: v.cidrBlock, Ipv6CidrBlock: v.ipv6CidrBlock ?? '',
    EnabledIpv6: v.ipv6CidrBlock !== null, AvailableIpAddressCount: v.availableIpAddressCount, VSwitchName: v.name, Description: v.description,
    CreationTime: v.createdAt, IsDefault: false, ResourceGroupId: v.resourceGroupId, OwnerId: Number(v.accountId), ShareType: 'Private',
    NetworkAclId: '', RouteTable: { RouteTableId: v.vpcId.replace(/^vpc-/, 'vtb-'), RouteTableType: 'System' }, Tags: { Tag: [] },
  };
}

export function securityGroupShape(g: SecurityGroup, enis: number) {
  return {
    SecurityGroupId: g.id, SecurityGroupName: g.name, Description: g.description, VpcId: g.vpcId, SecurityGroupType: g.type,
    CreationTime: g.createdAt, ResourceGroupId: g.resourceGroupId, ServiceManaged: false, EcsCount: enis, AvailableInstanceAmount: 0,
    Tags: { Tag: [] },
  };
}

export function instanceShape(v: InstanceView) {
  const { instance: i, enis } = v;
  const primary = enis.find((e) => e.type === 'Primary');
  const primaryIp = primary?.addresses.find((a) => a.family === 4 && a.primary)?.address;
  return {
    InstanceId: i.id, InstanceName: i.name, RegionId: i.regionId, ZoneId: i.zoneId, InstanceType: i.instanceType, ImageId: i.imageId,
    Status: i.status, CreationTime: i.createdAt, ResourceGroupId: i.resourceGroupId, InstanceNetworkType: 'vpc', HostName: i.id,
    SecurityGroupIds: { SecurityGroupId: primary?.securityGroupIds ?? [] },
    VpcAttributes: { VpcId: i.vpcId, VSwitchId: i.vSwitchId, PrivateIpAddress: { IpAddress: primaryIp ? [primaryIp] : [] }, NatIpAddress: '' },
    InnerIpAddress: { IpAddress: [] }, PublicIpAddress: { IpAddress: [] },
    NetworkInterfaces: {
      NetworkInterface: enis.filter((e) => e.status !== 'Detaching').map((e) => ({
        NetworkInterfaceId: e.id, MacAddress: e.macAddress, PrimaryIpAddress: e.addresses.find((a) => a.family === 4 && a.primary)?.address ?? '', Type: e.type,
        PrivateIpSets: { PrivateIpSet: e.addresses.filter((a) => a.family === 4).map((a) => ({ PrivateIpAddress: a.address, Primary: a.primary, PrivateDnsName: '' })) },
        Ipv6Sets: { Ipv6Set: e.addresses.filter((a) => a.family === 6).map((a) => ({ Ipv6Address: a.address, Primary: false })) },
        Ipv4PrefixSets: { Ipv4PrefixSet: [] }, Ipv6PrefixSets: { Ipv6PrefixSet: [] },
      })),
    },
    Tags: { Tag: [] },
  };
}

export function instanceTypeShape(t: InstanceTypeSpec) {
  return {
    InstanceTypeId: t.id, InstanceTypeFamily: t.family, CpuCoreCount: t.cpuCoreCount, MemorySize: t.memorySizeGiB, EniQuantity: t.eniQuantity,
    EniPrivateIpAddressQuantity: t.eniPrivateIpAddressQuantity, EniIpv6AddressQuantity: t.eniIpv6AddressQuantity, EniTotalQuantity: t.eniTotalQuantity,
    EniTrunkSupported: trunkSupported(t), EriQuantity: 0, PrimaryEniQueueNumber: 1, SecondaryEniQueueNumber: 1, MaximumQueueNumberPerEni: 1,
    TotalEniQueueQuantity: t.eniQuantity, NetworkCardQuantity: 1, NetworkCards: { NetworkCardInfo: [{ NetworkCardIndex: 0 }] },
  };
}

export function resourceGroupShape(g: ResourceGroup) {
  return { Id: g.id, Name: g.name, DisplayName: g.displayName, AccountId: g.accountId, Status: 'OK', CreateDate: g.createdAt };
}
