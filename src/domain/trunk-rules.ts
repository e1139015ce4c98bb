// Trunk mode (terway's "ENI trunking"), its rules written once. A Trunk ENI is
// created with CreateNetworkInterface InstanceType=Trunk and attached like any
// secondary ENI, to an instance whose type supports trunking. A member is an
// ordinary Secondary ENI attached with TrunkNetworkInstanceId=<trunk>: while
// bound it is of type Member, names its trunk, and counts against the
// instance type's member quota (EniTotalQuantity - EniQuantity), not EniQuantity.
// Pure: nothing or a DomainError.
import { DomainError } from './errors.ts';
import { assertAddressCapacity } from './eni-rules.ts';
import type { InstanceTypeSpec } from './instance-types.ts';
import type { Limits } from './limits.ts';
import type { Eni, Instance } from './model.ts';

/** DescribeInstanceTypes' EniTrunkSupported: the type has room for ENIs beyond EniQuantity. */
export function trunkSupported(t: InstanceTypeSpec): boolean {
  return t.eniTotalQuantity > t.eniQuantity;
}

/** Member ENIs one instance may hold, as terway computes it (limit.go: EniTotalQuantity - EniQuantity). */
export function memberQuota(t: InstanceTypeSpec): number {
  return trunkSupported(t) ? t.eniTotalQuantity - t.eniQuantity : 0;
}

/** Trunk ENIs one instance may hold: one (terway's trunk mode finds and reuses that one; members bind to it). */
const MAX_TRUNK_ENIS_PER_INSTANCE = 1;

/**
 * A Trunk ENI attaches only to an instance whose type supports trunking, and
 * which holds no trunk yet (attached, attaching or detaching: `onInstance`).
 */
export function assertTrunkHost(
  eni: Pick<Eni, 'id' | 'type'>,
  instanceType: InstanceTypeSpec,
  onInstance: readonly Pick<Eni, 'id' | 'type'>[],
): void {
  if (eni.type !== 'Trunk') return;
  if (!trunkSupported(instanceType)) {
    throw new DomainError('InstanceTypeNotSupportTrunking', { eniId: eni.id, instanceType: instanceType.id });
  }
  const trunks = onInstance.filter((e) => e.type === 'Trunk' && e.id !== eni.id);
  if (trunks.length >= MAX_TRUNK_ENIS_PER_INSTANCE) {
    throw new DomainError('TrunkEniPerInstanceLimitExceeded', {
      eniId: eni.id,
      trunkEniId: trunks[0].id,
      max: MAX_TRUNK_ENIS_PER_INSTANCE,
    });
  }
}

/**
 * AttachNetworkInterface with TrunkNetworkInstanceId: the member is an Available
 * Secondary ENI in the instance's VPC and zone, the trunk a Trunk ENI InUse on that
 * instance, and the instance has room for one more member.
 */
export function assertMemberAttachable(
  member: Eni,
  trunk: Eni,
  instance: Pick<Instance, 'id' | 'status' | 'vpcId' | 'zoneId'>,
  instanceType: InstanceTypeSpec,
  membersOnInstance: number,
  limits: Limits,
): void {
  if (member.type !== 'Secondary') throw new DomainError('EniTypeNotSupportTrunking', { eniId: member.id, type: member.type });
  if (trunk.type !== 'Trunk') throw new DomainError('EniTypeNotSupportTrunking', { eniId: trunk.id, type: trunk.type });
  if (trunk.status !== 'InUse' || trunk.instanceId !== instance.id) {
    throw new DomainError('TrunkEniStateInvalid', { eniId: trunk.id, instanceId: instance.id, current: trunk.status });
  }
  if (member.status !== 'Available') {
    throw new DomainError('EniStateInvalid', { eniId: member.id, expected: 'Available', current: member.status });
  }
  if (instance.status !== 'Running' && instance.status !== 'Stopped') {
    throw new DomainError('InstanceStateInvalid', { instanceId: instance.id, expected: 'Running/Stopped', current: instance.status });
  }
  if (member.vpcId !== instance.vpcId) throw new DomainError('VpcMismatch', { eniId: member.id, instanceId: instance.id });
  if (member.zoneId !== instance.zoneId) throw new DomainError('ZoneMismatch', { eniId: member.id, instanceId: instance.id });
  const max = memberQuota(instanceType);
  if (membersOnInstance + 1 > max) {
    throw new DomainError('MemberEniPerInstanceLimitExceeded', { instanceId: instance.id, instanceType: instanceType.id, max });
  }
  // Bound, the member's addresses follow the instance type's per-ENI caps, like any attached ENI.
  const bound = { ...member, status: 'InUse' as const };
  assertAddressCapacity(bound, 4, 0, limits, instanceType);
  assertAddressCapacity(bound, 6, 0, limits, instanceType);
}

/** DetachNetworkInterface naming a trunk: the ENI must be a member of that very trunk. */
export function assertMemberOf(eni: Pick<Eni, 'id' | 'trunkEniId'>, trunkEniId: string): void {
  if (eni.trunkEniId !== trunkEniId) throw new DomainError('EniNotBelongTrunk', { eniId: eni.id, trunkEniId });
}

/** A trunk with members bound to it can be neither detached nor deleted. */
export function assertNoMembers(trunk: Pick<Eni, 'id' | 'type'>, memberIds: readonly string[]): void {
  if (trunk.type === 'Trunk' && memberIds.length > 0) {
    throw new DomainError('HasMemberEniAttached', { eniId: trunk.id, members: memberIds.length });
  }
}

/** The type and trunk an ENI has once it has left its instance: a Member is a Secondary again. */
export function unbound(eni: Pick<Eni, 'type'>): Pick<Eni, 'type' | 'trunkEniId'> {
  return { type: eni.type === 'Member' ? 'Secondary' : eni.type, trunkEniId: null };
}
