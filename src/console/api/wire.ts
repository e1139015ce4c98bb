// The RPC response shapes the console reads (the subset it uses), as the
// ECS 2014-05-26 / VPC 2016-04-28 actions return them.

export type EniStatus = 'Available' | 'Attaching' | 'InUse' | 'Detaching' | 'Deleting';
export type EniType = 'Primary' | 'Secondary';
export type InstanceStatus = 'Pending' | 'Running' | 'Starting' | 'Stopping' | 'Stopped' | 'Deleting';

export interface EniWire {
  NetworkInterfaceId: string;
  NetworkInterfaceName: string;
  Status: EniStatus;
  Type: EniType;
  VpcId: string;
  VSwitchId: string;
  ZoneId: string;
  PrivateIpAddress: string;
  MacAddress: string;
  InstanceId: string;
  CreationTime: string;
  Description: string;
  ResourceGroupId: string;
  DeleteOnRelease?: boolean;
  SecurityGroupIds: { SecurityGroupId: string[] };
  PrivateIpSets: { PrivateIpSet: { PrivateIpAddress: string; Primary: boolean }[] };
  Ipv6Sets: { Ipv6Set: { Ipv6Address: string }[] };
  Attachment?: { InstanceId?: string; DeviceIndex?: number };
  Tags?: { Tag: TagWire[] };
}

export interface TagWire { TagKey: string; TagValue: string }

export interface EniPage {
  NetworkInterfaceSets: { NetworkInterfaceSet: EniWire[] };
  NextToken: string;
  TotalCount: number;
}

export interface InstanceEniWire {
  NetworkInterfaceId: string;
  MacAddress: string;
  PrimaryIpAddress: string;
  Type: EniType;
}

export interface InstanceWire {
  InstanceId: string;
  InstanceName: string;
  ZoneId: string;
  InstanceType: string;
  Status: InstanceStatus;
  CreationTime: string;
  ResourceGroupId: string;
  VpcAttributes: { VpcId: string; VSwitchId: string; PrivateIpAddress: { IpAddress: string[] } };
  SecurityGroupIds: { SecurityGroupId: string[] };
  NetworkInterfaces: { NetworkInterface: InstanceEniWire[] };
}

export interface InstanceTypeWire {
  InstanceTypeId: string;
  CpuCoreCount: number;
  MemorySize: number;
  EniQuantity: number;
  EniPrivateIpAddressQuantity: number;
  EniIpv6AddressQuantity: number;
}

export interface VpcWire {
  VpcId: string;
  VpcName: string;
  CidrBlock: string;
  Ipv6CidrBlock: string;
  Status: string;
  CreationTime: string;
  ResourceGroupId: string;
  Description: string;
  VSwitchIds: { VSwitchId: string[] };
}

export interface VSwitchWire {
  VSwitchId: string;
  VSwitchName: string;
  VpcId: string;
  ZoneId: string;
  CidrBlock: string;
  Ipv6CidrBlock: string;
  AvailableIpAddressCount: number;
  Status: string;
  CreationTime: string;
  ResourceGroupId: string;
  Description: string;
}

export interface SecurityGroupWire {
  SecurityGroupId: string;
  SecurityGroupName: string;
  VpcId: string;
  SecurityGroupType: 'normal' | 'enterprise';
  Description: string;
  CreationTime: string;
  ResourceGroupId: string;
}

/** The console's own JSON endpoints. */
export interface SessionInfo {
  accountId: string;
  accountName: string;
  accessKeyId: string;
  csrfToken: string;
  expiresAt: string;
  limits: { availableEniMaxIpv4: number; availableEniMaxIpv6: number; maxAddressesPerRequest: number; securityGroupsPerEni: number };
}

export interface RegionInfo {
  regionId: string;
  localName: string;
  zones: { zoneId: string; localName: string }[];
}

export interface ResourceGroupInfo {
  resourceGroupId: string;
  name: string;
  displayName: string;
  isDefault: boolean;
}

export interface OsEntryInfo {
  id: string;
  name: string;
  family: string;
  target: string;
}

export interface OsConfigAnswer {
  eniId: string;
  assumptions: string[];
  facts: { interfaceName: string; macAddress: string; deviceIndex: number; ipv4: { primary: string; secondaries: string[]; gateway: string; cidrBlock: string; prefixLength: number } };
  rendering: {
    osId: string;
    target: string;
    shell: 'sh' | 'powershell';
    files: { path: string; content: string; mode?: number; description: string }[];
    commands: { run: string; why: string; stage: 'prepare' | 'apply' }[];
    warnings: string[];
    verify: string[];
  };
}
