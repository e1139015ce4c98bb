// Resource groups: every account has a default one; ResourceGroupId, when
// given, must name one of the caller's groups.
import { DomainError } from '../domain/errors.ts';
import { newResourceGroupId } from '../domain/ids.ts';
import { isoTime } from '../domain/ports.ts';
import type { ResourceGroup } from '../domain/model.ts';
import type { Tx } from '../store/store.ts';
import { readTx, writeTx, type Caller, type ServiceDeps } from './deps.ts';

export async function resolveResourceGroup(tx: Tx, caller: Caller, id: string | undefined): Promise<string> {
  if (id === undefined) {
    const d = await tx.resourceGroups.getDefault(caller.accountId);
    if (!d) throw new Error(`account ${caller.accountId} has no default resource group`);
    return d.id;
  }
  const g = await tx.resourceGroups.get(caller.accountId, id);
  if (!g) throw new DomainError('ResourceGroupNotFound', { resourceGroupId: id });
  return g.id;
}

/** Resource group filter on Describe*: an unknown group is an error, as on the real API. */
export async function resourceGroupFilter(tx: Tx, caller: Caller, id: string | undefined): Promise<string | undefined> {
  return id === undefined ? undefined : resolveResourceGroup(tx, caller, id);
}

export function listResourceGroups(deps: ServiceDeps, caller: Caller): Promise<ResourceGroup[]> {
  return readTx(deps, (tx) => tx.resourceGroups.list(caller.accountId));
}

export function createResourceGroup(
  deps: ServiceDeps,
  caller: Caller,
  cmd: { name: string; displayName?: string },
): Promise<ResourceGroup> {
  if (!/^[a-zA-Z0-9][a-zA-Z0-9._-]{2,49}$/.test(cmd.name)) throw new DomainError('InvalidParameter', { name: 'resourceGroupName' });
  return writeTx(
    deps,
    async (tx) => {
      const g: ResourceGroup = {
        id: newResourceGroupId(deps.rng),
        accountId: caller.accountId,
        name: cmd.name,
        displayName: cmd.displayName ?? cmd.name,
        isDefault: false,
        createdAt: isoTime(deps.clock.nowMs()),
      };
      await tx.resourceGroups.insert(g);
      return g;
    },
    caller,
  );
}
