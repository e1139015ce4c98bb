// What the domain and service layers get injected instead of reaching for
// Date.now() or Math.random(): tests pin both.

export interface Clock {
  /** milliseconds since the epoch */
  nowMs(): number;
}

/** Uniform integer in [0, maxExclusive). maxExclusive <= 2**32. */
export type Rng = (maxExclusive: number) => number;

export const systemClock: Clock = { nowMs: () => Date.now() };

export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
