// Which address limits bind an ENI right now: the server's Available-ENI caps,
// or the bound instance type's figures from DescribeInstanceTypes. The choice
// is domain/eni-rules' addressCap, the function the server itself applies.
import { addressCap } from '../../domain/eni-rules.ts';
import { DEFAULT_LIMITS, type Limits } from '../../domain/limits.ts';
import type { InstanceTypeSpec } from '../../domain/instance-types.ts';
import type { EniStatus, InstanceTypeWire, SessionInfo } from '../api/wire.ts';
import type { FamilyQuota, IpFamily } from './ip-rows.ts';

export type ServerLimits = SessionInfo['limits'];

function limitsFrom(server: ServerLimits): Limits {
  return { ...DEFAULT_LIMITS, ...server };
}

function instanceTypeSpec(t: InstanceTypeWire): InstanceTypeSpec {
  return {
    id: t.InstanceTypeId,
    family: t.InstanceTypeId.split('.').slice(0, 2).join('.'),
    cpuCoreCount: t.CpuCoreCount,
    memorySizeGiB: t.MemorySize,
    eniQuantity: t.EniQuantity,
    eniPrivateIpAddressQuantity: t.EniPrivateIpAddressQuantity,
    eniIpv6AddressQuantity: t.EniIpv6AddressQuantity,
    eniTotalQuantity: t.EniQuantity,
  };
}

export function quotaFor(
  status: EniStatus,
  family: IpFamily,
  server: ServerLimits,
  instanceType: InstanceTypeWire | undefined,
): FamilyQuota {
  const cap = addressCap({ status }, family, limitsFrom(server), instanceType ? instanceTypeSpec(instanceType) : undefined);
  return { max: cap.max, errorCode: cap.error };
}

/** The limits table of the details page: both states, and which one applies now. */
export interface LimitRow {
  state: 'Available' | 'InUse';
  ipv4: number | undefined;
  ipv6: number | undefined;
  source: string;
  appliesNow: boolean;
}

export function limitRows(status: EniStatus, server: ServerLimits, instanceType: InstanceTypeWire | undefined): LimitRow[] {
  const bound = status !== 'Available';
  return [
    {
      state: 'Available',
      ipv4: server.availableEniMaxIpv4,
      ipv6: server.availableEniMaxIpv6,
      source: "the server's limit for an ENI not bound to an instance",
      appliesNow: !bound || !instanceType,
    },
    {
      state: 'InUse',
      ipv4: instanceType?.EniPrivateIpAddressQuantity,
      ipv6: instanceType?.EniIpv6AddressQuantity,
      source: instanceType
        ? `instance type ${instanceType.InstanceTypeId} (DescribeInstanceTypes)`
        : 'the instance type of the instance it is bound to',
      appliesNow: bound && instanceType !== undefined,
    },
  ];
}

/** Assign/Unassign are accepted only in these states (InvalidOperation.InvalidEniState otherwise). */
export function addressesChangeable(status: EniStatus): boolean {
  return status === 'Available' || status === 'InUse';
}
