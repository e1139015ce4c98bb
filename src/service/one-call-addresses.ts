// The assign/unassign fast path where the store offers one (PostgreSQL): the
// request becomes one call — pick, insert, limit checks, counters and the
// signature nonce in one statement — instead of a dozen statements in a
// transaction holding row locks across round trips. It succeeds only where the
// general path (eni-addresses.ts) would succeed the same way; anything else
// (an error to report, a transition to settle, an ENI this process has not
// seen yet) answers undefined and the general path runs. By count or named
// addresses, IPv4 or IPv6, with or without a ClientToken (migration 018).
import { INSTANCE_TYPES } from '../domain/instance-types.ts';
import { securityGroupCapacity } from '../domain/eni-rules.ts';
import type { IpFamily, Region } from '../domain/model.ts';
import type { CallClientToken, CallNonce, OneCallLimits } from '../store/store.ts';
import { allocateIpv4, allocateIpv6, parseIpv4, parseIpv6Cidr } from '../ipam/index.ts';
import type { Caller, ServiceDeps } from './deps.ts';
import type { AddressRequest } from './address-book.ts';
import { assertClientToken, clientTokenParamsHash } from './client-token.ts';

/** Candidates beyond the count: spares for picks another process took meanwhile. */
const SPARE_CANDIDATES = 4;

const typeCaps: Readonly<Record<string, readonly [number, number]>> = Object.freeze(
  Object.fromEntries([...INSTANCE_TYPES.values()].map((t) => [t.id, [t.eniPrivateIpAddressQuantity, t.eniIpv6AddressQuantity] as const])),
);

const limitsByDeps = new WeakMap<ServiceDeps['limits'], Record<IpFamily, OneCallLimits>>();
function oneCallLimits(deps: ServiceDeps, family: IpFamily): OneCallLimits {
  let l = limitsByDeps.get(deps.limits);
  if (!l) {
    const securityGroupCapacity_ = {
      normal: securityGroupCapacity({ type: 'normal' }, deps.limits),
      enterprise: securityGroupCapacity({ type: 'enterprise' }, deps.limits),
    };
    l = {
      4: { availableCap: deps.limits.availableEniMaxIpv4, typeCaps, securityGroupCapacity: securityGroupCapacity_ },
      6: { availableCap: deps.limits.availableEniMaxIpv6, typeCaps, securityGroupCapacity: securityGroupCapacity_ },
    };
    limitsByDeps.set(deps.limits, l);
  }
  return l[family];
}

/** The request's nonce when it still has to be recorded; marked recorded once the call committed it. */
function pendingNonce(caller: Caller): CallNonce | undefined {
  const n = caller.nonce;
  return n && !n.recorded ? n : undefined;
}

/** The request's ClientToken as the one-call functions check and store it; undefined when none. */
function callToken(deps: ServiceDeps, action: string, token: string | undefined, params: unknown): CallClientToken | undefined {
  if (token === undefined) return undefined;
  return { action, token, paramsHash: clientTokenParamsHash(params), nowMs: deps.clock.nowMs() };
}

/** A ClientToken the general path would refuse (it answers the error). */
function badToken(token: string | undefined): boolean {
  if (token === undefined) return false;
  try {
    assertClientToken(token);
    return false;
  } catch {
    return true;
  }
}

/** The candidates of one try: picks from the hint (or the named addresses, checked as the general path checks them). */
type Picks = { candidates: string[]; nums: number[] | null } | undefined;

/**
 * Assign in one call: by count or named addresses, IPv4 or IPv6, with or without a ClientToken (its
 * parameters as the general path hashes them). undefined: take the general path, which answers.
 */
export async function assignInOneCall(
  deps: ServiceDeps,
  caller: Caller,
  region: Region,
  family: IpFamily,
  action: string,
  eniId: string,
  request: AddressRequest,
  clientToken: string | undefined,
  params: unknown,
): Promise<string[] | undefined> {
  const oneCall = deps.store.oneCall;
  if (!oneCall || badToken(clientToken)) return undefined;
  const named = 'addresses' in request;
  const count = named ? request.addresses.length : request.count;
  let pick: (attempt: number) => Promise<Picks>;
  let taken: (addresses: string[]) => void = () => undefined;
  if (family === 4) {
    const known = deps.hints.knownEni(eniId);
    if (!known) return undefined;
    let { space } = known;
    taken = (addresses) => {
      for (const a of addresses) space.take(parseIpv4(a));
    };
    pick = async (attempt) => {
      // Every candidate was taken by another process: read the vSwitch again, once.
      if (attempt > 0) space = await deps.store.transaction((tx) => deps.hints.refresh(tx, known.vSwitch), { readOnly: true });
      let candidates: string[];
      if (named) {
        try {
          candidates = allocateIpv4(space, request, deps.rng);
        } catch {
          return undefined; // out of the vSwitch, repeated, in use as far as the hint knows: the general path says which
        }
      } else {
        const want = Math.min(count + SPARE_CANDIDATES, space.freeCount());
        if (want < count) return undefined; // maybe full: the general path refreshes the hint and answers
        candidates = allocateIpv4(space, { count: want }, deps.rng);
      }
      return { candidates, nums: candidates.map(parseIpv4) };
    };
  } else {
    const vsw = deps.hints.knownVSwitch(eniId);
    if (!vsw?.ipv6CidrBlock) return undefined;
    const subnet = parseIpv6Cidr(vsw.ipv6CidrBlock, 64);
    // IPv6 is sparse (/64): random picks, the database's uniqueness is the collision check, as on the general path.
    pick = async () => {
      try {
        return { candidates: allocateIpv6(subnet, request, () => false, deps.rng), nums: null };
      } catch {
        return undefined;
      }
    };
  }
  const vSwitchId = family === 4 ? deps.hints.knownEni(eniId)!.vSwitch.id : deps.hints.knownVSwitch(eniId)!.id;
  const token = callToken(deps, action, clientToken, params);
  for (let attempt = 0; attempt < 2; attempt++) {
    const p = await pick(attempt);
    if (!p) return undefined;
    const nonce = pendingNonce(caller);
    const r = await oneCall.assign({
      accountId: caller.accountId,
      regionId: region.id,
      eniId,
      vSwitchId,
      family,
      count,
      candidates: p.candidates,
      ipv4Nums: p.nums,
      named,
      limits: oneCallLimits(deps, family),
      nonce,
      clientToken: token,
    });
    if (r.kind === 'general') return undefined;
    if (r.kind === 'done') {
      if (nonce) caller.nonce!.recorded = true;
      taken(r.addresses);
      return r.addresses;
    }
    if (named) return undefined; // (named candidates are never "taken": ENI01)
  }
  return undefined;
}

/** Unassign in one call (a ClientToken too: its parameters as the general path hashes them); false: take the general path. */
export async function unassignInOneCall(
  deps: ServiceDeps,
  caller: Caller,
  region: Region,
  family: IpFamily,
  action: string,
  eniId: string,
  addresses: string[],
  clientToken: string | undefined,
  params: unknown,
): Promise<boolean> {
  const oneCall = deps.store.oneCall;
  if (!oneCall || badToken(clientToken)) return false;
  const nonce = pendingNonce(caller);
  const r = await oneCall.unassign({
    accountId: caller.accountId,
    regionId: region.id,
    eniId,
    family,
    addresses,
    nonce,
    clientToken: callToken(deps, action, clientToken, params),
  });
  if (r.kind === 'general') return false;
  if (nonce) caller.nonce!.recorded = true;
  if (family === 4 && r.vSwitchId !== null) deps.hints.releasedNow(r.vSwitchId, addresses.map(parseIpv4));
  return true;
}
