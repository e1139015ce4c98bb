// Every change to an ENI's addresses goes through here, so the three things
// that must move together always do: the address rows (unique per vSwitch),
// the security groups' IP counters (their capacity), and the free-space hint.
import { DomainError, isDomainError } from '../domain/errors.ts';
import { securityGroupCapacity } from '../domain/eni-rules.ts';
import type { Eni, IpFamily, VSwitch } from '../domain/model.ts';
import type { Tx } from '../store/store.ts';
import {
  allocateIpv4,
  allocateIpv4Prefixes,
  allocateIpv6,
  allocateIpv6Prefixes,
  ipv6BlockIndex,
  ipv6ToBigInt,
  parseIpv4,
  parseIpv4Prefix,
  parseIpv6Cidr,
  IPV4_BLOCK_SIZE,
  type Ipv4Request,
  type Ipv6Cidr,
  type PrefixRequest,
} from '../ipam/index.ts';
import { MAX_PREFIXES_PER_REQUEST } from '../domain/limits.ts';
import type { ServiceDeps } from './deps.ts';
import type { VSwitchCidrs } from './address-hints.ts';

/** Bounded re-picks when another writer takes an address between our pick and our insert. */
const MAX_PICK_ATTEMPTS = 8;

export type AddressRequest = { count: number } | { addresses: string[] };

function withVSwitch(e: unknown, vSwitchId: string): unknown {
  if (isDomainError(e) && e.code === 'VSwitchIpNotEnough') return new DomainError(e.code, { ...e.details, vSwitchId });
  return e;
}

/** Adds `delta` addresses to every group of the ENI, refusing to pass a group's capacity. */
export async function countInSecurityGroups(deps: ServiceDeps, tx: Tx, securityGroupIds: string[], delta: number): Promise<void> {
  if (delta === 0 || securityGroupIds.length === 0) return;
  const capacity = {
    normal: securityGroupCapacity({ type: 'normal' }, deps.limits),
    enterprise: securityGroupCapacity({ type: 'enterprise' }, deps.limits),
  };
  const over = await tx.securityGroups.adjustIpCount(securityGroupIds, delta, capacity);
  if (over) throw new DomainError('SecurityGroupIpCapacityExceeded', { securityGroupId: over.id, max: capacity[over.type] });
}

async function allocateV4(
  deps: ServiceDeps,
  tx: Tx,
  eni: Pick<Eni, 'id'>,
  vsw: VSwitchCidrs,
  request: Ipv4Request,
  primary: boolean,
): Promise<string[]> {
  let space = await deps.hints.space(tx, vsw);
  let refreshed = false;
  let conflicts = 0;
  const result: string[] = [];
  let pending: Ipv4Request = request;
  for (let attempt = 0; attempt < MAX_PICK_ATTEMPTS; attempt++) {
    let picks: string[];
    try {
      picks = allocateIpv4(space, pending, deps.rng);
    } catch (e) {
      // The hint may be stale (another process freed addresses): look again once before refusing.
      if (!refreshed && isDomainError(e) && (e.code === 'VSwitchIpNotEnough' || e.code === 'AddressInUse')) {
        space = await deps.hints.refresh(tx, vsw);
        refreshed = true;
        attempt--;
        continue;
      }
      throw withVSwitch(e, vsw.id);
    }
    const nums = picks.map(parseIpv4);
    for (const n of nums) space.take(n);
    const inserted = await tx.addresses.insert(
      picks.map((address, i) => ({ vSwitchId: vsw.id, eniId: eni.id, family: 4 as const, address, primary, ipv4Num: nums[i] })),
    );
    const insertedSet = new Set(inserted);
    const mine = nums.filter((_, i) => insertedSet.has(picks[i]));
    const s = space;
    tx.onRollback(() => {
      for (const n of mine) s.release(n);
    });
    result.push(...inserted);
    if (inserted.length === picks.length) return result;
    // Someone else holds what we picked: a named address is simply in use; a counted one is re-picked.
    const lost = picks.filter((a) => !insertedSet.has(a));
    if ('addresses' in request) throw new DomainError('AddressInUse', { address: lost[0] });
    // The lost picks are already marked taken in the hint; re-read the whole vSwitch only if it happens again.
    if (++conflicts >= 2 && !refreshed) {
      space = await deps.hints.refresh(tx, vsw);
      refreshed = true;
    }
    pending = { count: lost.length };
  }
  throw new DomainError('OperationConflict', { vSwitchId: vsw.id, reason: 'address contention' });
}

async function allocateV6(deps: ServiceDeps, tx: Tx, eni: Pick<Eni, 'id'>, vsw: VSwitchCidrs, request: AddressRequest): Promise<string[]> {
  if (!vsw.ipv6CidrBlock) throw new DomainError('VSwitchIpv6NotEnabled', { vSwitchId: vsw.id });
  const subnet = parseIpv6Cidr(vsw.ipv6CidrBlock, 64);
  const result: string[] = [];
  let pending = request;
  // Never inside an IPv6 prefix (PostgreSQL's trigger checks it too, under the /80's lock).
  const prefixBlocks = new Set(
    (await tx.prefixes.ipv6InVSwitch(vsw.id)).map((p) => ipv6BlockIndex(subnet, ipv6ToBigInt(p.split('/')[0]!)!)),
  );
  const inPrefix = (a: string) => prefixBlocks.size > 0 && prefixBlocks.has(ipv6BlockIndex(subnet, ipv6ToBigInt(a)!));
  // IPv6 is sparse (/64): random picks, and the database's uniqueness is the collision check.
  for (let attempt = 0; attempt < MAX_PICK_ATTEMPTS; attempt++) {
    const picks = allocateIpv6(subnet, pending, inPrefix, deps.rng);
    const inserted = await tx.addresses.insert(
      picks.map((address) => ({ vSwitchId: vsw.id, eniId: eni.id, family: 6 as const, address, primary: false, ipv4Num: null })),
    );
    result.push(...inserted);
    if (inserted.length === picks.length) return result;
    const insertedSet = new Set(inserted);
    const lost = picks.filter((a) => !insertedSet.has(a));
    if ('addresses' in request) throw new DomainError('AddressInUse', { address: lost[0] });
    pending = { count: lost.length };
  }
  throw new DomainError('OperationConflict', { vSwitchId: vsw.id, reason: 'address contention' });
}

/**
 * Allocates addresses for an ENI inside the caller's transaction and counts them
 * in the ENI's security groups. The caller has already checked the ENI's limits.
 */
export async function addAddresses(
  deps: ServiceDeps,
  tx: Tx,
  eni: Pick<Eni, 'id' | 'securityGroupIds'>,
  vsw: VSwitchCidrs,
  family: IpFamily,
  request: AddressRequest,
  opts: { primary?: boolean } = {},
): Promise<string[]> {
  const n = 'count' in request ? request.count : request.addresses.length;
  if (n === 0) return [];
  await countInSecurityGroups(deps, tx, eni.securityGroupIds, n);
  return family === 4 ? allocateV4(deps, tx, eni, vsw, request, opts.primary === true) : allocateV6(deps, tx, eni, vsw, request);
}

/** Removes named addresses from an ENI (already validated as its own, non-primary ones). */
export async function removeAddresses(deps: ServiceDeps, tx: Tx, eni: Eni, family: IpFamily, addresses: string[]): Promise<void> {
  if (addresses.length === 0) return;
  await tx.addresses.delete(eni.id, addresses);
  await countInSecurityGroups(deps, tx, eni.securityGroupIds, -addresses.length);
  if (family === 4) deps.hints.released(tx, eni.vSwitchId, addresses.map(parseIpv4));
}

/** Removes every address and prefix of an ENI that is going away. */
export async function removeAllAddresses(deps: ServiceDeps, tx: Tx, eni: Eni): Promise<void> {
  await tx.addresses.deleteAllOf(eni.id);
  await tx.prefixes.deleteAllOf(eni.id);
  await countInSecurityGroups(deps, tx, eni.securityGroupIds, -addressesHeld(eni));
  deps.hints.released(tx, eni.vSwitchId, [
    ...eni.addresses.filter((a) => a.family === 4).map((a) => parseIpv4(a.address)),
    ...eni.ipv4Prefixes.flatMap(prefixAddressNums),
  ]);
}

/**
 * What an ENI counts in each of its security groups: every address, and each prefix as one
 * (the security-group page counts "IPv4 prefixes, and IPv6 prefixes" in a basic group's
 * capacity; the IP prefix page counts each prefix as one address).
 */
export function addressesHeld(eni: Pick<Eni, 'addresses' | 'ipv4Prefixes' | 'ipv6Prefixes'>): number {
  return eni.addresses.length + eni.ipv4Prefixes.length + eni.ipv6Prefixes.length;
}

// --- IP prefixes: aligned /28 (IPv4) and /80 (IPv6) blocks. Rows unique per
// vSwitch; the store keeps them apart from address rows (store.ts says how).

/** The 16 addresses (uint32) of an IPv4 prefix. */
function prefixAddressNums(prefix: string): number[] {
  const first = parseIpv4Prefix(prefix);
  return first === undefined ? [] : Array.from({ length: IPV4_BLOCK_SIZE }, (_, i) => first + i);
}

async function allocateV4Prefixes(
  deps: ServiceDeps,
  tx: Tx,
  eni: Pick<Eni, 'id'>,
  vsw: VSwitchCidrs,
  request: PrefixRequest,
): Promise<string[]> {
  let space = await deps.hints.space(tx, vsw);
  let refreshed = false;
  let conflicts = 0;
  const result: string[] = [];
  let pending = request;
  for (let attempt = 0; attempt < MAX_PICK_ATTEMPTS; attempt++) {
    let picks: string[];
    try {
      picks = allocateIpv4Prefixes(space, pending, deps.rng);
    } catch (e) {
      // The hint may be stale (another process freed addresses): look again once before refusing.
      if (!refreshed && isDomainError(e) && (e.code === 'VSwitchIpNotEnough' || e.code === 'AddressInUse')) {
        space = await deps.hints.refresh(tx, vsw);
        refreshed = true;
        attempt--;
        continue;
      }
      throw withVSwitch(e, vsw.id);
    }
    const firsts = picks.map((p) => parseIpv4Prefix(p)!);
    for (const f of firsts) space.takeBlock(f);
    const inserted = await tx.prefixes.insert(
      picks.map((prefix, i) => ({ vSwitchId: vsw.id, eniId: eni.id, family: 4 as const, prefix, ipv4First: firsts[i]! })),
    );
    const insertedSet = new Set(inserted);
    const s = space;
    tx.onRollback(() => {
      for (const p of inserted) s.releaseBlock(parseIpv4Prefix(p)!);
    });
    result.push(...inserted);
    if (inserted.length === picks.length) return result;
    // An address or prefix another writer holds lies in what we picked.
    const lost = picks.filter((p) => !insertedSet.has(p));
    if ('prefixes' in request) throw new DomainError('AddressInUse', { address: lost[0] });
    if (++conflicts >= 2 && !refreshed) {
      space = await deps.hints.refresh(tx, vsw);
      refreshed = true;
    }
    pending = { count: lost.length };
  }
  throw new DomainError('OperationConflict', { vSwitchId: vsw.id, reason: 'prefix contention' });
}

/** The /80 blocks of a vSwitch's /64 that hold an IPv6 address or prefix. */
async function ipv6BlocksTaken(tx: Tx, vSwitchId: string, subnet: Ipv6Cidr): Promise<Set<number>> {
  const taken = new Set<number>();
  for (const text of [...(await tx.addresses.ipv6InVSwitch(vSwitchId)), ...(await tx.prefixes.ipv6InVSwitch(vSwitchId))]) {
    const value = ipv6ToBigInt(text.split('/')[0]!);
    const index = value === undefined ? undefined : ipv6BlockIndex(subnet, value);
    if (index !== undefined) taken.add(index);
  }
  return taken;
}

async function allocateV6Prefixes(
  deps: ServiceDeps,
  tx: Tx,
  eni: Pick<Eni, 'id'>,
  vsw: VSwitchCidrs,
  request: PrefixRequest,
): Promise<string[]> {
  if (!vsw.ipv6CidrBlock) throw new DomainError('VSwitchIpv6NotEnabled', { vSwitchId: vsw.id });
  const subnet = parseIpv6Cidr(vsw.ipv6CidrBlock, 64);
  const blockOf = (prefix: string) => ipv6BlockIndex(subnet, ipv6ToBigInt(prefix.split('/')[0]!)!)!;
  let taken = await ipv6BlocksTaken(tx, vsw.id, subnet);
  const result: string[] = [];
  let pending = request;
  for (let attempt = 0; attempt < MAX_PICK_ATTEMPTS; attempt++) {
    const picks = allocateIpv6Prefixes(subnet, pending, (index) => taken.has(index), deps.rng);
    // PostgreSQL: the insert takes each /80's lock, so the look below sees every address inside it.
    const inserted = await tx.prefixes.insert(
      picks.map((prefix) => ({ vSwitchId: vsw.id, eniId: eni.id, family: 6 as const, prefix, ipv4First: null })),
    );
    taken = await ipv6BlocksTaken(tx, vsw.id, subnet);
    const holdingAddresses = new Set((await tx.addresses.ipv6InVSwitch(vsw.id)).map((a) => blockOf(`${a}/80`)));
    const overlapping = inserted.filter((p) => holdingAddresses.has(blockOf(p)));
    if (overlapping.length > 0) await tx.prefixes.delete(eni.id, overlapping);
    const kept = inserted.filter((p) => !overlapping.includes(p));
    result.push(...kept);
    if (kept.length === picks.length) return result;
    const lost = picks.filter((p) => !kept.includes(p));
    if ('prefixes' in request) throw new DomainError('AddressInUse', { address: lost[0] });
    pending = { count: lost.length };
  }
  throw new DomainError('OperationConflict', { vSwitchId: vsw.id, reason: 'prefix contention' });
}

export function prefixRequestSize(r: PrefixRequest | undefined): number {
  return r === undefined ? 0 : 'count' in r ? r.count : r.prefixes.length;
}

/** A prefix request's size must be 1..10 (the api layer reads it so; the service says it once more). */
export function assertPrefixRequestSize(family: IpFamily, r: PrefixRequest | undefined): void {
  const n = prefixRequestSize(r);
  if (r !== undefined && (n < 1 || n > MAX_PREFIXES_PER_REQUEST)) {
    throw new DomainError('InvalidParameter', {
      name: family === 4 ? 'ipv4PrefixCount' : 'ipv6PrefixCount',
      reason: `1..${MAX_PREFIXES_PER_REQUEST}`,
    });
  }
}

/**
 * Assigns prefixes to an ENI inside the caller's transaction and counts each as one address in the
 * ENI's security groups. The caller has already checked the ENI's limits.
 */
export async function addPrefixes(
  deps: ServiceDeps,
  tx: Tx,
  eni: Pick<Eni, 'id' | 'securityGroupIds'>,
  vsw: VSwitchCidrs,
  family: IpFamily,
  request: PrefixRequest,
): Promise<string[]> {
  await countInSecurityGroups(deps, tx, eni.securityGroupIds, prefixRequestSize(request));
  return family === 4 ? allocateV4Prefixes(deps, tx, eni, vsw, request) : allocateV6Prefixes(deps, tx, eni, vsw, request);
}

/** Removes named prefixes from an ENI (already validated as its own). */
export async function removePrefixes(deps: ServiceDeps, tx: Tx, eni: Eni, family: IpFamily, prefixes: string[]): Promise<void> {
  if (prefixes.length === 0) return;
  await tx.prefixes.delete(eni.id, prefixes);
  await countInSecurityGroups(deps, tx, eni.securityGroupIds, -prefixes.length);
  if (family === 4) deps.hints.released(tx, eni.vSwitchId, prefixes.flatMap(prefixAddressNums));
}
