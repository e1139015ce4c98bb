// AttachNetworkInterface, DetachNetworkInterface, DeleteNetworkInterface,
// ModifyNetworkInterfaceAttribute. Attach, detach and delete are asynchronous:
// they answer at once and the ENI passes through Attaching/Detaching/Deleting.
// With TrunkNetworkInstanceId, Attach and Detach bind and unbind a member ENI
// (domain/trunk-rules.ts).
import { DomainError } from '../domain/errors.ts';
import { assertAttachable, assertDeletable, assertDetachable, assertSecurityGroupsFit } from '../domain/eni-rules.ts';
import type { Eni, EniTraffic, Region } from '../domain/model.ts';
import { assertMemberAttachable, assertMemberOf, assertNoMembers, assertTrunkHost } from '../domain/trunk-rules.ts';
import type { Tx } from '../store/store.ts';
import { addressesHeld, countInSecurityGroups } from './address-book.ts';
import type { Caller, ServiceDeps } from './deps.ts';
import { instanceTypeOf, loadEni, loadInstance, loadSecurityGroups } from './load.ts';
import { dueTime, settledWriteTx, startEniTransition } from './transitions.ts';

export interface AttachCommand {
  regionId?: string;
  eniId: string;
  instanceId: string;
  networkCardIndex?: number;
  /** TrunkNetworkInstanceId: bind (or unbind) the ENI as a member of this trunk ENI */
  trunkEniId?: string;
}

/** The ids of the members bound (or binding, unbinding) through a trunk, from its instance's ENIs. */
export async function memberIdsOf(tx: Tx, trunk: Eni): Promise<string[]> {
  const instanceId = trunk.instanceId ?? trunk.pendingInstanceId;
  if (trunk.type !== 'Trunk' || instanceId === null) return [];
  return (await tx.enis.listByInstance(instanceId))
    .filter((e) => e.trunkEniId === trunk.id)
    .map((e) => e.id)
    .sort();
}

export function attachEni(deps: ServiceDeps, caller: Caller, cmd: AttachCommand): Promise<void> {
  return settledWriteTx(deps, caller, cmd.regionId, async (tx, region) => {
    // Lock the instance first, then the ENI: the ENI count per instance holds under races.
    const instance = await loadInstance(tx, caller, region, cmd.instanceId, { forUpdate: true });
    const eni = await loadEni(tx, caller, region, cmd.eniId, { forUpdate: true });
    const bound = await tx.enis.listByInstance(instance.id);
    if (cmd.trunkEniId !== undefined) {
      // A member takes no device index and counts against the member quota only.
      const trunk = await loadEni(tx, caller, region, cmd.trunkEniId, { forUpdate: true });
      assertMemberAttachable(eni, trunk, instance, instanceTypeOf(instance), bound.filter((e) => e.type === 'Member').length, deps.limits);
      const member: Eni = {
        ...eni,
        type: 'Member',
        trunkEniId: trunk.id,
        status: 'Attaching',
        pendingInstanceId: instance.id,
        deviceIndex: null,
        transitionDueMs: dueTime(deps),
      };
      await startEniTransition(deps, tx, member);
      return;
    }
    assertAttachable(eni, instance, instanceTypeOf(instance), bound.filter((e) => e.type !== 'Member').length, deps.limits);
    assertTrunkHost(eni, instanceTypeOf(instance), bound);
    const used = new Set(bound.map((e) => e.deviceIndex));
    let deviceIndex = 1;
    while (used.has(deviceIndex)) deviceIndex++;
    const next: Eni = {
      ...eni,
      status: 'Attaching',
      pendingInstanceId: instance.id,
      deviceIndex,
      networkCardIndex: cmd.networkCardIndex ?? 0,
      transitionDueMs: dueTime(deps),
    };
    await startEniTransition(deps, tx, next);
  });
}

export function detachEni(deps: ServiceDeps, caller: Caller, cmd: AttachCommand): Promise<void> {
  return settledWriteTx(deps, caller, cmd.regionId, async (tx, region) => {
    const instance = await loadInstance(tx, caller, region, cmd.instanceId, { forUpdate: true });
    const eni = await loadEni(tx, caller, region, cmd.eniId, { forUpdate: true });
    assertDetachable(eni, instance.id);
    if (cmd.trunkEniId !== undefined) assertMemberOf(eni, cmd.trunkEniId);
    assertNoMembers(eni, await memberIdsOf(tx, eni));
    if (eni.status === 'Detaching') return; // a re-sent Detach: already under way
    const next: Eni = { ...eni, status: 'Detaching', pendingInstanceId: instance.id, instanceId: null, transitionDueMs: dueTime(deps) };
    await startEniTransition(deps, tx, next);
  });
}

export function deleteEni(deps: ServiceDeps, caller: Caller, cmd: { regionId?: string; eniId: string }): Promise<void> {
  return settledWriteTx(deps, caller, cmd.regionId, async (tx, region) => {
    const eni = await loadEni(tx, caller, region, cmd.eniId, { forUpdate: true });
    // Checked first: an InUse trunk with members answers HasMemberEniAttached, the code
    // Terraform's ENI delete retries on, rather than the plain state error.
    assertNoMembers(eni, await memberIdsOf(tx, eni));
    assertDeletable(eni);
    const next: Eni = { ...eni, status: 'Deleting', transitionDueMs: dueTime(deps) };
    await startEniTransition(deps, tx, next);
  });
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
export async function replaceSecurityGroups(
  deps: ServiceDeps,
  tx: Tx,
  caller: Caller,
  region: Region,
  eniId: string,
  securityGroupIds: string[],
): Promise<void> {
  const eni = await loadEni(tx, caller, region, eniId, { forUpdate: true });
  await tx.enis.update(await withSecurityGroups(deps, tx, caller, region, eni, securityGroupIds));
}

async function withSecurityGroups(
  deps: ServiceDeps,
  tx: Tx,
  caller: Caller,
  region: Region,
  eni: Eni,
  securityGroupIds: string[],
): Promise<Eni> {
  const groups = await loadSecurityGroups(tx, caller, region, securityGroupIds);
  assertSecurityGroupsFit(eni.vpcId, groups, deps.limits);
  const n = addressesHeld(eni);
  const leaving = eni.securityGroupIds.filter((id) => !securityGroupIds.includes(id));
  const joining = groups.map((g) => g.id).filter((id) => !eni.securityGroupIds.includes(id));
  await countInSecurityGroups(deps, tx, leaving, -n);
  await countInSecurityGroups(deps, tx, joining, n);
  return { ...eni, securityGroupIds: groups.map((g) => g.id) };
}

export function modifyEni(deps: ServiceDeps, caller: Caller, cmd: ModifyEniCommand): Promise<void> {
  return settledWriteTx(deps, caller, cmd.regionId, async (tx, region) => {
    const eni = await loadEni(tx, caller, region, cmd.eniId, { forUpdate: true });
    if (eni.status === 'Deleting')
      throw new DomainError('EniStateInvalid', { eniId: eni.id, expected: 'Available/InUse', current: eni.status });
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
  });
}
