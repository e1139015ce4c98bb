// RunInstances (the network subset), DescribeInstances, StartInstance,
// StopInstance, DeleteInstance. An instance is born with its primary ENI,
// which lives and dies with it.
import { DomainError } from '../domain/errors.ts';
import { assertSecurityGroupsFit } from '../domain/eni-rules.ts';
import { findInstanceType } from '../domain/instance-types.ts';
import { newResourceId } from '../domain/ids.ts';
import { isoTime } from '../domain/ports.ts';
import { unbound } from '../domain/trunk-rules.ts';
import type { Eni, Instance, InstanceStatus } from '../domain/model.ts';
import type { InstanceFilter, Page, Paging, Tx } from '../store/store.ts';
import { removeAllAddresses, type AddressRequest } from './address-book.ts';
import { idempotent } from './client-token.ts';
import { findRegion, readTx, writeTx, type Caller, type ServiceDeps } from './deps.ts';
import { insertEni, requestSize } from './create-eni.ts';
import { loadInstance, loadSecurityGroups, loadVSwitch } from './load.ts';
import { resolveResourceGroup, resourceGroupFilter } from './resource-groups.ts';
import { dueTime, settleDue, settleDueIn } from './transitions.ts';

export interface RunInstancesCommand {
  regionId?: string;
  instanceType: string;
  vSwitchId: string;
  zoneId?: string;
  securityGroupIds: string[];
  privateIpAddress?: string;
  ipv6?: AddressRequest;
  amount: number;
  name?: string;
  imageId?: string;
  resourceGroupId?: string;
  clientToken?: string;
}

export interface InstanceView { instance: Instance; enis: Eni[] }

export function runInstances(deps: ServiceDeps, caller: Caller, cmd: RunInstancesCommand): Promise<string[]> {
  const region = findRegion(deps, cmd.regionId);
  const type = findInstanceType(cmd.instanceType);
  if (!type) throw new DomainError('InstanceTypeNotFound', { instanceType: cmd.instanceType });
  if (cmd.amount < 1 || cmd.amount > 100) throw new DomainError('InvalidParameter', { name: 'Amount', reason: '1..100' });
  if (cmd.privateIpAddress !== undefined && cmd.amount > 1) throw new DomainError('ParameterConflict', { names: 'PrivateIpAddress,Amount' });
  if (cmd.ipv6 && 'addresses' in cmd.ipv6 && cmd.amount > 1) throw new DomainError('ParameterConflict', { names: 'Ipv6Address,Amount' });
  if (requestSize(cmd.ipv6) > type.eniIpv6AddressQuantity) {
    throw new DomainError('InstanceTypeIpv6LimitExceeded', { current: 0, adding: requestSize(cmd.ipv6), max: type.eniIpv6AddressQuantity });
  }
  const { clientToken, ...params } = cmd;
  return writeTx(deps, async (tx) => {
    await settleDueIn(deps, tx);
    return idempotent(deps, tx, caller, 'RunInstances', clientToken, params, async () => {
      const vsw = await loadVSwitch(tx, caller, region, cmd.vSwitchId);
      if (cmd.zoneId !== undefined && cmd.zoneId !== vsw.zoneId) throw new DomainError('ZoneMismatch', { zoneId: cmd.zoneId, vSwitchId: vsw.id });
      const groups = await loadSecurityGroups(tx, caller, region, cmd.securityGroupIds);
      assertSecurityGroupsFit(vsw.vpcId, groups, deps.limits);
      const resourceGroupId = await resolveResourceGroup(tx, caller, cmd.resourceGroupId);
      const ids: string[] = [];
      for (let n = 0; n < cmd.amount; n++) {
        const now = deps.clock.nowMs();
        const due = dueTime(deps);
        const instance: Instance = {
          id: newResourceId('i', region.idPrefix, deps.rng), accountId: caller.accountId, regionId: region.id, zoneId: vsw.zoneId, vpcId: vsw.vpcId,
          vSwitchId: vsw.id, resourceGroupId, name: cmd.name ?? '', instanceType: type.id, imageId: cmd.imageId ?? 'aliyun_3_x64_20G_alibase',
          status: due === null ? 'Running' : 'Pending', transitionDueMs: due, createdAt: isoTime(now),
        };
        await tx.instances.insert(instance);
        await insertEni(deps, tx, caller, {
          regionId: region.id, zoneId: vsw.zoneId, vpcId: vsw.vpcId, vSwitchId: vsw.id, resourceGroupId, name: '', description: '',
          type: 'Primary', status: 'InUse', instanceId: instance.id, pendingInstanceId: null, transitionDueMs: null, deviceIndex: 0, trunkEniId: null,
          deleteOnRelease: true, securityGroupIds: groups.map((g) => g.id), tags: [], primaryIpAddress: cmd.privateIpAddress, ipv6: cmd.ipv6,
        });
        ids.push(instance.id);
      }
      return ids;
    });
  });
}

export async function describeInstances(deps: ServiceDeps, caller: Caller, f: Omit<InstanceFilter, 'regionId'> & { regionId?: string }, p: Paging): Promise<Page<InstanceView>> {
  const region = findRegion(deps, f.regionId);
  await settleDue(deps);
  return readTx(deps, async (tx) => {
    const page = await tx.instances.list(caller.accountId, { ...f, regionId: region.id, resourceGroupId: await resourceGroupFilter(tx, caller, f.resourceGroupId) }, p);
    const items: InstanceView[] = [];
    for (const instance of page.items) items.push({ instance, enis: await tx.enis.listByInstance(instance.id) });
    return { ...page, items };
  });
}

function changeState(deps: ServiceDeps, caller: Caller, cmd: { regionId?: string; instanceId: string }, from: InstanceStatus, via: InstanceStatus, to: InstanceStatus): Promise<void> {
  const region = findRegion(deps, cmd.regionId);
  return writeTx(deps, async (tx) => {
    await settleDueIn(deps, tx);
    const i = await loadInstance(tx, caller, region, cmd.instanceId, { forUpdate: true });
    if (i.status !== from) throw new DomainError('InstanceStateInvalid', { instanceId: i.id, expected: from, current: i.status });
    const due = dueTime(deps);
    await tx.instances.update({ ...i, status: due === null ? to : via, transitionDueMs: due });
  });
}

export function startInstance(deps: ServiceDeps, caller: Caller, cmd: { regionId?: string; instanceId: string }): Promise<void> {
  return changeState(deps, caller, cmd, 'Stopped', 'Starting', 'Running');
}

export function stopInstance(deps: ServiceDeps, caller: Caller, cmd: { regionId?: string; instanceId: string }): Promise<void> {
  return changeState(deps, caller, cmd, 'Running', 'Stopping', 'Stopped');
}

async function releaseEnis(deps: ServiceDeps, tx: Tx, accountId: string, instanceId: string): Promise<void> {
  // All ENIs locked (in id order) before any is released: an assign racing on one of them finishes
  // first, so its addresses are counted out too, and no lock is taken between releases (no deadlock).
  const ids = (await tx.enis.listByInstance(instanceId)).map((e) => e.id).sort();
  const locked: Eni[] = [];
  for (const id of ids) {
    const eni = await tx.enis.get(accountId, id, { forUpdate: true });
    if (eni) locked.push(eni);
  }
  for (const eni of locked) {
    if (eni.type === 'Primary' || eni.deleteOnRelease) {
      await removeAllAddresses(deps, tx, eni);
      await tx.enis.delete(eni.id);
    } else {
      await tx.enis.update({ ...eni, ...unbound(eni), status: 'Available', instanceId: null, pendingInstanceId: null, deviceIndex: null, transitionDueMs: null });
    }
  }
}

/** Deletes a Stopped instance (any settled state with force), with its primary ENI; secondary ENIs are detached or deleted per DeleteOnRelease. */
export function deleteInstance(deps: ServiceDeps, caller: Caller, cmd: { regionId?: string; instanceId: string; force?: boolean }): Promise<void> {
  const region = findRegion(deps, cmd.regionId);
  return writeTx(deps, async (tx) => {
    await settleDueIn(deps, tx);
    const i = await loadInstance(tx, caller, region, cmd.instanceId, { forUpdate: true });
    const ok = i.status === 'Stopped' || (cmd.force === true && (i.status === 'Running' || i.status === 'Stopping'));
    if (!ok) throw new DomainError('InstanceStateInvalid', { instanceId: i.id, expected: 'Stopped', current: i.status });
    await releaseEnis(deps, tx, caller.accountId, i.id);
    await tx.instances.delete(i.id);
  });
}
