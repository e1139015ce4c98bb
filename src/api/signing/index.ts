// Public surface of request signing; the api pipeline imports from here only.
export type { SignedRequestInput } from './request.ts';
export { pct } from './percent-encode.ts';
export { parseCredentials, type Acs3Credentials, type RpcCredentials, type DetectedCredentials } from './detect.ts';
export { acs3CanonicalRequest, acs3StringToSign, acs3Signature, verifyAcs3 } from './acs3.ts';
export { rpcSignedParams, rpcStringToSign, rpcSignature, verifyRpcV1 } from './rpc-v1.ts';
export type { SigningFailure, SigningFailureKind, SchemeVerification } from './failures.ts';
export {
  verifySignature,
  DEFAULT_MAX_SKEW_MS,
  type VerifyResult,
  type VerifyOk,
  type VerifyFailure,
  type VerifyOptions,
  type SignatureErrorCode,
  type SignatureScheme,
} from './verify.ts';
