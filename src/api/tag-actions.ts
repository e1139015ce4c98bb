// TagResources, UntagResources and ListTagResources, built once for each product
// (ECS 2014-05-26 and VPC 2016-04-28 differ in names, resource types and codes).
import { defineAction, readTags, type ActionDef } from './action.ts';
import { VPC_TAG_ERRORS, wireErrors } from './errors.ts';
import { PRODUCTS } from './products.ts';
import {
  decodeTagToken,
  encodeTagToken,
  readResourceIds,
  readResourceType,
  readTagFilters,
  readTagKeys,
  VPC_MAX_TAGGED_RESOURCE_IDS,
  wireResourceType,
  type TagProduct,
} from './tag-params.ts';
import { DomainError } from '../domain/errors.ts';
import { ECS_TAG_RULES, VPC_TAG_RULES } from '../domain/tags.ts';
import { listTagResources, tagResources, untagResources } from '../service/tags.ts';

const versionOf = (product: TagProduct) => PRODUCTS[product].version;
const errorsOf = (product: TagProduct) => (product === 'vpc' ? VPC_TAG_ERRORS : undefined);

export function tagResourcesAction(product: TagProduct): ActionDef {
  return defineAction({
    action: 'TagResources',
    version: versionOf(product),
    use: { honoured: ['RegionId', 'ResourceType', 'ResourceId', 'Tag'] },
    errors: errorsOf(product),
    async handle({ deps, caller }, p) {
      // Every parameter read before the first refusal (test/api/param-models.test.ts watches what is read).
      const regionId = p.str('RegionId');
      const resourceIds = readResourceIds(p, true, product === 'vpc' ? VPC_MAX_TAGGED_RESOURCE_IDS : undefined) ?? [];
      const tags = readTags(p, product === 'ecs' ? ECS_TAG_RULES : VPC_TAG_RULES);
      const resourceType = readResourceType(p, product);
      if (!tags?.length) throw new DomainError('MissingParameter', { name: 'Tag' });
      await tagResources(deps, caller, { regionId, resourceType, resourceIds, tags });
      return {};
    },
  });
}

export function untagResourcesAction(product: TagProduct): ActionDef {
  return defineAction({
    // The VPC product spells it UnTagResources.
    action: product === 'ecs' ? 'UntagResources' : 'UnTagResources',
    version: versionOf(product),
    use: { honoured: ['RegionId', 'ResourceType', 'ResourceId', 'TagKey', 'All'] },
    errors: errorsOf(product),
    async handle({ deps, caller }, p) {
      const regionId = p.str('RegionId');
      const resourceIds = readResourceIds(p, true, product === 'vpc' ? VPC_MAX_TAGGED_RESOURCE_IDS : undefined) ?? [];
      const keys = readTagKeys(p);
      const all = p.bool('All');
      const resourceType = readResourceType(p, product);
      await untagResources(deps, caller, { regionId, resourceType, resourceIds, keys, all });
      return {};
    },
  });
}

/** ECS pages by 50 (no MaxResults in its model); the VPC product takes MaxResults 1..50, 50 by default. */
const PAGE_SIZE = 50;

export function listTagResourcesAction(product: TagProduct): ActionDef {
  return defineAction({
    action: 'ListTagResources',
    version: versionOf(product),
    // ECS's TagFilter.N: fuzzy tag queries (the VPC product's model has none).
    use:
      product === 'ecs'
        ? { honoured: ['RegionId', 'ResourceType', 'ResourceId', 'Tag', 'TagFilter', 'NextToken'] }
        : { honoured: ['RegionId', 'ResourceType', 'ResourceId', 'Tag', 'NextToken', 'MaxResults'] },
    errors: errorsOf(product),
    async handle({ deps, caller }, p) {
      const regionId = p.str('RegionId');
      const resourceIds = readResourceIds(p, false);
      const tags = p.objectList('Tag', 20)?.map((t, i) => {
        if (!t.Key) throw new DomainError('TagKeyInvalid', { index: i + 1 });
        return { key: t.Key, value: t.Value };
      });
      const fuzzy = product === 'ecs' ? readTagFilters(p) : undefined;
      // "TagFilter.N and Tag.N cannot be used at the same time" (the SDK model); the code is not documented.
      if (fuzzy && tags) throw wireErrors.parameterConflict('Tag.N and TagFilter.N');
      const limit = product === 'vpc' ? (p.int('MaxResults', { min: 1, max: PAGE_SIZE }) ?? PAGE_SIZE) : PAGE_SIZE;
      const after = decodeTagToken(p);
      const resourceType = readResourceType(p, product);
      const page = await listTagResources(deps, caller, { regionId, resourceType, resourceIds, tags, fuzzy }, { after, limit });
      const type = wireResourceType(resourceType, product);
      return {
        TagResources: {
          TagResource: page.items.map((t) => ({ ResourceId: t.resourceId, ResourceType: type, TagKey: t.key, TagValue: t.value })),
        },
        // The last page carries no NextToken at all, as the real one: Terraform's
        // EcsService.ListTagResources stops on a missing one, not an empty one.
        ...(page.next ? { NextToken: encodeTagToken(page.next) } : {}),
      };
    },
  });
}
