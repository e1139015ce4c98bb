// AttachNetworkInterface, DetachNetworkInterface, DeleteNetworkInterface,
// ModifyNetworkInterfaceAttribute. Attach, detach and delete are asynchronous:
// they answer at once and the ENI passes through Attaching/Detaching/Deleting.
import { DomainError } from '../domain/errors.ts';
import { assertAttachable, assertDeletable, assertDetachable, assertSecurityGroupsFit } from '../domain/eni-rules.ts';
import type { Eni, EniTraffic, Region } from '../domain/model.ts';
import type { Tx } from '../store/store.ts';
import { countInSecurityGroups } from './address-book.ts';
import { findRegion, writeTx, type Caller, type ServiceDeps } from './deps.ts';
import { instanceTypeOf, loadEni, loadInstance, loadSecurityGroups } from './load.ts';
import { dueTime, finishEniTransition, settleDueIn } from './transitions.ts';

export interface AttachCommand { regionId?: string; eniId: string; instanceId: string; networkCardIndex?: number }

export function attachEni(deps: ServiceDeps, caller: Caller, cmd: AttachCommand): Promise<void> {
  const region = findRegion(deps, cmd.regionId);
  return writeTx(deps, async (tx) => {
    await settleDueIn(deps, tx);
    // Lock the instance first, then the ENI: the ENI count per instance holds under races.
    const instance = await loadInstance(tx, caller, region, cmd.instanceId, { forUpdate: true });
    const eni = await loadEni(tx, caller, region, cmd.eniId, { forUpdate: true });
    const bound = await tx.enis.listByInstance(instance.id);
    assertAttachable(eni, instance, instanceTypeOf(instance), bound.length, deps.limits);
    const used = new Set(bound.map((e) => e.deviceIndex));
    let deviceIndex = 1;
    while (used.has(deviceIndex)) deviceIndex++;
    const next: Eni = { ...eni, status: 'Attaching', pendingInstanceId: instance.id, deviceIndex, networkCardIndex: cmd.networkCardIndex ?? 0, transitionDueMs: dueTime(deps) };
    await tx.enis.update(next);
    if (next.transitionDueMs === null) await finishEniTransition(deps, tx, next);
  }, caller);
}

export function detachEni(deps: ServiceDeps, caller: Caller, cmd: AttachCommand): Promise<void> {
  const region = findRegion(deps, cmd.regionId);
  return writeTx(deps, async (tx) => {
    await settleDueIn(deps, tx);
    const instance = await loadInstance(tx, caller, region, cmd.instanceId, { forUpdate: true });
    const eni = await loadEni(tx, caller, region, cmd.eniId, { forUpdate: true });
    assertDetachable(eni, instance.id);
    if (eni.status === 'Detaching') return; // a re-sent Detach: already under way
    const next: Eni = { ...eni, status: 'Detaching', pendingInstanceId: instance.id, instanceId: null, transitionDueMs: dueTime(deps) };
    await tx.enis.update(next);
    if (next.transitionDueMs === null) await finishEniTransition(deps, tx, next);
  }, caller);
}

export function deleteEni(deps: ServiceDeps, caller: Caller, cmd: { regionId?: string; eniId: string }): Promise<void> {
  const region = findRegion(deps, cmd.regionId);
  return writeTx(deps, async (tx) => {
    await settleDueIn(deps, tx);
    const eni = await loadEni(tx, caller, region, cmd.eniId, { forUpdate: true });
    assertDeletable(eni);
    const next: Eni = { ...eni, status: 'Deleting', transitionDueMs: dueTime(deps) };
    await tx.enis.update(next);
    if (next.transitionDueMs === null) await finishEniTransition(deps, tx, next);
  }, caller);
}

export interface ModifyEniCommand {
  regionId?: string;
  eniId: string;
  name?: string;
  description?: string;
  securityGroupIds?: string[];
  deleteOnRelease?: boolean;
  sourceDestCheck?: boolean;
  /** only the fields given change */
  traffic?: Partial<EniTraffic>;
}

/** Moves the ENI into exactly these security groups; its addresses leave the old groups' counts and join the new ones'. */
export async function replaceSecurityGroups(deps: ServiceDeps, tx: Tx, caller: Caller, region: Region, eniId: string, securityGroupIds: string[]): Promise<void> {
  const eni = await loadEni(tx, caller, region, eniId, { forUpdate: true });
  await tx.enis.update(await withSecurityGroups(deps, tx, caller, region, eni, securityGroupIds));
}

async function withSecurityGroups(deps: ServiceDeps, tx: Tx, caller: Caller, region: Region, eni: Eni, securityGroupIds: string[]): Promise<Eni> {
  const groups = await loadSecurityGroups(tx, caller, region, securityGroupIds);
  assertSecurityGroupsFit(eni.vpcId, groups, deps.limits);
  const n = eni.addresses.length;
  const leaving = eni.securityGroupIds.filter((id) => !securityGroupIds.includes(id));
  const joining = groups.map((g) => g.id).filter((id) => !eni.securityGroupIds.includes(id));
  await countInSecurityGroups(deps, tx, leaving, -n);
  await countInSecurityGroups(deps, tx, joining, n);
  return { ...eni, securityGroupIds: groups.map((g) => g.id) };
}

export function modifyEni(deps: ServiceDeps, caller: Caller, cmd: ModifyEniCommand): Promise<void> {
  const region = findRegion(deps, cmd.regionId);
  return writeTx(deps, async (tx) => {
    await settleDueIn(deps, tx);
    const eni = await loadEni(tx, caller, region, cmd.eniId, { forUpdate: true });
    if (eni.status === 'Deleting') throw new DomainError('EniStateInvalid', { eniId: eni.id, expected: 'Available/InUse', current: eni.status });
    let next: Eni = { ...eni };
    if (cmd.name !== undefined) next.name = cmd.name;
    if (cmd.description !== undefined) next.description = cmd.description;
    if (cmd.deleteOnRelease !== undefined) {
      if (eni.type === 'Primary') throw new DomainError('EniTypeInvalid', { eniId: eni.id, type: eni.type });
      next.deleteOnRelease = cmd.deleteOnRelease;
    }
    if (cmd.sourceDestCheck !== undefined) next.sourceDestCheck = cmd.sourceDestCheck;
    if (cmd.traffic !== undefined) {
      const given = Object.fromEntries(Object.entries(cmd.traffic).filter(([, v]) => v !== undefined)) as Partial<EniTraffic>;
      next.traffic = { ...eni.traffic, ...given };
    }
    if (cmd.securityGroupIds !== undefined) next = await withSecurityGroups(deps, tx, caller, region, next, cmd.securityGroupIds);
    await tx.enis.update(next);
  }, caller);
}
