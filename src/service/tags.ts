// TagResources, UntagResources and ListTagResources (ECS and VPC products alike),
// and the tags of a page of resources for the Describe calls.
import { DomainError } from '../domain/errors.ts';
import { mergeTags, type FuzzyTagFilter, type Tag, type TagResourceType } from '../domain/tags.ts';
import type { TagFilter, TagPosition, Tx } from '../store/store.ts';
import { findRegion, readTx, writeTx, type Caller, type ServiceDeps } from './deps.ts';
import { settleDue, settleDueIn } from './transitions.ts';

export interface TagCommand {
  regionId?: string;
  resourceType: TagResourceType;
  resourceIds: string[];
}

/** Every resource must exist in the caller's account and region: all are tagged, or none. */
async function ownersOrFail(tx: Tx, caller: Caller, regionId: string, cmd: TagCommand) {
  const scope = { accountId: caller.accountId, regionId, resourceType: cmd.resourceType };
  const found = await tx.tags.owners(scope, cmd.resourceIds);
  if (found.length !== new Set(cmd.resourceIds).size) {
    throw new DomainError('TagResourceNotFound', { resourceIds: cmd.resourceIds.filter((id) => !found.includes(id)).join(',') });
  }
  return found.map((resourceId) => ({ ...scope, resourceId }));
}

export function tagResources(deps: ServiceDeps, caller: Caller, cmd: TagCommand & { tags: Tag[] }): Promise<void> {
  const region = findRegion(deps, cmd.regionId);
  return writeTx(
    deps,
    async (tx) => {
      // An ENI or instance whose deletion is due is gone before it is looked for.
      await settleDueIn(deps, tx);
      const owners = await ownersOrFail(tx, caller, region.id, cmd);
      const existing = await tx.tags.of(owners.map((o) => o.resourceId));
      for (const o of owners) {
        mergeTags(existing.get(o.resourceId) ?? [], cmd.tags);
        await tx.tags.put(o, cmd.tags);
      }
    },
    caller,
  );
}

export function untagResources(deps: ServiceDeps, caller: Caller, cmd: TagCommand & { keys?: string[]; all?: boolean }): Promise<void> {
  const region = findRegion(deps, cmd.regionId);
  return writeTx(
    deps,
    async (tx) => {
      await settleDueIn(deps, tx);
      const owners = await ownersOrFail(tx, caller, region.id, cmd);
      // All=true only counts when no TagKey.N is given; with neither, nothing is removed.
      const keys = cmd.keys?.length ? cmd.keys : cmd.all ? undefined : [];
      for (const o of owners) await tx.tags.remove(o.resourceId, keys);
    },
    caller,
  );
}

export interface TagResourceRow extends Tag {
  resourceId: string;
}

export async function listTagResources(
  deps: ServiceDeps,
  caller: Caller,
  q: { regionId?: string; resourceType: TagResourceType; resourceIds?: string[]; tags?: TagFilter[]; fuzzy?: FuzzyTagFilter[] },
  p: { after?: TagPosition; limit: number },
): Promise<{ items: TagResourceRow[]; next?: TagPosition }> {
  const region = findRegion(deps, q.regionId);
  if (!q.resourceIds?.length && !q.tags?.length && !q.fuzzy?.length) throw new DomainError('TagQueryEmpty');
  await settleDue(deps);
  return readTx(deps, (tx) =>
    tx.tags.list(
      { accountId: caller.accountId, regionId: region.id, resourceType: q.resourceType },
      { resourceIds: q.resourceIds, tags: q.tags, fuzzy: q.fuzzy },
      p,
    ),
  );
}

/** A page of resources with their tags, for a Describe call's answer. */
export async function withTags<T extends { id: string }>(tx: Tx, items: T[]): Promise<(T & { tags: Tag[] })[]> {
  const tags = await tx.tags.of(items.map((i) => i.id));
  return items.map((i) => ({ ...i, tags: tags.get(i.id) ?? [] }));
}
