// Asynchronous state transitions (Attaching → InUse, Detaching → Available,
// Deleting → gone, Pending/Starting → Running, Stopping → Stopped). Each is a
// row with a due time in the database, completed by whichever server settles
// it first: the conditional re-read inside a write transaction makes it happen
// exactly once, and a process that dies mid-way leaves nothing stuck — any
// other process (or the same one on restart) finishes it.
import type { Eni, Instance, Region } from '../domain/model.ts';
import { unbound } from '../domain/trunk-rules.ts';
import type { Tx } from '../store/store.ts';
import { removeAllAddresses } from './address-book.ts';
import { findRegion, writeTx, type Caller, type ServiceDeps } from './deps.ts';
import { runEvery } from './periodic.ts';
import { wrongEndKey } from './faults.ts';

/**
 * When the next transition falls due, as far as this process knows: every
 * transition it starts lowers it, and every look at the database (the settler's
 * tick, Describe*, the metadata service) resets it. Write transactions skip
 * their two due-queries while nothing is due. A transition another process
 * started is seen at the next settler tick at the latest.
 */
function dueHint(deps: ServiceDeps): { ms: number; lowered: number } {
  return deps.caches.nextDue;
}

/** The due time of a transition starting now, or null when transitions are immediate. */
export function dueTime(deps: ServiceDeps): number | null {
  if (deps.limits.transitionMs <= 0) return null;
  const due = deps.clock.nowMs() + deps.limits.transitionMs;
  const h = dueHint(deps);
  h.ms = Math.min(h.ms, due);
  h.lowered++;
  return due;
}

/**
 * A request's write transaction in its region: what is due is settled first, so
 * the use case sees every resource in its settled state.
 */
export function settledWriteTx<T>(
  deps: ServiceDeps,
  caller: Caller,
  regionId: string | undefined,
  fn: (tx: Tx, region: Region) => Promise<T>,
): Promise<T> {
  const region = findRegion(deps, regionId);
  return writeTx(
    deps,
    async (tx) => {
      await settleDueIn(deps, tx);
      return fn(tx, region);
    },
    caller,
  );
}

/** Stores an ENI that has just entered a transition; with immediate transitions (no due time) it ends at once. */
export async function startEniTransition(deps: ServiceDeps, tx: Tx, next: Eni): Promise<void> {
  await tx.enis.update(next);
  if (next.transitionDueMs === null) await finishEniTransition(deps, tx, next);
}

/** The ENI back to Available, bound to nothing (a trunk's member its own Secondary again). */
export function detached(eni: Eni): Eni {
  return {
    ...eni,
    ...unbound(eni),
    status: 'Available',
    instanceId: null,
    pendingInstanceId: null,
    deviceIndex: null,
    networkCardIndex: null,
    transitionDueMs: null,
  };
}

/** Applies the end state of an ENI transition. */
async function finishEniTransition(deps: ServiceDeps, tx: Tx, eni: Eni): Promise<void> {
  // An injected fault (service/faults.ts) may have marked this transition to end in the wrong state.
  if (eni.status === 'Attaching' || eni.status === 'Detaching') {
    const wrongEnd = await tx.kv.get(wrongEndKey(eni.id), deps.clock.nowMs());
    if (wrongEnd !== undefined) {
      await tx.kv.delete(wrongEndKey(eni.id));
      if (eni.status === 'Attaching' && wrongEnd === 'Available') {
        await tx.enis.update({
          ...eni,
          status: 'Available',
          instanceId: null,
          pendingInstanceId: null,
          deviceIndex: null,
          transitionDueMs: null,
        });
        return;
      }
      if (eni.status === 'Detaching' && wrongEnd === 'InUse') {
        await tx.enis.update({
          ...eni,
          status: 'InUse',
          instanceId: eni.pendingInstanceId,
          pendingInstanceId: null,
          transitionDueMs: null,
        });
        return;
      }
    }
  }
  switch (eni.status) {
    case 'Attaching':
      await tx.enis.update({ ...eni, status: 'InUse', instanceId: eni.pendingInstanceId, pendingInstanceId: null, transitionDueMs: null });
      return;
    case 'Detaching':
      await tx.enis.update(detached(eni));
      return;
    case 'Deleting':
      await removeAllAddresses(deps, tx, eni);
      await tx.enis.delete(eni.id);
      return;
    default:
      await tx.enis.update({ ...eni, transitionDueMs: null });
  }
}

async function finishInstanceTransition(tx: Tx, i: Instance): Promise<void> {
  const next = i.status === 'Stopping' ? 'Stopped' : i.status === 'Pending' || i.status === 'Starting' ? 'Running' : i.status;
  await tx.instances.update({ ...i, status: next, transitionDueMs: null });
}

const BATCH = 200;

/** Completes every transition due by now (or by `asOfMs`), inside the caller's transaction. */
export async function settleDueIn(deps: ServiceDeps, tx: Tx, asOfMs?: number): Promise<number> {
  const now = asOfMs ?? deps.clock.nowMs();
  const hint = dueHint(deps);
  if (now < hint.ms) return 0;
  const lowered = hint.lowered;
  let n = 0;
  for (const eni of await tx.enis.due(now, BATCH)) {
    await finishEniTransition(deps, tx, eni);
    n++;
  }
  for (const i of await tx.instances.due(now, BATCH)) {
    await finishInstanceTransition(tx, i);
    n++;
  }
  const a = await tx.enis.nextDueMs();
  const b = await tx.instances.nextDueMs();
  // A transition started or announced meanwhile may be missing from what was read: then look again.
  hint.ms = hint.lowered !== lowered ? now : Math.max(now, Math.min(a ?? Infinity, b ?? Infinity));
  return n;
}

/** When the next transition falls due (Infinity: none): one statement where the store has it, else a read-only transaction. */
async function nextDueMs(deps: ServiceDeps): Promise<number> {
  if (deps.store.nextDueMs) return (await deps.store.nextDueMs()) ?? Infinity;
  return deps.store.transaction(
    async (tx) => {
      const a = await tx.enis.nextDueMs();
      const b = await tx.instances.nextDueMs();
      return Math.min(a ?? Infinity, b ?? Infinity);
    },
    { readOnly: true },
  );
}

/**
 * Settles due transitions in their own transaction; cheap when nothing is due (one round trip on
 * PostgreSQL). Given a request's caller, that transaction records the caller's nonce too.
 */
export async function settleDue(deps: ServiceDeps, caller?: Caller): Promise<number> {
  const now = deps.clock.nowMs();
  const hint = dueHint(deps);
  const lowered = hint.lowered;
  const next = await nextDueMs(deps);
  // (a transition announced while reading keeps the hint it set: min)
  hint.ms = Math.min(hint.ms === 0 && hint.lowered === lowered ? Infinity : hint.ms, next);
  if (next > now) return 0;
  hint.ms = now;
  return writeTx(deps, (tx) => settleDueIn(deps, tx), caller);
}

/** Completes every pending transition now, however far off it was due (the admin "settle" call, tests). */
export async function settleAllNow(deps: ServiceDeps): Promise<number> {
  let total = 0;
  for (;;) {
    // Each batch in its own transaction; a batch of BATCH means there may be more.
    const n = await writeTx(deps, async (tx) => {
      dueHint(deps).ms = 0;
      return settleDueIn(deps, tx, Number.MAX_SAFE_INTEGER);
    });
    // Settled "as of" the end of time, the hint says nothing is due ever: back to "look".
    dueHint(deps).ms = 0;
    total += n;
    if (n < BATCH) return total;
  }
}

/** With transitions announced (store.watchDue), how often the settler still looks for what an announcement missed. */
const SETTLER_FALLBACK_MS = 5000;

/**
 * A background ticker that settles transitions; returns a stop function. Where the store announces
 * every transition started by any process (PostgreSQL: LISTEN/NOTIFY), a tick costs nothing until the
 * earliest announced due time, and the database is read every SETTLER_FALLBACK_MS only (an
 * announcement lost in flight); while the announcements are down, and on a store without them, every
 * tick looks (one round trip on PostgreSQL).
 */
export function startSettler(
  deps: ServiceDeps,
  intervalMs: number,
  onError: (e: unknown) => void,
  fallbackMs = SETTLER_FALLBACK_MS,
): () => void {
  const watch = deps.store.watchDue?.((due) => {
    const hint = dueHint(deps);
    hint.ms = due === 'unknown' ? 0 : Math.min(hint.ms, due);
    hint.lowered++;
  });
  let lastLook = -Infinity;
  const stop = runEvery(
    intervalMs,
    async () => {
      const now = deps.clock.nowMs();
      if (watch?.isListening() && now < dueHint(deps).ms && now - lastLook < fallbackMs) return 0;
      lastLook = now;
      return settleDue(deps);
    },
    onError,
  );
  return () => {
    stop();
    watch?.stop();
  };
}
