// ClientToken idempotency: the same token with the same parameters returns the
// original result and does the work once; with other parameters it is refused.
// Results live in the database (table idempotency), so retries that land on
// another server process behave the same.
import { createHash } from 'node:crypto';
import { CLIENT_TOKEN_MAX_LENGTH } from '../domain/limits.ts';
import { DomainError } from '../domain/errors.ts';
import type { Tx } from '../store/store.ts';
import { RetryTransaction, type Caller, type ServiceDeps } from './deps.ts';

/** Lists whose order carries no meaning: a retry sending Tag.N in another order is the same request. */
const UNORDERED = new Set(['tags']);

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${field(k, (v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

function field(name: string, v: unknown): string {
  if (!UNORDERED.has(name) || !Array.isArray(v)) return stableJson(v);
  return `[${v.map(stableJson).sort().join(',')}]`;
}

function assertClientToken(token: string): void {
  if (token.length === 0 || token.length > CLIENT_TOKEN_MAX_LENGTH || !/^[\x20-\x7e]+$/.test(token)) {
    throw new DomainError('InvalidParameter', { name: 'clientToken', reason: 'at most 64 ASCII characters' });
  }
}

export async function idempotent<T>(
  deps: ServiceDeps,
  tx: Tx,
  caller: Caller,
  action: string,
  token: string | undefined,
  params: unknown,
  work: () => Promise<T>,
): Promise<T> {
  if (token === undefined) return work();
  assertClientToken(token);
  const paramsHash = createHash('sha256').update(stableJson(params)).digest('hex');
  const seen = await tx.idempotency.get(caller.accountId, action, token);
  if (seen) {
    if (seen.paramsHash !== paramsHash) throw new DomainError('IdempotentParameterMismatch', { clientToken: token });
    return JSON.parse(seen.result) as T;
  }
  let result: T;
  try {
    result = await work();
  } catch (e) {
    // A twin with the same token may have committed while we waited for a lock
    // (another process): then our refusal (vSwitch full, limit reached) is an
    // artefact of its work. Run again from the start, which replays its result.
    if (await tx.idempotency.get(caller.accountId, action, token)) throw new RetryTransaction(`ClientToken ${token} completed by a twin`);
    throw e;
  }
  const stored = await tx.idempotency.put(
    caller.accountId,
    action,
    token,
    { paramsHash, result: JSON.stringify(result) },
    deps.clock.nowMs(),
  );
  // A twin request with the same token committed first (another process): undo ours, replay theirs.
  if (!stored) throw new RetryTransaction(`ClientToken ${token} raced`);
  return result;
}
