// The ENI rules of the seed and the API reference, each written once. Pure
// functions over domain objects: they return nothing or throw a DomainError.
import { DomainError } from './errors.ts';
import type { Eni, Instance, IpFamily, SecurityGroup } from './model.ts';
import type { Limits } from './limits.ts';
import type { InstanceTypeSpec } from './instance-types.ts';

/** How many addresses of a family this ENI may hold right now, and which error says no. */
export function addressCap(
  eni: Pick<Eni, 'status'>,
  family: IpFamily,
  limits: Limits,
  instanceType: InstanceTypeSpec | undefined,
): { max: number; error: 'EniIpv4LimitExceeded' | 'InstanceTypeIpv4LimitExceeded' | 'EniIpv6LimitExceeded' | 'InstanceTypeIpv6LimitExceeded' } {
  // Bound to an instance (InUse), the instance type decides; otherwise the ENI's own cap.
  if (eni.status !== 'Available' && instanceType) {
    return family === 4
      ? { max: instanceType.eniPrivateIpAddressQuantity, error: 'InstanceTypeIpv4LimitExceeded' }
      : { max: instanceType.eniIpv6AddressQuantity, error: 'InstanceTypeIpv6LimitExceeded' };
  }
  return family === 4
    ? { max: limits.availableEniMaxIpv4, error: 'EniIpv4LimitExceeded' }
    : { max: limits.availableEniMaxIpv6, error: 'EniIpv6LimitExceeded' };
}

export function assertAddressCapacity(
  eni: Eni,
  family: IpFamily,
  adding: number,
  limits: Limits,
  instanceType: InstanceTypeSpec | undefined,
): void {
  const current = eni.addresses.filter((a) => a.family === family).length;
  const cap = addressCap(eni, family, limits, instanceType);
  if (current + adding > cap.max) {
    throw new DomainError(cap.error, { eniId: eni.id, current, adding, max: cap.max });
  }
}

/** Assign/Unassign need the ENI Available or InUse; a primary ENI's instance must be Running or Stopped. */
export function assertAddressesChangeable(eni: Eni, instance: Instance | undefined): void {
  if (eni.status !== 'Available' && eni.status !== 'InUse') {
    throw new DomainError('EniStateInvalid', { eniId: eni.id, expected: 'Available/InUse', current: eni.status });
  }
  if (eni.type === 'Primary' && instance && instance.status !== 'Running' && instance.status !== 'Stopped') {
    throw new DomainError('InstanceStateInvalid', { instanceId: instance.id, expected: 'Running/Stopped', current: instance.status });
  }
}

export function assertAttachable(
  eni: Eni,
  instance: Instance,
  instanceType: InstanceTypeSpec,
  enisOnInstance: number,
): void {
  if (eni.type === 'Primary') throw new DomainError('EniTypeInvalid', { eniId: eni.id, type: eni.type });
  if (eni.status !== 'Available') {
    throw new DomainError('EniStateInvalid', { eniId: eni.id, expected: 'Available', current: eni.status });
  }
  if (instance.status !== 'Running' && instance.status !== 'Stopped') {
    throw new DomainError('InstanceStateInvalid', { instanceId: instance.id, expected: 'Running/Stopped', current: instance.status });
  }
  if (eni.vpcId !== instance.vpcId) throw new DomainError('VpcMismatch', { eniId: eni.id, instanceId: instance.id });
  if (eni.zoneId !== instance.zoneId) throw new DomainError('ZoneMismatch', { eniId: eni.id, instanceId: instance.id });
  // EniQuantity counts the primary ENI, which enisOnInstance includes.
  if (enisOnInstance + 1 > instanceType.eniQuantity) {
    throw new DomainError('EniPerInstanceLimitExceeded', { instanceId: instance.id, max: instanceType.eniQuantity });
  }
  const v4 = eni.addresses.filter((a) => a.family === 4).length;
  if (v4 > instanceType.eniPrivateIpAddressQuantity) {
    throw new DomainError('InstanceTypeIpv4LimitExceeded', { eniId: eni.id, current: v4, adding: 0, max: instanceType.eniPrivateIpAddressQuantity });
  }
  const v6 = eni.addresses.filter((a) => a.family === 6).length;
  if (v6 > instanceType.eniIpv6AddressQuantity) {
    throw new DomainError('InstanceTypeIpv6LimitExceeded', { eniId: eni.id, current: v6, adding: 0, max: instanceType.eniIpv6AddressQuantity });
  }
}

export function assertDetachable(eni: Eni, instanceId: string): void {
  if (eni.type === 'Primary') throw new DomainError('PrimaryEniNotDetachable', { eniId: eni.id });
  // Detach may be re-sent while Detaching (a guest that holds the NIC), as on the real cloud.
  if (eni.status !== 'InUse' && eni.status !== 'Detaching') {
    throw new DomainError('EniStateInvalid', { eniId: eni.id, expected: 'InUse', current: eni.status });
  }
  const boundTo = eni.instanceId ?? eni.pendingInstanceId;
  if (boundTo !== instanceId) throw new DomainError('InstanceNotFound', { instanceId });
}

export function assertDeletable(eni: Eni): void {
  if (eni.type === 'Primary') throw new DomainError('EniTypeInvalid', { eniId: eni.id, type: eni.type });
  if (eni.status !== 'Available') {
    throw new DomainError('EniStateInvalid', { eniId: eni.id, expected: 'Available', current: eni.status });
  }
}

export function securityGroupCapacity(sg: Pick<SecurityGroup, 'type'>, limits: Limits): number {
  return sg.type === 'enterprise' ? limits.enterpriseSecurityGroupIpCapacity : limits.basicSecurityGroupIpCapacity;
}

/** Security groups an ENI joins: 1..securityGroupsPerEni, all in the ENI's VPC, no repeats. */
export function assertSecurityGroupsFit(vpcId: string, groups: SecurityGroup[], limits: Limits): void {
  if (groups.length === 0) throw new DomainError('MissingParameter', { name: 'SecurityGroupIds' });
  if (groups.length > limits.securityGroupsPerEni) {
    throw new DomainError('SecurityGroupsPerEniExceeded', { max: limits.securityGroupsPerEni });
  }
  for (const g of groups) {
    if (g.vpcId !== vpcId) throw new DomainError('VpcMismatch', { securityGroupId: g.id, vpcId });
  }
}
