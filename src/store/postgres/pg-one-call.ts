// The one-call assign and unassign (migration 018's functions), sent in
// batches (migration 020): while BATCHES_IN_FLIGHT batch statements of this
// process are running, further calls wait and go out together in the next one
// (at most batchMax), in one transaction: one WAL flush for all of them. A
// call that finds fewer in flight goes out at once (a batch of one). Each
// element runs in a subtransaction of its own; one whose ENI row another
// transaction holds answers "busy" without waiting, goes into the next batch
// (twice at most) and is then sent alone, where it waits for the row
// (the SQL says why no wait cycle runs through a batch, and why a batch must
// not wait for ENI rows). SQLSTATE ENI01 means "take the general path", ENI02 "every
// candidate address was taken"; a conflict the general path would re-run
// (deadlock, unique violation, a busy lock) is also answered "general", since
// nothing of that element was committed. A batch that fails as a whole answers
// every element alike: a connection loss StoreUnavailable, a transient
// conflict "general". batchMax 1 sends each call alone through the v2 functions
// (no queue), as before migration 020.
import pg from 'pg';
import type { CallClientToken, CallNonce, OneCallAddresses, OneCallLimits } from '../store.ts';
import { TransientConflict } from '../store.ts';
import { nonceKey } from '../sql/nonce-key.ts';
import { nextSeq } from '../sql/misc-repos.ts';
import { isConnectionLoss, isDatabaseError, mapPgError } from './pg-driver.ts';
import { DomainError } from '../../domain/errors.ts';

const ASSIGN =
  'SELECT eniplane_assign_addresses_v2($1, $2, $3, $4, $5, $6, $7::text[], $8::bigint[], $9, $10, $11, $12::jsonb, $13, $14, $15, $16, $17, $18, $19, $20) AS a';
const UNASSIGN = 'SELECT eniplane_unassign_addresses_v2($1, $2, $3, $4, $5::text[], $6, $7, $8, $9, $10, $11) AS v';
const CALLS = 'SELECT eniplane_calls_v1($1::jsonb, $2::jsonb) AS r';

/**
 * Batch statements of one process running at once. 1: a batch goes out when the previous one is
 * answered, so under load each statement carries what arrived meanwhile (bench/replicas, docs/scaling.md).
 */
const BATCHES_IN_FLIGHT = 1;
/** how many times a call answered busy goes into the next batch before it is sent alone (bench/replicas: 2 beat 0, 1 and 3) */
const BUSY_REQUEUES = 2;

/** the connection a call runs on, and what to do with it afterwards */
interface CallConnection {
  client: pg.PoolClient;
  /** counts one round trip */
  counted(): void;
  /** broken: do not reuse it; stale: it holds plans from before a migration (older connections go too) */
  release(broken: boolean, stale: boolean): void;
}

/** The limits as the function's parameters; the type caps are the same JSON text for a process's whole life. */
const typeCapsJson = new WeakMap<object, string>();
function capsJson(l: OneCallLimits): string {
  let j = typeCapsJson.get(l.typeCaps);
  if (j === undefined) typeCapsJson.set(l.typeCaps, (j = JSON.stringify(l.typeCaps)));
  return j;
}

const nonceParams = (n: CallNonce | undefined) => (n ? [nonceKey(n.accessKeyId, n.nonce), n.expiresMs] : [null, null]);
const tokenParams = (t: CallClientToken | undefined) => (t ? [t.action, t.token, t.paramsHash, t.nowMs] : [null, null, null, null]);

type Outcome = 'general' | 'candidates-taken';

/** Runs one statement on a pooled connection; what every element of it answers when it fails as a whole. */
async function statement<R>(conn: () => Promise<CallConnection>, name: string, text: string, values: unknown[]): Promise<R | Outcome> {
  const c = await conn().catch((e: unknown) => {
    throw isConnectionLoss(e) ? new DomainError('StoreUnavailable', { reason: (e as Error).message }) : e;
  });
  let broken = false;
  let stale = false;
  try {
    c.counted();
    return (await c.client.query({ name, text, values })).rows[0] as R;
  } catch (e) {
    if (isConnectionLoss(e)) {
      broken = true;
      throw new DomainError('StoreUnavailable', { reason: (e as Error).message });
    }
    if (isDatabaseError(e)) {
      if (e.code === 'ENI01') return 'general';
      if (e.code === 'ENI02') return 'candidates-taken';
      const mapped = mapPgError(e);
      if (mapped instanceof TransientConflict) {
        stale = broken = mapped.sqlState === '0A000'; // a prepared plan outdated by a migration
        return 'general';
      }
    } else broken = true;
    throw e;
  } finally {
    c.release(broken, stale);
  }
}

/** What one element of a batch answers (migration 020). */
type Answer = { a: string[] } | { v: string | null } | 'general' | 'taken' | 'busy';

interface Pending {
  /** the element as eniplane_calls_v1 reads it; an assign's caps index is filled in when its batch is built */
  element: unknown[];
  /** an assign's type caps (JSON text), else undefined */
  caps: string | undefined;
  resolve(a: Answer): void;
  reject(e: unknown): void;
  /** times it was answered busy and went into the next batch again */
  busy: number;
}

/** The process's queue of one-call requests: see the top of this file. */
class Batcher {
  private readonly queue: Pending[] = [];
  private inFlight = 0;
  readonly stats = { batches: 0, calls: 0, busy: 0, alone: 0 };

  constructor(
    private readonly conn: () => Promise<CallConnection>,
    private readonly max: number,
  ) {}

  submit(element: unknown[], caps: string | undefined): Promise<Answer> {
    return new Promise<Answer>((resolve, reject) => {
      this.queue.push({ element, caps, resolve, reject, busy: 0 });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < BATCHES_IN_FLIGHT && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.max);
      this.inFlight++;
      void this.send(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async send(batch: Pending[]): Promise<void> {
    const caps: string[] = [];
    for (const p of batch) {
      if (p.caps === undefined) continue;
      let i = caps.indexOf(p.caps);
      if (i < 0) i = caps.push(p.caps) - 1;
      p.element[12] = i;
    }
    this.stats.batches++;
    this.stats.calls += batch.length;
    try {
      const r = await statement<{ r: Answer[] }>(this.conn, 'eniplane_one_call_batch_v1', CALLS, [
        JSON.stringify(batch.map((p) => p.element)),
        `[${caps.join(',')}]`,
      ]);
      if (r === 'general' || r === 'candidates-taken') for (const p of batch) p.resolve('general');
      else {
        // A busy element goes first into the next batch: the batch that holds its ENI row was in
        // flight before this one and has most likely committed by the time this one is answered.
        // Busy again BUSY_REQUEUES times, it is sent alone (that statement waits for the row).
        const again: Pending[] = [];
        batch.forEach((p, i) => {
          const a = r.r[i]!;
          if (a !== 'busy') return p.resolve(a);
          this.stats.busy++;
          if (p.busy++ < BUSY_REQUEUES) return again.push(p);
          this.stats.alone++;
          p.resolve(a);
        });
        this.queue.unshift(...again);
      }
    } catch (e) {
      for (const p of batch) p.reject(e);
    }
  }
}

/** JSON has no 64-bit integers: the nonce key goes as text. */
const nonceElement = (n: CallNonce | undefined) => (n ? [String(nonceKey(n.accessKeyId, n.nonce)), n.expiresMs] : [null, null]);

type AssignCall = Parameters<OneCallAddresses['assign']>[0];
type UnassignCall = Parameters<OneCallAddresses['unassign']>[0];

/** An assign's values in the v2 function's order; the type caps and the nonce as the statement sends them. */
const assignValues = (c: AssignCall, caps: string | null, nonce: unknown[]) => [
  c.accountId,
  c.regionId,
  c.eniId,
  c.vSwitchId,
  c.family,
  c.count,
  c.candidates,
  c.ipv4Nums,
  nextSeq(),
  c.named === true,
  c.limits.availableCap,
  caps,
  c.limits.securityGroupCapacity.normal,
  c.limits.securityGroupCapacity.enterprise,
  ...nonce,
  ...tokenParams(c.clientToken),
];
/** An unassign's values in the v2 function's order. */
const unassignValues = (c: UnassignCall, nonce: unknown[]) => [
  c.accountId,
  c.regionId,
  c.eniId,
  c.family,
  c.addresses,
  ...nonce,
  ...tokenParams(c.clientToken),
];

export function oneCallAddresses(conn: () => Promise<CallConnection>, batchMax: number): OneCallAddresses {
  if (batchMax <= 1) return singleCalls(conn);
  const batcher = new Batcher(conn, batchMax);
  const alone = singleCalls(conn);
  return {
    batchStats: batcher.stats,
    async assign(c) {
      // the caps go once per batch; the element names them by index (filled in when its batch is built)
      const r = await batcher.submit(['a', ...assignValues(c, null, nonceElement(c.nonce))], capsJson(c.limits));
      if (r === 'busy') return alone.assign(c);
      if (r === 'general') return { kind: 'general' };
      if (r === 'taken') return { kind: 'candidates-taken' };
      return { kind: 'done', addresses: (r as { a: string[] }).a };
    },
    async unassign(c) {
      const r = await batcher.submit(['u', ...unassignValues(c, nonceElement(c.nonce))], undefined);
      if (r === 'busy') return alone.unassign(c);
      if (r === 'general' || r === 'taken') return { kind: 'general' };
      return { kind: 'done', vSwitchId: (r as { v: string | null }).v };
    },
  };
}

/** Each call alone, its own statement and transaction (migration 018's functions). */
function singleCalls(conn: () => Promise<CallConnection>): OneCallAddresses {
  return {
    async assign(c) {
      const values = assignValues(c, capsJson(c.limits), nonceParams(c.nonce));
      const r = await statement<{ a: string[] }>(conn, 'eniplane_one_call_assign_v2', ASSIGN, values);
      if (r === 'general' || r === 'candidates-taken') return { kind: r };
      return { kind: 'done', addresses: r.a };
    },
    async unassign(c) {
      const values = unassignValues(c, nonceParams(c.nonce));
      const r = await statement<{ v: string | null }>(conn, 'eniplane_one_call_unassign_v2', UNASSIGN, values);
      if (r === 'general' || r === 'candidates-taken') return { kind: 'general' };
      return { kind: 'done', vSwitchId: r.v };
    },
  };
}
