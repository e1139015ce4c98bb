// One Row type per table and its mapping to the domain object.
import type {
  Eni,
  Instance,
  OwnedResource,
  PlacedResource,
  PrivateAddress,
  ResourceGroup,
  SecurityGroup,
  Vpc,
  VSwitch,
} from '../../domain/model.ts';

/** The columns every resource's table has. */
interface ResourceRow {
  id: string;
  account_id: string;
  region_id: string;
  resource_group_id: string;
  name: string;
  description: string;
  created_at: string;
}
/** …and those of a resource placed in a vSwitch. */
interface PlacedRow extends ResourceRow {
  zone_id: string;
  vpc_id: string;
  vswitch_id: string;
}
export interface VpcRow extends ResourceRow {
  cidr_block: string;
  ipv6_cidr_block: string | null;
  status: string;
  created_at: string;
}
export interface VSwitchRow extends ResourceRow {
  vpc_id: string;
  zone_id: string;
  cidr_block: string;
  ipv6_cidr_block: string | null;
  status: string;
  created_at: string;
}
export interface SecurityGroupRow extends ResourceRow {
  vpc_id: string;
  type: string;
  ip_count: number | string;
  created_at: string;
}
export interface InstanceRow extends PlacedRow {
  instance_type: string;
  image_id: string;
  status: string;
  transition_due_ms: number | string | null;
  host_name: string;
  system_disk_category: string;
  system_disk_size: number | string;
  system_disk_name: string;
  system_disk_description: string;
  system_disk_performance_level: string;
  instance_charge_type: string;
  internet_charge_type: string;
  internet_max_bandwidth_out: number | string;
  internet_max_bandwidth_in: number | string;
  spot_strategy: string;
  spot_price_limit: number | string;
  period: number | string | null;
  period_unit: string | null;
  auto_renew: number | boolean;
  auto_renew_period: number | string | null;
  key_pair_name: string;
  ram_role_name: string;
  deletion_protection: number | boolean;
  credit_specification: string;
  user_data: string;
}
export interface EniRow extends PlacedRow {
  type: string;
  status: string;
  mac_address: string;
  instance_id: string | null;
  pending_instance_id: string | null;
  transition_due_ms: number | string | null;
  device_index: number | null;
  delete_on_release: number | boolean;
  traffic_mode: string;
  queue_number: number | null;
  queue_pair_number: number | null;
  rx_queue_size: number | null;
  tx_queue_size: number | null;
  source_dest_check: number | boolean;
  network_card_index: number | null;
  tcp_closed_and_time_wait_timeout: number | null;
  tcp_established_timeout: number | null;
  udp_timeout: number | null;
  enable_sriov: number | boolean | null;
  enable_rss: number | boolean | null;
  enable_express: number | boolean | null;
  virtual_function_quantity: number | null;
  virtual_function_total_queue_number: number | null;
  trunk_eni_id: string | null;
}
export interface ResourceGroupRow {
  id: string;
  account_id: string;
  name: string;
  display_name: string;
  is_default: number | boolean;
  created_at: string;
}
export interface AddressSqlRow {
  eni_id: string;
  address: string;
  family: number;
  is_primary: number | boolean;
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));
const flag = (v: number | boolean | null): boolean | null => (v === null ? null : Boolean(v));
const resource = (r: ResourceRow): OwnedResource => ({
  id: r.id,
  accountId: r.account_id,
  regionId: r.region_id,
  resourceGroupId: r.resource_group_id,
  name: r.name,
  description: r.description,
  createdAt: r.created_at,
});
const placed = (r: PlacedRow): PlacedResource => ({ ...resource(r), zoneId: r.zone_id, vpcId: r.vpc_id, vSwitchId: r.vswitch_id });

export function toVpc(r: VpcRow): Vpc {
  return {
    ...resource(r),
    cidrBlock: r.cidr_block,
    ipv6CidrBlock: r.ipv6_cidr_block,
    status: 'Available',
  };
}
export function toVSwitch(r: VSwitchRow): VSwitch {
  return {
    ...resource(r),
    vpcId: r.vpc_id,
    zoneId: r.zone_id,
    cidrBlock: r.cidr_block,
    ipv6CidrBlock: r.ipv6_cidr_block,
    status: 'Available',
  };
}
export function toSecurityGroup(r: SecurityGroupRow): SecurityGroup {
  return {
    ...resource(r),
    vpcId: r.vpc_id,
    type: r.type === 'enterprise' ? 'enterprise' : 'normal',
    ipCount: Number(r.ip_count),
  };
}
export function toInstance(r: InstanceRow): Instance {
  return {
    ...placed(r),
    instanceType: r.instance_type,
    imageId: r.image_id,
    hostName: r.host_name,
    systemDisk: {
      category: r.system_disk_category,
      sizeGiB: Number(r.system_disk_size),
      name: r.system_disk_name,
      description: r.system_disk_description,
      performanceLevel: r.system_disk_performance_level,
    },
    billing: {
      instanceChargeType: r.instance_charge_type === 'PrePaid' ? 'PrePaid' : 'PostPaid',
      internetChargeType: r.internet_charge_type,
      internetMaxBandwidthOut: Number(r.internet_max_bandwidth_out),
      internetMaxBandwidthIn: Number(r.internet_max_bandwidth_in),
      spotStrategy: r.spot_strategy,
      spotPriceLimit: Number(r.spot_price_limit),
      period: num(r.period),
      periodUnit: r.period_unit,
      autoRenew: Boolean(r.auto_renew),
      autoRenewPeriod: num(r.auto_renew_period),
    },
    keyPairName: r.key_pair_name,
    ramRoleName: r.ram_role_name,
    deletionProtection: Boolean(r.deletion_protection),
    creditSpecification: r.credit_specification,
    userData: r.user_data,
    status: r.status as Instance['status'],
    transitionDueMs: num(r.transition_due_ms),
  };
}
export function toResourceGroup(r: ResourceGroupRow): ResourceGroup {
  return {
    id: r.id,
    accountId: r.account_id,
    name: r.name,
    displayName: r.display_name,
    isDefault: Boolean(r.is_default),
    createdAt: r.created_at,
  };
}
export function toEni(
  r: EniRow,
  addresses: PrivateAddress[],
  securityGroupIds: string[],
  tags: { key: string; value: string }[],
  prefixes: Pick<Eni, 'ipv4Prefixes' | 'ipv6Prefixes'> = { ipv4Prefixes: [], ipv6Prefixes: [] },
): Eni {
  return {
    ...placed(r),
    type: r.type as Eni['type'],
    status: r.status as Eni['status'],
    macAddress: r.mac_address,
    instanceId: r.instance_id,
    pendingInstanceId: r.pending_instance_id,
    transitionDueMs: num(r.transition_due_ms),
    deviceIndex: r.device_index,
    trunkEniId: r.trunk_eni_id ?? null,
    deleteOnRelease: Boolean(r.delete_on_release),
    traffic: {
      mode: r.traffic_mode === 'HighPerformance' ? 'HighPerformance' : 'Standard',
      queueNumber: num(r.queue_number),
      queuePairNumber: num(r.queue_pair_number),
      rxQueueSize: num(r.rx_queue_size),
      txQueueSize: num(r.tx_queue_size),
      tcpClosedAndTimeWaitTimeout: num(r.tcp_closed_and_time_wait_timeout),
      tcpEstablishedTimeout: num(r.tcp_established_timeout),
      udpTimeout: num(r.udp_timeout),
      enableSriov: flag(r.enable_sriov),
      enableRss: flag(r.enable_rss),
      enableExpress: flag(r.enable_express),
      virtualFunctionQuantity: num(r.virtual_function_quantity),
      virtualFunctionTotalQueueNumber: num(r.virtual_function_total_queue_number),
    },
    sourceDestCheck: Boolean(r.source_dest_check),
    networkCardIndex: num(r.network_card_index),
    securityGroupIds,
    addresses,
    ipv4Prefixes: prefixes.ipv4Prefixes,
    ipv6Prefixes: prefixes.ipv6Prefixes,
    tags,
  };
}
