// Console sessions, kept in the store's kv table with an expiry so every
// server process sharing the store knows them. The kv key holds a hash of the
// session id, not the id itself: reading the database does not hand out
// sessions. Each use re-checks that the AccessKey is still Active, so
// disabling a key ends its sessions at once.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { findAccessKey } from '../../service/accounts.ts';
import type { Caller, ServiceDeps } from '../../service/deps.ts';

/** absolute session lifetime (no sliding renewal: a session is re-created by signing in) */
export const SESSION_TTL_MS = 12 * 3600 * 1000;
const KEY_PREFIX = 'console-session:';

export interface Session {
  accountId: string;
  accessKeyId: string;
  /** sent back by the browser in x-csrf-token on every session-authenticated API call */
  csrfToken: string;
  createdMs: number;
  expiresMs: number;
}

const kvKey = (sessionId: string) => KEY_PREFIX + createHash('sha256').update(sessionId).digest('hex');

/** 32 random bytes, base64url: the cookie value. */
function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

function isSession(v: unknown): v is Session {
  const s = v as Session;
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.accountId === 'string' &&
    typeof s.accessKeyId === 'string' &&
    typeof s.csrfToken === 'string' &&
    typeof s.expiresMs === 'number'
  );
}

export async function createSession(deps: ServiceDeps, key: { id: string; accountId: string }): Promise<{ id: string; session: Session }> {
  const id = newSessionId();
  const now = deps.clock.nowMs();
  const session: Session = {
    accountId: key.accountId,
    accessKeyId: key.id,
    csrfToken: randomBytes(32).toString('base64url'),
    createdMs: now,
    expiresMs: now + SESSION_TTL_MS,
  };
  await deps.store.transaction((tx) => tx.kv.put(kvKey(id), JSON.stringify(session), session.expiresMs));
  return { id, session };
}

/** The live session for a cookie value, or undefined (unknown, expired, or its key no longer Active). */
export async function findSession(deps: ServiceDeps, sessionId: string | undefined): Promise<Session | undefined> {
  if (!sessionId || sessionId.length > 100) return undefined;
  const raw = await deps.store.transaction((tx) => tx.kv.get(kvKey(sessionId), deps.clock.nowMs()), { readOnly: true });
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!isSession(parsed) || parsed.expiresMs <= deps.clock.nowMs()) return undefined;
  const key = await findAccessKey(deps, parsed.accessKeyId);
  if (!key || key.accountId !== parsed.accountId) return undefined;
  return parsed;
}

export async function deleteSession(deps: ServiceDeps, sessionId: string): Promise<void> {
  await deps.store.transaction((tx) => tx.kv.delete(kvKey(sessionId)));
}

/** Constant-time string comparison (CSRF tokens, secrets). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  // Compare digests so unequal lengths take the same path.
  const hx = createHash('sha256').update(x).digest();
  const hy = createHash('sha256').update(y).digest();
  return timingSafeEqual(hx, hy) && x.length === y.length;
}

export const callerOf = (s: Session): Caller => ({ accountId: s.accountId });
