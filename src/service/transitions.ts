// Asynchronous state transitions (Attaching → InUse, Detaching → Available,
// Deleting → gone, Pending/Starting → Running, Stopping → Stopped). Each is a
// row with a due time in the database, completed by whichever server settles
// it first: the conditional re-read inside a write transaction makes it happen
// exactly once, and a process that dies mid-way leaves nothing stuck — any
// other process (or the same one on restart) finishes it.
import type { Eni, Instance } from '../domain/model.ts';
import { unbound } from '../domain/trunk-rules.ts';
import type { Tx } from '../store/store.ts';
import { removeAllAddresses } from './address-book.ts';
import { writeTx, type Caller, type ServiceDeps } from './deps.ts';
import { runEvery } from './periodic.ts';
import { wrongEndKey } from './faults.ts';

/**
 * When the next transition falls due, as far as this process knows: every
 * transition it starts lowers it, and every look at the database (the settler's
 * tick, Describe*, the metadata service) resets it. Write transactions skip
 * their two due-queries while nothing is due. A transition another process
 * started is seen at the next settler tick at the latest.
 */
function dueHint(deps: ServiceDeps): { ms: number } {
  return deps.caches.nextDue;
}

/** The due time of a transition starting now, or null when transitions are immediate. */
export function dueTime(deps: ServiceDeps): number | null {
  if (deps.limits.transitionMs <= 0) return null;
  const due = deps.clock.nowMs() + deps.limits.transitionMs;
  const h = dueHint(deps);
  h.ms = Math.min(h.ms, due);
  return due;
}

/** Applies the end state of an ENI transition. */
export async function finishEniTransition(deps: ServiceDeps, tx: Tx, eni: Eni): Promise<void> {
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
      await tx.enis.update({
        ...eni,
        ...unbound(eni),
        status: 'Available',
        instanceId: null,
        pendingInstanceId: null,
        deviceIndex: null,
        networkCardIndex: null,
        transitionDueMs: null,
      });
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
  // Not lowered by anything started meanwhile in this process: those set it themselves.
  hint.ms = Math.max(now, Math.min(a ?? Infinity, b ?? Infinity));
  return n;
}

/**
 * Settles due transitions in their own transaction; cheap when nothing is due. Given a request's
 * caller, that transaction records the caller's nonce too.
 */
export async function settleDue(deps: ServiceDeps, caller?: Caller): Promise<number> {
  const now = deps.clock.nowMs();
  const next = await deps.store.transaction(
    async (tx) => {
      const a = await tx.enis.nextDueMs();
      const b = await tx.instances.nextDueMs();
      return Math.min(a ?? Infinity, b ?? Infinity);
    },
    { readOnly: true },
  );
  const hint = dueHint(deps);
  hint.ms = Math.min(hint.ms === 0 ? Infinity : hint.ms, next);
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

/** A background ticker that settles transitions; returns a stop function. */
export function startSettler(deps: ServiceDeps, intervalMs: number, onError: (e: unknown) => void): () => void {
  return runEvery(intervalMs, () => settleDue(deps), onError);
}
