// DescribeNetworkInterfaces and DescribeNetworkInterfaceAttribute.
import type { Eni } from '../domain/model.ts';
import type { EniFilter, Page, Paging } from '../store/store.ts';
import { canonicalIpv6 } from '../ipam/index.ts';
import { findRegion, readTx, type Caller, type ServiceDeps } from './deps.ts';
import { memberIdsOf } from './eni-lifecycle.ts';
import { loadEni } from './load.ts';
import { resourceGroupFilter } from './resource-groups.ts';
import { settleDue } from './transitions.ts';

export type DescribeEnisQuery = Omit<EniFilter, 'regionId'> & { regionId?: string };

export async function describeEnis(deps: ServiceDeps, caller: Caller, q: DescribeEnisQuery, p: Paging): Promise<Page<Eni>> {
  const region = findRegion(deps, q.regionId);
  await settleDue(deps, caller);
  return readTx(deps, async (tx) =>
    tx.enis.list(
      caller.accountId,
      {
        ...q,
        regionId: region.id,
        ipv6Addresses: q.ipv6Addresses?.map((a) => {
          try {
            return canonicalIpv6(a);
          } catch {
            return a;
          }
        }),
        resourceGroupId: await resourceGroupFilter(tx, caller, q.resourceGroupId),
      },
      p,
    ),
  );
}

export async function describeEni(deps: ServiceDeps, caller: Caller, q: { regionId?: string; eniId: string }): Promise<Eni> {
  const region = findRegion(deps, q.regionId);
  await settleDue(deps, caller);
  return readTx(deps, (tx) => loadEni(tx, caller, region, q.eniId));
}

/** DescribeNetworkInterfaceAttribute: the ENI and, for a trunk, the members bound through it. */
export async function describeEniAttribute(
  deps: ServiceDeps,
  caller: Caller,
  q: { regionId?: string; eniId: string },
): Promise<{ eni: Eni; memberIds: string[] }> {
  const region = findRegion(deps, q.regionId);
  await settleDue(deps);
  return readTx(deps, async (tx) => {
    const eni = await loadEni(tx, caller, region, q.eniId);
    return { eni, memberIds: await memberIdsOf(tx, eni) };
  });
}
