// Public surface of request signing; the api pipeline imports from here only.
export type { SignedRequestInput } from './request.ts';
export { pct } from './percent-encode.ts';
export { parseCredentials } from './detect.ts';
export { acs3StringToSign, acs3Signature } from './acs3.ts';
export { rpcStringToSign, rpcSignature } from './rpc-v1.ts';
export { verifySignature, DEFAULT_MAX_SKEW_MS, type VerifyResult } from './verify.ts';
