// Why a request's signature was not accepted, in our own terms. verify.ts turns
// each kind into its entry of the wire catalogue, api/errors.ts (a new kind
// without a wire mapping does not compile). Nothing here may carry
// a secret or an expected signature: these objects end up in error bodies.

export type SigningFailure =
  /** the Authorization header or Signature param is malformed or ambiguous */
  | { kind: 'IncompleteSignature'; reason: string }
  /** a real Alibaba algorithm we do not implement (ACS3-HMAC-SM3, ACS3-RSA-SHA256, ...) */
  | { kind: 'UnsupportedAlgorithm'; algorithm: string }
  /** RPC SignatureMethod / SignatureVersion other than HMAC-SHA1 / 1.0 */
  | { kind: 'InvalidSignatureParameter'; parameter: 'SignatureMethod' | 'SignatureVersion'; value: string }
  | { kind: 'MissingParameter'; parameter: string }
  | { kind: 'IllegalTimestamp'; parameter: string }
  /** ACS3: x-acs-content-sha256 is not the SHA-256 of the body that arrived */
  | { kind: 'ContentSha256Mismatch'; stringToSign: string }
  | { kind: 'SignatureMismatch'; stringToSign: string }
  | { kind: 'UnknownAccessKey' }
  | { kind: 'Expired' };

export type SigningFailureKind = SigningFailure['kind'];

/** What verifyAcs3 / verifyRpcV1 return; timestamp and nonce are raw and not yet checked. */
export type SchemeVerification =
  { ok: true; accessKeyId: string; timestamp: string; nonce: string; securityToken?: string } | { ok: false; failure: SigningFailure };
