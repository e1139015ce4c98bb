#!/usr/bin/env node
// Generates src/api/models/*.ts: for every action of the official ECS and VPC
// SDKs, the wire parameters its client actually sends. Rather than re-derive
// the SDK's flattening rules, each request field is filled with a typed sample
// (recursively: nested models, arrays, maps) and handed to the real client
// method, whose callApi is replaced by a recorder: the query it built (renames,
// `*Shrink` JSON strings and all) is what a real client puts on the wire.
//   node scripts/gen-param-models.mjs          writes the files
//   node scripts/gen-param-models.mjs --check  exits 1 when they are stale
import { createRequire } from 'node:module';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export const PRODUCTS = [
  { pkg: '@alicloud/ecs20140526', version: '2014-05-26', file: 'ecs-2014-05-26.ts', product: 'Ecs' },
  { pkg: '@alicloud/vpc20160428', version: '2016-04-28', file: 'vpc-2016-04-28.ts', product: 'Vpc' },
];

const STOP = new Error('captured');
const { OpenApiUtil } = require('@alicloud/openapi-core');

/** "number" fields whose documented example has a fraction are floats (SpotPriceLimit 0.97); the rest integers. */
function floatFields(modelsDir) {
  const floats = new Set();
  for (const f of readdirSync(modelsDir)) {
    if (!f.endsWith('.d.ts')) continue;
    let cls = '';
    let example;
    const lines = readFileSync(join(modelsDir, f), 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const c = /^export declare class (\w+)/.exec(lines[i]);
      if (c) {
        cls = c[1];
        example = undefined;
        continue;
      }
      if (/^\s*\*\s*@example\s*$/.test(lines[i])) {
        example = /^\s*\*\s*(.*)$/.exec(lines[i + 1] ?? '')?.[1];
        continue;
      }
      const fld = /^\s*(\w+)\?:\s*(\w+);/.exec(lines[i]);
      if (fld) {
        if (fld[2] === 'number' && example !== undefined && /^-?\d*\.\d+$/.test(example.trim())) floats.add(`${cls}.${fld[1]}`);
        example = undefined;
      }
    }
  }
  return floats;
}

/** A value of the declared type: strings "s", integers 7, floats 0.5, booleans true; one item per array, key "K" per map. */
function sample(type, owner, field, floats) {
  if (type === 'string') return 's';
  if (type === 'number') return floats.has(`${owner}.${field}`) ? 0.5 : 7;
  if (type === 'boolean') return true;
  if (typeof type === 'function') return fill(type, floats);
  if (type && type.type === 'array') return [sample(type.itemType, owner, field, floats)];
  if (type && type.type === 'map') return { K: sample(type.valueType, owner, field, floats) };
  if (type === 'any' || type === 'Readable') return 's';
  throw new Error(`unknown type ${JSON.stringify(type)} at ${owner}.${field}`);
}

function fill(Model, floats, only) {
  const types = Model.types();
  const m = {};
  for (const field of Object.keys(Model.names())) {
    if (only !== undefined && field !== only) continue;
    m[field] = sample(types[field], Model.name, field, floats);
  }
  return new Model(m);
}

function typeOf(v) {
  if (v === 'true') return 'b';
  if (v === 's') return 's';
  if (v === '7') return 'i';
  if (v === '0.5') return 'f';
  if (/^[[{]/.test(v)) return 'j';
  return 's'; // joined styles ("simple") and anything else travel as one string
}

/** { Action: ["Name:t", "List.N:t", "Obj.Field:t", "Objs.N.Field:t", "Map.*:t", ...] } for one SDK. */
export function productModels(p) {
  const pkgDir = dirname(require.resolve(`${p.pkg}/package.json`));
  const sdk = require(p.pkg);
  const Client = sdk.default;
  const floats = floatFields(join(pkgDir, 'dist', 'models'));
  const client = new Client({ accessKeyId: 'x', accessKeySecret: 'y', endpoint: '127.0.0.1', regionId: 'cn-hangzhou', protocol: 'http' });
  let captured;
  client.callApi = async (params, req) => {
    captured = { action: params.action, query: { ...req.query }, body: req.body };
    throw STOP;
  };
  const out = {};
  const methods = Object.getOwnPropertyNames(Client.prototype)
    .filter((m) => m.endsWith('WithOptions'))
    .sort();
  return (async () => {
    for (const method of methods) {
      const base = method.slice(0, -'WithOptions'.length);
      const Request = sdk[`${base[0].toUpperCase()}${base.slice(1)}Request`];
      const names = new Map();
      let action;
      // An action without a request model (VPC ListGeographicSubRegions) takes only the common parameters.
      for (const field of ['', ...(Request ? Object.keys(Request.names()) : [])]) {
        captured = undefined;
        try {
          if (Request) await client[method](fill(Request, floats, field === '' ? '-' : field), {});
          else await client[method]({});
        } catch (e) {
          if (e !== STOP) throw new Error(`${method}(${field}): ${e.message}`);
        }
        if (!captured) throw new Error(`${method}: callApi not reached`);
        action = captured.action;
        // Form bodies (some VPC actions) are flattened the same way as queries and read alike by the server.
        for (const [k, v] of Object.entries({ ...OpenApiUtil.query(captured.query), ...OpenApiUtil.query(captured.body ?? {}) })) {
          const pattern = k
            .split('.')
            .map((seg, i) => (i > 0 && /^\d+$/.test(seg) ? 'N' : i > 0 && seg === 'K' ? '*' : seg))
            .join('.');
          names.set(pattern, typeOf(String(v)));
        }
      }
      out[action] = [...names].map(([n, t]) => `${n}:${t}`).sort();
    }
    return out;
  })();
}

export async function render(p) {
  const models = await productModels(p);
  const pkg = require(`${p.pkg}/package.json`);
  const lines = [
    `// GENERATED by \`node scripts/gen-param-models.mjs\` from ${p.pkg} ${pkg.version}: do not edit.`,
    '// Every action of the SDK and the wire parameters its client sends, space separated, each',
    '// "Name:type" with N for a list index and * for a map key (DataDisk.N.Size:i, SystemDisk.Category:s);',
    "// types: s string, i integer, f float, b boolean, j JSON string (the SDK's *Shrink fields).",
    `export const SDK = '${p.pkg}@${pkg.version}';`,
    `export const VERSION = '${p.version}';`,
    'export const MODELS: Readonly<Record<string, string>> = {',
    ...Object.keys(models)
      .sort()
      .map((a) => `  ${a}: '${models[a].join(' ')}',`),
    '};',
    '',
  ];
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  let stale = false;
  for (const p of PRODUCTS) {
    const path = join(ROOT, 'src', 'api', 'models', p.file);
    const text = await render(p);
    let old = '';
    try {
      old = readFileSync(path, 'utf8');
    } catch {
      /* new */
    }
    if (old === text) continue;
    stale = true;
    if (!check) {
      writeFileSync(path, text);
      console.log(`wrote ${path}`);
    } else console.error(`stale: ${path}`);
  }
  if (check && stale) process.exit(1);
}
