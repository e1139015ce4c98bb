// The audit trail (ActionTrail-like): every mutating call and console sign-in,
// with time, account, AccessKey, source address, action, the ids and addresses
// it named or made, RequestId and result. Events are buffered per process and
// written in one transaction every AUDIT_FLUSH_MS (and on close), or as soon as
// FLUSH_AT_EVENTS are waiting: a request pays no statement and no commit of its
// own, the batch rides in whatever group commit is open (SQLite), and a batch
// stays small (a few ms of writing, not one stall per 200 ms under load). A
// process killed with SIGKILL loses at most that much of its trail (the
// resources themselves are committed as ever). Kept AUDIT_RETENTION_DAYS (what
// is older goes once a minute, one statement); read back per account (one never
// sees another's).
import type { AuditEvent, AuditFilter } from '../store/store.ts';
import { readTx, type Caller, type ServiceDeps } from './deps.ts';
import { runEvery } from './periodic.ts';

const AUDIT_FLUSH_MS = 200;
/** a batch this large is written at once (with the writer started), not at the next tick */
const FLUSH_AT_EVENTS = 256;
const AUDIT_RETENTION_DAYS = 90;
const MAX_BUFFERED = 10_000;
const PURGE_BATCH = 2000;

const buffers = new WeakMap<ServiceDeps, AuditEvent[]>();
/** per deps with a writer started: flushes a full batch early (one scheduled at a time) */
const writers = new WeakMap<ServiceDeps, { onError: (e: unknown) => void; scheduled: boolean }>();
/** Forgetting what is past retention (days) needs no 200 ms cadence: once a minute per process. */
const AUDIT_PURGE_EVERY_MS = 60_000;
const lastPurge = new WeakMap<ServiceDeps, number>();

/** Actions that change nothing are not recorded. */
export function isMutating(action: string): boolean {
  return !/^(Describe|List|Get)/.test(action);
}

export function recordAudit(deps: ServiceDeps, e: AuditEvent): void {
  let b = buffers.get(deps);
  if (!b) buffers.set(deps, (b = []));
  // Bounded: if the store cannot keep up (or is down), the oldest unwritten events go first.
  if (b.length >= MAX_BUFFERED) b.shift();
  b.push(e);
  if (b.length >= FLUSH_AT_EVENTS) {
    const w = writers.get(deps);
    if (w && !w.scheduled) {
      w.scheduled = true;
      // After this tick, as one more member of whichever group commit is open then (SQLite), with the requests.
      setImmediate(() => {
        w.scheduled = false;
        // a writer stopped meanwhile has flushed on its way out
        if (writers.get(deps) === w) flushAudit(deps).catch(w.onError);
      });
    }
  }
}

/** Writes what is buffered, one transaction; then forgets what is past retention. */
export async function flushAudit(deps: ServiceDeps): Promise<number> {
  const b = buffers.get(deps);
  const batch = b ? b.splice(0, b.length) : [];
  if (batch.length > 0) {
    try {
      // One INSERT on PostgreSQL (store/sql/audit-repo.ts): its own transaction, one round trip.
      await deps.store.transaction((tx) => tx.audit.insert(batch), { oneStatement: deps.store.kind === 'postgres' });
    } catch (e) {
      buffers.get(deps)?.unshift(...batch);
      throw e;
    }
  }
  const now = deps.clock.nowMs();
  if (now - (lastPurge.get(deps) ?? -Infinity) >= AUDIT_PURGE_EVERY_MS) {
    lastPurge.set(deps, now);
    const before = now - AUDIT_RETENTION_DAYS * 86_400_000;
    await deps.store.transaction((tx) => tx.audit.purge(before, PURGE_BATCH), { oneStatement: true });
  }
  return batch.length;
}

export function startAuditWriter(deps: ServiceDeps, onError: (e: unknown) => void): () => Promise<void> {
  writers.set(deps, { onError, scheduled: false });
  const stop = runEvery(AUDIT_FLUSH_MS, () => flushAudit(deps), onError);
  return async () => {
    writers.delete(deps);
    stop();
    await flushAudit(deps).catch(onError);
  };
}

/** A caller's own trail (the RPC/console side); the operator's CLI passes no account. */
export function listAudit(
  deps: ServiceDeps,
  caller: Caller | undefined,
  f: Omit<AuditFilter, 'accountId'> & { accountId?: string },
): Promise<AuditEvent[]> {
  const accountId = caller ? caller.accountId : f.accountId;
  return readTx(deps, (tx) => tx.audit.list({ ...f, accountId, limit: Math.min(Math.max(f.limit, 1), 1000) }));
}

const ADDRESS_NAMES = new Set(['PrimaryIpAddress', 'PrivateIpAddress', 'Ipv6Address']);

/**
 * Does a parameter name a resource: `…Id`, or `PrimaryIpAddress`, `PrivateIpAddress`,
 * `Ipv6Address`, each optionally with a `.N` index (no regular expression: every
 * parameter of every mutating request is asked).
 */
export function namesResource(k: string): boolean {
  let end = k.length;
  const dot = k.lastIndexOf('.');
  if (dot >= 0 && dot < k.length - 1) {
    let digits = true;
    for (let i = dot + 1; i < k.length && digits; i++) {
      const c = k.charCodeAt(i);
      digits = c >= 48 && c <= 57;
    }
    if (digits) end = dot;
  }
  if (end >= 2 && k.charCodeAt(end - 2) === 73 /* I */ && k.charCodeAt(end - 1) === 100 /* d */) return true;
  return ADDRESS_NAMES.has(end === k.length ? k : k.slice(0, end));
}

/** Addresses handed out, at any depth up to 3: AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress[], Ipv6Sets.Ipv6Address[]. */
function collectAddresses(v: unknown, depth: number, out: Set<string>): void {
  if (depth > 3 || !v || typeof v !== 'object') return;
  for (const k of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[k];
    if ((k === 'PrivateIpAddress' || k === 'Ipv6Address') && Array.isArray(x)) {
      for (const a of x) if (typeof a === 'string') out.add(a);
    } else {
      collectAddresses(x, depth + 1, out);
    }
  }
}

/** The ids and addresses a call named (parameters) or made (top-level *Id answers). */
export function auditResources(params: Map<string, string>, body?: Record<string, unknown>): string[] {
  const out = new Set<string>();
  for (const [k, v] of params) {
    if (!v || k === 'RegionId' || k === 'AccessKeyId' || k === 'ClientToken') continue;
    if (namesResource(k)) out.add(v);
  }
  if (body) {
    for (const k of Object.keys(body)) {
      const v = body[k];
      if (k !== 'RequestId' && k.endsWith('Id') && typeof v === 'string' && v) out.add(v);
    }
    const sets = body.InstanceIdSets as { InstanceIdSet?: unknown } | undefined;
    if (Array.isArray(sets?.InstanceIdSet)) for (const id of sets.InstanceIdSet) out.add(String(id));
    collectAddresses(body, 0, out);
  }
  return out.size <= 200 ? [...out] : [...out].slice(0, 200);
}
