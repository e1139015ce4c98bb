// Shared by the ipam tests: a seeded Rng and a DomainError assertion.

import assert from 'node:assert/strict';
import { isDomainError, type DomainErrorCode } from '../../src/domain/errors.ts';
import type { Rng } from '../../src/domain/ports.ts';

/** mulberry32: a small, fast, seedable uniform source; rng(max) = floor(u · max). */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return (maxExclusive) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u32 = (t ^ (t >>> 14)) >>> 0;
    return Math.floor((u32 / 2 ** 32) * maxExclusive);
  };
}

/** An Rng that replays `values` (then fails loudly), recording each maxExclusive asked for. */
export function scriptedRng(values: number[]): Rng & { asked: number[] } {
  const asked: number[] = [];
  let i = 0;
  const rng = (maxExclusive: number) => {
    asked.push(maxExclusive);
    if (i >= values.length) throw new Error('scripted rng exhausted');
    return values[i++]!;
  };
  return Object.assign(rng, { asked });
}

/** Asserts fn throws a DomainError with `code` whose details include `details`. */
export function assertDomainError(fn: () => unknown, code: DomainErrorCode, details?: Record<string, unknown>): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isDomainError(e), `expected a DomainError, got ${String(e)}`);
    assert.equal(e.code, code, `expected ${code}, got ${e.code} ${JSON.stringify(e.details)}`);
    if (details) for (const [k, v] of Object.entries(details)) assert.deepEqual(e.details[k], v, `details.${k}`);
    return true;
  });
}

/** The DomainError code fn throws, or 'ok'. */
export function outcome(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (e) {
    if (isDomainError(e)) return `${e.code} ${JSON.stringify(e.details)}`;
    throw e;
  }
}
