// Drawing from the injected Rng. IPAM never reaches for Math.random: every
// random choice comes from the caller's Rng, so tests can pin it.

import type { Rng } from '../domain/ports.ts';

/** rng(maxExclusive), checked: a broken source is a bug, not a user error. */
export function drawInt(rng: Rng, maxExclusive: number): number {
  const r = rng(maxExclusive);
  if (!Number.isInteger(r) || r < 0 || r >= maxExclusive) {
    throw new RangeError(`rng(${maxExclusive}) returned ${String(r)}, outside [0, ${maxExclusive})`);
  }
  return r;
}

/** A uniform integer of `bits` bits (0..n), drawn 32 bits at a time. */
export function drawBits(rng: Rng, bits: number): bigint {
  let value = 0n;
  let left = bits;
  while (left > 0) {
    const chunk = Math.min(32, left);
    value = (value << BigInt(chunk)) | BigInt(drawInt(rng, 2 ** chunk));
    left -= chunk;
  }
  return value;
}
