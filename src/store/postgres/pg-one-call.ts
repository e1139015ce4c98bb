// The one-call assign and unassign (migration 018's functions): one statement
// on a pooled connection, its own transaction. SQLSTATE ENI01 means "take the
// general path", ENI02 "every candidate address was taken"; a conflict the
// general path would re-run (deadlock, unique violation, a busy lock) is also
// answered "general", since nothing of the call was committed.
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

async function call<R>(conn: () => Promise<CallConnection>, name: string, text: string, values: unknown[]): Promise<R | Outcome> {
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

export function oneCallAddresses(conn: () => Promise<CallConnection>): OneCallAddresses {
  return {
    async assign(c) {
      const r = await call<{ a: string[] }>(conn, 'eniplane_one_call_assign_v2', ASSIGN, [
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
        capsJson(c.limits),
        c.limits.securityGroupCapacity.normal,
        c.limits.securityGroupCapacity.enterprise,
        ...nonceParams(c.nonce),
        ...tokenParams(c.clientToken),
      ]);
      if (r === 'general' || r === 'candidates-taken') return { kind: r };
      return { kind: 'done', addresses: r.a };
    },
    async unassign(c) {
      const r = await call<{ v: string | null }>(conn, 'eniplane_one_call_unassign_v2', UNASSIGN, [
        c.accountId,
        c.regionId,
        c.eniId,
        c.family,
        c.addresses,
        ...nonceParams(c.nonce),
        ...tokenParams(c.clientToken),
      ]);
      if (r === 'general' || r === 'candidates-taken') return { kind: 'general' };
      return { kind: 'done', vSwitchId: r.v };
    },
  };
}
