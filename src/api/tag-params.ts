// Parameters the ECS and VPC tag actions share: ResourceType (each product's
// names), ResourceId.N (1..50), Tag.N (1..20), TagKey.N (1..20), and the
// ListTagResources page token.
import type { ParamReader } from './params.ts';
import { wireErrors } from './errors.ts';
import { DomainError } from '../domain/errors.ts';
import {
  ECS_TAG_RESOURCE_TYPES,
  MAX_TAGS_PER_RESOURCE,
  validTagKey,
  VPC_TAG_RESOURCE_TYPES,
  type TagResourceType,
} from '../domain/tags.ts';
import type { TagPosition } from '../store/store.ts';

export type TagProduct = 'ecs' | 'vpc';
const MAX_RESOURCE_IDS = 50;

/** The product's ResourceType (ECS: lower-case names; VPC: VPC, VSWITCH, matched case-insensitively) in eniplane's terms. */
export function readResourceType(p: ParamReader, product: TagProduct): TagResourceType {
  const v = p.str('ResourceType');
  if (v === undefined || v === '') throw wireErrors.missingParameter('ResourceType');
  const names: readonly string[] = product === 'ecs' ? ECS_TAG_RESOURCE_TYPES : VPC_TAG_RESOURCE_TYPES;
  const found = names.find((n) => n.toLowerCase() === v.toLowerCase());
  if (!found) throw new DomainError('TagResourceTypeInvalid', { resourceType: v });
  return found.toLowerCase() as TagResourceType;
}

/** How each product writes a resource type back (ListTagResources). */
export function wireResourceType(t: TagResourceType, product: TagProduct): string {
  return product === 'ecs' ? t : t.toUpperCase();
}

export function readResourceIds(p: ParamReader, required: boolean): string[] | undefined {
  const ids = p.list('ResourceId', 1000);
  if (!ids || ids.length === 0) {
    if (required) throw wireErrors.missingParameter('ResourceId');
    return undefined;
  }
  if (ids.length > MAX_RESOURCE_IDS) throw new DomainError('TooManyTagResourceIds', { max: MAX_RESOURCE_IDS });
  return [...new Set(ids)];
}

/** UntagResources TagKey.N: keys to remove, each a valid key. */
export function readTagKeys(p: ParamReader): string[] | undefined {
  const keys = p.list('TagKey', 1000);
  if (!keys) return undefined;
  if (keys.length > MAX_TAGS_PER_RESOURCE) throw new DomainError('TooManyTagsInRequest', { max: MAX_TAGS_PER_RESOURCE });
  keys.forEach((k, i) => {
    if (!validTagKey(k)) throw new DomainError('TagKeyInvalid', { index: i + 1 });
  });
  return [...new Set(keys)];
}

/** NextToken of ListTagResources: where the last page ended, opaque to the caller. */
export function encodeTagToken(t: TagPosition): string {
  return Buffer.from(JSON.stringify([t.resourceId, t.key]), 'utf8').toString('base64url');
}

export function decodeTagToken(p: ParamReader): TagPosition | undefined {
  const v = p.str('NextToken');
  if (v === undefined || v === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(v, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((x) => typeof x === 'string'))
      return { resourceId: parsed[0] as string, key: parsed[1] as string };
  } catch {
    /* fall through */
  }
  throw wireErrors.invalidParameter('NextToken');
}
