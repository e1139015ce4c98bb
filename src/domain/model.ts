// The domain's view of the resources. Field names are eniplane's own (camelCase,
// no Alibaba wire names); src/api maps them. Every resource belongs to one account.

export type AccountId = string;
export type IpFamily = 4 | 6;

export type EniStatus = 'Available' | 'Attaching' | 'InUse' | 'Detaching' | 'Deleting';
// Trunk and Member: terway's trunk mode. A Member is a Secondary ENI while it is bound to a trunk.
export type EniType = 'Primary' | 'Secondary' | 'Trunk' | 'Member';
export type InstanceStatus = 'Pending' | 'Running' | 'Starting' | 'Stopping' | 'Stopped' | 'Deleting';
export type SecurityGroupType = 'normal' | 'enterprise';

export interface Region {
  id: string;
  localName: string;
  /** short id prefix used in resource ids, e.g. "bp" for cn-hangzhou */
  idPrefix: string;
  zones: { id: string; localName: string }[];
}

export interface ResourceGroup {
  id: string;
  accountId: AccountId;
  name: string;
  displayName: string;
  isDefault: boolean;
  createdAt: string;
}

export interface Vpc {
  id: string;
  accountId: AccountId;
  regionId: string;
  resourceGroupId: string;
  name: string;
  description: string;
  cidrBlock: string;
  /** a /56 when IPv6 is enabled */
  ipv6CidrBlock: string | null;
  status: 'Available';
  createdAt: string;
}

export interface VSwitch {
  id: string;
  accountId: AccountId;
  regionId: string;
  vpcId: string;
  zoneId: string;
  resourceGroupId: string;
  name: string;
  description: string;
  cidrBlock: string;
  /** a /64 inside the VPC's /56 */
  ipv6CidrBlock: string | null;
  status: 'Available';
  createdAt: string;
}

export interface SecurityGroup {
  id: string;
  accountId: AccountId;
  regionId: string;
  vpcId: string;
  resourceGroupId: string;
  name: string;
  description: string;
  type: SecurityGroupType;
  /** private IPs currently held by ENIs in this group (all addresses counted) */
  ipCount: number;
  createdAt: string;
}

export interface Instance {
  id: string;
  accountId: AccountId;
  regionId: string;
  zoneId: string;
  vpcId: string;
  vSwitchId: string;
  resourceGroupId: string;
  name: string;
  instanceType: string;
  imageId: string;
  status: InstanceStatus;
  /** when an in-flight transition completes (epoch ms), null when settled */
  transitionDueMs: number | null;
  createdAt: string;
}

export interface PrivateAddress {
  family: IpFamily;
  address: string;
  primary: boolean;
}

export interface Eni {
  id: string;
  accountId: AccountId;
  regionId: string;
  zoneId: string;
  vpcId: string;
  vSwitchId: string;
  resourceGroupId: string;
  name: string;
  description: string;
  type: EniType;
  status: EniStatus;
  macAddress: string;
  instanceId: string | null;
  /** the instance an in-flight Attaching/Detaching concerns */
  pendingInstanceId: string | null;
  /** epoch ms when the in-flight transition completes */
  transitionDueMs: number | null;
  deviceIndex: number | null;
  /** a Member's trunk ENI (the one it was attached through), null otherwise */
  trunkEniId: string | null;
  deleteOnRelease: boolean;
  securityGroupIds: string[];
  /** IPv4 first (primary first), then IPv6, each in assignment order */
  addresses: PrivateAddress[];
  tags: { key: string; value: string }[];
  createdAt: string;
}

export function primaryIpv4(eni: Eni): string {
  const p = eni.addresses.find((a) => a.family === 4 && a.primary);
  if (!p) throw new Error(`ENI ${eni.id} has no primary IPv4 address`);
  return p.address;
}

export function addressesOf(eni: Eni, family: IpFamily): string[] {
  return eni.addresses.filter((a) => a.family === family).map((a) => a.address);
}
