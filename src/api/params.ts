// Decoding RPC parameters. The wire is flat ("PrivateIpAddress.2",
// "Tag.1.Key", "ConnectionTrackingConfiguration.UdpTimeout"); an action
// declares what it accepts and reads typed values through ParamReader.
// Strict by default, like the real API: an undeclared parameter is an error.
import { wireErrors } from './errors.ts';

/** What one wire value holds; json is a JSON document in one parameter (the SDK's *Shrink fields). */
export type ScalarKind = 'string' | 'int' | 'float' | 'bool' | 'json';
/**
 * list: "Name.N" (items `item`, strings unless said); objectList: "Name.N.Field"; object: "Name.Field";
 * map: "Name.AnyKey". Fields are `of` (typed, nested: "NetworkInterface.N.SecurityGroupIds.N") or,
 * in hand-written specs, `fields` (string-valued names).
 */
type FieldKind = ScalarKind | 'list' | 'objectList' | 'object' | 'map';
export interface FieldSpec {
  kind: FieldKind;
  required?: boolean;
  fields?: string[];
  of?: Record<string, FieldSpec>;
  item?: FieldSpec;
}
export type ParamSpec = Record<string, FieldSpec>;

/** Parameters every RPC/ECS request may carry, used by signing and the gateway, never by actions. */
export const COMMON_PARAMS: ParamSpec = {
  Action: { kind: 'string' },
  Version: { kind: 'string' },
  Format: { kind: 'string' },
  AccessKeyId: { kind: 'string' },
  Signature: { kind: 'string' },
  SignatureMethod: { kind: 'string' },
  SignatureVersion: { kind: 'string' },
  SignatureNonce: { kind: 'string' },
  SignatureType: { kind: 'string' },
  Timestamp: { kind: 'string' },
  SecurityToken: { kind: 'string' },
  OwnerId: { kind: 'string' },
  OwnerAccount: { kind: 'string' },
  ResourceOwnerId: { kind: 'string' },
  ResourceOwnerAccount: { kind: 'string' },
  RegionId: { kind: 'string' },
  SourceIp: { kind: 'string' },
  SecureTransport: { kind: 'string' },
  CallerParentId: { kind: 'string' },
  RequestContent: { kind: 'string' },
};

export const str = (required = false): FieldSpec => ({ kind: 'string', required });
export const int = (required = false): FieldSpec => ({ kind: 'int', required });
export const list = (): FieldSpec => ({ kind: 'list' });
export const objectList = (...fields: string[]): FieldSpec => ({ kind: 'objectList', fields });
export const object = (...fields: string[]): FieldSpec => ({ kind: 'object', fields });

/**
 * Names already found valid, per spec, with the kind of value each holds: the same dozen names
 * arrive with every request of an action, and resolving a name walks the spec tree. Bounded,
 * since names like "PrivateIpAddress.123456" are valid too.
 */
const knownValid = new WeakMap<ParamSpec, Map<string, ScalarKind>>();
const KNOWN_VALID_MAX = 4096;

const STRING: FieldSpec = { kind: 'string' };
const SCALAR = new Set<FieldKind>(['string', 'int', 'float', 'bool', 'json']);
const INDEX_RE = /^\d+$/;
const VALUE_RE: Partial<Record<ScalarKind, RegExp>> = {
  int: /^-?\d{1,19}$/,
  float: /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/,
  bool: /^(?:true|false)$/i,
};

/** The kind of value a wire name holds under the spec, or undefined when no declared shape has that name. */
export function resolveParam(key: string, spec: ParamSpec): ScalarKind | undefined {
  const segs = key.split('.');
  let node: FieldSpec | undefined = Object.hasOwn(spec, segs[0])
    ? spec[segs[0]]
    : Object.hasOwn(COMMON_PARAMS, segs[0])
      ? COMMON_PARAMS[segs[0]]
      : undefined;
  let i = 1;
  while (node) {
    if (i === segs.length) return SCALAR.has(node.kind) ? (node.kind as ScalarKind) : undefined;
    const seg = segs[i];
    switch (node.kind) {
      case 'list':
        node = INDEX_RE.test(seg) ? (node.item ?? STRING) : undefined;
        i += 1;
        break;
      case 'map':
        node = seg ? (node.item ?? STRING) : undefined;
        i += 1;
        break;
      case 'object':
        node = field(node, seg);
        i += 1;
        break;
      case 'objectList':
        node = INDEX_RE.test(seg) && i + 1 < segs.length ? field(node, segs[i + 1]) : undefined;
        i += 2;
        break;
      default:
        return undefined;
    }
  }
  return undefined;
}

function field(node: FieldSpec, name: string): FieldSpec | undefined {
  if (node.of && Object.hasOwn(node.of, name)) return node.of[name];
  return node.fields?.includes(name) ? STRING : undefined;
}

function knownFor(spec: ParamSpec): Map<string, ScalarKind> {
  let known = knownValid.get(spec);
  if (!known) knownValid.set(spec, (known = new Map()));
  return known;
}

function resolveCached(key: string, spec: ParamSpec, known: Map<string, ScalarKind>): ScalarKind | undefined {
  let kind = known.get(key);
  if (kind === undefined) {
    kind = resolveParam(key, spec);
    if (kind !== undefined && known.size < KNOWN_VALID_MAX) known.set(key, kind);
  }
  return kind;
}

/** Checks every parameter name against the spec; returns the problems (unknown names). */
export function unknownParams(params: Map<string, string>, spec: ParamSpec): string[] {
  const known = knownFor(spec);
  const unknown: string[] = [];
  for (const key of params.keys()) if (resolveCached(key, spec, known) === undefined) unknown.push(key);
  return unknown;
}

/**
 * The first parameter whose value is not of its declared type ("Amount=two", "DryRun=yes"),
 * as the real gateway refuses it before the action runs; names no spec knows are left to
 * unknownParams. Empty values pass (they read as absent).
 */
export function mistypedParam(params: Map<string, string>, spec: ParamSpec): string | undefined {
  const known = knownFor(spec);
  for (const [key, value] of params) {
    if (value === '') continue;
    const kind = resolveCached(key, spec, known);
    const re = kind && VALUE_RE[kind];
    if (re && !re.test(value)) return key;
  }
  return undefined;
}

/**
 * Both checks in one pass, for the request path: the first name no spec knows (when strict),
 * else the first value not of its type.
 */
export function checkParams(params: Map<string, string>, spec: ParamSpec, strict: boolean): { name: string; unknown: boolean } | undefined {
  const known = knownFor(spec);
  let mistyped: string | undefined;
  for (const [key, value] of params) {
    const kind = resolveCached(key, spec, known);
    if (kind === undefined) {
      if (strict) return { name: key, unknown: true };
      continue;
    }
    if (kind !== 'string' && mistyped === undefined && value !== '') {
      const re = VALUE_RE[kind];
      if (re && !re.test(value)) mistyped = key;
    }
  }
  return mistyped === undefined ? undefined : { name: mistyped, unknown: false };
}

/** The spec of a generated model ("DataDisk.N.Size:i SystemDisk.Category:s ...", see src/api/models/). */
export function specFromModel(model: string, required: readonly string[] = []): ParamSpec {
  const spec: ParamSpec = {};
  for (const entry of model.split(' ')) {
    if (!entry) continue;
    const colon = entry.lastIndexOf(':');
    const segs = entry.slice(0, colon).split('.');
    const leaf: FieldSpec = { kind: MODEL_KINDS[entry.slice(colon + 1)] ?? 'string' };
    let container: Record<string, FieldSpec> = spec;
    for (let i = 0; i < segs.length; i++) {
      const name = segs[i];
      const next = segs[i + 1];
      if (next === undefined) {
        container[name] ??= leaf;
        break;
      }
      if (next === 'N' || next === '*') {
        const after = segs[i + 2];
        if (after === undefined) {
          container[name] ??= { kind: next === 'N' ? 'list' : 'map', item: leaf };
          break;
        }
        const node: FieldSpec = (container[name] ??= { kind: 'objectList', of: {} });
        container = node.of ??= {};
        i += 1;
      } else {
        const node: FieldSpec = (container[name] ??= { kind: 'object', of: {} });
        container = node.of ??= {};
      }
    }
  }
  for (const name of required) {
    if (!spec[name]) throw new Error(`required parameter ${name} is not in the model`);
    spec[name] = { ...spec[name], required: true };
  }
  return spec;
}

const MODEL_KINDS: Record<string, ScalarKind> = { s: 'string', i: 'int', f: 'float', b: 'bool', j: 'json' };

const INT_RE = /^-?\d{1,15}$/;

export class ParamReader {
  constructor(
    readonly params: Map<string, string>,
    private readonly spec: ParamSpec,
  ) {}

  has(name: string): boolean {
    return this.params.has(name) || [...this.params.keys()].some((k) => k.startsWith(`${name}.`));
  }

  str(name: string): string | undefined {
    const v = this.params.get(name);
    if (v === undefined) {
      if (this.spec[name]?.required) throw wireErrors.missingParameter(name);
      return undefined;
    }
    return v;
  }

  reqStr(name: string): string {
    const v = this.params.get(name);
    if (v === undefined || v === '') throw wireErrors.missingParameter(name);
    return v;
  }

  int(name: string, range?: { min?: number; max?: number }): number | undefined {
    const v = this.params.get(name);
    if (v === undefined || v === '') {
      if (this.spec[name]?.required) throw wireErrors.missingParameter(name);
      return undefined;
    }
    if (!INT_RE.test(v)) throw wireErrors.invalidParameter(name);
    const n = Number(v);
    if ((range?.min !== undefined && n < range.min) || (range?.max !== undefined && n > range.max))
      throw wireErrors.invalidParameter(name, `Range: ${range.min ?? ''}..${range.max ?? ''}.`);
    return n;
  }

  bool(name: string): boolean | undefined {
    const v = this.params.get(name);
    if (v === undefined || v === '') return undefined;
    if (/^true$/i.test(v)) return true;
    if (/^false$/i.test(v)) return false;
    throw wireErrors.invalidParameter(name);
  }

  /** "Name.1", "Name.2", ... in index order; gaps allowed, indexes must be 1..maxItems. */
  list(name: string, maxItems = 100): string[] | undefined {
    const items: [number, string][] = [];
    for (const [k, v] of this.params) {
      const m = /^([A-Za-z0-9]+)\.(\d+)$/.exec(k);
      if (!m || m[1] !== name) continue;
      const i = Number(m[2]);
      if (i < 1 || i > maxItems) throw wireErrors.invalidParameter(k, `The index must be between 1 and ${maxItems}.`);
      items.push([i, v]);
    }
    if (items.length === 0) return undefined;
    return items.sort((a, b) => a[0] - b[0]).map((x) => x[1]);
  }

  objectList(name: string, maxItems = 20): Record<string, string>[] | undefined {
    const byIndex = new Map<number, Record<string, string>>();
    for (const [k, v] of this.params) {
      const m = /^([A-Za-z0-9]+)\.(\d+)\.([A-Za-z0-9]+)$/.exec(k);
      if (!m || m[1] !== name) continue;
      const i = Number(m[2]);
      if (i < 1 || i > maxItems) throw wireErrors.invalidParameter(k, `The index must be between 1 and ${maxItems}.`);
      const o = byIndex.get(i) ?? {};
      o[m[3]] = v;
      byIndex.set(i, o);
    }
    if (byIndex.size === 0) return undefined;
    return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map((x) => x[1]);
  }

  /** A JSON array of strings passed as one parameter (DescribeInstances InstanceIds). */
  jsonList(name: string): string[] | undefined {
    const v = this.params.get(name);
    if (v === undefined || v === '') return undefined;
    try {
      const parsed: unknown = JSON.parse(v);
      if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) return parsed;
    } catch {
      /* fall through */
    }
    throw wireErrors.invalidParameter(name, 'Expecting a JSON array of strings.');
  }
}
