// Which signature scheme a request uses, and its credential fields, before any
// secret is looked up. Order follows sdk-wire.md §7.1: an `Authorization:
// ACS3-…` header wins; otherwise a `Signature` param (query or form body) means
// RPC signature v1; otherwise the request is unsigned.
//
// Structural problems are reported here so that verify.ts can answer them
// before touching the key store: malformed header -> IncompleteSignature,
// missing common params -> MissingParameter, bad SignatureMethod/Version.
import type { SigningFailure } from './failures.ts';
import { headerValue, type SignedRequestInput } from './request.ts';

export const ACS3_ALGORITHM = 'ACS3-HMAC-SHA256';

interface Acs3Credentials {
  scheme: 'ACS3-HMAC-SHA256';
  accessKeyId: string;
  /** lower-case, in the order the client listed them (that order is what it signed) */
  signedHeaders: string[];
  signature: string;
  /** raw x-acs-date value */
  timestamp: string;
  nonce: string;
  securityToken?: string;
}

interface RpcCredentials {
  scheme: 'RPC-HMAC-SHA1';
  accessKeyId: string;
  /** decoded (the wire's %2B/%2F/%3D already turned back into + / =) */
  signature: string;
  signatureMethod: string;
  signatureVersion: string;
  /** raw Timestamp value */
  timestamp: string;
  nonce: string;
  securityToken?: string;
}

export type DetectedCredentials =
  Acs3Credentials | RpcCredentials | { scheme: 'none' } | { scheme: 'invalid'; failure: SigningFailure; accessKeyId?: string };

export function parseCredentials(input: SignedRequestInput): DetectedCredentials {
  const authorization = headerValue(input, 'authorization');
  if (authorization !== undefined && authorization.startsWith('ACS3-')) return parseAcs3(input, authorization);
  const params = [...input.query, ...input.form];
  if (params.some(([k]) => k === 'Signature')) return parseRpc(params);
  if (authorization !== undefined && authorization !== '') {
    // COMPAT: some other scheme (OSS-style, Bearer...). Real ECS would answer
    // something scheme-specific; we only speak the two SDK schemes.
    return invalid({ kind: 'IncompleteSignature', reason: 'the Authorization header does not use ACS3-HMAC-SHA256' });
  }
  return { scheme: 'none' };
}

function invalid(failure: SigningFailure, accessKeyId?: string): DetectedCredentials {
  return accessKeyId === undefined ? { scheme: 'invalid', failure } : { scheme: 'invalid', failure, accessKeyId };
}

const incomplete = (reason: string, accessKeyId?: string): DetectedCredentials =>
  invalid({ kind: 'IncompleteSignature', reason }, accessKeyId);

// `ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<a;b>,Signature=<hex>` (CORE getAuthorization).
function parseAcs3(input: SignedRequestInput, authorization: string): DetectedCredentials {
  const space = authorization.search(/\s/);
  const algorithm = space < 0 ? authorization : authorization.slice(0, space);
  if (algorithm !== ACS3_ALGORITHM) {
    // COMPAT: Alibaba also accepts ACS3-HMAC-SM3 and ACS3-RSA-SHA256; no SDK uses them by default.
    return invalid({ kind: 'UnsupportedAlgorithm', algorithm });
  }
  const rest = space < 0 ? '' : authorization.slice(space).trim();
  if (rest === '') return incomplete('the Authorization header has no Credential');
  const fields = new Map<string, string>();
  for (const part of rest.split(',')) {
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim();
    if (eq < 0 || !['Credential', 'SignedHeaders', 'Signature'].includes(name) || fields.has(name)) {
      return incomplete(`unexpected "${name.slice(0, 40)}" in the Authorization header`); // capped: it is echoed
    }
    fields.set(name, part.slice(eq + 1).trim());
  }
  const accessKeyId = fields.get('Credential');
  if (!accessKeyId) return incomplete('the Authorization header has no Credential');
  for (const name of ['SignedHeaders', 'Signature']) {
    if (!fields.get(name)) return incomplete(`the Authorization header has no ${name}`, accessKeyId);
  }
  const signedHeaders = fields
    .get('SignedHeaders')!
    .split(';')
    .map((h) => h.trim().toLowerCase());
  if (signedHeaders.some((h) => h === '') || new Set(signedHeaders).size !== signedHeaders.length) {
    return incomplete('SignedHeaders has an empty or repeated name', accessKeyId);
  }
  const unsigned = mustBeSigned(input).find((h) => !signedHeaders.includes(h));
  if (unsigned !== undefined) return incomplete(`header "${unsigned}" is present but not signed`, accessKeyId);

  const timestamp = headerValue(input, 'x-acs-date');
  if (!timestamp) return invalid({ kind: 'MissingParameter', parameter: 'x-acs-date' }, accessKeyId);
  const nonce = headerValue(input, 'x-acs-signature-nonce');
  if (!nonce) return invalid({ kind: 'MissingParameter', parameter: 'x-acs-signature-nonce' }, accessKeyId);
  const securityToken = headerValue(input, 'x-acs-security-token') || undefined;
  return {
    scheme: ACS3_ALGORITHM,
    accessKeyId,
    signedHeaders,
    signature: fields.get('Signature')!,
    timestamp,
    nonce,
    ...(securityToken ? { securityToken } : {}),
  };
}

// Alibaba's V3 doc: every common header present, except Authorization, must be
// signed — and the SDK signs host and every x-acs-* header. Enforcing it keeps
// x-acs-action/-date/-nonce/-security-token from being swapped on a captured
// request. content-type decides whether the body is read as params, so it must
// be signed when there is a body (the SDK signs it whenever it sends one).
function mustBeSigned(input: SignedRequestInput): string[] {
  const names = Object.keys(input.headers).filter((h) => input.headers[h] !== undefined && h.startsWith('x-acs-'));
  names.push('host');
  if (input.rawBody !== '' && input.headers['content-type'] !== undefined) names.push('content-type');
  return names;
}

// RPC v1 common params (ecs-api.md §2). Empty counts as missing: an empty
// AccessKeyId or Timestamp can never be valid, and saying "missing" is clearer.
const RPC_CREDENTIAL_PARAMS = new Set([
  'Signature',
  'AccessKeyId',
  'Timestamp',
  'SignatureNonce',
  'SignatureMethod',
  'SignatureVersion',
  'SecurityToken',
]);

function parseRpc(params: [string, string][]): DetectedCredentials {
  // One pass over the params: each credential field's value, and whether it came twice.
  const v: Record<string, string | undefined> = {};
  const seen = new Set<string>();
  for (const [k, value] of params) {
    if (!RPC_CREDENTIAL_PARAMS.has(k)) continue;
    // Ambiguous: which one did the client mean?
    if (seen.has(k)) return incomplete(`parameter "${k}" appears more than once`);
    seen.add(k);
    v[k] = value || undefined;
  }
  const accessKeyId = v.AccessKeyId;
  if (!v.Signature) return incomplete('the Signature parameter is empty', accessKeyId);
  for (const name of ['AccessKeyId', 'Timestamp', 'SignatureNonce', 'SignatureMethod', 'SignatureVersion'] as const) {
    if (!v[name]) return invalid({ kind: 'MissingParameter', parameter: name }, accessKeyId);
  }
  if (v.SignatureMethod !== 'HMAC-SHA1') {
    return invalid({ kind: 'InvalidSignatureParameter', parameter: 'SignatureMethod', value: v.SignatureMethod! }, accessKeyId);
  }
  if (v.SignatureVersion !== '1.0') {
    return invalid({ kind: 'InvalidSignatureParameter', parameter: 'SignatureVersion', value: v.SignatureVersion! }, accessKeyId);
  }
  return {
    scheme: 'RPC-HMAC-SHA1',
    accessKeyId: accessKeyId!,
    signature: v.Signature,
    signatureMethod: v.SignatureMethod,
    signatureVersion: v.SignatureVersion,
    timestamp: v.Timestamp!,
    nonce: v.SignatureNonce!,
    ...(v.SecurityToken ? { securityToken: v.SecurityToken } : {}),
  };
}
