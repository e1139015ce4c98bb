// The assign/unassign fast path where the store offers one (PostgreSQL): the
// request becomes one call — pick, insert, limit checks, counters and the
// signature nonce in one statement — instead of a dozen statements in a
// transaction holding row locks across round trips. It succeeds only where the
// general path (eni-addresses.ts) would succeed the same way; anything else
// (an error to report, a transition to settle, a ClientToken, an ENI this
// process has not seen yet) answers undefined and the general path runs.
import { INSTANCE_TYPES } from '../domain/instance-types.ts';
import { securityGroupCapacity } from '../domain/eni-rules.ts';
import type { IpFamily, Region } from '../domain/model.ts';
import type { CallNonce, OneCallLimits } from '../store/store.ts';
import { allocateIpv4, parseIpv4 } from '../ipam/index.ts';
import type { Caller, ServiceDeps } from './deps.ts';

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

/** Automatic IPv4 assign by count in one call; undefined: take the general path. */
export async function assignIpv4InOneCall(
  deps: ServiceDeps,
  caller: Caller,
  region: Region,
  eniId: string,
  count: number,
): Promise<string[] | undefined> {
  const oneCall = deps.store.oneCall;
  const known = deps.hints.knownEni(eniId);
  if (!oneCall || !known) return undefined;
  let { space } = known;
  for (let attempt = 0; attempt < 2; attempt++) {
    const want = Math.min(count + SPARE_CANDIDATES, space.freeCount());
    if (want < count) return undefined; // maybe full: the general path refreshes the hint and answers
    const candidates = allocateIpv4(space, { count: want }, deps.rng);
    const nums = candidates.map(parseIpv4);
    const nonce = pendingNonce(caller);
    const r = await oneCall.assign({
      accountId: caller.accountId,
      regionId: region.id,
      eniId,
      vSwitchId: known.vSwitch.id,
      family: 4,
      count,
      candidates,
      ipv4Nums: nums,
      limits: oneCallLimits(deps, 4),
      nonce,
    });
    if (r.kind === 'general') return undefined;
    if (r.kind === 'done') {
      if (nonce) caller.nonce!.recorded = true;
      for (const a of r.addresses) space.take(parseIpv4(a));
      return r.addresses;
    }
    // Every candidate was taken by another process: read the vSwitch again, once.
    const vsw = known.vSwitch;
    space = await deps.store.transaction((tx) => deps.hints.refresh(tx, vsw), { readOnly: true });
  }
  return undefined;
}

/** Unassign in one call; false: take the general path. */
export async function unassignInOneCall(
  deps: ServiceDeps,
  caller: Caller,
  region: Region,
  family: IpFamily,
  eniId: string,
  addresses: string[],
): Promise<boolean> {
  const oneCall = deps.store.oneCall;
  if (!oneCall) return false;
  const nonce = pendingNonce(caller);
  const r = await oneCall.unassign({ accountId: caller.accountId, regionId: region.id, eniId, family, addresses, nonce });
  if (r.kind === 'general') return false;
  if (nonce) caller.nonce!.recorded = true;
  if (family === 4) deps.hints.releasedNow(r.vSwitchId, addresses.map(parseIpv4));
  return true;
}
