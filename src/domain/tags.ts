// Tags: the rules every tagging path shares (create calls, TagResources,
// UntagResources, filters). Limits as Alibaba documents them: at most 20 tags
// a resource, keys 1..128 characters, values 0..128. Keys may never start with
// the reserved `aliyun`/`acs:` prefixes; values may on the ECS actions (their
// SDK models allow it) but not on the VPC product's. Neither may contain a URL scheme.
import { DomainError } from './errors.ts';

export interface Tag {
  key: string;
  value: string;
}

/** ECS ResourceType values eniplane tags, and the VPC product's (sent upper-case, matched case-insensitively). */
export const ECS_TAG_RESOURCE_TYPES = ['instance', 'eni', 'securitygroup'] as const;
export const VPC_TAG_RESOURCE_TYPES = ['VPC', 'VSWITCH'] as const;
export type TagResourceType = (typeof ECS_TAG_RESOURCE_TYPES)[number] | 'vpc' | 'vswitch';

export const MAX_TAGS_PER_RESOURCE = 20;
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 128;

export interface TagRules {
  /** VPC product: values may not start with aliyun/acs: either */
  valuePrefixReserved: boolean;
}
export const ECS_TAG_RULES: TagRules = { valuePrefixReserved: false };
export const VPC_TAG_RULES: TagRules = { valuePrefixReserved: true };

const RESERVED_PREFIX = /^(aliyun|acs:)/i;
const URL_SCHEME = /https?:\/\//i;

export function validTagKey(key: string): boolean {
  return key.length > 0 && key.length <= MAX_TAG_KEY_LENGTH && !RESERVED_PREFIX.test(key) && !URL_SCHEME.test(key);
}

export function validTagValue(value: string, rules: TagRules): boolean {
  return value.length <= MAX_TAG_VALUE_LENGTH && !URL_SCHEME.test(value) && !(rules.valuePrefixReserved && RESERVED_PREFIX.test(value));
}

/** Checks tags given in one request (position n is Tag.n), in order; returns them sorted by key. */
export function validateTags(tags: { key?: string; value?: string }[], rules: TagRules): Tag[] {
  if (tags.length > MAX_TAGS_PER_RESOURCE) throw new DomainError('TooManyTagsInRequest', { max: MAX_TAGS_PER_RESOURCE });
  const seen = new Set<string>();
  const out: Tag[] = [];
  for (const [i, t] of tags.entries()) {
    const key = t.key ?? '';
    if (!validTagKey(key)) throw new DomainError('TagKeyInvalid', { index: i + 1 });
    const value = t.value ?? '';
    if (!validTagValue(value, rules)) throw new DomainError('TagValueInvalid', { index: i + 1 });
    if (seen.has(key)) throw new DomainError('TagKeyDuplicated', { key });
    seen.add(key);
    out.push({ key, value });
  }
  return sortTags(out);
}

function sortTags(tags: Tag[]): Tag[] {
  return [...tags].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The tags a resource ends with after adding `added` (an existing key takes the new value); refused past the limit. */
export function mergeTags(existing: Tag[], added: Tag[]): Tag[] {
  const byKey = new Map(existing.map((t) => [t.key, t.value]));
  for (const t of added) byKey.set(t.key, t.value);
  if (byKey.size > MAX_TAGS_PER_RESOURCE) throw new DomainError('TagQuotaExceeded', { max: MAX_TAGS_PER_RESOURCE });
  return sortTags([...byKey].map(([key, value]) => ({ key, value })));
}

/** How ListTagResources' TagFilter.N matches a key or a value: `env` exactly, `env*` as a prefix, `*env*` anywhere. */
export interface TextMatch {
  kind: 'exact' | 'prefix' | 'infix';
  text: string;
}

/** One TagFilter.N: a key (fuzzy, or exact when values follow) and, optionally, values of which any may match. */
export interface FuzzyTagFilter {
  key: TextMatch;
  values?: TextMatch[];
}

/** TagFilter.N and TagFilter.N.TagValues.N: at most 5 each (the SDK model's remarks). */
export const MAX_TAG_FILTERS = 5;
export const MAX_TAG_FILTER_VALUES = 5;

/** A TagFilter pattern: a leading and trailing `*` mean infix, a trailing one prefix; anything else is matched as written. */
export function tagPattern(s: string): TextMatch {
  if (s.length > 2 && s.startsWith('*') && s.endsWith('*')) return { kind: 'infix', text: s.slice(1, -1) };
  if (s.length > 1 && s.endsWith('*') && !s.startsWith('*')) return { kind: 'prefix', text: s.slice(0, -1) };
  return { kind: 'exact', text: s };
}
