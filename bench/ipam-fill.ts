// Cost of one automatic IPv4 allocation as a /16 fills up, against a same-run
// baseline (the empty /16). Target: the 99%-full case within 2x of empty.
//   node --import tsx bench/ipam-fill.ts
// Each request is { count: 1 } and is not taken afterwards, so the fill level
// stays fixed while timing.

import { allocateIpv4, Ipv4FreeSpace, parseIpv4Cidr } from '../src/ipam/index.ts';
import { runFillBench, seededRng, shuffle } from './lib/fill-driver.ts';

const cidr = parseIpv4Cidr('10.0.0.0/16');
const usable = cidr.size - 4;

/** A /16 with `fraction` of its usable addresses taken, chosen at random. */
function spaceFilled(fraction: number): Ipv4FreeSpace {
  const offsets = shuffle(
    Array.from({ length: usable }, (_, i) => i + 1),
    seededRng(42),
  );
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

runFillBench({
  title: (iterations) => `IPv4 { count: 1 } on a /16, ${iterations} allocations per round, best of 3`,
  unit: 'alloc',
  cases: [
    ['empty /16', spaceFilled(0)],
    ['50% full', spaceFilled(0.5)],
    ['90% full', spaceFilled(0.9)],
    ['99% full', spaceFilled(0.99)],
    ['99.9% full', spaceFilled(0.999)],
    ['all but one free', spaceAllButOne()],
  ],
  free: (space) => `free=${String(space.freeCount()).padStart(5)}`,
  pick: (space, rng) => allocateIpv4(space, { count: 1 }, rng),
});
