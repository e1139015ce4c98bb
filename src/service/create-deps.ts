// Builds the service dependencies from a store and settings.
import { randomInt } from 'node:crypto';
import { DEFAULT_LIMITS, type Limits } from '../domain/limits.ts';
import { DEFAULT_REGION_ID, DEFAULT_REGIONS } from '../domain/regions.ts';
import { systemClock, type Clock, type Rng } from '../domain/ports.ts';
import type { Region } from '../domain/model.ts';
import type { Store } from '../store/store.ts';
import { AddressHints } from './address-hints.ts';
import type { ServiceDeps } from './deps.ts';

/** A cryptographic source: ids, MACs and keys must not be guessable. */
export const cryptoRng: Rng = (max) => (max <= 1 ? 0 : randomInt(max));

export function createDeps(store: Store, opts: { limits?: Partial<Limits>; regions?: Region[]; defaultRegionId?: string; clock?: Clock; rng?: Rng; labMode?: boolean } = {}): ServiceDeps {
  return {
    store,
    clock: opts.clock ?? systemClock,
    rng: opts.rng ?? cryptoRng,
    limits: { ...DEFAULT_LIMITS, ...opts.limits },
    regions: opts.regions ?? [...DEFAULT_REGIONS],
    defaultRegionId: opts.defaultRegionId ?? DEFAULT_REGION_ID,
    hints: new AddressHints(),
    labMode: opts.labMode ?? false,
  };
}
