// The one-call assign and unassign (migration 022's eniplane_calls_v2), sent
// in batches (migration 020): while BATCHES_IN_FLIGHT batch statements of this
// process are running, further calls wait and go out together in the next one
// (at most batchMax), in one transaction: one WAL flush for all of them. A
// call that finds fewer in flight goes out at once (a batch of one). Each
// element runs in a subtransaction of its own; one whose ENI row another
// transaction holds answers "busy" without waiting, goes into the next batch
// (twice at most) and is then sent alone, where it waits for the row
// (the SQL says why no wait cycle runs through a batch, and why a batch must
// not wait for ENI rows). An element answers "general" for "take the general
// path" (SQLSTATE ENI01, or a conflict the general path would re-run:
// deadlock, unique violation, a busy lock; nothing of that element was
// committed), "taken" when every candidate address was taken (ENI02). A batch
// that fails as a whole answers every element alike: a connection loss
// StoreUnavailable, a transient conflict "general". batchMax 1 sends each call
// alone (no queue), its own statement and transaction, as before migration 020.
import pg from 'pg';
import type { CallClientToken, CallNonce, OneCallAddresses, OneCallLimits } from '../store.ts';
import { TransientConflict } from '../store.ts';
import { nonceKey } from '../sql/nonce-key.ts';
import { nextSeq } from '../sql/misc-repos.ts';
import { isConnectionLoss, isDatabaseError, mapPgError } from './pg-driver.ts';
import { DomainError } from '../../domain/errors.ts';

/** $3: wait for the ENI rows (a call sent alone) rather than answer "busy" (a batch) */
const CALLS = 'SELECT eniplane_calls_v2($1::jsonb, $2::jsonb, $3) AS r';

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

const tokenParams = (t: CallClientToken | undefined) => (t ? [t.action, t.token, t.paramsHash, t.nowMs] : [null, null, null, null]);

/** Runs one statement on a pooled connection; 'general': what every element answers when it fails as a whole. */
async function statement<R>(conn: () => Promise<CallConnection>, name: string, text: string, values: unknown[]): Promise<R | 'general'> {
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

/** What one element answers (migrations 020, 022). */
type Answer = { a: string[] } | { v: string | null } | 'general' | 'taken' | 'busy';

/** An element as eniplane_calls_v2 reads it, with an assign's type caps (JSON text; undefined for an unassign). */
interface Call {
  element: unknown[];
  caps: string | undefined;
}

/**
 * Sends calls as one eniplane_calls_v2 statement (one transaction): the type caps go once, each
 * assign names its caps by index. wait: the elements wait for their ENI rows instead of answering busy.
 */
async function callsStatement(conn: () => Promise<CallConnection>, calls: Call[], wait: boolean): Promise<Answer[] | 'general'> {
  const caps: string[] = [];
  for (const p of calls) {
    if (p.caps === undefined) continue;
    let i = caps.indexOf(p.caps);
    if (i < 0) i = caps.push(p.caps) - 1;
    p.element[12] = i;
  }
  const r = await statement<{ r: Answer[] }>(conn, 'eniplane_one_call_batch_v2', CALLS, [
    JSON.stringify(calls.map((p) => p.element)),
    `[${caps.join(',')}]`,
    wait,
  ]);
  return r === 'general' ? r : r.r;
}

interface Pending extends Call {
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

  submit(call: Call): Promise<Answer> {
    return new Promise<Answer>((resolve, reject) => {
      this.queue.push({ ...call, resolve, reject, busy: 0 });
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
    this.stats.batches++;
    this.stats.calls += batch.length;
    try {
      const r = await callsStatement(this.conn, batch, false);
      if (r === 'general') for (const p of batch) p.resolve('general');
      else {
        // A busy element goes first into the next batch: the batch that holds its ENI row was in
        // flight before this one and has most likely committed by the time this one is answered.
        // Busy again BUSY_REQUEUES times, it is sent alone (that statement waits for the row).
        const again: Pending[] = [];
        batch.forEach((p, i) => {
          const a = r[i]!;
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

/** An assign's element after its kind (migration 020's order); its caps index is filled in by callsStatement. */
const assignValues = (c: AssignCall, nonce: unknown[]) => [
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
  null,
  c.limits.securityGroupCapacity.normal,
  c.limits.securityGroupCapacity.enterprise,
  ...nonce,
  ...tokenParams(c.clientToken),
];
/** An unassign's element after its kind. */
const unassignValues = (c: UnassignCall, nonce: unknown[]) => [
  c.accountId,
  c.regionId,
  c.eniId,
  c.family,
  c.addresses,
  ...nonce,
  ...tokenParams(c.clientToken),
];

/** A call sent alone, waiting for its ENI row: its own statement and transaction. */
async function alone(conn: () => Promise<CallConnection>, call: Call): Promise<Answer> {
  const r = await callsStatement(conn, [call], true);
  return r === 'general' ? r : r[0]!;
}

export function oneCallAddresses(conn: () => Promise<CallConnection>, batchMax: number): OneCallAddresses {
  const batcher = batchMax > 1 ? new Batcher(conn, batchMax) : undefined;
  /** through the batch; a call answered busy there (its ENI row held elsewhere) is then sent alone */
  const send = async (call: Call): Promise<Answer> => {
    if (!batcher) return alone(conn, call);
    const a = await batcher.submit(call);
    return a === 'busy' ? alone(conn, call) : a;
  };
  return {
    ...(batcher ? { batchStats: batcher.stats } : {}),
    async assign(c) {
      const r = await send({ element: ['a', ...assignValues(c, nonceElement(c.nonce))], caps: capsJson(c.limits) });
      if (r === 'taken') return { kind: 'candidates-taken' };
      if (typeof r === 'string') return { kind: 'general' };
      return { kind: 'done', addresses: (r as { a: string[] }).a };
    },
    async unassign(c) {
      const r = await send({ element: ['u', ...unassignValues(c, nonceElement(c.nonce))], caps: undefined });
      if (typeof r === 'string') return { kind: 'general' };
      return { kind: 'done', vSwitchId: (r as { v: string | null }).v };
    },
  };
}
