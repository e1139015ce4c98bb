// A minimal keep-alive HTTP client that signs RPC (HMAC-SHA1) requests, for
// benchmarks: no SDK overhead on the client side, so the server is measured.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { pct, rpcSignature, rpcStringToSign } from '../../src/api/signing/index.ts';

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'GET', agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

export function signedPath(key: { id: string; secret: string }, action: string, params: Record<string, string>, version = '2014-05-26'): string {
  const pairs: [string, string][] = [
    ['Action', action], ['Version', version], ['Format', 'JSON'], ['AccessKeyId', key.id], ['SignatureMethod', 'HMAC-SHA1'],
    ['SignatureVersion', '1.0'], ['SignatureNonce', randomUUID()], ['Timestamp', new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')],
    ['RegionId', 'cn-hangzhou'], ...Object.entries(params),
  ];
  const sig = rpcSignature(rpcStringToSign('GET', pairs), key.secret);
  return '/?' + [...pairs, ['Signature', sig]].map(([k, v]) => `${pct(k)}=${pct(v)}`).join('&');
}

export async function rpc(port: number, key: { id: string; secret: string }, action: string, params: Record<string, string> = {}, version?: string): Promise<any> {
  const r = await get(port, signedPath(key, action, params, version));
  const body = JSON.parse(r.body);
  if (r.status >= 400) throw Object.assign(new Error(`${action}: ${body.Code} ${body.Message}`), { code: body.Code });
  return body;
}

export interface LoadResult { requests: number; seconds: number; rps: number; p50: number; p90: number; p99: number; p999: number; max: number; meanMs: number }

/** Runs `op` from `concurrency` workers until `count` ops or `maxMs` elapse; latencies in ms. */
export async function load(concurrency: number, count: number, maxMs: number, op: (worker: number, i: number) => Promise<void>): Promise<LoadResult> {
  const lat: number[] = [];
  let issued = 0;
  const start = performance.now();
  const deadline = start + maxMs;
  await Promise.all(Array.from({ length: concurrency }, async (_, w) => {
    while (issued < count && performance.now() < deadline) {
      const i = issued++;
      const t = performance.now();
      await op(w, i);
      lat.push(performance.now() - t);
    }
  }));
  const seconds = (performance.now() - start) / 1000;
  lat.sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? NaN;
  return { requests: lat.length, seconds, rps: lat.length / seconds, p50: q(0.5), p90: q(0.9), p99: q(0.99), p999: q(0.999), max: lat[lat.length - 1] ?? NaN, meanMs: lat.reduce((a, b) => a + b, 0) / lat.length };
}
