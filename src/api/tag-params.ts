// Parameters the ECS and VPC tag actions share: ResourceType (each product's
// names), ResourceId.N (1..50), Tag.N (1..20), TagKey.N (1..20), and the
// ListTagResources page token.
import type { ParamReader } from './params.ts';
import { wireErrors } from './errors.ts';
import { DomainError } from '../domain/errors.ts';
import {
  ECS_TAG_RESOURCE_TYPES,
  MAX_TAG_FILTER_VALUES,
  MAX_TAG_FILTERS,
  MAX_TAG_KEY_LENGTH,
  MAX_TAGS_PER_RESOURCE,
  tagPattern,
  type FuzzyTagFilter,
  validTagKey,
  VPC_TAG_RESOURCE_TYPES,
  type TagResourceType,
} from '../domain/tags.ts';
import type { TagPosition } from '../store/store.ts';

export type TagProduct = 'ecs' | 'vpc';
/** ResourceId.N: 1..50, except on the VPC product's TagResources and UnTagResources (1..20, their API docs). */
const MAX_RESOURCE_IDS = 50;
export const VPC_MAX_TAGGED_RESOURCE_IDS = 20;

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

export function readResourceIds(p: ParamReader, required: boolean, max = MAX_RESOURCE_IDS): string[] | undefined {
  const ids = p.list('ResourceId', 1000);
  if (!ids || ids.length === 0) {
    if (required) throw wireErrors.missingParameter('ResourceId');
    return undefined;
  }
  if (ids.length > max) throw new DomainError('TooManyTagResourceIds', { max });
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

/**
 * ECS ListTagResources' TagFilter.N.TagKey and TagFilter.N.TagValues.N (N 1..5 both, 1..128 characters each):
 * a fuzzy key takes no values; values need an exact key. Where several filters name one key, the first counts
 * (the SDK model: "only one search method can be used for the same TagKey ... the first takes precedence").
 */
export function readTagFilters(p: ParamReader): FuzzyTagFilter[] | undefined {
  if (!p.has('TagFilter')) return undefined;
  const byIndex = new Map<number, { key?: string; values: Map<number, string> }>();
  const entry = (n: number) => byIndex.get(n) ?? byIndex.set(n, { values: new Map() }).get(n)!;
  for (const [name, value] of p.params) {
    if (!name.startsWith('TagFilter.')) continue;
    const m = /^TagFilter\.(\d+)\.(?:TagKey|TagValues\.(\d+))$/.exec(name);
    const n = Number(m?.[1]);
    const v = m?.[2] === undefined ? undefined : Number(m[2]);
    if (!m || n < 1 || n > MAX_TAG_FILTERS || (v !== undefined && (v < 1 || v > MAX_TAG_FILTER_VALUES)))
      throw wireErrors.invalidParameter(name, `At most ${MAX_TAG_FILTERS} filters of ${MAX_TAG_FILTER_VALUES} values each.`);
    if (value.length < 1 || value.length > MAX_TAG_KEY_LENGTH) throw wireErrors.invalidParameter(name, 'It must be 1 to 128 characters.');
    if (v === undefined) entry(n).key = value;
    else entry(n).values.set(v, value);
  }
  const out: FuzzyTagFilter[] = [];
  const seen = new Set<string>();
  for (const [n, f] of [...byIndex.entries()].sort((a, b) => a[0] - b[0])) {
    if (f.key === undefined) throw wireErrors.missingParameter(`TagFilter.${n}.TagKey`);
    const key = tagPattern(f.key);
    const values = [...f.values.entries()].sort((a, b) => a[0] - b[0]).map(([, s]) => tagPattern(s));
    if (key.kind !== 'exact' && values.length > 0)
      throw wireErrors.invalidParameter(`TagFilter.${n}.TagValues`, 'A fuzzy TagKey takes no TagValues.');
    if (seen.has(f.key)) continue;
    seen.add(f.key);
    out.push(values.length ? { key, values } : { key });
  }
  return out;
}
