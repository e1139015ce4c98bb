// Sends a generated request signed as the SDKs sign RPC calls (HMAC-SHA1 over
// the sorted, percent-encoded parameters), as a GET query or a POST form, and
// judges the answer's shape: every answer must be Alibaba's JSON, never a 5xx.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { pct, rpcSignature } from '../../../src/api/signing/index.ts';
import type { FuzzRequest } from './requests.ts';

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

export interface Answer {
  status: number;
  contentType: string;
  body: string;
}

export function signedQuery(key: { id: string; secret: string }, method: string, r: FuzzRequest): string {
  const all: [string, string][] = [
    ['AccessKeyId', key.id],
    ['Action', r.action],
    ['Version', r.version],
    ['Format', 'JSON'],
    ['SignatureMethod', 'HMAC-SHA1'],
    ['SignatureVersion', '1.0'],
    ['SignatureNonce', randomUUID()],
    ['Timestamp', new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')],
  ];
  const fixed = new Set(all.map(([k]) => k));
  for (const [k, v] of r.params) if (!fixed.has(k)) all.push([k, v]);
  const encoded = all.map(([k, v]) => [pct(k), pct(v)]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const canonical = encoded.map(([k, v]) => `${k}=${v}`).join('&');
  return `${canonical}&Signature=${pct(rpcSignature(`${method}&${pct('/')}&${pct(canonical)}`, key.secret))}`;
}

export function send(port: number, key: { id: string; secret: string }, r: FuzzRequest): Promise<Answer> {
  const query = signedQuery(key, r.method, r);
  return new Promise((resolve, reject) => {
    const post = r.method === 'POST';
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        agent,
        method: r.method,
        path: post ? '/' : `/?${query}`,
        headers: post ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(query) } : {},
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => {
          body += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body }));
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
    req.on('error', reject);
    req.end(post ? query : undefined);
  });
}

/** Why an answer is not one the real API could give (undefined when it could). */
export function answerProblem(a: Answer): string | undefined {
  if (a.status >= 500) return `status ${a.status}`;
  if (a.status !== 200 && (a.status < 400 || a.status > 499)) return `status ${a.status}: neither 200 nor a client error`;
  if (!/^application\/json/.test(a.contentType)) return `content-type ${a.contentType || '(none)'}`;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(a.body) as Record<string, unknown>;
  } catch {
    return `body is not JSON: ${a.body.slice(0, 80)}`;
  }
  if (typeof body.RequestId !== 'string' || body.RequestId === '') return 'no RequestId';
  if (a.status !== 200 && (typeof body.Code !== 'string' || !body.Code || typeof body.Message !== 'string' || !body.Message))
    return 'an error without Code and Message';
  return undefined;
}
