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

/** ±15 min, the window Alibaba documents for x-acs-date / Timestamp. */
export const DEFAULT_MAX_SKEW_MS = 15 * 60 * 1000;

export type SignatureScheme = 'ACS3-HMAC-SHA256' | 'RPC-HMAC-SHA1';

export type SignatureErrorCode =
  | 'SignatureDoesNotMatch'
  | 'InvalidAccessKeyId.NotFound'
  | 'InvalidTimeStamp.Expired'
  | 'IllegalTimestamp'
  | 'InvalidTimeStamp.Format'
  | 'MissingParameter'
  | 'IncompleteSignature'
  | 'InvalidParamater'; // sic: Alibaba's spelling for a bad SignatureMethod/SignatureVersion

export interface VerifyOk {
  ok: true;
  scheme: SignatureScheme;
  accessKeyId: string;
  /** present for STS credentials (x-acs-security-token header or SecurityToken param); the caller decides */
  securityToken?: string;
  timestampMs: number;
  nonce: string;
}

export interface VerifyFailure {
  ok: false;
  code: SignatureErrorCode;
  /**
   * Goes into the error body verbatim; never holds the secret or the expected signature. An RPC
   * StringToSign does echo the client's own params, SecurityToken included: keep it out of info logs.
   */
  message: string;
  httpStatus: 400;
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
  lookupSecret: (accessKeyId: string) => string | undefined,
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
  if (secret === undefined || secret === '') return fail({ kind: 'UnknownAccessKey' }, accessKeyId);

  const checked = creds.scheme === ACS3_ALGORITHM ? verifyAcs3(input, secret, creds) : verifyRpcV1(input, secret, creds);
  if (!checked.ok) return fail(checked.failure, accessKeyId);

  if (Math.abs(opts.nowMs - timestampMs) > (opts.maxSkewMs ?? DEFAULT_MAX_SKEW_MS)) {
    return fail({ kind: 'Expired' }, accessKeyId);
  }
  return {
    ok: true, scheme: creds.scheme, accessKeyId, timestampMs, nonce: checked.nonce,
    ...(checked.securityToken ? { securityToken: checked.securityToken } : {}),
  };
}

const MISMATCH_PREFIX = 'Specified signature is not matched with our calculation. server string to sign is:';

type Wire = { code: SignatureErrorCode; message: string };

// Every failure kind -> Alibaba Code and Message (all HTTP 400: the common
// table, ecs-api.md §7.2, lists these codes as 400 or gives no status; 4xx keeps
// the ecs SDK raising ClientError, and no 404 means Terraform never reads an
// auth problem as "resource gone").
const WIRE: { [K in SigningFailureKind]: (f: Extract<SigningFailure, { kind: K }>) => Wire } = {
  IncompleteSignature: (f) => ({
    code: 'IncompleteSignature',
    message: `The request signature does not conform to Aliyun standards: ${f.reason}.`,
  }),
  // COMPAT: real Alibaba implements these algorithms; we answer like a bad SignatureMethod.
  UnsupportedAlgorithm: (f) => ({
    code: 'InvalidParamater',
    message: `The signature algorithm "${f.algorithm}" is not supported; use ACS3-HMAC-SHA256.`,
  }),
  InvalidSignatureParameter: (f) => ({
    code: 'InvalidParamater',
    message: `The specified parameter "${f.parameter}" is not valid; only ${f.parameter === 'SignatureMethod' ? 'HMAC-SHA1' : '1.0'} is supported.`,
  }),
  MissingParameter: (f) => ({
    code: 'MissingParameter',
    message: `The input parameter "${f.parameter}" that is mandatory for processing this request is not supplied.`,
  }),
  // What Alibaba's gateway (PopGw) answers: for an RPC Timestamp it cannot read, IllegalTimestamp with the
  // "not supplied" wording (a captured response, and the common error table); for ACS3's x-acs-date (e.g. with
  // fractional seconds), InvalidTimeStamp.Format, as clients of the ACS3 scheme report it.
  IllegalTimestamp: (f) => (f.parameter === 'x-acs-date'
    ? { code: 'InvalidTimeStamp.Format', message: 'Specified time stamp or date value is not well formatted.' }
    : { code: 'IllegalTimestamp', message: `The input parameter "${f.parameter}" that is mandatory for processing this request is not supplied.` }),
  // The Go SDK strips this exact prefix and diffs the rest against its own StringToSign to print a hint.
  SignatureMismatch: (f) => ({ code: 'SignatureDoesNotMatch', message: `${MISMATCH_PREFIX}${f.stringToSign}` }),
  // The body does not hash to what the client signed: to the client that is a signature mismatch.
  ContentSha256Mismatch: (f) => ({ code: 'SignatureDoesNotMatch', message: `${MISMATCH_PREFIX}${f.stringToSign}` }),
  UnknownAccessKey: () => ({ code: 'InvalidAccessKeyId.NotFound', message: 'Specified access key is not found.' }),
  Expired: () => ({ code: 'InvalidTimeStamp.Expired', message: 'Specified time stamp or date value is expired.' }),
};

function fail(failure: SigningFailure, accessKeyId?: string): VerifyFailure {
  const wire = (WIRE[failure.kind] as (f: SigningFailure) => Wire)(failure);
  return {
    ok: false, ...wire, httpStatus: 400, kind: failure.kind,
    ...('stringToSign' in failure ? { stringToSign: failure.stringToSign } : {}),
    ...(accessKeyId !== undefined ? { accessKeyId } : {}),
  };
}
