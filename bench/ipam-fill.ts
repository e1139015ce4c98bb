// Cost of one automatic IPv4 allocation as a /16 fills up, against a same-run
// baseline (the empty /16). Target: the 99%-full case within 2x of empty.
//   node --import tsx bench/ipam-fill.ts
// Each request is { count: 1 } and is not taken afterwards, so the fill level
// stays fixed while timing.

import { allocateIpv4, Ipv4FreeSpace, parseIpv4Cidr } from '../src/ipam/index.ts';
import type { Rng } from '../src/domain/ports.ts';

function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return (max) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * max);
  };
}

const cidr = parseIpv4Cidr('10.0.0.0/16');
const usable = cidr.size - 4;

/** A /16 with `fraction` of its usable addresses taken, chosen at random. */
function spaceFilled(fraction: number): Ipv4FreeSpace {
  const rng = seededRng(42);
  const offsets = Array.from({ length: usable }, (_, i) => i + 1);
  for (let i = offsets.length - 1; i > 0; i--) {
    const j = rng(i + 1);
    [offsets[i], offsets[j]] = [offsets[j]!, offsets[i]!];
  }
  return new Ipv4FreeSpace(
    cidr,
    offsets.slice(0, Math.round(usable * fraction)).map((o) => cidr.base + o),
  );
}

/** Every address taken but one, far from most starts: the longest summary walk. */
function spaceAllButOne(): Ipv4FreeSpace {
  const s = new Ipv4FreeSpace(cidr);
  for (let n = cidr.base; n < cidr.base + cidr.size; n++) s.take(n);
  s.release(cidr.base + 1);
  return s;
}

function nsPerAllocation(space: Ipv4FreeSpace, iterations: number): number {
  const rng = seededRng(7);
  let sink = 0;
  for (let i = 0; i < 20_000; i++) sink += allocateIpv4(space, { count: 1 }, rng).length; // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) sink += allocateIpv4(space, { count: 1 }, rng).length;
  const ns = Number(process.hrtime.bigint() - start) / iterations;
  if (sink === 0) throw new Error('unreachable');
  return ns;
}

const cases: [string, Ipv4FreeSpace][] = [
  ['empty /16', spaceFilled(0)],
  ['50% full', spaceFilled(0.5)],
  ['90% full', spaceFilled(0.9)],
  ['99% full', spaceFilled(0.99)],
  ['99.9% full', spaceFilled(0.999)],
  ['all but one free', spaceAllButOne()],
];

const iterations = 200_000;
// Best of three rounds per case, rounds interleaved, to damp JIT and GC noise.
const best = new Map<string, number>();
for (let round = 0; round < 3; round++) {
  for (const [name, space] of cases) {
    const ns = nsPerAllocation(space, iterations);
    best.set(name, Math.min(best.get(name) ?? Infinity, ns));
  }
}
const baseline = best.get('empty /16')!;
console.log(`IPv4 { count: 1 } on a /16, ${iterations} allocations per round, best of 3`);
for (const [name, space] of cases) {
  const ns = best.get(name)!;
  console.log(
    `${name.padEnd(18)} free=${String(space.freeCount()).padStart(5)}  ${ns.toFixed(0).padStart(6)} ns/alloc  ratio ${(ns / baseline).toFixed(2)}x`,
  );
}
const ratio = best.get('99% full')! / baseline;
console.log(`99% full vs empty: ${ratio.toFixed(2)}x (target <= 2x) ${ratio <= 2 ? 'OK' : 'OVER TARGET'}`);
