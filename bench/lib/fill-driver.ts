// The fill benches' driver (bench/ipam-fill, bench/prefix-fill): a seeded
// random source, a shuffled order, and the timing of one allocation per call
// at each fill level against a same-run baseline (the first case, empty),
// best of three interleaved rounds, with the 99%-full target (<= 2x).
import type { Rng } from '../../src/domain/ports.ts';
import type { Ipv4FreeSpace } from '../../src/ipam/index.ts';
import { seededRng } from '../../test/ipam/helpers.ts';

// the ipam tests' seeded source (mulberry32), so a bench and a test with one seed see one sequence
export { seededRng };

/** `items` in a random order (Fisher–Yates, in place). */
export function shuffle<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

function nsPerCall(space: Ipv4FreeSpace, pick: (space: Ipv4FreeSpace, rng: Rng) => unknown[], iterations: number): number {
  const rng = seededRng(7);
  let sink = 0;
  for (let i = 0; i < 20_000; i++) sink += pick(space, rng).length; // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) sink += pick(space, rng).length;
  const ns = Number(process.hrtime.bigint() - start) / iterations;
  if (sink === 0) throw new Error('unreachable');
  return ns;
}

/**
 * Times `pick` (one { count: 1 } request, not taken afterwards, so the fill level
 * stays fixed) on each case and prints a line a case: `free` says how much is left,
 * `unit` names one call ("alloc", "pick"). Cases must include "empty /16" and "99% full".
 */
export function runFillBench(opts: {
  title: (iterations: number) => string;
  unit: string;
  cases: [string, Ipv4FreeSpace][];
  free: (space: Ipv4FreeSpace) => string;
  pick: (space: Ipv4FreeSpace, rng: Rng) => unknown[];
}): void {
  const iterations = 200_000;
  // Best of three rounds per case, rounds interleaved, to damp JIT and GC noise.
  const best = new Map<string, number>();
  for (let round = 0; round < 3; round++) {
    for (const [name, space] of opts.cases) {
      const ns = nsPerCall(space, opts.pick, iterations);
      best.set(name, Math.min(best.get(name) ?? Infinity, ns));
    }
  }
  const baseline = best.get('empty /16')!;
  console.log(opts.title(iterations));
  for (const [name, space] of opts.cases) {
    const ns = best.get(name)!;
    console.log(
      `${name.padEnd(18)} ${opts.free(space)}  ${ns.toFixed(0).padStart(6)} ns/${opts.unit}  ratio ${(ns / baseline).toFixed(2)}x`,
    );
  }
  const ratio = best.get('99% full')! / baseline;
  console.log(`99% full vs empty: ${ratio.toFixed(2)}x (target <= 2x) ${ratio <= 2 ? 'OK' : 'OVER TARGET'}`);
}
