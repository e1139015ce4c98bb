// ACS3-HMAC-SHA256, the default signature of current SDKs (sdk-wire.md §2,
// ecs-api.md §4). Worked example: test/fixtures/sdk/signature-walkthrough.txt.
//
//   CanonicalRequest = METHOD \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n HashedPayload
//   StringToSign     = "ACS3-HMAC-SHA256\n" + hex(sha256(CanonicalRequest))
//   Signature        = hex(HMAC-SHA256(secret, StringToSign))     (no "&" on the key, unlike RPC)
import { createHash, createHmac } from 'node:crypto';
import { constantTimeEqual } from './constant-time.ts';
import { ACS3_ALGORITHM, parseCredentials, type DetectedCredentials } from './detect.ts';
import type { SchemeVerification } from './failures.ts';
import { pct } from './percent-encode.ts';
import { headerValue, sortPairs, type SignedRequestInput } from './request.ts';
import { acs3Key, type Secret } from './secret.ts';

const sha256Hex = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

/** hex SHA-256 of the body as received; "" hashes to e3b0c442…b855. */
function acs3PayloadHash(input: SignedRequestInput): string {
  return sha256Hex(input.rawBody);
}

function acs3CanonicalRequest(input: SignedRequestInput, signedHeaders: readonly string[]): string {
  // The path arrives decoded; re-encode each segment so "/" separators survive. ECS RPC paths are just "/".
  const uri = input.path === '' ? '/' : input.path.split('/').map(pct).join('/');
  // Decoded params re-encoded with RFC 3986: the ecs SDK sends `*()!~` raw on the wire, pop-core encodes
  // them, both sign the same string. Sorted by raw name in code-unit order; empty values stay ("NextToken=").
  // Only the query is signed here: a form body is covered by HashedPayload instead.
  const query = sortPairs(input.query)
    .map(([k, v]) => `${pct(k)}=${pct(v)}`)
    .join('&');
  // The client's own SignedHeaders list, in its order: SDK versions and credential types sign different
  // sets (x-acs-credentials-provider, STS headers, x-acs-retry-*). `host` exactly as received, port included.
  // A listed header that is absent canonicalizes as empty, so it can only match if the client signed "".
  const headers = signedHeaders.map((h) => `${h}:${headerValue(input, h) ?? ''}\n`).join('');
  return [input.method, uri, query, headers, signedHeaders.join(';'), acs3PayloadHash(input)].join('\n');
}

export function acs3StringToSign(input: SignedRequestInput, signedHeaders: readonly string[]): string {
  return `${ACS3_ALGORITHM}\n${sha256Hex(acs3CanonicalRequest(input, signedHeaders))}`;
}

/** lower-case hex, as the SDKs send it */
export function acs3Signature(stringToSign: string, secret: Secret): string {
  return createHmac('sha256', acs3Key(secret)).update(stringToSign, 'utf8').digest('hex');
}

/** creds: the request's parsed credentials, when the caller has them already */
export function verifyAcs3(
  input: SignedRequestInput,
  secret: Secret,
  creds: DetectedCredentials = parseCredentials(input),
): SchemeVerification {
  if (creds.scheme === 'invalid') return { ok: false, failure: creds.failure };
  if (creds.scheme !== ACS3_ALGORITHM) {
    return { ok: false, failure: { kind: 'IncompleteSignature', reason: 'no ACS3-HMAC-SHA256 Authorization header' } };
  }
  const stringToSign = acs3StringToSign(input, creds.signedHeaders);
  // The header is signed (detect.ts insists), so a changed header already breaks the signature; checking
  // it against the body as well names the actual problem when a client hashes its body wrongly.
  const declared = headerValue(input, 'x-acs-content-sha256');
  if (declared !== undefined && declared.toLowerCase() !== acs3PayloadHash(input)) {
    return { ok: false, failure: { kind: 'ContentSha256Mismatch', stringToSign } };
  }
  if (!constantTimeEqual(creds.signature, acs3Signature(stringToSign, secret))) {
    return { ok: false, failure: { kind: 'SignatureMismatch', stringToSign } };
  }
  const { accessKeyId, timestamp, nonce, securityToken } = creds;
  return { ok: true, accessKeyId, timestamp, nonce, ...(securityToken ? { securityToken } : {}) };
}
