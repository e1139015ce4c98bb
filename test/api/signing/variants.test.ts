// sdk-wire.md §3 "Canonicalization variants that fail": an independent,
// test-local signer reproduces all 83 captured signatures with the right rules,
// and with each wrong rule it no longer matches the captures that exercise it.
// This pins down that every rule in src/api/signing/ is necessary.
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { escape as qsEscape } from 'node:querystring';
import { test } from 'node:test';
import { pct } from '../../../src/api/signing/index.ts';
import { capturedRequests, SECRET, type Captured } from './captured.ts';

interface Rules {
  enc: (s: string) => string;
  sort: (a: string, b: string) => number;
  rawWire: boolean; // sign the on-wire text instead of decoding and re-encoding
  fixedHeaders?: string[]; // ACS3: a fixed list instead of the client's SignedHeaders
  rpcKey: (secret: string) => string;
  keepSignature: boolean;
  otherMethod: boolean;
}
const RIGHT: Rules = {
  enc: pct,
  sort: (a, b) => (a < b ? -1 : a > b ? 1 : 0),
  rawWire: false,
  rpcKey: (s) => `${s}&`,
  keepSignature: false,
  otherMethod: false,
};

function refSign(c: Captured, rules: Partial<Rules>): string {
  const r = { ...RIGHT, ...rules };
  const rec = c.recorded;
  const pairs = (list: typeof rec.query) => list.map((p) => (r.rawWire ? [p.rawKey, p.rawValue] : [r.enc(p.key), r.enc(p.value)]));
  const canon = (list: string[][]) =>
    list
      .sort((x, y) => r.sort(x[0], y[0]))
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
  const method = r.otherMethod ? (rec.method === 'GET' ? 'POST' : 'GET') : rec.method;
  if (c.scheme === 'RPC-HMAC-SHA1') {
    const params = pairs([...rec.query, ...(rec.bodyParams ?? [])].filter((p) => r.keepSignature || p.key !== 'Signature'));
    const sts = `${method}&${r.enc('/')}&${r.enc(canon(params))}`;
    return createHmac('sha1', r.rpcKey(SECRET)).update(sts).digest('base64');
  }
  const signed = r.fixedHeaders ?? /SignedHeaders=([^,]+)/.exec(rec.headers['authorization'])![1].split(';');
  const request = [
    method,
    '/',
    canon(pairs(rec.query)),
    signed.map((h) => `${h}:${rec.headers[h].trim()}\n`).join(''),
    signed.join(';'),
    createHash('sha256').update(rec.body).digest('hex'),
  ].join('\n');
  const sts = `ACS3-HMAC-SHA256\n${createHash('sha256').update(request).digest('hex')}`;
  return createHmac('sha256', SECRET).update(sts).digest('hex');
}

const all = capturedRequests();
const awkward = (c: Captured) => [...c.input.query, ...c.input.form].some(([, v]) => v.includes('my eni*~(x)'));
const list12 = (c: Captured) => [...c.input.query, ...c.input.form].some(([k]) => k === 'PrivateIpAddress.12');
const ecsWire = (c: Captured) => c.name.startsWith('ecs-') && awkward(c); // the ecs SDK sends *()!~ raw on the wire
const acs3 = (c: Captured) => c.scheme === 'ACS3-HMAC-SHA256';
const rpc = (c: Captured) => c.scheme === 'RPC-HMAC-SHA1';
const lowerHex = (s: string) => pct(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
const collator = new Intl.Collator('en', { numeric: true });

test('the right rules reproduce every captured signature', () => {
  for (const c of all) assert.equal(refSign(c, {}), c.signature, c.name);
});

const VARIANTS: [string, Partial<Rules>, (c: Captured) => boolean][] = [
  ["plain encodeURIComponent (* ! ' ( ) literal)", { enc: encodeURIComponent }, awkward],
  ['space as +', { enc: (s) => pct(s).replace(/%20/g, '+') }, awkward],
  ['~ as %7E', { enc: (s) => pct(s).replace(/~/g, '%7E') }, awkward],
  ['lower-case hex', { enc: lowerHex }, (c) => awkward(c) || rpc(c)],
  ['Node querystring.escape', { enc: qsEscape }, awkward],
  ['the raw on-wire query', { rawWire: true }, ecsWire],
  ['numeric-aware sorting (.2 before .10)', { sort: (a, b) => collator.compare(a, b) }, list12],
  [
    'a fixed ACS3 header list without x-acs-credentials-provider',
    {
      fixedHeaders: ['host', 'x-acs-action', 'x-acs-content-sha256', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-version'],
    },
    acs3,
  ],
  ['RPC key without the trailing &', { rpcKey: (s) => s }, rpc],
  ['RPC keeping Signature in the signed set', { keepSignature: true }, rpc],
  ['RPC signing with the other HTTP method', { otherMethod: true }, rpc],
];

for (const [name, rules, mustFail] of VARIANTS) {
  test(`variant fails: ${name}`, () => {
    const affected = all.filter(mustFail);
    assert.ok(affected.length > 0);
    for (const c of affected) assert.notEqual(refSign(c, rules), c.signature, `${c.name} still matched`);
  });
}
