// Every action eniplane answers, listed explicitly. Key: `${version}/${action}`.
import type { ActionDef } from './action.ts';
import assignPrivateIpAddresses from './actions/assign-private-ip-addresses.ts';
import unassignPrivateIpAddresses from './actions/unassign-private-ip-addresses.ts';
import assignIpv6Addresses from './actions/assign-ipv6-addresses.ts';
import unassignIpv6Addresses from './actions/unassign-ipv6-addresses.ts';
import createNetworkInterface from './actions/create-network-interface.ts';
import deleteNetworkInterface from './actions/delete-network-interface.ts';
import describeNetworkInterfaces from './actions/describe-network-interfaces.ts';
import describeNetworkInterfaceAttribute from './actions/describe-network-interface-attribute.ts';
import modifyNetworkInterfaceAttribute from './actions/modify-network-interface-attribute.ts';
import attachNetworkInterface from './actions/attach-network-interface.ts';
import detachNetworkInterface from './actions/detach-network-interface.ts';
import runInstances from './actions/run-instances.ts';
import describeInstances from './actions/describe-instances.ts';
import startInstance from './actions/start-instance.ts';
import stopInstance from './actions/stop-instance.ts';
import deleteInstance from './actions/delete-instance.ts';
import describeInstanceTypes from './actions/describe-instance-types.ts';
import createSecurityGroup from './actions/create-security-group.ts';
import describeSecurityGroups from './actions/describe-security-groups.ts';
import deleteSecurityGroup from './actions/delete-security-group.ts';
import describeRegions from './actions/describe-regions.ts';
import describeZones from './actions/describe-zones.ts';
import createVpc from './actions/create-vpc.ts';
import describeVpcs from './actions/describe-vpcs.ts';
import deleteVpc from './actions/delete-vpc.ts';
import createVSwitch from './actions/create-vswitch.ts';
import describeVSwitches from './actions/describe-vswitches.ts';
import deleteVSwitch from './actions/delete-vswitch.ts';
import createResourceGroup from './actions/create-resource-group.ts';
import listResourceGroups from './actions/list-resource-groups.ts';
import describeVpcAttribute from './actions/describe-vpc-attribute.ts';
import describeVSwitchAttributes from './actions/describe-vswitch-attributes.ts';
import describeRouteTableList from './actions/describe-route-table-list.ts';
import describeSecurityGroupAttribute from './actions/describe-security-group-attribute.ts';
import describeInstanceAttribute from './actions/describe-instance-attribute.ts';
import describeDisks from './actions/describe-disks.ts';
import describeUserData from './actions/describe-user-data.ts';
import describeInstanceRamRole from './actions/describe-instance-ram-role.ts';
import describeInstanceMaintenanceAttributes from './actions/describe-instance-maintenance-attributes.ts';
import describeInstanceAttachmentAttributes from './actions/describe-instance-attachment-attributes.ts';
import createInstance from './actions/create-instance.ts';
import modifyInstanceAttribute from './actions/modify-instance-attribute.ts';
import ecsCreateVpc from './actions/ecs-create-vpc.ts';
import ecsDescribeVpcs from './actions/ecs-describe-vpcs.ts';
import ecsDeleteVpc from './actions/ecs-delete-vpc.ts';
import ecsCreateVSwitch from './actions/ecs-create-vswitch.ts';
import ecsDescribeVSwitches from './actions/ecs-describe-vswitches.ts';
import ecsDeleteVSwitch from './actions/ecs-delete-vswitch.ts';
import modifyVpcAttribute from './actions/modify-vpc-attribute.ts';
import modifyVSwitchAttribute from './actions/modify-vswitch-attribute.ts';
import modifySecurityGroupAttribute from './actions/modify-security-group-attribute.ts';
import describeInstanceAutoRenewAttribute from './actions/describe-instance-auto-renew-attribute.ts';
import tagResources from './actions/tag-resources.ts';
import untagResources from './actions/untag-resources.ts';
import listTagResources from './actions/list-tag-resources.ts';
import vpcTagResources from './actions/vpc-tag-resources.ts';
import vpcUntagResources from './actions/vpc-untag-resources.ts';
import vpcListTagResources from './actions/vpc-list-tag-resources.ts';

export const ACTIONS: readonly ActionDef[] = [
  assignPrivateIpAddresses,
  unassignPrivateIpAddresses,
  assignIpv6Addresses,
  unassignIpv6Addresses,
  createNetworkInterface,
  deleteNetworkInterface,
  describeNetworkInterfaces,
  describeNetworkInterfaceAttribute,
  modifyNetworkInterfaceAttribute,
  attachNetworkInterface,
  detachNetworkInterface,
  runInstances,
  describeInstances,
  startInstance,
  stopInstance,
  deleteInstance,
  describeInstanceTypes,
  createSecurityGroup,
  describeSecurityGroups,
  deleteSecurityGroup,
  describeRegions,
  describeZones,
  createVpc,
  describeVpcs,
  deleteVpc,
  createVSwitch,
  describeVSwitches,
  deleteVSwitch,
  createResourceGroup,
  listResourceGroups,
  // what Terraform's refresh reads, older clients' instance calls, and the ECS product's VPC twins
  describeVpcAttribute,
  describeVSwitchAttributes,
  describeRouteTableList,
  describeSecurityGroupAttribute,
  describeInstanceAttribute,
  describeDisks,
  describeUserData,
  describeInstanceRamRole,
  describeInstanceMaintenanceAttributes,
  describeInstanceAttachmentAttributes,
  createInstance,
  modifyInstanceAttribute,
  ecsCreateVpc,
  ecsDescribeVpcs,
  ecsDeleteVpc,
  ecsCreateVSwitch,
  ecsDescribeVSwitches,
  ecsDeleteVSwitch,
  modifyVpcAttribute,
  modifyVSwitchAttribute,
  modifySecurityGroupAttribute,
  describeInstanceAutoRenewAttribute,
  tagResources,
  untagResources,
  listTagResources,
  vpcTagResources,
  vpcUntagResources,
  vpcListTagResources,
];

const BY_KEY = new Map(ACTIONS.map((a) => [`${a.version}/${a.action}`, a]));
const VERSIONS = new Set(ACTIONS.map((a) => a.version));

export function findAction(version: string, action: string): ActionDef | undefined {
  return BY_KEY.get(`${version}/${action}`);
}

export function knownVersion(version: string): boolean {
  return (VERSIONS as Set<string>).has(version);
}
