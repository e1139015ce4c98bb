// The domain's view of the resources. Field names are eniplane's own (camelCase,
// no Alibaba wire names); src/api maps them. Every resource belongs to one account.

export type AccountId = string;
export type IpFamily = 4 | 6;

/** Every ENI status, in lifecycle order (the console's filter lists them). */
export const ENI_STATUSES = ['Available', 'Attaching', 'InUse', 'Detaching', 'Deleting'] as const;
export type EniStatus = (typeof ENI_STATUSES)[number];
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

/** What every resource of an account in a region has (VPC, vSwitch, security group, instance, ENI). */
export interface OwnedResource {
  id: string;
  accountId: AccountId;
  regionId: string;
  resourceGroupId: string;
  name: string;
  description: string;
  createdAt: string;
}

/** …and what an instance or ENI has: its place in a vSwitch. */
export interface PlacedResource extends OwnedResource {
  zoneId: string;
  vpcId: string;
  vSwitchId: string;
}

export interface Vpc extends OwnedResource {
  cidrBlock: string;
  /** a /56 when IPv6 is enabled */
  ipv6CidrBlock: string | null;
  status: 'Available';
}

export interface VSwitch extends OwnedResource {
  vpcId: string;
  zoneId: string;
  cidrBlock: string;
  /** a /64 inside the VPC's /56 */
  ipv6CidrBlock: string | null;
  status: 'Available';
}

export interface SecurityGroup extends OwnedResource {
  vpcId: string;
  type: SecurityGroupType;
  /** private IPs currently held by ENIs in this group (all addresses counted) */
  ipCount: number;
}

export interface Instance extends PlacedResource {
  instanceType: string;
  imageId: string;
  hostName: string;
  systemDisk: SystemDisk;
  billing: InstanceBilling;
  keyPairName: string;
  ramRoleName: string;
  deletionProtection: boolean;
  creditSpecification: string;
  /** base64, as sent; DescribeUserData returns it */
  userData: string;
  status: InstanceStatus;
  /** when an in-flight transition completes (epoch ms), null when settled */
  transitionDueMs: number | null;
}

/** The instance's system disk: only what the answers carry (no block storage behind it). */
export interface SystemDisk {
  category: string;
  sizeGiB: number;
  name: string;
  description: string;
  performanceLevel: string;
}

/** How the instance is billed: stored and returned, never charged. */
export interface InstanceBilling {
  instanceChargeType: 'PostPaid' | 'PrePaid';
  internetChargeType: string;
  internetMaxBandwidthOut: number;
  internetMaxBandwidthIn: number;
  spotStrategy: string;
  spotPriceLimit: number;
  period: number | null;
  periodUnit: string | null;
  autoRenew: boolean;
  autoRenewPeriod: number | null;
}

/** What RunInstances/CreateInstance store as sent and the Describe calls return. */
export type InstanceAttributes = Pick<
  Instance,
  | 'description'
  | 'hostName'
  | 'systemDisk'
  | 'billing'
  | 'keyPairName'
  | 'ramRoleName'
  | 'deletionProtection'
  | 'creditSpecification'
  | 'userData'
>;

/** The real API's host name for an instance created without one: "iZ" + the id's tail + "Z". */
export function defaultHostName(instanceId: string): string {
  return `iZ${instanceId.replace(/^i-/, '')}Z`;
}

/** What an instance created without these parameters reports (hostName: see defaultHostName). */
export const DEFAULT_INSTANCE_ATTRIBUTES: Omit<InstanceAttributes, 'hostName'> = {
  description: '',
  systemDisk: { category: 'cloud_efficiency', sizeGiB: 40, name: '', description: '', performanceLevel: '' },
  billing: {
    instanceChargeType: 'PostPaid',
    internetChargeType: 'PayByTraffic',
    internetMaxBandwidthOut: 0,
    internetMaxBandwidthIn: -1,
    spotStrategy: 'NoSpot',
    spotPriceLimit: 0,
    period: null,
    periodUnit: null,
    autoRenew: false,
    autoRenewPeriod: null,
  },
  keyPairName: '',
  ramRoleName: '',
  deletionProtection: false,
  creditSpecification: '',
  userData: '',
};

export interface PrivateAddress {
  family: IpFamily;
  address: string;
  primary: boolean;
}

export interface Eni extends PlacedResource {
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
  /** NetworkInterfaceTrafficMode, queues and the rest a client sets and reads back */
  traffic: EniTraffic;
  sourceDestCheck: boolean;
  /** the network card it is attached through (AttachNetworkInterface NetworkCardIndex), null when unbound */
  networkCardIndex: number | null;
  securityGroupIds: string[];
  /** IPv4 first (primary first), then IPv6, each in assignment order */
  addresses: PrivateAddress[];
  /** IPv4 prefixes (aligned /28s, CIDR text "10.0.0.16/28") in assignment order; each counts as one address */
  ipv4Prefixes: string[];
  /** IPv6 prefixes (aligned /80s, canonical CIDR text) in assignment order; each counts as one address */
  ipv6Prefixes: string[];
  tags: { key: string; value: string }[];
}

export type EniTrafficMode = 'Standard' | 'HighPerformance';

/**
 * What a client sets about an ENI's traffic and reads back: mode and queues, connection-tracking
 * timeouts (seconds), enhanced-network switches. null: not set by the client (the real default is reported).
 */
export interface EniTraffic {
  mode: EniTrafficMode;
  queueNumber: number | null;
  queuePairNumber: number | null;
  rxQueueSize: number | null;
  txQueueSize: number | null;
  tcpClosedAndTimeWaitTimeout: number | null;
  tcpEstablishedTimeout: number | null;
  udpTimeout: number | null;
  enableSriov: boolean | null;
  enableRss: boolean | null;
  enableExpress: boolean | null;
  virtualFunctionQuantity: number | null;
  virtualFunctionTotalQueueNumber: number | null;
}

export const DEFAULT_ENI_TRAFFIC: EniTraffic = {
  mode: 'Standard',
  queueNumber: null,
  queuePairNumber: null,
  rxQueueSize: null,
  txQueueSize: null,
  tcpClosedAndTimeWaitTimeout: null,
  tcpEstablishedTimeout: null,
  udpTimeout: null,
  enableSriov: null,
  enableRss: null,
  enableExpress: null,
  virtualFunctionQuantity: null,
  virtualFunctionTotalQueueNumber: null,
};

export function prefixesOf(eni: Pick<Eni, 'ipv4Prefixes' | 'ipv6Prefixes'>, family: IpFamily): string[] {
  return family === 4 ? eni.ipv4Prefixes : eni.ipv6Prefixes;
}
