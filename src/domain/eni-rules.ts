// The ENI rules of the seed and the API reference, each written once. Pure
// functions over domain objects: they return nothing or throw a DomainError.
import { DomainError } from './errors.ts';
import { prefixesOf, type Eni, type Instance, type IpFamily, type PrivateAddress, type SecurityGroup } from './model.ts';
import type { Limits } from './limits.ts';
import type { InstanceTypeSpec } from './instance-types.ts';

/** How many addresses of a family this ENI may hold right now, and which error says no. */
export function addressCap(
  eni: Pick<Eni, 'status'>,
  family: IpFamily,
  limits: Limits,
  instanceType: InstanceTypeSpec | undefined,
): {
  max: number;
  error: 'EniIpv4LimitExceeded' | 'InstanceTypeIpv4LimitExceeded' | 'EniIpv6LimitExceeded' | 'InstanceTypeIpv6LimitExceeded';
} {
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

/**
 * The one address-cap check: `current` addresses of a family plus `adding` must fit the cap
 * that binds an ENI in this state (create, assign, run an instance's primary ENI, attach).
 */
export function assertWithinAddressCap(
  eni: Pick<Eni, 'status'> & { id?: string },
  family: IpFamily,
  current: number,
  adding: number,
  limits: Limits,
  instanceType: InstanceTypeSpec | undefined,
): void {
  const cap = addressCap(eni, family, limits, instanceType);
  if (current + adding > cap.max) {
    const subject = eni.id === undefined ? {} : { eniId: eni.id };
    throw new DomainError(cap.error, { ...subject, current, adding, max: cap.max });
  }
}

/**
 * What an ENI holds against its cap of a family: its addresses plus its prefixes, each
 * prefix counting as one address (ECS "IP prefixes": "Each IP prefix counts as one IP address").
 * The console's Manage dialog counts its quota line with it too.
 */
export function addressSlotsUsed(
  eni: Pick<Eni, 'ipv4Prefixes' | 'ipv6Prefixes'> & { addresses: readonly Pick<PrivateAddress, 'family'>[] },
  family: IpFamily,
): number {
  return eni.addresses.filter((a) => a.family === family).length + prefixesOf(eni, family).length;
}

export function assertAddressCapacity(
  eni: Eni,
  family: IpFamily,
  adding: number,
  limits: Limits,
  instanceType: InstanceTypeSpec | undefined,
): void {
  assertWithinAddressCap(eni, family, addressSlotsUsed(eni, family), adding, limits, instanceType);
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

/** Why an ENI cannot be bound to an instance: the codes of the checks below, in the order the server applies them. */
export type AttachRefusal = 'EniTypeInvalid' | 'EniStateInvalid' | 'InstanceStateInvalid' | 'VpcMismatch' | 'ZoneMismatch';

/**
 * Attach eligibility, written once for the server (assertAttachable) and the console's pickers and buttons,
 * which often know only one side: each check runs when the fields it needs are given.
 */
export function attachRefusal(
  eni: Partial<Pick<Eni, 'type' | 'status' | 'vpcId' | 'zoneId'>>,
  instance: Partial<Pick<Instance, 'status' | 'vpcId' | 'zoneId'>>,
): AttachRefusal | undefined {
  if (eni.type !== undefined && eni.type === 'Primary') return 'EniTypeInvalid';
  if (eni.status !== undefined && eni.status !== 'Available') return 'EniStateInvalid';
  if (instance.status !== undefined && instance.status !== 'Running' && instance.status !== 'Stopped') return 'InstanceStateInvalid';
  if (eni.vpcId !== undefined && instance.vpcId !== undefined && eni.vpcId !== instance.vpcId) return 'VpcMismatch';
  if (eni.zoneId !== undefined && instance.zoneId !== undefined && eni.zoneId !== instance.zoneId) return 'ZoneMismatch';
  return undefined;
}

export function assertAttachable(
  eni: Eni,
  instance: Instance,
  instanceType: InstanceTypeSpec,
  enisOnInstance: number,
  limits: Limits,
): void {
  switch (attachRefusal(eni, instance)) {
    case 'EniTypeInvalid':
      throw new DomainError('EniTypeInvalid', { eniId: eni.id, type: eni.type });
    case 'EniStateInvalid':
      throw new DomainError('EniStateInvalid', { eniId: eni.id, expected: 'Available', current: eni.status });
    case 'InstanceStateInvalid':
      throw new DomainError('InstanceStateInvalid', { instanceId: instance.id, expected: 'Running/Stopped', current: instance.status });
    case 'VpcMismatch':
      throw new DomainError('VpcMismatch', { eniId: eni.id, instanceId: instance.id });
    case 'ZoneMismatch':
      throw new DomainError('ZoneMismatch', { eniId: eni.id, instanceId: instance.id });
    case undefined:
      break;
  }
  // EniQuantity counts the primary ENI, which enisOnInstance includes.
  if (enisOnInstance + 1 > instanceType.eniQuantity) {
    throw new DomainError('EniPerInstanceLimitExceeded', { instanceId: instance.id, max: instanceType.eniQuantity });
  }
  // Once bound, the instance type's caps apply to what the ENI already holds.
  for (const family of [4, 6] as const) {
    assertWithinAddressCap({ id: eni.id, status: 'InUse' }, family, addressSlotsUsed(eni, family), 0, limits, instanceType);
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
  if (groups.length === 0) throw new DomainError('MissingParameter', { name: 'securityGroupIds' });
  if (groups.length > limits.securityGroupsPerEni) {
    throw new DomainError('SecurityGroupsPerEniExceeded', { max: limits.securityGroupsPerEni });
  }
  for (const g of groups) {
    if (g.vpcId !== vpcId) throw new DomainError('VpcMismatch', { securityGroupId: g.id, vpcId });
  }
}
