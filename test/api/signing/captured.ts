// Loads every request the official SDKs sent to the recording listener
// (test/fixtures/sdk/, see its README) as a SignedRequestInput, built the way
// the api pipeline will build it: decoded query/form pairs, lower-case headers,
// raw body. Never from rawQuery: the wire encoding differs from the signed one.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SignedRequestInput } from '../../../src/api/signing/index.ts';
import { parseAcsTimestamp } from '../../../src/api/signing/timestamp.ts';

export const FIXTURES = new URL('../../fixtures/sdk/', import.meta.url).pathname;
export const SECRET = 'testsecret';
export const KEYS: Record<string, string> = { testid: SECRET, 'STS.testid': SECRET };
export const lookup = (id: string): string | undefined => KEYS[id];

interface RecordedParam {
  rawKey: string;
  rawValue: string;
  key: string;
  value: string;
}
export interface RecordedRequest {
  method: string;
  path: string;
  rawQuery: string;
  query: RecordedParam[];
  bodyParams?: RecordedParam[];
  headers: Record<string, string>;
  body: string;
}

export interface Captured {
  /** e.g. "popcore-1.8.0/CreateNetworkInterface-POST.json#0" */
  name: string;
  recorded: RecordedRequest;
  input: SignedRequestInput;
  scheme: 'ACS3-HMAC-SHA256' | 'RPC-HMAC-SHA1';
  /** the signature exactly as the client computed it (decoded, for RPC) */
  signature: string;
  /** the request's own timestamp, to pin the clock to */
  timestampMs: number;
}

export function toInput(r: RecordedRequest): SignedRequestInput {
  return {
    method: r.method,
    path: r.path,
    query: r.query.map((p) => [p.key, p.value]),
    form: (r.bodyParams ?? []).map((p) => [p.key, p.value]),
    headers: { ...r.headers },
    rawBody: r.body,
  };
}

function describe(name: string, recorded: RecordedRequest): Captured {
  const input = toInput(recorded);
  const auth = recorded.headers['authorization'];
  const params = [...input.query, ...input.form];
  const param = (k: string) => params.find(([n]) => n === k)?.[1] ?? '';
  const acs3 = auth?.startsWith('ACS3-') ?? false;
  const signature = acs3 ? /Signature=([0-9a-f]+)/.exec(auth!)![1] : param('Signature');
  const ts = acs3 ? recorded.headers['x-acs-date'] : param('Timestamp');
  return { name, recorded, input, scheme: acs3 ? 'ACS3-HMAC-SHA256' : 'RPC-HMAC-SHA1', signature, timestampMs: parseAcsTimestamp(ts)! };
}

let cache: Captured[] | undefined;

/** SDK folders and sts/ (`requests[]`), plus errors/retry-*.json (the only error files with requests). */
export function capturedRequests(): Captured[] {
  if (cache) return cache;
  const out: Captured[] = [];
  for (const dir of readdirSync(FIXTURES, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()) {
    for (const file of readdirSync(join(FIXTURES, dir))
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      if (dir === 'errors' && !file.startsWith('retry-')) continue;
      const doc = JSON.parse(readFileSync(join(FIXTURES, dir, file), 'utf8')) as { requests: RecordedRequest[] };
      doc.requests.forEach((r, i) => out.push(describe(`${dir}/${file}#${i}`, r)));
    }
  }
  cache = out;
  return out;
}

export const find = (prefix: string): Captured => {
  const c = capturedRequests().find((x) => x.name.startsWith(prefix));
  if (!c) throw new Error(`no capture ${prefix}`);
  return c;
};

/** A deep copy to tamper with. */
export function cloneInput(i: SignedRequestInput): SignedRequestInput {
  return {
    ...i,
    query: i.query.map(([k, v]) => [k, v]),
    form: i.form.map(([k, v]) => [k, v]),
    headers: { ...i.headers },
  };
}
