// The audit trail (ActionTrail-like): every mutating call and console sign-in,
// with time, account, AccessKey, source address, action, the ids and addresses
// it named or made, RequestId and result. Events are buffered per process and
// written in one transaction every AUDIT_FLUSH_MS (and on close), so a request
// pays no extra commit; a process killed with SIGKILL loses at most that much
// of its trail (the resources themselves are committed as ever). Kept
// AUDIT_RETENTION_DAYS; read back per account (one never sees another's).
import type { AuditEvent, AuditFilter } from '../store/store.ts';
import { readTx, writeTx, type Caller, type ServiceDeps } from './deps.ts';
import { runEvery } from './periodic.ts';

const AUDIT_FLUSH_MS = 200;
const AUDIT_RETENTION_DAYS = 90;
const MAX_BUFFERED = 10_000;
const PURGE_BATCH = 2000;

const buffers = new WeakMap<ServiceDeps, AuditEvent[]>();

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
}

/** Writes what is buffered, one transaction; then forgets what is past retention. */
export async function flushAudit(deps: ServiceDeps): Promise<number> {
  const b = buffers.get(deps);
  const batch = b ? b.splice(0, b.length) : [];
  if (batch.length > 0) {
    try {
      await writeTx(deps, (tx) => tx.audit.insert(batch));
    } catch (e) {
      buffers.get(deps)?.unshift(...batch);
      throw e;
    }
  }
  const before = deps.clock.nowMs() - AUDIT_RETENTION_DAYS * 86_400_000;
  await writeTx(deps, (tx) => tx.audit.purge(before, PURGE_BATCH));
  return batch.length;
}

export function startAuditWriter(deps: ServiceDeps, onError: (e: unknown) => void): () => Promise<void> {
  const stop = runEvery(AUDIT_FLUSH_MS, () => flushAudit(deps), onError);
  return async () => {
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

/** The ids and addresses a call named (parameters) or made (top-level *Id answers). */
export function auditResources(params: Map<string, string>, body?: Record<string, unknown>): string[] {
  const out = new Set<string>();
  for (const [k, v] of params) {
    if (!v || k === 'RegionId' || k === 'AccessKeyId' || k === 'ClientToken') continue;
    if (/Id(\.\d+)?$/.test(k) || /^(PrimaryIpAddress|PrivateIpAddress|Ipv6Address)(\.\d+)?$/.test(k)) out.add(v);
  }
  if (body) {
    for (const [k, v] of Object.entries(body)) if (k !== 'RequestId' && /Id$/.test(k) && typeof v === 'string' && v) out.add(v);
    const sets = body.InstanceIdSets as { InstanceIdSet?: unknown } | undefined;
    if (Array.isArray(sets?.InstanceIdSet)) for (const id of sets.InstanceIdSet) out.add(String(id));
    // Addresses handed out: AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress[], Ipv6Sets.Ipv6Address[].
    const collect = (v: unknown, depth: number): void => {
      if (depth > 3 || !v || typeof v !== 'object') return;
      for (const [k, x] of Object.entries(v)) {
        if ((k === 'PrivateIpAddress' || k === 'Ipv6Address') && Array.isArray(x)) {
          for (const a of x) if (typeof a === 'string') out.add(a);
        } else {
          collect(x, depth + 1);
        }
      }
    };
    collect(body, 0);
  }
  return [...out].slice(0, 200);
}
