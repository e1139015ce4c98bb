// RunInstances (the network subset), DescribeInstances, StartInstance,
// StopInstance, DeleteInstance. An instance is born with its primary ENI,
// which lives and dies with it.
import { DomainError } from '../domain/errors.ts';
import { assertAttachable, assertSecurityGroupsFit, assertWithinAddressCap } from '../domain/eni-rules.ts';
import { findInstanceType } from '../domain/instance-types.ts';
import { newResourceId } from '../domain/ids.ts';
import { isoTime } from '../domain/ports.ts';
import { assertTrunkHost } from '../domain/trunk-rules.ts';
import { DEFAULT_ENI_TRAFFIC, DEFAULT_INSTANCE_ATTRIBUTES, defaultHostName } from '../domain/model.ts';
import type {
  Eni,
  EniTraffic,
  Instance,
  InstanceAttributes,
  InstanceBilling,
  InstanceStatus,
  Region,
  SystemDisk,
  VSwitch,
} from '../domain/model.ts';
import type { InstanceFilter, Page, Paging, Tx } from '../store/store.ts';
import type { Tag } from '../domain/tags.ts';
import { removeAllAddresses, type AddressRequest } from './address-book.ts';
import { idempotent } from './client-token.ts';
import { findRegion, readTx, writeTx, type Caller, type ServiceDeps } from './deps.ts';
import { insertEni, requestSize } from './create-eni.ts';
import { loadEni, loadInstance, loadSecurityGroups, loadVSwitch } from './load.ts';
import { replaceSecurityGroups } from './eni-lifecycle.ts';
import { resolveResourceGroup, resourceGroupFilter } from './resource-groups.ts';
import { detached, dueTime, settleDue, settleDueIn, settledWriteTx } from './transitions.ts';

/**
 * A NetworkInterface.N of RunInstances: the primary ENI's settings, or a secondary ENI made (or, with
 * networkInterfaceId, an Available one attached) with each instance. A secondary's vSwitch and security
 * groups default to the instance's.
 */
export interface RunInstanceEni {
  networkInterfaceId?: string;
  vSwitchId?: string;
  securityGroupIds?: string[];
  primaryIpAddress?: string;
  secondaryIpv4?: AddressRequest;
  ipv6?: AddressRequest;
  name?: string;
  description?: string;
  traffic?: Partial<EniTraffic>;
  sourceDestCheck?: boolean;
  /** secondary ENIs only (default true, as the real API) */
  deleteOnRelease?: boolean;
  networkCardIndex?: number;
}

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
  /** on the instance and its primary ENI */
  tags?: Tag[];
  clientToken?: string;
  /** what the caller set of the stored-and-returned attributes; the rest are the real API's defaults */
  attributes?: InstanceAttributeInput;
  /** CreateInstance makes a Stopped instance; RunInstances starts it */
  initialStatus?: 'Running' | 'Stopped';
  /** NetworkInterface.N InstanceType=Primary: the primary ENI's own settings */
  primaryEni?: Pick<RunInstanceEni, 'name' | 'description' | 'traffic' | 'sourceDestCheck' | 'secondaryIpv4'>;
  /** NetworkInterface.N InstanceType=Secondary, in N order (device index 1, 2 ...) */
  secondaryEnis?: RunInstanceEni[];
}

export type InstanceAttributeInput = Partial<Omit<InstanceAttributes, 'systemDisk' | 'billing'>> & {
  systemDisk?: Partial<SystemDisk>;
  billing?: Partial<InstanceBilling>;
};

function instanceAttributes(id: string, input: InstanceAttributeInput | undefined): InstanceAttributes {
  const d = DEFAULT_INSTANCE_ATTRIBUTES;
  const defined = <T extends object>(o: T | undefined): Partial<T> =>
    Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
  const { systemDisk, billing, ...rest } = input ?? {};
  return {
    ...d,
    hostName: defaultHostName(id),
    ...defined(rest),
    systemDisk: { ...d.systemDisk, ...defined(systemDisk) },
    billing: { ...d.billing, ...defined(billing) },
  };
}

export interface InstanceView {
  instance: Instance;
  enis: Eni[];
  tags: Tag[];
}

export function runInstances(deps: ServiceDeps, caller: Caller, cmd: RunInstancesCommand): Promise<string[]> {
  const region = findRegion(deps, cmd.regionId);
  const type = findInstanceType(cmd.instanceType);
  if (!type) throw new DomainError('InstanceTypeNotFound', { instanceType: cmd.instanceType });
  if (cmd.amount < 1 || cmd.amount > 100) throw new DomainError('InvalidParameter', { name: 'amount', reason: '1..100' });
  if (cmd.privateIpAddress !== undefined && cmd.amount > 1)
    throw new DomainError('ParameterConflict', { names: 'privateIpAddress,amount' });
  if (cmd.ipv6 && 'addresses' in cmd.ipv6 && cmd.amount > 1) throw new DomainError('ParameterConflict', { names: 'ipv6Address,amount' });
  // The primary ENI is born InUse: the instance type's caps apply to its addresses, and to each secondary's.
  assertWithinAddressCap({ status: 'InUse' }, 6, 0, requestSize(cmd.ipv6), deps.limits, type);
  assertWithinAddressCap({ status: 'InUse' }, 4, 1, requestSize(cmd.primaryEni?.secondaryIpv4), deps.limits, type);
  const secondaries = cmd.secondaryEnis ?? [];
  for (const e of secondaries) assertWithinAddressCap({ status: 'InUse' }, 4, 1, requestSize(e.secondaryIpv4), deps.limits, type);
  if (1 + secondaries.length > type.eniQuantity) throw new DomainError('EniPerInstanceLimitExceeded', { max: type.eniQuantity });
  // A named address or an existing ENI can go to one instance only.
  if (cmd.amount > 1 && secondaries.some((e) => e.primaryIpAddress !== undefined || e.networkInterfaceId !== undefined))
    throw new DomainError('ParameterConflict', { names: 'networkInterface,amount' });
  const { clientToken, ...params } = cmd;
  return writeTx(
    deps,
    async (tx) => {
      await settleDueIn(deps, tx);
      return idempotent(deps, tx, caller, 'RunInstances', clientToken, params, async () => {
        const vsw = await loadVSwitch(tx, caller, region, cmd.vSwitchId);
        if (cmd.zoneId !== undefined && cmd.zoneId !== vsw.zoneId)
          throw new DomainError('ZoneMismatch', { zoneId: cmd.zoneId, vSwitchId: vsw.id });
        const groups = await loadSecurityGroups(tx, caller, region, cmd.securityGroupIds);
        assertSecurityGroupsFit(vsw.vpcId, groups, deps.limits);
        const resourceGroupId = await resolveResourceGroup(tx, caller, cmd.resourceGroupId);
        const made = await secondaryPlacements(deps, tx, caller, region, vsw, cmd, secondaries);
        const ids: string[] = [];
        for (let n = 0; n < cmd.amount; n++) {
          const now = deps.clock.nowMs();
          const due = dueTime(deps);
          const id = newResourceId('i', region.idPrefix, deps.rng);
          const stopped = cmd.initialStatus === 'Stopped';
          const instance: Instance = {
            id,
            accountId: caller.accountId,
            regionId: region.id,
            zoneId: vsw.zoneId,
            vpcId: vsw.vpcId,
            vSwitchId: vsw.id,
            resourceGroupId,
            name: cmd.name ?? '',
            instanceType: type.id,
            imageId: cmd.imageId ?? 'aliyun_3_x64_20G_alibase',
            ...instanceAttributes(id, cmd.attributes),
            status: stopped ? 'Stopped' : due === null ? 'Running' : 'Pending',
            transitionDueMs: stopped ? null : due,
            createdAt: isoTime(now),
          };
          await tx.instances.insert(instance);
          await tx.tags.put(
            { resourceType: 'instance', resourceId: instance.id, accountId: instance.accountId, regionId: instance.regionId },
            cmd.tags ?? [],
          );
          await insertEni(deps, tx, caller, {
            regionId: region.id,
            zoneId: vsw.zoneId,
            vpcId: vsw.vpcId,
            vSwitchId: vsw.id,
            resourceGroupId,
            name: cmd.primaryEni?.name ?? '',
            description: cmd.primaryEni?.description ?? '',
            type: 'Primary',
            status: 'InUse',
            instanceId: instance.id,
            pendingInstanceId: null,
            transitionDueMs: null,
            deviceIndex: 0,
            trunkEniId: null,
            deleteOnRelease: true,
            traffic: withTraffic(cmd.primaryEni?.traffic),
            sourceDestCheck: cmd.primaryEni?.sourceDestCheck ?? false,
            networkCardIndex: 0,
            securityGroupIds: groups.map((g) => g.id),
            tags: cmd.tags ?? [],
            primaryIpAddress: cmd.privateIpAddress,
            secondaryIpv4: cmd.primaryEni?.secondaryIpv4,
            ipv6: cmd.ipv6,
          });
          await attachSecondaries(deps, tx, caller, region, instance, made);
          ids.push(instance.id);
        }
        return ids;
      });
    },
    caller,
  );
}

const withTraffic = (t: Partial<EniTraffic> | undefined): EniTraffic => ({
  ...DEFAULT_ENI_TRAFFIC,
  ...Object.fromEntries(Object.entries(t ?? {}).filter(([, v]) => v !== undefined)),
});

/** A secondary NetworkInterface.N resolved once for all the instances: a new ENI's vSwitch and groups, or an existing ENI's id. */
type SecondaryPlacement = { existing: string } | { spec: RunInstanceEni; vSwitch: VSwitch; securityGroupIds: string[] };

async function secondaryPlacements(
  deps: ServiceDeps,
  tx: Tx,
  caller: Caller,
  region: Region,
  instanceVSwitch: VSwitch,
  cmd: RunInstancesCommand,
  secondaries: RunInstanceEni[],
): Promise<SecondaryPlacement[]> {
  const out: SecondaryPlacement[] = [];
  for (const spec of secondaries) {
    if (spec.networkInterfaceId !== undefined) {
      out.push({ existing: spec.networkInterfaceId });
      continue;
    }
    const vsw = spec.vSwitchId === undefined ? instanceVSwitch : await loadVSwitch(tx, caller, region, spec.vSwitchId);
    if (vsw.vpcId !== instanceVSwitch.vpcId) throw new DomainError('VpcMismatch', { vSwitchId: vsw.id, vpcId: instanceVSwitch.vpcId });
    if (vsw.zoneId !== instanceVSwitch.zoneId) throw new DomainError('ZoneMismatch', { zoneId: instanceVSwitch.zoneId, vSwitchId: vsw.id });
    const groups = await loadSecurityGroups(tx, caller, region, spec.securityGroupIds ?? cmd.securityGroupIds);
    assertSecurityGroupsFit(vsw.vpcId, groups, deps.limits);
    out.push({ spec, vSwitch: vsw, securityGroupIds: groups.map((g) => g.id) });
  }
  const creating = out.filter((x) => 'spec' in x).length * cmd.amount;
  if (creating > 0) {
    // As CreateNetworkInterface: the account's row lock makes the regional ENI count hold under races.
    await tx.accounts.lock(caller.accountId);
    if ((await tx.enis.countInRegion(caller.accountId, region.id)) + creating > deps.limits.enisPerRegion)
      throw new DomainError('EniPerRegionLimitExceeded', { max: deps.limits.enisPerRegion });
  }
  return out;
}

/** Each secondary NetworkInterface.N on a new instance, InUse at device index 1, 2 ... in N order. */
async function attachSecondaries(
  deps: ServiceDeps,
  tx: Tx,
  caller: Caller,
  region: Region,
  instance: Instance,
  placements: SecondaryPlacement[],
): Promise<void> {
  const type = findInstanceType(instance.instanceType)!;
  const onInstance: Eni[] = [...(await tx.enis.listByInstance(instance.id))];
  for (const [k, p] of placements.entries()) {
    const deviceIndex = k + 1;
    if ('existing' in p) {
      const eni = await loadEni(tx, caller, region, p.existing, { forUpdate: true });
      // The instance is being made: it takes ENIs as a Running one would.
      assertAttachable(eni, { ...instance, status: 'Running' }, type, onInstance.length, deps.limits);
      assertTrunkHost(eni, type, onInstance);
      const bound: Eni = {
        ...eni,
        status: 'InUse',
        instanceId: instance.id,
        pendingInstanceId: null,
        deviceIndex,
        networkCardIndex: 0,
        transitionDueMs: null,
      };
      await tx.enis.update(bound);
      onInstance.push(bound);
      continue;
    }
    const { spec } = p;
    onInstance.push(
      await insertEni(deps, tx, caller, {
        regionId: region.id,
        zoneId: p.vSwitch.zoneId,
        vpcId: p.vSwitch.vpcId,
        vSwitchId: p.vSwitch.id,
        resourceGroupId: instance.resourceGroupId,
        name: spec.name ?? '',
        description: spec.description ?? '',
        type: 'Secondary',
        status: 'InUse',
        instanceId: instance.id,
        pendingInstanceId: null,
        transitionDueMs: null,
        deviceIndex,
        trunkEniId: null,
        deleteOnRelease: spec.deleteOnRelease ?? true,
        traffic: withTraffic(spec.traffic),
        sourceDestCheck: spec.sourceDestCheck ?? false,
        networkCardIndex: spec.networkCardIndex ?? 0,
        securityGroupIds: p.securityGroupIds,
        tags: [],
        primaryIpAddress: spec.primaryIpAddress,
        secondaryIpv4: spec.secondaryIpv4,
      }),
    );
  }
}

export async function describeInstances(
  deps: ServiceDeps,
  caller: Caller,
  f: Omit<InstanceFilter, 'regionId'> & { regionId?: string },
  p: Paging,
): Promise<Page<InstanceView>> {
  const region = findRegion(deps, f.regionId);
  await settleDue(deps, caller);
  return readTx(deps, async (tx) => {
    const page = await tx.instances.list(
      caller.accountId,
      { ...f, regionId: region.id, resourceGroupId: await resourceGroupFilter(tx, caller, f.resourceGroupId) },
      p,
    );
    // The page's ENIs in two statements, not two an instance (200 for a page of 100: 22 s to list 10,000, bench/scale).
    const ids = page.items.map((i) => i.id);
    const tags = await tx.tags.of(ids);
    const enis = await tx.enis.listByInstances(ids);
    const items: InstanceView[] = page.items.map((instance) => ({
      instance,
      enis: enis.get(instance.id) ?? [],
      tags: tags.get(instance.id) ?? [],
    }));
    return { ...page, items };
  });
}

function changeState(
  deps: ServiceDeps,
  caller: Caller,
  cmd: { regionId?: string; instanceId: string },
  from: InstanceStatus,
  via: InstanceStatus,
  to: InstanceStatus,
): Promise<void> {
  return settledWriteTx(deps, caller, cmd.regionId, async (tx, region) => {
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
      await tx.enis.update(detached(eni));
    }
  }
}

/** Deletes a Stopped instance (any settled state with force), with its primary ENI; secondary ENIs are detached or deleted per DeleteOnRelease. */
export function deleteInstance(
  deps: ServiceDeps,
  caller: Caller,
  cmd: { regionId?: string; instanceId: string; force?: boolean },
): Promise<void> {
  return settledWriteTx(deps, caller, cmd.regionId, async (tx, region) => {
    const i = await loadInstance(tx, caller, region, cmd.instanceId, { forUpdate: true });
    const ok = i.status === 'Stopped' || (cmd.force === true && (i.status === 'Running' || i.status === 'Stopping'));
    if (!ok) throw new DomainError('InstanceStateInvalid', { instanceId: i.id, expected: 'Stopped', current: i.status });
    await releaseEnis(deps, tx, caller.accountId, i.id);
    await tx.instances.delete(i.id);
  });
}

/** One instance with its ENIs (DescribeInstanceAttribute and the other per-instance reads). */
export async function describeInstance(
  deps: ServiceDeps,
  caller: Caller,
  q: { regionId?: string; instanceId: string },
): Promise<InstanceView> {
  const region = findRegion(deps, q.regionId);
  await settleDue(deps);
  return readTx(deps, async (tx) => {
    const instance = await loadInstance(tx, caller, region, q.instanceId);
    return { instance, enis: await tx.enis.listByInstance(instance.id), tags: (await tx.tags.of([instance.id])).get(instance.id) ?? [] };
  });
}

export interface ModifyInstanceCommand {
  regionId?: string;
  instanceId: string;
  name?: string;
  description?: string;
  hostName?: string;
  userData?: string;
  deletionProtection?: boolean;
  creditSpecification?: string;
  /** replaces the primary ENI's security groups */
  securityGroupIds?: string[];
}

/** ModifyInstanceAttribute: the stored attributes, and the primary ENI's security groups. */
export function modifyInstance(deps: ServiceDeps, caller: Caller, cmd: ModifyInstanceCommand): Promise<void> {
  const region = findRegion(deps, cmd.regionId);
  return writeTx(
    deps,
    async (tx) => {
      await settleDueIn(deps, tx);
      const i = await loadInstance(tx, caller, region, cmd.instanceId, { forUpdate: true });
      const next: Instance = { ...i };
      if (cmd.name !== undefined) next.name = cmd.name;
      if (cmd.description !== undefined) next.description = cmd.description;
      if (cmd.hostName !== undefined) next.hostName = cmd.hostName;
      if (cmd.userData !== undefined) next.userData = cmd.userData;
      if (cmd.deletionProtection !== undefined) next.deletionProtection = cmd.deletionProtection;
      if (cmd.creditSpecification !== undefined) next.creditSpecification = cmd.creditSpecification;
      await tx.instances.update(next);
      if (cmd.securityGroupIds !== undefined) {
        const primary = (await tx.enis.listByInstance(i.id)).find((e) => e.type === 'Primary');
        if (primary) await replaceSecurityGroups(deps, tx, caller, region, primary.id, cmd.securityGroupIds);
      }
    },
    caller,
  );
}
