// AssignPrivateIpAddresses, UnassignPrivateIpAddresses, AssignIpv6Addresses,
// UnassignIpv6Addresses: one transaction each, limits checked against the
// ENI's state and (when bound) its instance type, all or nothing.
import { DomainError } from '../domain/errors.ts';
import { assertAddressCapacity, assertAddressesChangeable } from '../domain/eni-rules.ts';
import type { IpFamily } from '../domain/model.ts';
import { canonicalIpv6, formatIpv4, parseIpv4 } from '../ipam/index.ts';
import { addAddresses, removeAddresses, type AddressRequest } from './address-book.ts';
import { idempotent } from './client-token.ts';
import { findRegion, writeTx, type Caller, type ServiceDeps } from './deps.ts';
import { boundInstance, eniVSwitchCidrs, instanceTypeOf, loadEni } from './load.ts';
import { requestSize } from './create-eni.ts';
import { settleDueIn } from './transitions.ts';
import { assignInOneCall, unassignInOneCall } from './one-call-addresses.ts';

export interface AssignCommand {
  regionId?: string;
  eniId: string;
  request: AddressRequest;
  clientToken?: string;
}
export interface AssignResult {
  eniId: string;
  addresses: string[];
}

async function assign(deps: ServiceDeps, caller: Caller, family: IpFamily, action: string, cmd: AssignCommand): Promise<AssignResult> {
  const region = findRegion(deps, cmd.regionId);
  const n = requestSize(cmd.request);
  if (n < 1 || n > deps.limits.maxAddressesPerRequest) {
    throw new DomainError('InvalidParameter', {
      name: family === 4 ? 'secondaryIpv4Count' : 'ipv6Count',
      reason: `1..${deps.limits.maxAddressesPerRequest}`,
    });
  }
  const { clientToken, ...params } = cmd;
  const done = await assignInOneCall(deps, caller, region, family, action, cmd.eniId, cmd.request, clientToken, params);
  if (done) return { eniId: cmd.eniId, addresses: done };
  return writeTx(
    deps,
    async (tx) => {
      await settleDueIn(deps, tx);
      return idempotent(deps, tx, caller, action, clientToken, params, async () => {
        // Row lock on the ENI: racing assigns on one ENI serialize, so its limit holds.
        const eni = await loadEni(tx, caller, region, cmd.eniId, { forUpdate: true });
        const instance = await boundInstance(tx, caller, eni);
        assertAddressesChangeable(eni, instance);
        assertAddressCapacity(eni, family, n, deps.limits, instance ? instanceTypeOf(instance) : undefined);
        const vsw = await eniVSwitchCidrs(deps, tx, caller, eni);
        deps.hints.rememberEni(eni.id, eni.vSwitchId);
        const addresses = await addAddresses(deps, tx, eni, vsw, family, cmd.request);
        return { eniId: eni.id, addresses };
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
  clientToken?: string;
}

async function unassign(deps: ServiceDeps, caller: Caller, family: IpFamily, cmd: UnassignCommand): Promise<void> {
  const region = findRegion(deps, cmd.regionId);
  if (cmd.addresses.length === 0)
    throw new DomainError('MissingParameter', { name: family === 4 ? 'privateIpAddresses' : 'ipv6Addresses' });
  // Canonical forms first, so "2001:DB8::1" names the same address as "2001:db8::1".
  const wanted = cmd.addresses.map((a) => (family === 4 ? formatIpv4(parseIpv4(a)) : canonicalIpv6(a)));
  if (new Set(wanted).size !== wanted.length)
    throw new DomainError('AddressRepeated', { address: wanted.find((a, i) => wanted.indexOf(a) !== i) });
  const { clientToken, ...params } = cmd;
  const action = family === 4 ? 'UnassignPrivateIpAddresses' : 'UnassignIpv6Addresses';
  if (await unassignInOneCall(deps, caller, region, family, action, cmd.eniId, wanted, clientToken, params)) return;
  return writeTx(
    deps,
    async (tx) => {
      await settleDueIn(deps, tx);
      await idempotent(deps, tx, caller, action, clientToken, params, async () => {
        const eni = await loadEni(tx, caller, region, cmd.eniId, { forUpdate: true });
        assertAddressesChangeable(eni, await boundInstance(tx, caller, eni));
        for (const a of wanted) {
          const held = eni.addresses.find((x) => x.family === family && x.address === a);
          // The primary address is not "assigned" in the secondary sense: refused like an unknown one.
          if (!held || held.primary) throw new DomainError('AddressNotAssigned', { address: a, eniId: eni.id });
        }
        await removeAddresses(deps, tx, eni, family, wanted);
        return true;
      });
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
