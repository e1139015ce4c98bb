// Cost of one automatic IPv4 prefix (/28) pick as a /16 fills up, against a
// same-run baseline (the empty /16). Target: the 99%-full case within 2x of
// empty, as for single addresses (bench/ipam-fill).
//   node --import tsx bench/prefix-fill.ts
// "Full" counts blocks: a fraction of the 4,096 aligned /28s is taken whole,
// at random, plus one address in each of another 10% (a block with one address
// taken is no use to a prefix, as on a vSwitch that mixes both). Each request is
// { count: 1 } and is not taken afterwards, so the fill level stays fixed.

import { allocateIpv4Prefixes, Ipv4FreeSpace, parseIpv4Cidr } from '../src/ipam/index.ts';
import { runFillBench, seededRng, shuffle } from './lib/fill-driver.ts';

const cidr = parseIpv4Cidr('10.0.0.0/16');
const blocks = cidr.size / 16;

/** A /16 with `fraction` of its usable blocks taken whole and 10% of the others holding one address. */
function spaceFilled(fraction: number): Ipv4FreeSpace {
  const rng = seededRng(42);
  // Blocks 0 and the last hold reserved addresses: never free for a prefix.
  const order = shuffle(
    Array.from({ length: blocks - 2 }, (_, i) => i + 1),
    rng,
  );
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

runFillBench({
  title: (iterations) => `IPv4 prefix { count: 1 } on a /16 (${blocks} /28 blocks), ${iterations} picks per round, best of 3`,
  unit: 'pick',
  cases: [
    ['empty /16', spaceFilled(0)],
    ['50% full', spaceFilled(0.5)],
    ['90% full', spaceFilled(0.9)],
    ['99% full', spaceFilled(0.99)],
    ['all but one block', spaceAllButOne()],
  ],
  free: (space) => `free blocks=${String(space.freeBlockCount()).padStart(4)}`,
  pick: (space, rng) => allocateIpv4Prefixes(space, { count: 1 }, rng),
});
