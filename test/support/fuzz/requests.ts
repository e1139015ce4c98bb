// Generative requests for every action eniplane serves, built from each
// action's parameter spec (the SDK models, src/api/models/): random valid and
// invalid values, odd indexes, sizes and encodings, unknown and missing names.
// fast-check drives it, so a run is replayable from its seed and a failure
// shrinks to a small request.
import fc from 'fast-check';
import type { ActionDef } from '../../../src/api/action.ts';
import type { FieldSpec, ParamSpec, ScalarKind } from '../../../src/api/params.ts';

/** One leaf of a spec: its wire name with N for a list index and * for a map key, and its value kind. */
export interface FieldTemplate {
  name: string;
  kind: ScalarKind;
}

export function templatesOf(spec: ParamSpec): FieldTemplate[] {
  const out: FieldTemplate[] = [];
  const walk = (prefix: string, name: string, f: FieldSpec) => {
    const here = prefix ? `${prefix}.${name}` : name;
    switch (f.kind) {
      case 'list':
        out.push({ name: `${here}.N`, kind: leafKind(f.item) });
        break;
      case 'map':
        out.push({ name: `${here}.*`, kind: leafKind(f.item) });
        break;
      case 'objectList':
        for (const [k, sub] of Object.entries(f.of ?? {})) walk(`${here}.N`, k, sub);
        for (const k of f.fields ?? []) out.push({ name: `${here}.N.${k}`, kind: 'string' });
        break;
      case 'object':
        for (const [k, sub] of Object.entries(f.of ?? {})) walk(here, k, sub);
        for (const k of f.fields ?? []) out.push({ name: `${here}.${k}`, kind: 'string' });
        break;
      default:
        out.push({ name: here, kind: f.kind });
    }
  };
  for (const [name, f] of Object.entries(spec)) walk('', name, f);
  return out;
}
const leafKind = (f: FieldSpec | undefined): ScalarKind =>
  f && f.kind !== 'list' && f.kind !== 'map' && f.kind !== 'objectList' && f.kind !== 'object' ? f.kind : 'string';

/** Real ids and addresses of the world the run starts from, so requests reach past the lookups. */
export interface FuzzWorld {
  regionId: string;
  ids: string[];
  addresses: string[];
  cidrs: string[];
}

const HOSTILE = [
  '',
  ' ',
  '\t',
  '0',
  '-1',
  'null',
  'undefined',
  'true',
  'NaN',
  '1e309',
  '0x10',
  '99999999999999999999',
  '-0',
  '1.5',
  "' OR 1=1 --",
  '"; DROP TABLE enis; --',
  '../../etc/passwd',
  '%00',
  '%',
  '%zz',
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  'http://example.com/',
  'aliyun',
  'acs:x',
  '\u0000',
  '\u202e',
  '🦊',
  'é',
  '\uD800',
  'a'.repeat(129),
  'a'.repeat(257),
  'a'.repeat(65_537),
  '[]',
  '{}',
  '[1,2]',
  '{"a":',
  'eni-',
  'vpc-',
  'i-',
  'sg-',
  'vsw-',
  '255.255.255.255',
  '0.0.0.0',
  '::',
  '::1',
  '1.2.3.4/33',
  '10.0.0.0/8',
];

/** Ids of the kind a parameter names (NetworkInterfaceId → eni-..., VSwitchId → vsw-...), else every id. */
function idsFor(name: string, world: FuzzWorld): string[] {
  const prefix = /NetworkInterface/.test(name)
    ? 'eni-'
    : /VSwitch/.test(name)
      ? 'vsw-'
      : /Vpc/.test(name)
        ? 'vpc-'
        : /SecurityGroup/.test(name)
          ? 'sg-'
          : /ResourceGroup/.test(name)
            ? 'rg-'
            : /Instance(Id|s)/.test(name)
              ? 'i-'
              : '';
  const ids = prefix ? world.ids.filter((id) => id.startsWith(prefix)) : [];
  return ids.length ? ids : world.ids;
}

function validValue(kind: ScalarKind, world: FuzzWorld, name: string): fc.Arbitrary<string> {
  if (kind === 'string' && /Id$|Ids?\.N$|Id\.N$/.test(name.replace(/\.N$/, '.N'))) return fc.constantFrom(...idsFor(name, world));
  switch (kind) {
    case 'int':
      return fc.oneof(fc.integer({ min: 0, max: 60 }), fc.integer({ min: -100, max: 1_000_000 })).map(String);
    case 'float':
      return fc.double({ noNaN: true, min: -1e6, max: 1e6 }).map(String);
    case 'bool':
      return fc.constantFrom('true', 'false', 'True', 'FALSE');
    case 'json':
      return fc.oneof(
        fc.json(),
        fc.array(fc.constantFrom(...world.ids), { maxLength: 3 }).map((a) => JSON.stringify(a)),
      );
    default:
      return fc.oneof(
        fc.constantFrom(
          ...world.ids,
          ...world.addresses,
          ...world.cidrs,
          world.regionId,
          'cn-hangzhou',
          'cn-hangzhou-h',
          'Secondary',
          'Trunk',
          'Available',
          'InUse',
          'enterprise',
          'normal',
        ),
        fc.string({ maxLength: 40 }),
        fc.string({ unit: 'grapheme', maxLength: 20 }),
      );
  }
}

const valueArb = (kind: ScalarKind, world: FuzzWorld, name: string): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 6, arbitrary: validValue(kind, world, name) },
    { weight: 2, arbitrary: fc.constantFrom(...HOSTILE) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
    { weight: 1, arbitrary: fc.integer({ min: 1000, max: 200_000 }).map((n) => 'x'.repeat(n)) },
  );

const indexArb = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 50, 51, 101, 1_000_000, 2 ** 31) },
);

export interface FuzzRequest {
  action: string;
  version: string;
  method: 'GET' | 'POST';
  params: [string, string][];
}

export function describeRequest(r: FuzzRequest): string {
  const short = (v: string) => (v.length > 60 ? `${JSON.stringify(v.slice(0, 40))}…(${v.length} chars)` : JSON.stringify(v));
  return `${r.method} ${r.version}/${r.action} ${r.params.map(([k, v]) => `${k}=${short(v)}`).join(' ')}`;
}

/**
 * A request for one action: half of them well-formed (typed values, real ids, the required names,
 * small indexes), to reach the rules behind validation; the other half with hostile values,
 * odd indexes, strangers and missing names.
 */
export function requestArb(action: ActionDef, world: FuzzWorld): fc.Arbitrary<FuzzRequest> {
  const templates = templatesOf(action.params).filter(
    (t) => !/^(Action|Version|AccessKeyId|Signature\w*|Timestamp|Format|RegionId)$/.test(t.name),
  );
  const required = Object.entries(action.params)
    .filter(([, f]) => f.required)
    .map(([n]) => n);
  const field = (t: FieldTemplate, hostile: boolean) =>
    fc
      .tuple(
        fc.array(hostile ? indexArb : fc.integer({ min: 1, max: 3 }), { minLength: 3, maxLength: 3 }),
        fc.string({ minLength: 1, maxLength: 8, unit: fc.constantFrom(...'abcXYZ09') }),
        hostile ? valueArb(t.kind, world, t.name) : validValue(t.kind, world, t.name),
      )
      .map(([idx, key, value]): [string, string] => {
        let i = 0;
        return [t.name.replace(/\bN\b/g, () => String(idx[i++ % 3])).replace('*', key), value];
      });
  const fields = (hostile: boolean) =>
    templates.length
      ? fc.array(fc.oneof(...templates.map((t) => field(t, hostile))), { maxLength: hostile ? 8 : 4 })
      : fc.constant([] as [string, string][]);
  const stranger = fc.tuple(
    fc.constantFrom('Foo', 'regionid', 'RegionId.1', 'Tag.1', 'Tag.1.Key.2', 'PrivateIpAddress', 'a.b.c.d', ''),
    fc.string({ maxLength: 10 }),
  );
  const wellFormed = fc.record({ fields: fields(false), post: fc.boolean() }).map(({ fields: f, post }) => {
    const params = new Map<string, string>([['RegionId', world.regionId]]);
    for (const name of required) params.set(name, idsFor(name, world)[0]);
    for (const [k, v] of f) params.set(k, v);
    return build(action, post, params);
  });
  const hostile = fc
    .record({
      fields: fields(true),
      required: fc.array(fc.tuple(fc.constantFrom(...(required.length ? required : ['RegionId'])), fc.boolean()), { maxLength: 2 }),
      stranger: fc.option(stranger, { freq: 4 }),
      region: fc.oneof(
        { weight: 4, arbitrary: fc.constant(world.regionId) },
        { weight: 1, arbitrary: fc.constantFrom('', 'cn-nowhere', 'us-west-1') },
      ),
      post: fc.boolean(),
    })
    .map(({ fields: f, required: req, stranger: s, region, post }) => {
      const params = new Map<string, string>([['RegionId', region]]);
      for (const [name, real] of req) params.set(name, real ? idsFor(name, world)[0] : '');
      for (const [k, v] of f) params.set(k, v);
      if (s) params.set(s[0], s[1]);
      return build(action, post, params);
    });
  return fc.oneof(wellFormed, hostile);
}

function build(action: ActionDef, post: boolean, params: Map<string, string>): FuzzRequest {
  const r: FuzzRequest = { action: action.action, version: action.version, method: post ? 'POST' : 'GET', params: [...params] };
  // A failing case prints readably: long values shortened, with their length.
  return Object.assign(r, { [fc.toStringMethod]: () => describeRequest(r) });
}
