// CreateNetworkInterface: synchronous; the new Secondary (or Trunk) ENI is Available at once.
import { DomainError } from '../domain/errors.ts';
import { assertSecurityGroupsFit, assertWithinAddressCap } from '../domain/eni-rules.ts';
import { newMacAddress, newResourceId } from '../domain/ids.ts';
import { isoTime } from '../domain/ports.ts';
import { DEFAULT_ENI_TRAFFIC } from '../domain/model.ts';
import type { Eni, EniTraffic } from '../domain/model.ts';
import type { Tx } from '../store/store.ts';
import { addAddresses, addPrefixes, assertPrefixRequestSize, prefixRequestSize, type AddressRequest } from './address-book.ts';
import type { PrefixRequest } from '../ipam/index.ts';
import { idempotent } from './client-token.ts';
import { findRegion, writeTx, type Caller, type ServiceDeps } from './deps.ts';
import { loadSecurityGroups, loadVSwitch } from './load.ts';
import { resolveResourceGroup } from './resource-groups.ts';
import { settleDueIn } from './transitions.ts';

export interface CreateEniCommand {
  regionId?: string;
  vSwitchId: string;
  /** InstanceType: Trunk for terway's trunk mode */
  type?: 'Secondary' | 'Trunk';
  securityGroupIds: string[];
  primaryIpAddress?: string;
  secondaryIpv4?: AddressRequest;
  ipv6?: AddressRequest;
  /** Ipv4Prefix.N / Ipv4PrefixCount (never with secondaryIpv4: the api layer refuses both) */
  ipv4Prefixes?: PrefixRequest;
  ipv6Prefixes?: PrefixRequest;
  name?: string;
  description?: string;
  resourceGroupId?: string;
  tags?: { key: string; value: string }[];
  deleteOnRelease?: boolean;
  sourceDestCheck?: boolean;
  traffic?: Partial<EniTraffic>;
  clientToken?: string;
}

/** A fresh MAC, retried on the (unlikely) clash with an existing one. */
async function uniqueMac(deps: ServiceDeps, tx: Tx): Promise<string> {
  for (;;) {
    const mac = newMacAddress(deps.rng);
    if (!(await tx.enis.macTaken(mac))) return mac;
  }
}

/** Builds and stores a new ENI with its addresses; shared by CreateNetworkInterface and RunInstances. */
export async function insertEni(
  deps: ServiceDeps,
  tx: Tx,
  caller: Caller,
  spec: Omit<Eni, 'id' | 'macAddress' | 'addresses' | 'ipv4Prefixes' | 'ipv6Prefixes' | 'createdAt' | 'accountId'> & {
    primaryIpAddress?: string;
    secondaryIpv4?: AddressRequest;
    ipv6?: AddressRequest;
    ipv4Prefixes?: PrefixRequest;
    ipv6Prefixes?: PrefixRequest;
  },
): Promise<Eni> {
  const region = findRegion(deps, spec.regionId);
  const vsw = await loadVSwitch(tx, caller, region, spec.vSwitchId);
  const { ipv4Prefixes, ipv6Prefixes, ...fields } = spec;
  const eni: Eni = {
    ...fields,
    id: newResourceId('eni', region.idPrefix, deps.rng),
    accountId: caller.accountId,
    macAddress: await uniqueMac(deps, tx),
    addresses: [],
    ipv4Prefixes: [],
    ipv6Prefixes: [],
    createdAt: isoTime(deps.clock.nowMs()),
  };
  await tx.enis.insert(eni);
  // Named prefixes go first: the automatic picks below (the primary address above all) then steer clear of
  // them, instead of landing inside one and failing the call with IpAssigned. Counted prefixes go last,
  // picked around the addresses.
  const named = (r: PrefixRequest | undefined): r is { prefixes: string[] } => r !== undefined && 'prefixes' in r;
  if (named(ipv4Prefixes)) eni.ipv4Prefixes.push(...(await addPrefixes(deps, tx, eni, vsw, 4, ipv4Prefixes)));
  if (named(ipv6Prefixes)) eni.ipv6Prefixes.push(...(await addPrefixes(deps, tx, eni, vsw, 6, ipv6Prefixes)));
  const primary = await addAddresses(deps, tx, eni, vsw, 4, spec.primaryIpAddress ? { addresses: [spec.primaryIpAddress] } : { count: 1 }, {
    primary: true,
  });
  eni.addresses.push({ family: 4, address: primary[0], primary: true });
  if (spec.secondaryIpv4) {
    for (const a of await addAddresses(deps, tx, eni, vsw, 4, spec.secondaryIpv4))
      eni.addresses.push({ family: 4, address: a, primary: false });
  }
  if (spec.ipv6) {
    for (const a of await addAddresses(deps, tx, eni, vsw, 6, spec.ipv6)) eni.addresses.push({ family: 6, address: a, primary: false });
  }
  if (ipv4Prefixes && !named(ipv4Prefixes)) eni.ipv4Prefixes.push(...(await addPrefixes(deps, tx, eni, vsw, 4, ipv4Prefixes)));
  if (ipv6Prefixes && !named(ipv6Prefixes)) eni.ipv6Prefixes.push(...(await addPrefixes(deps, tx, eni, vsw, 6, ipv6Prefixes)));
  return eni;
}

export function requestSize(r: AddressRequest | undefined): number {
  return r === undefined ? 0 : 'count' in r ? r.count : r.addresses.length;
}

export function createEni(deps: ServiceDeps, caller: Caller, cmd: CreateEniCommand): Promise<Eni> {
  const region = findRegion(deps, cmd.regionId);
  const { clientToken, ...params } = cmd;
  return writeTx(
    deps,
    async (tx) => {
      await settleDueIn(deps, tx);
      return idempotent(deps, tx, caller, 'CreateNetworkInterface', clientToken, params, async () => {
        const vsw = await loadVSwitch(tx, caller, region, cmd.vSwitchId);
        const groups = await loadSecurityGroups(tx, caller, region, cmd.securityGroupIds);
        assertSecurityGroupsFit(vsw.vpcId, groups, deps.limits);
        // The new ENI is Available: its own caps apply (the primary address counts as one IPv4,
        // each prefix as one address of its family).
        assertPrefixRequestSize(4, cmd.ipv4Prefixes);
        assertPrefixRequestSize(6, cmd.ipv6Prefixes);
        for (const [family, current, adding] of [
          [4, 1, requestSize(cmd.secondaryIpv4) + prefixRequestSize(cmd.ipv4Prefixes)],
          [6, 0, requestSize(cmd.ipv6) + prefixRequestSize(cmd.ipv6Prefixes)],
        ] as const) {
          assertWithinAddressCap({ status: 'Available' }, family, current, adding, deps.limits, undefined);
        }
        // The account's row lock serializes concurrent creators, so the count below stays true.
        await tx.accounts.lock(caller.accountId);
        if ((await tx.enis.countInRegion(caller.accountId, region.id)) >= deps.limits.enisPerRegion) {
          throw new DomainError('EniPerRegionLimitExceeded', { max: deps.limits.enisPerRegion });
        }
        return insertEni(deps, tx, caller, {
          regionId: region.id,
          zoneId: vsw.zoneId,
          vpcId: vsw.vpcId,
          vSwitchId: vsw.id,
          resourceGroupId: await resolveResourceGroup(tx, caller, cmd.resourceGroupId),
          name: cmd.name ?? '',
          description: cmd.description ?? '',
          type: cmd.type ?? 'Secondary',
          status: 'Available',
          instanceId: null,
          pendingInstanceId: null,
          transitionDueMs: null,
          deviceIndex: null,
          trunkEniId: null,
          deleteOnRelease: cmd.deleteOnRelease ?? false,
          sourceDestCheck: cmd.sourceDestCheck ?? false,
          networkCardIndex: null,
          traffic: { ...DEFAULT_ENI_TRAFFIC, ...Object.fromEntries(Object.entries(cmd.traffic ?? {}).filter(([, v]) => v !== undefined)) },
          securityGroupIds: groups.map((g) => g.id),
          tags: cmd.tags ?? [],
          primaryIpAddress: cmd.primaryIpAddress,
          secondaryIpv4: cmd.secondaryIpv4,
          ipv6: cmd.ipv6,
          ipv4Prefixes: cmd.ipv4Prefixes,
          ipv6Prefixes: cmd.ipv6Prefixes,
        });
      });
    },
    caller,
  );
}
