// Authenticating an RPC request: signature (either scheme) and the key's
// account. The nonce is returned, not stored: the request's first write
// transaction records it (or the pipeline does, in its own transaction), so a
// replay is refused by every server process sharing the store.
import { SIGNATURE_SKEW_MS } from '../domain/limits.ts';
import type { ServiceDeps, Caller, RequestNonce } from '../service/deps.ts';
import { findAccessKeyAnyStatus } from '../service/accounts.ts';
import { ACCESS_KEY_CACHE_MAX, ACCESS_KEY_CACHE_MS, type CachedAccessKey } from '../service/caches.ts';
import { parseCredentials, verifySignature, type SignedRequestInput } from './signing/index.ts';
import { wireErrors } from './errors.ts';

/**
 * AccessKeys are read on every request; a short cache spares a database read.
 * A disabled key stops working within this time (on every server process).
 */

/** The key's entry, from the cache when fresh (no await: every signed request asks), else a promise of it from the store. */
function cachedKey(deps: ServiceDeps, id: string): CachedAccessKey | Promise<CachedAccessKey> {
  const cache = deps.caches.accessKeys;
  const hit = cache.get(id);
  if (hit && hit.until > deps.clock.nowMs()) return hit;
  return loadKey(deps, cache, id);
}

/**
 * Reads in flight, per cache and key: when a key's entry expires under load, every request that
 * arrives before the read returns shares that one read (without this, 32 concurrent clients made
 * ≈ 45 extra round trips a second per process on PostgreSQL, bench/replicas).
 */
const loading = new WeakMap<Map<string, CachedAccessKey>, Map<string, Promise<CachedAccessKey>>>();

function loadKey(deps: ServiceDeps, cache: Map<string, CachedAccessKey>, id: string): Promise<CachedAccessKey> {
  let pending = loading.get(cache);
  if (!pending) loading.set(cache, (pending = new Map()));
  const inFlight = pending.get(id);
  if (inFlight) return inFlight;
  const now = deps.clock.nowMs();
  const p = findAccessKeyAnyStatus(deps, id)
    .then((key) => {
      if (cache.size > ACCESS_KEY_CACHE_MAX) cache.clear();
      const entry: CachedAccessKey = { key, until: now + ACCESS_KEY_CACHE_MS };
      cache.set(id, entry);
      return entry;
    })
    .finally(() => pending.delete(id));
  pending.set(id, p);
  return p;
}

export async function authenticate(deps: ServiceDeps, input: SignedRequestInput): Promise<{ caller: Caller; nonce: RequestNonce }> {
  const creds = parseCredentials(input);
  const keyId = creds.scheme === 'ACS3-HMAC-SHA256' || creds.scheme === 'RPC-HMAC-SHA1' ? creds.accessKeyId : undefined;
  const found = keyId !== undefined ? cachedKey(deps, keyId) : undefined;
  const entry = found instanceof Promise ? await found : found;
  const key = entry?.key;
  // A disabled key is told apart from an unknown one (Alibaba's gateway does), before its signature is looked at.
  if (key && key.status !== 'Active') throw wireErrors.accessKeyInactive();
  const nowMs = deps.clock.nowMs();
  // The secret with its HMAC keys, made once per cache entry (opened from its sealed form once, by the read).
  const result = verifySignature(input, (id) => (key && key.id === id ? (entry!.secret ??= { text: key.secret }) : undefined), {
    nowMs,
    maxSkewMs: SIGNATURE_SKEW_MS,
    credentials: creds,
  });
  if (!result.ok) throw result.error;
  // Remembered until the signed Timestamp leaves the window (after that a replay is refused for its age),
  // and at least 15 minutes from its arrival, whatever clock the client has.
  const expiresMs = Math.max(result.timestampMs, nowMs) + SIGNATURE_SKEW_MS;
  // COMPAT: STS tokens are not issued here, so a SecurityToken is accepted only with a long-term key that exists.
  return {
    caller: { accountId: key!.accountId },
    nonce: { accessKeyId: result.accessKeyId, nonce: result.nonce, expiresMs, recorded: false },
  };
}
