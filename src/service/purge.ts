// Forgetting what has expired: signature nonces, ClientToken results, kv
// entries (sessions, metadata tokens). In small transactions, because under
// sustained load the volume is large — at 10,000 signed requests a second,
// 600,000 nonces expire every minute — and deleting them in one transaction
// would hold the single writer, and every request queued behind it, for about
// a second. Between batches the requests that queued meanwhile go first (the
// store's write lock is FIFO).
import { CLIENT_TOKEN_TTL_MS } from '../domain/limits.ts';
import { writeTx, type ServiceDeps } from './deps.ts';
import { runEvery } from './periodic.ts';

export const PURGE_BATCH = 2000;

export interface Purged { nonces: number; clientTokens: number; kv: number }

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Deletes in batches of `batch` rows until a batch comes back short, or `maxBatches` per kind ran. */
export async function purgeExpired(deps: ServiceDeps, opts: { batch?: number; maxBatches?: number } = {}): Promise<Purged> {
  const batch = opts.batch ?? PURGE_BATCH;
  const maxBatches = opts.maxBatches ?? 50;
  const now = deps.clock.nowMs();
  const drain = async (one: (limit: number) => Promise<number>): Promise<number> => {
    let total = 0;
    for (let i = 0; i < maxBatches; i++) {
      const n = await one(batch);
      total += n;
      if (n < batch) break;
      await nextTurn();
    }
    return total;
  };
  const nonces = await drain((limit) => writeTx(deps, (tx) => tx.nonces.purge(now, limit)));
  const clientTokens = await drain((limit) => writeTx(deps, (tx) => tx.idempotency.purge(now - CLIENT_TOKEN_TTL_MS, limit)));
  // kv holds a handful of rows per session or instance and has no expiry index: one pass.
  const kv = await writeTx(deps, (tx) => tx.kv.purge(now));
  return { nonces, clientTokens, kv };
}

/** Runs purgeExpired every `intervalMs` (never two at once); returns the stop function. */
export function startPurger(deps: ServiceDeps, intervalMs: number, onError: (e: unknown) => void): () => void {
  return runEvery(intervalMs, () => purgeExpired(deps), onError);
}
