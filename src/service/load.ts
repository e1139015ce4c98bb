// Loading resources for a use case: scoped by the caller's account and the
// request's region; a missing one (or another account's) is a NotFound.
import { DomainError } from '../domain/errors.ts';
import { findInstanceType, type InstanceTypeSpec } from '../domain/instance-types.ts';
import type { Eni, Instance, Region, SecurityGroup, VSwitch } from '../domain/model.ts';
import type { Tx } from '../store/store.ts';
import type { Caller, ServiceDeps } from './deps.ts';
import type { VSwitchCidrs } from './address-hints.ts';

export async function loadEni(tx: Tx, caller: Caller, region: Region, id: string, opts?: { forUpdate?: boolean }): Promise<Eni> {
  const eni = await tx.enis.get(caller.accountId, id, opts);
  if (!eni || eni.regionId !== region.id) throw new DomainError('EniNotFound', { eniId: id });
  return eni;
}

/** The CIDRs of a loaded ENI's vSwitch (cached: see AddressHints.cidrsOf). */
export async function eniVSwitchCidrs(deps: ServiceDeps, tx: Tx, caller: Caller, eni: Eni): Promise<VSwitchCidrs> {
  const v = await deps.hints.cidrsOf(tx, caller.accountId, eni.vSwitchId);
  if (!v) throw new DomainError('VSwitchNotFound', { vSwitchId: eni.vSwitchId });
  return v;
}

export async function loadInstance(tx: Tx, caller: Caller, region: Region, id: string, opts?: { forUpdate?: boolean }): Promise<Instance> {
  const i = await tx.instances.get(caller.accountId, id, opts);
  if (!i || i.regionId !== region.id) throw new DomainError('InstanceNotFound', { instanceId: id });
  return i;
}

export async function loadVSwitch(tx: Tx, caller: Caller, region: Region, id: string): Promise<VSwitch> {
  const v = await tx.vSwitches.get(caller.accountId, id);
  if (!v || v.regionId !== region.id) throw new DomainError('VSwitchNotFound', { vSwitchId: id });
  return v;
}

export async function loadSecurityGroups(tx: Tx, caller: Caller, region: Region, ids: string[]): Promise<SecurityGroup[]> {
  const out: SecurityGroup[] = [];
  // COMPAT: a group named twice joins once (Alibaba documents no code for the repeat; the ENI holds a set).
  for (const id of new Set(ids)) {
    const g = await tx.securityGroups.get(caller.accountId, id);
    if (!g || g.regionId !== region.id) throw new DomainError('SecurityGroupNotFound', { securityGroupId: id });
    out.push(g);
  }
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
