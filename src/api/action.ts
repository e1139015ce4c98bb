// The shape of one API action. Each action file exports one of these; the
// registry lists them all explicitly.
import { PRODUCTS } from './products.ts';
import type { Caller, ServiceDeps } from '../service/deps.ts';
import type { ErrorOverrides } from './errors.ts';
import type { ParamReader, ParamSpec } from './params.ts';
import type { Paging } from '../store/store.ts';
import type { AddressRequest } from '../service/address-book.ts';
import type { PrefixRequest } from '../ipam/index.ts';
import { MAX_PREFIXES_PER_REQUEST } from '../domain/limits.ts';
import { COMMON_PARAMS, specFromModel } from './params.ts';
import { modelOf } from './models/index.ts';
import { wireErrors } from './errors.ts';
import { DomainError } from '../domain/errors.ts';
import { ECS_TAG_RULES, validateTags, type Tag, type TagRules } from '../domain/tags.ts';
import type { TagFilter } from '../store/store.ts';

export const ECS_VERSION = PRODUCTS.ecs.version;
export const VPC_VERSION = PRODUCTS.vpc.version;
/** ResourceManager, for resource groups */
export const RM_VERSION = PRODUCTS.resourceManager.version;

interface ActionContext {
  deps: ServiceDeps;
  caller: Caller;
  requestId: string;
}

/**
 * What an action does with the parameters of its SDK model (top-level names: "Tag", "SystemDisk").
 * honoured: read and acted on; stored: kept and returned, nothing more; refused: answered with an
 * error when present. Every other model parameter is accepted and ignored (docs/api-coverage.md).
 */
interface ParamUse {
  required?: string[];
  honoured?: string[];
  stored?: string[];
  refused?: string[];
  /** Parameters the SDK model lacks but the action takes (the console sends ResourceGroupId to CreateVSwitch). */
  extra?: ParamSpec;
}

export interface ActionDef {
  action: string;
  version: typeof ECS_VERSION | typeof VPC_VERSION | typeof RM_VERSION;
  /** Accepted parameters: the SDK model's (generated, src/api/models/) unless written by hand (ResourceManager). */
  params: ParamSpec;
  use?: ParamUse;
  errors?: ErrorOverrides;
  handle(ctx: ActionContext, p: ParamReader): Promise<Record<string, unknown>>;
}

/** Either `params` by hand, or `use` and the parameters come from the action's SDK model. */
export type ActionInput = Omit<ActionDef, 'params'> & { params?: ParamSpec };

export function defineAction(a: ActionInput): ActionDef {
  if (a.params) return { ...a, params: a.params };
  const model = modelOf(a.version, a.action);
  if (model === undefined) throw new Error(`${a.version}/${a.action}: no SDK model; declare params by hand`);
  const params = { ...specFromModel(model, a.use?.required), ...a.use?.extra };
  for (const name of [...(a.use?.honoured ?? []), ...(a.use?.stored ?? []), ...(a.use?.refused ?? [])]) {
    if (!params[name] && !COMMON_PARAMS[name]) throw new Error(`${a.action}: ${name} is not a parameter of its model`);
  }
  return { ...a, params };
}

const encodeToken = (id: string) => Buffer.from(id, 'utf8').toString('base64url');
function decodeToken(t: string): string {
  const id = Buffer.from(t, 'base64url').toString('utf8');
  if (!/^[a-z]+-[a-z0-9]+$/.test(id)) throw wireErrors.invalidParameter('NextToken');
  return id;
}

export interface PagingRequest {
  paging: Paging;
  mode: 'token' | 'page';
  pageNumber: number;
  pageSize: number;
}

/** MaxResults/NextToken (keyset) or PageNumber/PageSize (offset), as the action's caller chose. */
export function readPaging(p: ParamReader, opts: { defaultPageSize?: number; maxPageSize?: number; tokens?: boolean } = {}): PagingRequest {
  const nextToken = p.str('NextToken');
  const maxResults = p.int('MaxResults');
  if (opts.tokens !== false && (nextToken !== undefined || maxResults !== undefined)) {
    // The documented 10..500 range is clamped rather than refused, as the real API does.
    const limit = Math.min(500, Math.max(10, maxResults ?? 10));
    return { paging: { after: nextToken ? decodeToken(nextToken) : undefined, limit }, mode: 'token', pageNumber: 1, pageSize: limit };
  }
  const pageNumber = p.int('PageNumber', { min: 1 }) ?? 1;
  const pageSize = p.int('PageSize', { min: 1, max: opts.maxPageSize ?? 100 }) ?? opts.defaultPageSize ?? 10;
  return { paging: { offset: (pageNumber - 1) * pageSize, limit: pageSize }, mode: 'page', pageNumber, pageSize };
}

/**
 * nextTokenInPages: the action answers NextToken in PageNumber mode too (DescribeNetworkInterfaces,
 * DescribeInstances, DescribeDisks do): the token of the next page, so a client may switch modes.
 */
export function pageFields(
  r: PagingRequest,
  page: { totalCount: number; nextToken: string },
  opts: { nextTokenInPages?: boolean } = {},
): Record<string, unknown> {
  const token = page.nextToken ? encodeToken(page.nextToken) : '';
  return r.mode === 'token'
    ? { NextToken: token, TotalCount: page.totalCount }
    : {
        TotalCount: page.totalCount,
        PageNumber: r.pageNumber,
        PageSize: r.pageSize,
        ...(opts.nextTokenInPages ? { NextToken: token } : {}),
      };
}

/** A filter that can match nothing answers this page without asking the store. */
export const EMPTY_PAGE = { items: [], totalCount: 0, nextToken: '' } as const;

/** A comma-separated id filter ("vpc-1, vpc-2"): the ids, blanks dropped. */
export function readIdList(p: ParamReader, name: string): string[] | undefined {
  return p
    .str(name)
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Either a list of named addresses or a count, never both. */
export function readAddressRequest(p: ParamReader, listName: string, countName: string, maxItems = 50): AddressRequest | undefined {
  const named = p.list(listName, maxItems);
  const count = p.int(countName);
  if (named && count !== undefined) throw wireErrors.parameterConflict(`${listName}.N and ${countName}`);
  if (named) return { addresses: named };
  if (count !== undefined) {
    if (count < 1) throw wireErrors.invalidParameter(countName);
    return { count };
  }
  return undefined;
}

/** Ipv4Prefix.N / Ipv4PrefixCount (or the IPv6 pair): at most 10 either way (the SDK models' "1 to 10"). */
export function readPrefixRequest(p: ParamReader, listName: string, countName: string): PrefixRequest | undefined {
  const named = p.list(listName, MAX_PREFIXES_PER_REQUEST);
  const count = p.int(countName);
  if (named && count !== undefined) throw wireErrors.parameterConflict(`${listName}.N and ${countName}`);
  if (named) return { prefixes: named };
  if (count !== undefined) {
    if (count < 1 || count > MAX_PREFIXES_PER_REQUEST) throw wireErrors.invalidParameter(countName);
    return { count };
  }
  return undefined;
}

/**
 * COMPAT: addresses and prefixes of one family in one call are refused as a conflict. The docs
 * say nothing either way; Terraform's alicloud_ecs_network_interface declares the two
 * ConflictsWith each other, and terway never mixes them.
 */
export function refuseAddressesWithPrefixes(
  addresses: AddressRequest | undefined,
  prefixes: PrefixRequest | undefined,
  addressNames: string,
  prefixNames: string,
): void {
  if (addresses && prefixes) throw wireErrors.parameterConflict(`${addressNames} and ${prefixNames}`);
}

/**
 * Tag.N.Key/Tag.N.Value of a create call, checked by the action's product rules
 * (domain/tags.ts: the SDK models' remarks) and sorted by key, so a ClientToken
 * retry listing them in another order is the same request.
 */
export function readTags(p: ParamReader, rules: TagRules = ECS_TAG_RULES): Tag[] | undefined {
  // Indexes past 20 are counted (NumberExceed.Tags), not refused as a malformed name.
  const tags = p.objectList('Tag', 1000);
  return (
    tags &&
    validateTags(
      tags.map((t) => ({ key: t.Key, value: t.Value })),
      rules,
    )
  );
}

/** Tag.N filters of a Describe call: a key, and a value only when given. */
export function readTagFilter(p: ParamReader): TagFilter[] | undefined {
  const tags = p.objectList('Tag', 20);
  if (!tags) return undefined;
  return tags.map((t, i) => {
    const key = t.Key ?? '';
    if (key === '') throw new DomainError('TagKeyInvalid', { index: i + 1 });
    return { key, value: t.Value };
  });
}

/** Name/description rules shared by several actions. */
export function readName(p: ParamReader, wire: string): string | undefined {
  const v = p.str(wire);
  if (v === undefined) return undefined;
  if (v.length < 2 || v.length > 128 || !/^[\p{L}]/u.test(v) || /^https?:\/\//.test(v))
    throw wireErrors.invalidParameter(
      wire,
      'It must be 2 to 128 characters in length, start with a letter and cannot start with http:// or https://.',
    );
  return v;
}

export function readDescription(p: ParamReader, wire: string): string | undefined {
  const v = p.str(wire);
  if (v === undefined) return undefined;
  if (v.length < 2 || v.length > 256 || /^https?:\/\//.test(v))
    throw wireErrors.invalidParameter(wire, 'It must be 2 to 256 characters in length and cannot start with http:// or https://.');
  return v;
}
