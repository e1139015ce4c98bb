// The one entry point the api pipeline calls: detect the scheme, check the
// timestamp format, look up the secret, verify the signature, then check
// freshness. Nonce replay is NOT checked here: the caller stores nonces in the
// database and rejects a reused one (SignatureNonceUsed) with the nonce we return.
//
// Freshness is checked only after the signature: a clock-skew error is then
// only ever told to a caller who holds the key, and a tampered date reads as
// the tampering it is (SignatureDoesNotMatch).
import { verifyAcs3 } from './acs3.ts';
import { ACS3_ALGORITHM, parseCredentials, type DetectedCredentials } from './detect.ts';
import type { SigningFailure, SigningFailureKind } from './failures.ts';
import type { SignedRequestInput } from './request.ts';
import { verifyRpcV1 } from './rpc-v1.ts';
import { parseAcsTimestamp } from './timestamp.ts';
import { secretText, type Secret } from './secret.ts';
import { wireErrors } from '../errors.ts';
import type { WireError } from '../wire-error.ts';

/** ±15 min, the window Alibaba documents for x-acs-date / Timestamp. */
export const DEFAULT_MAX_SKEW_MS = 15 * 60 * 1000;

type SignatureScheme = 'ACS3-HMAC-SHA256' | 'RPC-HMAC-SHA1';

type SignatureErrorCode =
  | 'SignatureDoesNotMatch'
  | 'InvalidAccessKeyId.NotFound'
  | 'InvalidTimeStamp.Expired'
  | 'IllegalTimestamp'
  | 'InvalidTimeStamp.Format'
  | 'MissingParameter'
  | 'IncompleteSignature'
  | 'InvalidParamater'; // sic: Alibaba's spelling for a bad SignatureMethod/SignatureVersion

interface VerifyOk {
  ok: true;
  scheme: SignatureScheme;
  accessKeyId: string;
  /** present for STS credentials (x-acs-security-token header or SecurityToken param); the caller decides */
  securityToken?: string;
  timestampMs: number;
  nonce: string;
}

interface VerifyFailure {
  ok: false;
  /**
   * What the caller throws. Its message goes into the error body verbatim; it never holds the secret or
   * the expected signature. An RPC StringToSign does echo the client's own params, SecurityToken
   * included: keep it out of info logs.
   */
  error: WireError<SignatureErrorCode>;
  /** the server's StringToSign, for SignatureDoesNotMatch */
  stringToSign?: string;
  /** known once the credential was parsed; useful for audit logs */
  accessKeyId?: string;
  /** our finer-grained reason, for logs and tests; not an Alibaba field */
  kind: SigningFailureKind;
}

export type VerifyResult = VerifyOk | VerifyFailure;

export interface VerifyOptions {
  nowMs: number;
  maxSkewMs?: number;
  /** parseCredentials(input), when the caller has parsed them already (to find the key) */
  credentials?: DetectedCredentials;
}

export function verifySignature(
  input: SignedRequestInput,
  lookupSecret: (accessKeyId: string) => Secret | undefined,
  opts: VerifyOptions,
): VerifyResult {
  const creds = opts.credentials ?? parseCredentials(input);
  // An unsigned request: real ECS names the first missing common param; Signature says the most.
  if (creds.scheme === 'none') return fail({ kind: 'MissingParameter', parameter: 'Signature' });
  if (creds.scheme === 'invalid') return fail(creds.failure, creds.accessKeyId);
  const { accessKeyId } = creds;

  const timestampMs = parseAcsTimestamp(creds.timestamp);
  if (timestampMs === undefined) {
    const parameter = creds.scheme === ACS3_ALGORITHM ? 'x-acs-date' : 'Timestamp';
    return fail({ kind: 'IllegalTimestamp', parameter }, accessKeyId);
  }
  const secret = lookupSecret(accessKeyId);
  // An empty secret would make the HMAC key public knowledge; treat it as no key at all.
  if (secret === undefined || secretText(secret) === '') return fail({ kind: 'UnknownAccessKey' }, accessKeyId);

  const checked = creds.scheme === ACS3_ALGORITHM ? verifyAcs3(input, secret, creds) : verifyRpcV1(input, secret, creds);
  if (!checked.ok) return fail(checked.failure, accessKeyId);

  if (Math.abs(opts.nowMs - timestampMs) > (opts.maxSkewMs ?? DEFAULT_MAX_SKEW_MS)) {
    return fail({ kind: 'Expired' }, accessKeyId);
  }
  return {
    ok: true,
    scheme: creds.scheme,
    accessKeyId,
    timestampMs,
    nonce: checked.nonce,
    ...(checked.securityToken ? { securityToken: checked.securityToken } : {}),
  };
}

// Every failure kind -> its entry of the wire catalogue (api/errors.ts; all HTTP
// 400: the common table, ecs-api.md §7.2, lists these codes as 400 or gives no
// status; 4xx keeps the ecs SDK raising ClientError, and no 404 means Terraform
// never reads an auth problem as "resource gone"). A kind without a mapping,
// or a mapping to a code outside SignatureErrorCode, does not compile.
const WIRE: { [K in SigningFailureKind]: (f: Extract<SigningFailure, { kind: K }>) => WireError<SignatureErrorCode> } = {
  IncompleteSignature: (f) => wireErrors.incompleteSignature(f.reason),
  UnsupportedAlgorithm: (f) => wireErrors.unsupportedAlgorithm(f.algorithm),
  InvalidSignatureParameter: (f) => wireErrors.invalidSignatureParameter(f.parameter),
  MissingParameter: (f) => wireErrors.signatureMissing(f.parameter),
  IllegalTimestamp: (f) => (f.parameter === 'x-acs-date' ? wireErrors.timestampFormat() : wireErrors.illegalTimestamp(f.parameter)),
  SignatureMismatch: (f) => wireErrors.signatureDoesNotMatch(f.stringToSign),
  // The body does not hash to what the client signed: to the client that is a signature mismatch.
  ContentSha256Mismatch: (f) => wireErrors.signatureDoesNotMatch(f.stringToSign),
  UnknownAccessKey: () => wireErrors.accessKeyNotFound(),
  Expired: () => wireErrors.timestampExpired(),
};

function fail(failure: SigningFailure, accessKeyId?: string): VerifyFailure {
  const error = (WIRE[failure.kind] as (f: SigningFailure) => WireError<SignatureErrorCode>)(failure);
  return {
    ok: false,
    error,
    kind: failure.kind,
    ...('stringToSign' in failure ? { stringToSign: failure.stringToSign } : {}),
    ...(accessKeyId !== undefined ? { accessKeyId } : {}),
  };
}
