// Loading resources for a use case: scoped by the caller's account and the
// request's region; a missing one (or another account's, or another region's)
// is a NotFound. Every use case loads through these, so that rule is written here only.
import { DomainError } from '../domain/errors.ts';
import { findInstanceType, type InstanceTypeSpec } from '../domain/instance-types.ts';
import type { Eni, Instance, Region, SecurityGroup, VSwitch, Vpc } from '../domain/model.ts';
import type { Tx } from '../store/store.ts';
import type { Caller, ServiceDeps } from './deps.ts';
import type { VSwitchCidrs } from './address-hints.ts';

export async function loadEni(tx: Tx, caller: Caller, region: Region, id: string, opts?: { forUpdate?: boolean }): Promise<Eni> {
  const eni = inRegion(await tx.enis.get(caller.accountId, id, opts), region);
  if (!eni) throw new DomainError('EniNotFound', { eniId: id });
  return eni;
}

/** The CIDRs of a loaded ENI's vSwitch (cached: see AddressHints.cidrsOf). */
export async function eniVSwitchCidrs(deps: ServiceDeps, tx: Tx, caller: Caller, eni: Eni): Promise<VSwitchCidrs> {
  const v = await deps.hints.cidrsOf(tx, caller.accountId, eni.vSwitchId);
  if (!v) throw new DomainError('VSwitchNotFound', { vSwitchId: eni.vSwitchId });
  return v;
}

export async function loadInstance(tx: Tx, caller: Caller, region: Region, id: string, opts?: { forUpdate?: boolean }): Promise<Instance> {
  const i = inRegion(await tx.instances.get(caller.accountId, id, opts), region);
  if (!i) throw new DomainError('InstanceNotFound', { instanceId: id });
  return i;
}

/** The resource if it is in the request's region: another region's is as missing as none. */
function inRegion<T extends { regionId: string }>(r: T | undefined, region: Region): T | undefined {
  return r && r.regionId === region.id ? r : undefined;
}

export async function loadVpc(tx: Tx, caller: Caller, region: Region, id: string, opts?: { forUpdate?: boolean }): Promise<Vpc> {
  const vpc = inRegion(await tx.vpcs.get(caller.accountId, id, opts), region);
  if (!vpc) throw new DomainError('VpcNotFound', { vpcId: id });
  return vpc;
}

export async function loadVSwitch(tx: Tx, caller: Caller, region: Region, id: string): Promise<VSwitch> {
  const v = inRegion(await tx.vSwitches.get(caller.accountId, id), region);
  if (!v) throw new DomainError('VSwitchNotFound', { vSwitchId: id });
  return v;
}

export async function loadSecurityGroup(tx: Tx, caller: Caller, region: Region, id: string): Promise<SecurityGroup> {
  const g = inRegion(await tx.securityGroups.get(caller.accountId, id), region);
  if (!g) throw new DomainError('SecurityGroupNotFound', { securityGroupId: id });
  return g;
}

export async function loadSecurityGroups(tx: Tx, caller: Caller, region: Region, ids: string[]): Promise<SecurityGroup[]> {
  const out: SecurityGroup[] = [];
  // COMPAT: a group named twice joins once (Alibaba documents no code for the repeat; the ENI holds a set).
  for (const id of new Set(ids)) out.push(await loadSecurityGroup(tx, caller, region, id));
  return out;
}

export function instanceTypeOf(instance: Instance): InstanceTypeSpec {
  const t = findInstanceType(instance.instanceType);
  if (!t) throw new Error(`instance ${instance.id} has unknown type ${instance.instanceType}`);
  return t;
}

/** The instance type that bounds an ENI now: the one of the instance it is bound to, if any. */
export async function boundInstance(tx: Tx, caller: Caller, eni: Eni): Promise<Instance | undefined> {
  const id = eni.instanceId ?? eni.pendingInstanceId;
  return id ? tx.instances.get(caller.accountId, id) : undefined;
}
