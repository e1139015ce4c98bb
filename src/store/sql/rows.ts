// One Row type per table and its mapping to the domain object.
import type { Eni, Instance, PrivateAddress, ResourceGroup, SecurityGroup, Vpc, VSwitch } from '../../domain/model.ts';

export interface VpcRow { id: string; account_id: string; region_id: string; resource_group_id: string; name: string; description: string; cidr_block: string; ipv6_cidr_block: string | null; status: string; created_at: string }
export interface VSwitchRow { id: string; account_id: string; region_id: string; vpc_id: string; zone_id: string; resource_group_id: string; name: string; description: string; cidr_block: string; ipv6_cidr_block: string | null; status: string; created_at: string }
export interface SecurityGroupRow { id: string; account_id: string; region_id: string; vpc_id: string; resource_group_id: string; name: string; description: string; type: string; ip_count: number | string; created_at: string }
export interface InstanceRow { id: string; account_id: string; region_id: string; zone_id: string; vpc_id: string; vswitch_id: string; resource_group_id: string; name: string; instance_type: string; image_id: string; status: string; transition_due_ms: number | string | null; created_at: string }
export interface EniRow { id: string; account_id: string; region_id: string; zone_id: string; vpc_id: string; vswitch_id: string; resource_group_id: string; name: string; description: string; type: string; status: string; mac_address: string; instance_id: string | null; pending_instance_id: string | null; transition_due_ms: number | string | null; device_index: number | null; delete_on_release: number | boolean; created_at: string; trunk_eni_id: string | null }
export interface ResourceGroupRow { id: string; account_id: string; name: string; display_name: string; is_default: number | boolean; created_at: string }
export interface AddressSqlRow { eni_id: string; address: string; family: number; is_primary: number | boolean }

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

export function toVpc(r: VpcRow): Vpc {
  return { id: r.id, accountId: r.account_id, regionId: r.region_id, resourceGroupId: r.resource_group_id, name: r.name, description: r.description, cidrBlock: r.cidr_block, ipv6CidrBlock: r.ipv6_cidr_block, status: 'Available', createdAt: r.created_at };
}
export function toVSwitch(r: VSwitchRow): VSwitch {
  return { id: r.id, accountId: r.account_id, regionId: r.region_id, vpcId: r.vpc_id, zoneId: r.zone_id, resourceGroupId: r.resource_group_id, name: r.name, description: r.description, cidrBlock: r.cidr_block, ipv6CidrBlock: r.ipv6_cidr_block, status: 'Available', createdAt: r.created_at };
}
export function toSecurityGroup(r: SecurityGroupRow): SecurityGroup {
  return { id: r.id, accountId: r.account_id, regionId: r.region_id, vpcId: r.vpc_id, resourceGroupId: r.resource_group_id, name: r.name, description: r.description, type: r.type === 'enterprise' ? 'enterprise' : 'normal', ipCount: Number(r.ip_count), createdAt: r.created_at };
}
export function toInstance(r: InstanceRow): Instance {
  return { id: r.id, accountId: r.account_id, regionId: r.region_id, zoneId: r.zone_id, vpcId: r.vpc_id, vSwitchId: r.vswitch_id, resourceGroupId: r.resource_group_id, name: r.name, instanceType: r.instance_type, imageId: r.image_id, status: r.status as Instance['status'], transitionDueMs: num(r.transition_due_ms), createdAt: r.created_at };
}
export function toResourceGroup(r: ResourceGroupRow): ResourceGroup {
  return { id: r.id, accountId: r.account_id, name: r.name, displayName: r.display_name, isDefault: Boolean(r.is_default), createdAt: r.created_at };
}
export function toEni(r: EniRow, addresses: PrivateAddress[], securityGroupIds: string[], tags: { key: string; value: string }[]): Eni {
  return {
    id: r.id, accountId: r.account_id, regionId: r.region_id, zoneId: r.zone_id, vpcId: r.vpc_id, vSwitchId: r.vswitch_id,
    resourceGroupId: r.resource_group_id, name: r.name, description: r.description, type: r.type as Eni['type'],
    status: r.status as Eni['status'], macAddress: r.mac_address, instanceId: r.instance_id, pendingInstanceId: r.pending_instance_id,
    transitionDueMs: num(r.transition_due_ms), deviceIndex: r.device_index, trunkEniId: r.trunk_eni_id ?? null, deleteOnRelease: Boolean(r.delete_on_release),
    securityGroupIds, addresses, tags, createdAt: r.created_at,
  };
}
