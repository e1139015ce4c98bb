// Authenticating an RPC request: signature (either scheme), the key's account,
// and the nonce (kept in the database for the freshness window, so a replay is
// refused by every server process sharing the store).
import { SIGNATURE_SKEW_MS } from '../domain/limits.ts';
import type { ServiceDeps, Caller } from '../service/deps.ts';
import { findAccessKey } from '../service/accounts.ts';
import { parseCredentials, verifySignature, type SignedRequestInput } from './signing/index.ts';
import { WireError } from './wire-error.ts';

export interface AuthOptions {
  /** replays of the SDK fixtures pin the clock; nothing else turns these off */
  checkNonce: boolean;
}

export async function authenticate(deps: ServiceDeps, input: SignedRequestInput, opts: AuthOptions): Promise<Caller & { accessKeyId: string }> {
  const creds = parseCredentials(input);
  const keyId = creds.scheme === 'ACS3-HMAC-SHA256' || creds.scheme === 'RPC-HMAC-SHA1' ? creds.accessKeyId : undefined;
  const key = keyId !== undefined ? await findAccessKey(deps, keyId) : undefined;
  const result = verifySignature(input, (id) => (key && key.id === id ? key.secret : undefined), { nowMs: deps.clock.nowMs(), maxSkewMs: SIGNATURE_SKEW_MS });
  if (!result.ok) throw new WireError(result.httpStatus, result.code, result.message);
  // COMPAT: STS tokens are not issued here, so a SecurityToken is accepted only with a long-term key that exists.
  if (opts.checkNonce) {
    const fresh = await deps.store.transaction((tx) => tx.nonces.add(result.accessKeyId, result.nonce, result.timestampMs + SIGNATURE_SKEW_MS));
    if (!fresh) throw new WireError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
  }
  return { accountId: key!.accountId, accessKeyId: result.accessKeyId };
}
