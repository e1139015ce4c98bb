// What every use case receives. Nothing here is global: tests build their own.
import type { Clock, Rng } from '../domain/ports.ts';
import type { Limits } from '../domain/limits.ts';
import type { Region } from '../domain/model.ts';
import { TransientConflict, type Store, type Tx } from '../store/store.ts';
import type { AddressHints } from './address-hints.ts';
import type { ProcessCaches } from './caches.ts';
import { DomainError } from '../domain/errors.ts';

export interface ServiceDeps {
  store: Store;
  clock: Clock;
  rng: Rng;
  limits: Limits;
  regions: Region[];
  defaultRegionId: string;
  hints: AddressHints;
  /** the request path's per-process caches and cursors, in one place (service/caches.ts) */
  caches: ProcessCaches;
  /** lab mode: VPC CIDRs must lie inside 198.18.0.0/15, since the lab is a real network on this host */
  labMode: boolean;
}

export interface RequestNonce {
  accessKeyId: string;
  nonce: string;
  expiresMs: number;
  recorded: boolean;
}

/** Records the request's nonce in this transaction; a nonce seen before is a replay. */
export async function recordNonce(tx: Tx, n: RequestNonce): Promise<void> {
  if (n.recorded) return;
  if (!(await tx.nonces.add(n.accessKeyId, n.nonce, n.expiresMs))) throw new DomainError('RequestReplayed', { accessKeyId: n.accessKeyId });
  n.recorded = true;
  tx.onRollback(() => {
    n.recorded = false;
  });
}

/** Who is calling (every query is scoped by the account): the request context every use case receives. */
export interface Caller {
  accountId: string;
  /**
   * A signed request's nonce, set by the api pipeline on this request's caller: the first
   * write transaction given this caller records it (one commit instead of two).
   */
  nonce?: RequestNonce;
}

/** Thrown inside a transaction to run it again from the start (a racing twin won). */
export class RetryTransaction extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'RetryTransaction';
  }
}

const MAX_TRANSACTION_ATTEMPTS = 5;

/**
 * One write transaction, re-run a bounded number of times when it asks to be. Given the
 * request's caller, it first records the caller's nonce (if any, and not yet recorded).
 */
export async function writeTx<T>(deps: ServiceDeps, fn: (tx: Tx) => Promise<T>, caller?: Caller): Promise<T> {
  const nonce = caller?.nonce;
  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.store.transaction(async (tx) => {
        if (nonce) await recordNonce(tx, nonce);
        return fn(tx);
      });
    } catch (e) {
      // A racing twin won, or the database says a concurrent transaction got in the way: run again, bounded.
      const retryable = e instanceof RetryTransaction || e instanceof TransientConflict;
      if (retryable && attempt < MAX_TRANSACTION_ATTEMPTS) continue;
      if (retryable) throw new DomainError('OperationConflict', { reason: (e as Error).message });
      throw e;
    }
  }
}

export function readTx<T>(deps: ServiceDeps, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return deps.store.transaction(fn, { readOnly: true });
}

export function findRegion(deps: ServiceDeps, regionId: string | undefined): Region {
  const id = regionId ?? deps.defaultRegionId;
  const r = deps.regions.find((x) => x.id === id);
  if (!r) throw new DomainError('RegionNotFound', { regionId: id });
  return r;
}

export function assertZone(region: Region, zoneId: string): void {
  if (!region.zones.some((z) => z.id === zoneId)) throw new DomainError('ZoneNotFound', { zoneId, regionId: region.id });
}
