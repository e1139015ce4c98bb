// RPC signature v1, HMAC-SHA1 (sdk-wire.md §3, ecs-api.md §3): pop-core, the ecs
// SDK with signatureAlgorithm 'v2', the legacy Go SDK (Terway) and tea-rpc (Terraform).
//
//   Canonicalized = sorted pct(name)=pct(value) of query ∪ form body, minus Signature, joined by "&"
//   StringToSign  = METHOD + "&" + pct("/") + "&" + pct(Canonicalized)
//   Signature     = base64(HMAC-SHA1(secret + "&", StringToSign))
import { createHmac } from 'node:crypto';
import { constantTimeEqual } from './constant-time.ts';
import { parseCredentials, type DetectedCredentials } from './detect.ts';
import type { SchemeVerification } from './failures.ts';
import { pct } from './percent-encode.ts';
import { byCodeUnits, type SignedRequestInput } from './request.ts';
import { rpcKey, type Secret } from './secret.ts';

/** Every param the client signed: query and form body together (tea-rpc splits them), never Signature. */
function rpcSignedParams(input: SignedRequestInput): [string, string][] {
  return unsigned(input.query, input.form);
}

function unsigned(...lists: (readonly [string, string][])[]): [string, string][] {
  const out: [string, string][] = [];
  for (const list of lists) for (const p of list) if (p[0] !== 'Signature') out.push(p);
  return out;
}

export function rpcStringToSign(method: string, params: readonly [string, string][]): string {
  return stringToSignOf(method, unsigned(params));
}

/** `signed` is a fresh array without Signature, sorted here in place (every request verifies: no extra copies). */
function stringToSignOf(method: string, signed: [string, string][]): string {
  // Sorted by raw (decoded) name in code-unit order, as the SDKs sort object keys: "X.10" < "X.2".
  // Empty values are signed ("SignatureType=", "NextToken="). Signature is dropped defensively.
  signed.sort(byNameThenValue);
  let canonicalized = '';
  for (let i = 0; i < signed.length; i++) {
    const [k, v] = signed[i];
    canonicalized += i === 0 ? `${pct(k)}=${pct(v)}` : `&${pct(k)}=${pct(v)}`;
  }
  // The path is always "/" in the string to sign, whatever the request path; the method is the real one
  // (pop-core GETs, the ecs SDK POSTs, and a signature made for one fails for the other).
  return `${method}&${SLASH}&${pct(canonicalized)}`;
}

const SLASH = pct('/');
const byNameThenValue = (x: readonly [string, string], y: readonly [string, string]) => byCodeUnits(x[0], y[0]) || byCodeUnits(x[1], y[1]);

/** base64; the key is the secret plus "&" (the empty token-secret slot of the old OAuth-like scheme) */
export function rpcSignature(stringToSign: string, secret: Secret): string {
  return createHmac('sha1', rpcKey(secret)).update(stringToSign, 'utf8').digest('base64');
}

/** creds: the request's parsed credentials, when the caller has them already */
export function verifyRpcV1(
  input: SignedRequestInput,
  secret: Secret,
  creds: DetectedCredentials = parseCredentials(input),
): SchemeVerification {
  if (creds.scheme === 'invalid') return { ok: false, failure: creds.failure };
  if (creds.scheme !== 'RPC-HMAC-SHA1') {
    return { ok: false, failure: { kind: 'IncompleteSignature', reason: 'no Signature parameter' } };
  }
  const stringToSign = stringToSignOf(input.method, rpcSignedParams(input));
  // creds.signature is the decoded value (XX%2BDq…%3D on the wire is XX+Dq…=).
  if (!constantTimeEqual(creds.signature, rpcSignature(stringToSign, secret))) {
    return { ok: false, failure: { kind: 'SignatureMismatch', stringToSign } };
  }
  const { accessKeyId, timestamp, nonce, securityToken } = creds;
  return { ok: true, accessKeyId, timestamp, nonce, ...(securityToken ? { securityToken } : {}) };
}
