// An AccessKey secret with the HMAC keys made from it kept beside it: signing
// with a KeyObject skips turning the secret's text into key bytes on every
// request (≈ 1/4 of an RPC signature's HMAC). Whoever keeps the object (the
// AccessKey cache, api/auth.ts) keeps its keys; each scheme's is made on first use.
import { createSecretKey, type KeyObject } from 'node:crypto';

interface PreparedSecret {
  readonly text: string;
  /** HMAC-SHA1 key of RPC v1: the secret plus "&" */
  rpc?: KeyObject;
  /** HMAC-SHA256 key of ACS3: the secret itself */
  acs3?: KeyObject;
}

/** A secret as the signing functions take it: its text, or prepared. */
export type Secret = string | PreparedSecret;

export const secretText = (s: Secret): string => (typeof s === 'string' ? s : s.text);

export function rpcKey(s: Secret): string | KeyObject {
  return typeof s === 'string' ? `${s}&` : (s.rpc ??= createSecretKey(Buffer.from(`${s.text}&`, 'utf8')));
}

export function acs3Key(s: Secret): string | KeyObject {
  return typeof s === 'string' ? s : (s.acs3 ??= createSecretKey(Buffer.from(s.text, 'utf8')));
}
