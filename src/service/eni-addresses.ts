// AssignPrivateIpAddresses, UnassignPrivateIpAddresses, AssignIpv6Addresses,
// UnassignIpv6Addresses: one transaction each, limits checked against the
// ENI's state and (when bound) its instance type, all or nothing.
import { DomainError } from '../domain/errors.ts';
import { assertAddressCapacity, assertAddressesChangeable } from '../domain/eni-rules.ts';
import type { IpFamily } from '../domain/model.ts';
import {
  canonicalIpv6,
  canonicalIpv6Prefix,
  formatIpv4,
  formatIpv4Prefix,
  parseIpv4,
  parseIpv4Prefix,
  type PrefixRequest,
} from '../ipam/index.ts';
import {
  addAddresses,
  addPrefixes,
  assertPrefixRequestSize,
  prefixRequestSize,
  removeAddresses,
  removePrefixes,
  type AddressRequest,
} from './address-book.ts';
import { idempotent } from './client-token.ts';
import { findRegion, writeTx, type Caller, type ServiceDeps } from './deps.ts';
import { boundInstance, eniVSwitchCidrs, instanceTypeOf, loadEni } from './load.ts';
import { requestSize } from './create-eni.ts';
import { settleDueIn } from './transitions.ts';
import { assignIpv4InOneCall, unassignInOneCall } from './one-call-addresses.ts';

/** Addresses or prefixes of one family (the api layer refuses both in one call). */
export interface AssignCommand {
  regionId?: string;
  eniId: string;
  request?: AddressRequest;
  prefixes?: PrefixRequest;
  clientToken?: string;
}
export interface AssignResult {
  eniId: string;
  addresses: string[];
  prefixes: string[];
}

async function assign(deps: ServiceDeps, caller: Caller, family: IpFamily, action: string, cmd: AssignCommand): Promise<AssignResult> {
  const region = findRegion(deps, cmd.regionId);
  const n = requestSize(cmd.request);
  if (cmd.request === undefined && cmd.prefixes === undefined) {
    throw new DomainError('MissingParameter', { name: family === 4 ? 'secondaryIpv4Count' : 'ipv6Count' });
  }
  if (cmd.request !== undefined && (n < 1 || n > deps.limits.maxAddressesPerRequest)) {
    throw new DomainError('InvalidParameter', {
      name: family === 4 ? 'secondaryIpv4Count' : 'ipv6Count',
      reason: `1..${deps.limits.maxAddressesPerRequest}`,
    });
  }
  assertPrefixRequestSize(family, cmd.prefixes);
  const adding = n + prefixRequestSize(cmd.prefixes);
  const { clientToken, ...params } = cmd;
  if (family === 4 && clientToken === undefined && cmd.request && 'count' in cmd.request && cmd.prefixes === undefined) {
    const done = await assignIpv4InOneCall(deps, caller, region, cmd.eniId, n);
    if (done) return { eniId: cmd.eniId, addresses: done, prefixes: [] };
  }
  return writeTx(
    deps,
    async (tx) => {
      await settleDueIn(deps, tx);
      return idempotent(deps, tx, caller, action, clientToken, params, async () => {
        // Row lock on the ENI: racing assigns on one ENI serialize, so its limit holds.
        const eni = await loadEni(tx, caller, region, cmd.eniId, { forUpdate: true });
        const instance = await boundInstance(tx, caller, eni);
        assertAddressesChangeable(eni, instance);
        // Each prefix counts as one address against the cap (ECS "IP prefixes").
        assertAddressCapacity(eni, family, adding, deps.limits, instance ? instanceTypeOf(instance) : undefined);
        const vsw = await eniVSwitchCidrs(deps, tx, caller, eni);
        deps.hints.rememberEni(eni.id, eni.vSwitchId);
        const addresses = cmd.request ? await addAddresses(deps, tx, eni, vsw, family, cmd.request) : [];
        const prefixes = cmd.prefixes ? await addPrefixes(deps, tx, eni, vsw, family, cmd.prefixes) : [];
        return { eniId: eni.id, addresses, prefixes };
      });
    },
    caller,
  );
}

export function assignPrivateIps(deps: ServiceDeps, caller: Caller, cmd: AssignCommand): Promise<AssignResult> {
  return assign(deps, caller, 4, 'AssignPrivateIpAddresses', cmd);
}

export function assignIpv6(deps: ServiceDeps, caller: Caller, cmd: AssignCommand): Promise<AssignResult> {
  return assign(deps, caller, 6, 'AssignIpv6Addresses', cmd);
}

/** clientToken: Terraform sends one on every unassign; a retry with it answers as the first call did. */
export interface UnassignCommand {
  regionId?: string;
  eniId: string;
  addresses: string[];
  /** Ipv4Prefix.N / Ipv6Prefix.N */
  prefixes?: string[];
  clientToken?: string;
}

/** A named prefix in its canonical form; InvalidParameter when it is not an aligned /28 (/80). */
function canonicalPrefix(family: IpFamily, text: string): string {
  const canonical =
    family === 4 ? (parseIpv4Prefix(text) === undefined ? undefined : formatIpv4Prefix(parseIpv4Prefix(text)!)) : canonicalIpv6Prefix(text);
  if (canonical === undefined) throw new DomainError('InvalidParameter', { name: family === 4 ? 'ipv4Prefix' : 'ipv6Prefix' });
  return canonical;
}

async function unassign(deps: ServiceDeps, caller: Caller, family: IpFamily, cmd: UnassignCommand): Promise<void> {
  const region = findRegion(deps, cmd.regionId);
  const namedPrefixes = cmd.prefixes ?? [];
  if (cmd.addresses.length === 0 && namedPrefixes.length === 0)
    throw new DomainError('MissingParameter', { name: family === 4 ? 'privateIpAddresses' : 'ipv6Addresses' });
  // Canonical forms first, so "2001:DB8::1" names the same address as "2001:db8::1".
  const wanted = cmd.addresses.map((a) => (family === 4 ? formatIpv4(parseIpv4(a)) : canonicalIpv6(a)));
  if (new Set(wanted).size !== wanted.length)
    throw new DomainError('AddressRepeated', { address: wanted.find((a, i) => wanted.indexOf(a) !== i) });
  const wantedPrefixes = namedPrefixes.map((p) => canonicalPrefix(family, p));
  if (new Set(wantedPrefixes).size !== wantedPrefixes.length)
    throw new DomainError('AddressRepeated', { address: wantedPrefixes.find((a, i) => wantedPrefixes.indexOf(a) !== i) });
  // A ClientToken needs the general path (its result is stored with the change); so do prefixes.
  if (
    cmd.clientToken === undefined &&
    wantedPrefixes.length === 0 &&
    (await unassignInOneCall(deps, caller, region, family, cmd.eniId, wanted))
  )
    return;
  const { clientToken, ...params } = cmd;
  return writeTx(
    deps,
    async (tx) => {
      await settleDueIn(deps, tx);
      await idempotent(
        deps,
        tx,
        caller,
        family === 4 ? 'UnassignPrivateIpAddresses' : 'UnassignIpv6Addresses',
        clientToken,
        params,
        async () => {
          const eni = await loadEni(tx, caller, region, cmd.eniId, { forUpdate: true });
          assertAddressesChangeable(eni, await boundInstance(tx, caller, eni));
          for (const a of wanted) {
            const held = eni.addresses.find((x) => x.family === family && x.address === a);
            // The primary address is not "assigned" in the secondary sense: refused like an unknown one.
            if (!held || held.primary) throw new DomainError('AddressNotAssigned', { address: a, eniId: eni.id });
          }
          const heldPrefixes = family === 4 ? eni.ipv4Prefixes : eni.ipv6Prefixes;
          for (const p of wantedPrefixes) {
            if (!heldPrefixes.includes(p)) throw new DomainError('AddressNotAssigned', { address: p, eniId: eni.id });
          }
          await removeAddresses(deps, tx, eni, family, wanted);
          await removePrefixes(deps, tx, eni, family, wantedPrefixes);
          return true;
        },
      );
    },
    caller,
  );
}

export function unassignPrivateIps(deps: ServiceDeps, caller: Caller, cmd: UnassignCommand): Promise<void> {
  return unassign(deps, caller, 4, cmd);
}

export function unassignIpv6(deps: ServiceDeps, caller: Caller, cmd: UnassignCommand): Promise<void> {
  return unassign(deps, caller, 6, cmd);
}
