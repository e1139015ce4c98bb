// Builds the service dependencies from a store and settings.
import { randomFillSync } from 'node:crypto';
import { DEFAULT_LIMITS, type Limits } from '../domain/limits.ts';
import { DEFAULT_REGION_ID, DEFAULT_REGIONS } from '../domain/regions.ts';
import { systemClock, type Clock, type Rng } from '../domain/ports.ts';
import type { Region } from '../domain/model.ts';
import type { Store } from '../store/store.ts';
import { AddressHints } from './address-hints.ts';
import { ProcessCaches } from './caches.ts';
import type { ServiceDeps } from './deps.ts';

// Random words drawn from the system CSPRNG a pool at a time: one call per 1,024
// draws instead of one each (every resource id, MAC and allocation start point takes several).
const pool = new Uint32Array(1024);
let next = pool.length;

function randomWord(): number {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  return pool[next++];
}

/** A cryptographic source: ids, MACs and keys must not be guessable. Uniform by rejection sampling. */
export const cryptoRng: Rng = (max) => {
  if (max <= 1) return 0;
  const limit = 2 ** 32 - (2 ** 32 % max); // the largest multiple of max that fits: no modulo bias
  for (;;) {
    const x = randomWord();
    if (x < limit) return x % max;
  }
};

export function createDeps(
  store: Store,
  opts: { limits?: Partial<Limits>; regions?: Region[]; defaultRegionId?: string; clock?: Clock; rng?: Rng; labMode?: boolean } = {},
): ServiceDeps {
  return {
    store,
    clock: opts.clock ?? systemClock,
    rng: opts.rng ?? cryptoRng,
    limits: { ...DEFAULT_LIMITS, ...opts.limits },
    regions: opts.regions ?? [...DEFAULT_REGIONS],
    defaultRegionId: opts.defaultRegionId ?? DEFAULT_REGION_ID,
    hints: new AddressHints(),
    caches: new ProcessCaches(),
    labMode: opts.labMode ?? false,
  };
}
