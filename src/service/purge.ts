// Forgetting what has expired: signature nonces, ClientToken results, kv
// entries (sessions, metadata tokens). In small transactions, because under
// sustained load the volume is large — at 10,000 signed requests a second,
// 600,000 nonces expire every minute — and deleting them in one transaction
// would hold the single writer, and every request queued behind it, for about
// a second. Between transactions the requests that queued meanwhile go first
// (the store's write lock is FIFO).
//
// Nonces have no index on their expiry (it cost every request WAL pages), so
// they are swept a slice of the key space at a time: NONCE_SLICES parts,
// SLICES_PER_RUN of them a run, a whole turn every ~4 minutes at one run a
// second; a nonce is forgotten at most that long after it expired.
import { CLIENT_TOKEN_TTL_MS } from '../domain/limits.ts';
import { writeTx, type ServiceDeps } from './deps.ts';
import { runEvery } from './periodic.ts';

const PURGE_BATCH = 2000;
const NONCE_SLICES = 1024;
const SLICES_PER_RUN = 4;

export interface Purged {
  nonces: number;
  clientTokens: number;
  kv: number;
}

export interface PurgeOptions {
  /** ClientToken results per transaction */
  batch?: number;
  /** ClientToken transactions per run */
  maxBatches?: number;
  nonceSlices?: number;
  slicesPerRun?: number;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function purgeExpired(deps: ServiceDeps, opts: PurgeOptions = {}): Promise<Purged> {
  const batch = opts.batch ?? PURGE_BATCH;
  const maxBatches = opts.maxBatches ?? 50;
  const slices = opts.nonceSlices ?? NONCE_SLICES;
  const now = deps.clock.nowMs();

  let nonces = 0;
  // Where this process's nonce sweep goes on (a random start, so processes sharing a store spread out).
  let cursor = deps.caches.nonceSweepCursor ?? deps.rng(slices);
  for (let i = 0; i < (opts.slicesPerRun ?? SLICES_PER_RUN); i++) {
    const slice = { index: cursor % slices, of: slices };
    nonces += await writeTx(deps, (tx) => tx.nonces.purge(now, slice));
    cursor = (slice.index + 1) % slices;
    deps.caches.nonceSweepCursor = cursor;
    await nextTurn();
  }

  let clientTokens = 0;
  for (let i = 0; i < maxBatches; i++) {
    const n = await writeTx(deps, (tx) => tx.idempotency.purge(now - CLIENT_TOKEN_TTL_MS, batch));
    clientTokens += n;
    if (n < batch) break;
    await nextTurn();
  }

  // kv holds a handful of rows per session or instance and has no expiry index: one pass.
  const kv = await writeTx(deps, (tx) => tx.kv.purge(now));
  return { nonces, clientTokens, kv };
}

/** Runs purgeExpired every `intervalMs` (never two at once); returns the stop function. */
export function startPurger(deps: ServiceDeps, intervalMs: number, onError: (e: unknown) => void): () => void {
  return runEvery(intervalMs, () => purgeExpired(deps), onError);
}
