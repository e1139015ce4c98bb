// VPCs, vSwitches and security groups: create, describe, delete.
import { DomainError } from '../domain/errors.ts';
import { newResourceId } from '../domain/ids.ts';
import { isoTime } from '../domain/ports.ts';
import type { SecurityGroup, SecurityGroupType, Vpc, VSwitch } from '../domain/model.ts';
import type { NetworkFilter, Page, Paging } from '../store/store.ts';
import {
  cidrContains,
  cidrsOverlap,
  formatIpv4Cidr,
  ipv6SubnetOfVpc,
  parseIpv4Cidr,
  parseIpv6Cidr,
  randomVpcIpv6Block,
  usableIpv4Count,
} from '../ipam/index.ts';
import { assertZone, findRegion, readTx, writeTx, type Caller, type ServiceDeps } from './deps.ts';
import { resolveResourceGroup, resourceGroupFilter } from './resource-groups.ts';
import { idempotent } from './client-token.ts';
import { loadSecurityGroup, loadVpc, loadVSwitch } from './load.ts';
import { withTags } from './tags.ts';
import type { Tag } from '../domain/tags.ts';

/** Ranges a VPC may not use (the VPC API's list). */
const FORBIDDEN_VPC_RANGES = ['100.64.0.0/10', '224.0.0.0/4', '127.0.0.0/8', '169.254.0.0/16'].map((c) =>
  parseIpv4Cidr(c, { minPrefix: 1, maxPrefix: 32 }),
);
/** The lab is a real network on this host: it only ever uses the benchmarking range. */
const LAB_RANGE = parseIpv4Cidr('198.18.0.0/15', { minPrefix: 1, maxPrefix: 32 });

export interface CreateVpcCommand {
  regionId?: string;
  cidrBlock?: string;
  name?: string;
  description?: string;
  enableIpv6?: boolean;
  resourceGroupId?: string;
  tags?: Tag[];
}

export function createVpc(deps: ServiceDeps, caller: Caller, cmd: CreateVpcCommand): Promise<Vpc> {
  const region = findRegion(deps, cmd.regionId);
  const cidr = parseIpv4Cidr(cmd.cidrBlock ?? (deps.labMode ? '198.18.0.0/16' : '172.16.0.0/12'), { minPrefix: 8, maxPrefix: 28 });
  if (FORBIDDEN_VPC_RANGES.some((r) => cidrsOverlap(r, cidr)))
    throw new DomainError('CidrInvalid', { cidr: formatIpv4Cidr(cidr), reason: 'reserved range' });
  if (deps.labMode && !cidrContains(LAB_RANGE, cidr))
    throw new DomainError('CidrInvalid', { cidr: formatIpv4Cidr(cidr), reason: 'lab mode needs a VPC inside 198.18.0.0/15' });
  return writeTx(
    deps,
    async (tx) => {
      const vpc: Vpc = {
        id: newResourceId('vpc', region.idPrefix, deps.rng),
        accountId: caller.accountId,
        regionId: region.id,
        resourceGroupId: await resolveResourceGroup(tx, caller, cmd.resourceGroupId),
        name: cmd.name ?? '',
        description: cmd.description ?? '',
        cidrBlock: formatIpv4Cidr(cidr),
        ipv6CidrBlock: cmd.enableIpv6 ? randomVpcIpv6Block(deps.rng).prefix + '/56' : null,
        status: 'Available',
        createdAt: isoTime(deps.clock.nowMs()),
      };
      await tx.vpcs.insert(vpc);
      await tx.tags.put({ resourceType: 'vpc', resourceId: vpc.id, accountId: vpc.accountId, regionId: vpc.regionId }, cmd.tags ?? []);
      return vpc;
    },
    caller,
  );
}

export function describeVpcs(
  deps: ServiceDeps,
  caller: Caller,
  f: Omit<NetworkFilter, 'regionId'> & { regionId?: string },
  p: Paging,
): Promise<Page<Vpc & { tags: Tag[] }>> {
  const region = findRegion(deps, f.regionId);
  return readTx(deps, async (tx) => {
    const page = await tx.vpcs.list(
      caller.accountId,
      { ...f, regionId: region.id, resourceGroupId: await resourceGroupFilter(tx, caller, f.resourceGroupId) },
      p,
    );
    return { ...page, items: await withTags(tx, page.items) };
  });
}

export async function deleteVpc(
  deps: ServiceDeps,
  caller: Caller,
  cmd: { regionId?: string; vpcId: string; clientToken?: string },
): Promise<void> {
  const region = findRegion(deps, cmd.regionId);
  const { clientToken, ...params } = cmd;
  await writeTx(
    deps,
    (tx) =>
      idempotent(deps, tx, caller, 'DeleteVpc', clientToken, params, async () => {
        const vpc = await loadVpc(tx, caller, region, cmd.vpcId);
        const deps_ = await tx.vpcs.dependents(caller.accountId, vpc.id);
        if (deps_.vSwitches > 0) throw new DomainError('DependencyViolation', { resource: 'vpc', dependent: 'vswitch', vpcId: vpc.id });
        if (deps_.securityGroups > 0)
          throw new DomainError('DependencyViolation', { resource: 'vpc', dependent: 'securitygroup', vpcId: vpc.id });
        await tx.vpcs.delete(caller.accountId, vpc.id);
        return true;
      }),
    caller,
  );
}

export interface CreateVSwitchCommand {
  regionId?: string;
  vpcId: string;
  zoneId: string;
  cidrBlock: string;
  ipv6CidrBlock?: number;
  name?: string;
  description?: string;
  resourceGroupId?: string;
  tags?: Tag[];
}

export function createVSwitch(deps: ServiceDeps, caller: Caller, cmd: CreateVSwitchCommand): Promise<VSwitch> {
  const region = findRegion(deps, cmd.regionId);
  assertZone(region, cmd.zoneId);
  const cidr = parseIpv4Cidr(cmd.cidrBlock, { minPrefix: 16, maxPrefix: 29 });
  return writeTx(
    deps,
    async (tx) => {
      // Locking the VPC makes racing CreateVSwitch calls check overlaps one at a time.
      const vpc = await loadVpc(tx, caller, region, cmd.vpcId, { forUpdate: true });
      if (!cidrContains(parseIpv4Cidr(vpc.cidrBlock), cidr))
        throw new DomainError('CidrInvalid', { cidr: cmd.cidrBlock, reason: 'not inside the VPC CIDR block' });
      const siblings = await tx.vSwitches.listByVpc(vpc.id);
      const clash = siblings.find((s) => cidrsOverlap(parseIpv4Cidr(s.cidrBlock), cidr));
      if (clash) throw new DomainError('CidrOverlap', { cidr: cmd.cidrBlock, vSwitchId: clash.id });
      let ipv6: string | null = null;
      if (cmd.ipv6CidrBlock !== undefined) {
        if (!vpc.ipv6CidrBlock) throw new DomainError('VpcIpv6NotEnabled', { vpcId: vpc.id });
        const subnet = ipv6SubnetOfVpc(parseIpv6Cidr(vpc.ipv6CidrBlock, 56), cmd.ipv6CidrBlock);
        ipv6 = `${subnet.prefix}/64`;
        if (siblings.some((s) => s.ipv6CidrBlock === ipv6)) throw new DomainError('CidrOverlap', { cidr: ipv6 });
      }
      const vsw: VSwitch = {
        id: newResourceId('vsw', region.idPrefix, deps.rng),
        accountId: caller.accountId,
        regionId: region.id,
        vpcId: vpc.id,
        zoneId: cmd.zoneId,
        resourceGroupId: await resolveResourceGroup(tx, caller, cmd.resourceGroupId ?? vpc.resourceGroupId),
        name: cmd.name ?? '',
        description: cmd.description ?? '',
        cidrBlock: formatIpv4Cidr(cidr),
        ipv6CidrBlock: ipv6,
        status: 'Available',
        createdAt: isoTime(deps.clock.nowMs()),
      };
      await tx.vSwitches.insert(vsw);
      await tx.tags.put({ resourceType: 'vswitch', resourceId: vsw.id, accountId: vsw.accountId, regionId: vsw.regionId }, cmd.tags ?? []);
      return vsw;
    },
    caller,
  );
}

export interface VSwitchView extends VSwitch {
  availableIpAddressCount: number;
  tags: Tag[];
}

export function describeVSwitches(
  deps: ServiceDeps,
  caller: Caller,
  f: Omit<NetworkFilter, 'regionId'> & { regionId?: string },
  p: Paging,
): Promise<Page<VSwitchView>> {
  const region = findRegion(deps, f.regionId);
  return readTx(deps, async (tx) => {
    const page = await tx.vSwitches.list(
      caller.accountId,
      { ...f, regionId: region.id, resourceGroupId: await resourceGroupFilter(tx, caller, f.resourceGroupId) },
      p,
    );
    const items = [];
    for (const v of await withTags(tx, page.items)) {
      const used = await tx.vSwitches.addressCount(v.id, 4);
      items.push({ ...v, availableIpAddressCount: usableIpv4Count(parseIpv4Cidr(v.cidrBlock)) - used });
    }
    return { ...page, items };
  });
}

export function deleteVSwitch(deps: ServiceDeps, caller: Caller, cmd: { regionId?: string; vSwitchId: string }): Promise<void> {
  const region = findRegion(deps, cmd.regionId);
  return writeTx(
    deps,
    async (tx) => {
      const vsw = await loadVSwitch(tx, caller, region, cmd.vSwitchId);
      if ((await tx.vSwitches.enis(vsw.id)) > 0)
        throw new DomainError('DependencyViolation', { resource: 'vswitch', dependent: 'eni', vSwitchId: vsw.id });
      await tx.vSwitches.delete(caller.accountId, vsw.id);
      tx.onCommit(() => deps.hints.forget(vsw.id));
    },
    caller,
  );
}

export interface CreateSecurityGroupCommand {
  regionId?: string;
  vpcId: string;
  name?: string;
  description?: string;
  type?: SecurityGroupType;
  resourceGroupId?: string;
  tags?: Tag[];
}

export function createSecurityGroup(deps: ServiceDeps, caller: Caller, cmd: CreateSecurityGroupCommand): Promise<SecurityGroup> {
  const region = findRegion(deps, cmd.regionId);
  return writeTx(
    deps,
    async (tx) => {
      const vpc = await loadVpc(tx, caller, region, cmd.vpcId);
      const g: SecurityGroup = {
        id: newResourceId('sg', region.idPrefix, deps.rng),
        accountId: caller.accountId,
        regionId: region.id,
        vpcId: vpc.id,
        resourceGroupId: await resolveResourceGroup(tx, caller, cmd.resourceGroupId),
        name: cmd.name ?? '',
        description: cmd.description ?? '',
        type: cmd.type ?? 'normal',
        ipCount: 0,
        createdAt: isoTime(deps.clock.nowMs()),
      };
      await tx.securityGroups.insert(g);
      await tx.tags.put({ resourceType: 'securitygroup', resourceId: g.id, accountId: g.accountId, regionId: g.regionId }, cmd.tags ?? []);
      return g;
    },
    caller,
  );
}

export function describeSecurityGroups(
  deps: ServiceDeps,
  caller: Caller,
  f: Omit<NetworkFilter, 'regionId'> & { regionId?: string },
  p: Paging,
): Promise<Page<SecurityGroup & { tags: Tag[] }>> {
  const region = findRegion(deps, f.regionId);
  return readTx(deps, async (tx) => {
    const page = await tx.securityGroups.list(
      caller.accountId,
      { ...f, regionId: region.id, resourceGroupId: await resourceGroupFilter(tx, caller, f.resourceGroupId) },
      p,
    );
    return { ...page, items: await withTags(tx, page.items) };
  });
}

export function deleteSecurityGroup(deps: ServiceDeps, caller: Caller, cmd: { regionId?: string; securityGroupId: string }): Promise<void> {
  const region = findRegion(deps, cmd.regionId);
  return writeTx(
    deps,
    async (tx) => {
      const g = await loadSecurityGroup(tx, caller, region, cmd.securityGroupId);
      if ((await tx.securityGroups.enis(g.id)) > 0)
        throw new DomainError('DependencyViolation', { resource: 'securitygroup', dependent: 'eni', securityGroupId: g.id });
      await tx.securityGroups.delete(caller.accountId, g.id);
    },
    caller,
  );
}

/** One VPC with its vSwitch ids (DescribeVpcAttribute, DescribeRouteTableList). */
export function describeVpc(
  deps: ServiceDeps,
  caller: Caller,
  q: { regionId?: string; vpcId: string },
): Promise<{ vpc: Vpc & { tags: Tag[] }; vSwitchIds: string[] }> {
  const region = findRegion(deps, q.regionId);
  return readTx(deps, async (tx) => {
    const vpc = await tx.vpcs.get(caller.accountId, q.vpcId);
    if (!vpc || vpc.regionId !== region.id) throw new DomainError('VpcNotFound', { vpcId: q.vpcId });
    return { vpc: (await withTags(tx, [vpc]))[0], vSwitchIds: (await tx.vSwitches.listByVpc(vpc.id)).map((s) => s.id).sort() };
  });
}

/** The ids of each VPC's vSwitches (its first 150, as DescribeVSwitches lists them), for DescribeVpcs and DescribeRouteTableList. */
export async function vSwitchIdsOf(deps: ServiceDeps, caller: Caller, vpcs: readonly Vpc[]): Promise<string[][]> {
  const out: string[][] = [];
  for (const v of vpcs) {
    const vsws = await describeVSwitches(deps, caller, { regionId: v.regionId, vpcId: v.id }, { limit: 150 });
    out.push(vsws.items.map((s) => s.id));
  }
  return out;
}

/** One vSwitch with its free address count (DescribeVSwitchAttributes). */
export function describeVSwitch(deps: ServiceDeps, caller: Caller, q: { regionId?: string; vSwitchId: string }): Promise<VSwitchView> {
  const region = findRegion(deps, q.regionId);
  return readTx(deps, async (tx) => {
    const v = await tx.vSwitches.get(caller.accountId, q.vSwitchId);
    if (!v || v.regionId !== region.id) throw new DomainError('VSwitchNotFound', { vSwitchId: q.vSwitchId });
    const used = await tx.vSwitches.addressCount(v.id, 4);
    return { ...(await withTags(tx, [v]))[0], availableIpAddressCount: usableIpv4Count(parseIpv4Cidr(v.cidrBlock)) - used };
  });
}

/** One security group (DescribeSecurityGroupAttribute). */
export function describeSecurityGroup(
  deps: ServiceDeps,
  caller: Caller,
  q: { regionId?: string; securityGroupId: string },
): Promise<SecurityGroup> {
  const region = findRegion(deps, q.regionId);
  return readTx(deps, async (tx) => {
    const g = await tx.securityGroups.get(caller.accountId, q.securityGroupId);
    if (!g || g.regionId !== region.id) throw new DomainError('SecurityGroupNotFound', { securityGroupId: q.securityGroupId });
    return g;
  });
}

export type NetworkResource = 'vpc' | 'vswitch' | 'securitygroup';

/** ModifyVpcAttribute, ModifyVSwitchAttribute, ModifySecurityGroupAttribute: name and description (undefined: unchanged). */
export function renameNetworkResource(
  deps: ServiceDeps,
  caller: Caller,
  cmd: { regionId?: string; kind: NetworkResource; id: string; name?: string; description?: string },
): Promise<void> {
  const region = findRegion(deps, cmd.regionId);
  return writeTx(
    deps,
    async (tx) => {
      const repo = cmd.kind === 'vpc' ? tx.vpcs : cmd.kind === 'vswitch' ? tx.vSwitches : tx.securityGroups;
      const r = await repo.get(caller.accountId, cmd.id);
      if (!r || r.regionId !== region.id) {
        if (cmd.kind === 'vpc') throw new DomainError('VpcNotFound', { vpcId: cmd.id });
        if (cmd.kind === 'vswitch') throw new DomainError('VSwitchNotFound', { vSwitchId: cmd.id });
        throw new DomainError('SecurityGroupNotFound', { securityGroupId: cmd.id });
      }
      await repo.rename(caller.accountId, r.id, cmd.name ?? r.name, cmd.description ?? r.description);
    },
    caller,
  );
}
