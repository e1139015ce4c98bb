// A minimal keep-alive HTTP client that signs RPC (HMAC-SHA1) requests, for
// benchmarks: no SDK overhead on the client side, so the server is measured.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { pct, rpcSignature } from '../../src/api/signing/index.ts';

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'GET', agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

// The parameters every request carries but the nonce and the timestamp, encoded once per key and action.
const commonParts = new Map<string, [string, string][]>();
let lastSecond = { at: '', encoded: '' };

function encodedPair(k: string, v: string): [string, string] {
  return [k, `${pct(k)}=${pct(v)}`];
}

/**
 * A signed RPC (HMAC-SHA1) GET path: a fresh nonce and timestamp and a real
 * HMAC per request, as the SDKs do, but with the constant parameters encoded
 * once and the sorted canonical query reused as the URL's query, so the load
 * generator spends its share of the machine on the HTTP exchange.
 */
export function signedPath(
  key: { id: string; secret: string },
  action: string,
  params: Record<string, string>,
  version = '2014-05-26',
): string {
  const ck = `${key.id}\n${action}\n${version}`;
  let common = commonParts.get(ck);
  if (!common) {
    common = [
      ['AccessKeyId', key.id],
      ['Action', action],
      ['Version', version],
      ['Format', 'JSON'],
      ['SignatureMethod', 'HMAC-SHA1'],
      ['SignatureVersion', '1.0'],
      ['RegionId', 'cn-hangzhou'],
    ].map(([k, v]) => encodedPair(k, v));
    commonParts.set(ck, common);
  }
  const at = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (lastSecond.at !== at) lastSecond = { at, encoded: encodedPair('Timestamp', at)[1] };
  const pairs: [string, string][] = [...common, ['SignatureNonce', `SignatureNonce=${randomUUID()}`], ['Timestamp', lastSecond.encoded]];
  for (const k in params) pairs.push(encodedPair(k, params[k]));
  // Sorted by raw name in code-unit order, as rpc-v1.ts canonicalizes (names here are unique).
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let canonical = '';
  for (const [, e] of pairs) canonical = canonical ? `${canonical}&${e}` : e;
  const sig = rpcSignature(`GET&${pct('/')}&${pct(canonical)}`, key.secret);
  return `/?${canonical}&Signature=${pct(sig)}`;
}

export async function rpc(
  port: number,
  key: { id: string; secret: string },
  action: string,
  params: Record<string, string> = {},
  version?: string,
): Promise<any> {
  const r = await get(port, signedPath(key, action, params, version));
  const body = JSON.parse(r.body);
  if (r.status >= 400) throw Object.assign(new Error(`${action}: ${body.Code} ${body.Message}`), { code: body.Code });
  return body;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  meanMs: number;
}

/** Runs `op` from `concurrency` workers until `count` ops or `maxMs` elapse; latencies in ms. */
export async function load(
  concurrency: number,
  count: number,
  maxMs: number,
  op: (worker: number, i: number) => Promise<void>,
): Promise<LoadResult> {
  const lat: number[] = [];
  let issued = 0;
  const start = performance.now();
  const deadline = start + maxMs;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      while (issued < count && performance.now() < deadline) {
        const i = issued++;
        const t = performance.now();
        await op(w, i);
        lat.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  lat.sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? NaN;
  return {
    requests: lat.length,
    seconds,
    rps: lat.length / seconds,
    p50: q(0.5),
    p90: q(0.9),
    p99: q(0.99),
    p999: q(0.999),
    max: lat[lat.length - 1] ?? NaN,
    meanMs: lat.reduce((a, b) => a + b, 0) / lat.length,
  };
}
