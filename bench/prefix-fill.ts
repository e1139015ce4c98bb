// Cost of one automatic IPv4 prefix (/28) pick as a /16 fills up, against a
// same-run baseline (the empty /16). Target: the 99%-full case within 2x of
// empty, as for single addresses (bench/ipam-fill).
//   node --import tsx bench/prefix-fill.ts
// "Full" counts blocks: a fraction of the 4,096 aligned /28s is taken whole,
// at random, plus one address in each of another 10% (a block with one address
// taken is no use to a prefix, as on a vSwitch that mixes both). Each request is
// { count: 1 } and is not taken afterwards, so the fill level stays fixed.

import { allocateIpv4Prefixes, Ipv4FreeSpace, parseIpv4Cidr } from '../src/ipam/index.ts';
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
const blocks = cidr.size / 16;

/** A /16 with `fraction` of its usable blocks taken whole and 10% of the others holding one address. */
function spaceFilled(fraction: number): Ipv4FreeSpace {
  const rng = seededRng(42);
  // Blocks 0 and the last hold reserved addresses: never free for a prefix.
  const order = Array.from({ length: blocks - 2 }, (_, i) => i + 1);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const space = new Ipv4FreeSpace(cidr);
  const whole = Math.round(order.length * fraction);
  for (const b of order.slice(0, whole)) space.takeBlock(cidr.base + b * 16);
  const rest = order.slice(whole);
  for (const b of rest.slice(0, Math.floor(rest.length / 10))) space.take(cidr.base + b * 16 + rng(16));
  return space;
}

/** Every block taken but one: the longest walk of the block bitmap's summary. */
function spaceAllButOne(): Ipv4FreeSpace {
  const s = new Ipv4FreeSpace(cidr);
  for (let b = 1; b < blocks - 1; b++) if (b !== 2) s.takeBlock(cidr.base + b * 16);
  return s;
}

function nsPerPick(space: Ipv4FreeSpace, iterations: number): number {
  const rng = seededRng(7);
  let sink = 0;
  for (let i = 0; i < 20_000; i++) sink += allocateIpv4Prefixes(space, { count: 1 }, rng).length; // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) sink += allocateIpv4Prefixes(space, { count: 1 }, rng).length;
  const ns = Number(process.hrtime.bigint() - start) / iterations;
  if (sink === 0) throw new Error('unreachable');
  return ns;
}

const cases: [string, Ipv4FreeSpace][] = [
  ['empty /16', spaceFilled(0)],
  ['50% full', spaceFilled(0.5)],
  ['90% full', spaceFilled(0.9)],
  ['99% full', spaceFilled(0.99)],
  ['all but one block', spaceAllButOne()],
];

const iterations = 200_000;
// Best of three rounds per case, rounds interleaved, to damp JIT and GC noise.
const best = new Map<string, number>();
for (let round = 0; round < 3; round++) {
  for (const [name, space] of cases) {
    const ns = nsPerPick(space, iterations);
    best.set(name, Math.min(best.get(name) ?? Infinity, ns));
  }
}
const baseline = best.get('empty /16')!;
console.log(`IPv4 prefix { count: 1 } on a /16 (${blocks} /28 blocks), ${iterations} picks per round, best of 3`);
for (const [name, space] of cases) {
  const ns = best.get(name)!;
  console.log(
    `${name.padEnd(18)} free blocks=${String(space.freeBlockCount()).padStart(4)}  ${ns.toFixed(0).padStart(6)} ns/pick  ratio ${(ns / baseline).toFixed(2)}x`,
  );
}
const ratio = best.get('99% full')! / baseline;
console.log(`99% full vs empty: ${ratio.toFixed(2)}x (target <= 2x) ${ratio <= 2 ? 'OK' : 'OVER TARGET'}`);
