// Decoding RPC parameters. The wire is flat ("PrivateIpAddress.2",
// "Tag.1.Key", "ConnectionTrackingConfiguration.UdpTimeout"); an action
// declares what it accepts and reads typed values through ParamReader.
// Strict by default, like the real API: an undeclared parameter is an error.
import { wireErrors } from './errors.ts';

export type FieldKind = 'string' | 'int' | 'bool' | 'list' | 'objectList' | 'object';
export interface FieldSpec { kind: FieldKind; required?: boolean; fields?: string[] }
export type ParamSpec = Record<string, FieldSpec>;

/** Parameters every RPC/ECS request may carry, used by signing and the gateway, never by actions. */
export const COMMON_PARAMS: ParamSpec = {
  Action: { kind: 'string' }, Version: { kind: 'string' }, Format: { kind: 'string' }, AccessKeyId: { kind: 'string' },
  Signature: { kind: 'string' }, SignatureMethod: { kind: 'string' }, SignatureVersion: { kind: 'string' },
  SignatureNonce: { kind: 'string' }, SignatureType: { kind: 'string' }, Timestamp: { kind: 'string' }, SecurityToken: { kind: 'string' },
  OwnerId: { kind: 'string' }, OwnerAccount: { kind: 'string' }, ResourceOwnerId: { kind: 'string' }, ResourceOwnerAccount: { kind: 'string' },
  RegionId: { kind: 'string' }, SourceIp: { kind: 'string' }, SecureTransport: { kind: 'string' }, CallerParentId: { kind: 'string' }, RequestContent: { kind: 'string' },
};

export const str = (required = false): FieldSpec => ({ kind: 'string', required });
export const int = (required = false): FieldSpec => ({ kind: 'int', required });
export const bool = (): FieldSpec => ({ kind: 'bool' });
export const list = (): FieldSpec => ({ kind: 'list' });
export const objectList = (...fields: string[]): FieldSpec => ({ kind: 'objectList', fields });
export const object = (...fields: string[]): FieldSpec => ({ kind: 'object', fields });

/**
 * Names already found valid, per spec: the same dozen names arrive with every
 * request of an action, and the patterns below cost a regular expression or
 * two each. Bounded, since names like "PrivateIpAddress.123456" are valid too.
 */
const knownValid = new WeakMap<ParamSpec, Set<string>>();
const KNOWN_VALID_MAX = 4096;

/** Checks every parameter name against the spec; returns the problems (unknown names). */
export function unknownParams(params: Map<string, string>, spec: ParamSpec): string[] {
  let known = knownValid.get(spec);
  if (!known) knownValid.set(spec, (known = new Set()));
  const unknown: string[] = [];
  for (const key of params.keys()) {
    if (known.has(key)) continue;
    if (validName(key, spec)) {
      if (known.size < KNOWN_VALID_MAX) known.add(key);
    } else unknown.push(key);
  }
  return unknown;
}

/** A plain name of a scalar, "List.N" of a list, "Objects.N.Field" of an object list, "Object.Field". */
function validName(key: string, spec: ParamSpec): boolean {
  if (spec[key] || COMMON_PARAMS[key]) {
    return !(spec[key] && spec[key].kind !== 'string' && spec[key].kind !== 'int' && spec[key].kind !== 'bool');
  }
  const m = /^([A-Za-z0-9]+)\.(\d+)(?:\.([A-Za-z0-9]+))?$/.exec(key);
  if (m) {
    const f = spec[m[1]];
    if (f?.kind === 'list' && m[3] === undefined) return true;
    if (f?.kind === 'objectList' && m[3] !== undefined && f.fields?.includes(m[3])) return true;
  }
  const o = /^([A-Za-z0-9]+)\.([A-Za-z0-9]+)$/.exec(key);
  return Boolean(o && spec[o[1]]?.kind === 'object' && spec[o[1]].fields?.includes(o[2]));
}

const INT_RE = /^-?\d{1,15}$/;

export class ParamReader {
  constructor(readonly params: Map<string, string>, private readonly spec: ParamSpec) {}

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
    if ((range?.min !== undefined && n < range.min) || (range?.max !== undefined && n > range.max)) throw wireErrors.invalidParameter(name, `Range: ${range.min ?? ''}..${range.max ?? ''}.`);
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
    } catch { /* fall through */ }
    throw wireErrors.invalidParameter(name, 'Expecting a JSON array of strings.');
  }
}
