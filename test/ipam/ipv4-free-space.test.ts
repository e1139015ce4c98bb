import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatIpv4, Ipv4FreeSpace, isReservedIpv4, parseIpv4, parseIpv4Cidr, type Ipv4Cidr } from '../../src/ipam/index.ts';
import { DenseBitmap, OverlayBitmap } from '../../src/ipam/two-level-bitmap.ts';
import { assertDomainError } from './helpers.ts';

const ip = parseIpv4;

/** The naive model: a set of free addresses and a linear wrap-around search. */
class FreeSetModel {
  readonly free = new Set<number>();
  constructor(readonly cidr: Ipv4Cidr) {
    for (let n = cidr.base; n < cidr.base + cidr.size; n++) if (!isReservedIpv4(cidr, n)) this.free.add(n);
  }
  nextFreeAtOrAfter(n: number): number | undefined {
    const { base, size } = this.cidr;
    const start = n >= base && n < base + size ? n - base : 0;
    for (let k = 0; k < size; k++) {
      const candidate = base + ((start + k) % size);
      if (this.free.has(candidate)) return candidate;
    }
    return undefined;
  }
}

describe('Ipv4FreeSpace', () => {
  it('starts with every usable address free (/29: .1-.4)', () => {
    const s = new Ipv4FreeSpace(parseIpv4Cidr('10.0.0.0/29'));
    assert.equal(s.freeCount(), 4);
    const free = [];
    for (let n = ip('9.255.255.250'); n < ip('10.0.0.20'); n++) if (s.isFree(n)) free.push(formatIpv4(n));
    assert.deepEqual(free, ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4']);
  });

  it('a /16 has 65532 free addresses', () => {
    const s = new Ipv4FreeSpace(parseIpv4Cidr('10.7.0.0/16'));
    assert.equal(s.freeCount(), 65532);
    assert.ok(!s.isFree(ip('10.7.0.0')));
    assert.ok(s.isFree(ip('10.7.0.1')));
    assert.ok(s.isFree(ip('10.7.255.252')));
    assert.ok(!s.isFree(ip('10.7.255.253')));
  });

  it('marks taken addresses from the constructor, ignoring reserved ones', () => {
    const c = parseIpv4Cidr('192.168.1.0/24');
    const s = new Ipv4FreeSpace(c, [ip('192.168.1.10'), ip('192.168.1.10'), ip('192.168.1.0'), ip('192.168.1.253')]);
    assert.equal(s.freeCount(), 251);
    assert.ok(!s.isFree(ip('192.168.1.10')));
    assert.equal(s.cidr, c);
  });

  it('refuses a taken address outside the CIDR with AddressInvalidForVSwitch {address, cidr}', () => {
    const c = parseIpv4Cidr('192.168.1.0/24');
    assertDomainError(() => new Ipv4FreeSpace(c, [ip('192.168.2.1')]), 'AddressInvalidForVSwitch', {
      address: '192.168.2.1',
      cidr: '192.168.1.0/24',
    });
    const s = new Ipv4FreeSpace(c);
    assertDomainError(() => s.take(ip('10.0.0.1')), 'AddressInvalidForVSwitch', { address: '10.0.0.1' });
    assertDomainError(() => s.release(ip('10.0.0.1')), 'AddressInvalidForVSwitch', { address: '10.0.0.1' });
    assertDomainError(() => s.take(-1), 'AddressInvalidForVSwitch', { address: '-1' });
  });

  it('refuses a CIDR it cannot index', () => {
    assertDomainError(() => new Ipv4FreeSpace({ base: 1, prefixLength: 24, size: 256 }), 'CidrInvalid');
    assertDomainError(() => new Ipv4FreeSpace({ base: 0, prefixLength: 4, size: 2 ** 28 }), 'CidrInvalid');
    assertDomainError(() => new Ipv4FreeSpace({ base: 0, prefixLength: 24, size: 100 }), 'CidrInvalid');
  });

  it('take and release are idempotent; reserved addresses never become free', () => {
    const s = new Ipv4FreeSpace(parseIpv4Cidr('10.0.0.0/29'));
    s.take(ip('10.0.0.2'));
    s.take(ip('10.0.0.2'));
    assert.equal(s.freeCount(), 3);
    s.release(ip('10.0.0.2'));
    s.release(ip('10.0.0.2'));
    assert.equal(s.freeCount(), 4);
    for (const r of ['10.0.0.0', '10.0.0.5', '10.0.0.6', '10.0.0.7']) {
      s.release(ip(r));
      assert.ok(!s.isFree(ip(r)), r);
      s.take(ip(r));
    }
    assert.equal(s.freeCount(), 4);
  });

  it('nextFreeAtOrAfter finds, wraps, and reports full', () => {
    const s = new Ipv4FreeSpace(parseIpv4Cidr('10.0.0.0/29'), [ip('10.0.0.3')]);
    const next = (a: string) => {
      const n = s.nextFreeAtOrAfter(ip(a));
      return n === undefined ? undefined : formatIpv4(n);
    };
    assert.equal(next('10.0.0.0'), '10.0.0.1');
    assert.equal(next('10.0.0.2'), '10.0.0.2');
    assert.equal(next('10.0.0.3'), '10.0.0.4');
    assert.equal(next('10.0.0.5'), '10.0.0.1', 'wraps past the reserved tail');
    assert.equal(next('10.0.0.7'), '10.0.0.1');
    assert.equal(next('192.0.2.1'), '10.0.0.1', 'outside the CIDR starts at its first address');
    for (const n of ['10.0.0.1', '10.0.0.2', '10.0.0.4']) s.take(ip(n));
    assert.equal(s.freeCount(), 0);
    assert.equal(next('10.0.0.1'), undefined);
  });

  it('nextFreeAtOrAfter crosses words and summary words in a /16', () => {
    const c = parseIpv4Cidr('10.0.0.0/16');
    const s = new Ipv4FreeSpace(c);
    for (let n = c.base; n < c.base + c.size; n++) s.take(n);
    assert.equal(s.freeCount(), 0);
    assert.equal(s.nextFreeAtOrAfter(ip('10.0.128.0')), undefined);
    s.release(ip('10.0.0.77'));
    s.release(ip('10.0.200.9'));
    assert.equal(formatIpv4(s.nextFreeAtOrAfter(ip('10.0.0.78'))!), '10.0.200.9');
    assert.equal(formatIpv4(s.nextFreeAtOrAfter(ip('10.0.200.10'))!), '10.0.0.77', 'wraps');
    assert.equal(formatIpv4(s.nextFreeAtOrAfter(ip('10.0.0.77'))!), '10.0.0.77');
    assert.equal(formatIpv4(s.nextFreeAtOrAfter(ip('10.0.0.5'))!), '10.0.0.77', 'same word, later bit');
  });

  it('agrees with a naive model on random take/release sequences (property)', () => {
    const op = fc.tuple(fc.constantFrom('take', 'release', 'next'), fc.integer({ min: -3, max: 2 ** 13 + 3 }));
    fc.assert(
      fc.property(fc.integer({ min: 19, max: 29 }), fc.array(op, { maxLength: 300 }), (p, ops) => {
        const c = parseIpv4Cidr(`10.0.0.0/${p}`);
        const s = new Ipv4FreeSpace(c);
        const model = new FreeSetModel(c);
        for (const [kind, k] of ops) {
          // mostly inside the CIDR, sometimes just outside it
          const n = c.base + (k % (c.size + 4)) - 2;
          if (kind === 'next') {
            assert.equal(s.nextFreeAtOrAfter(n), model.nextFreeAtOrAfter(n));
            continue;
          }
          if (n < c.base || n >= c.base + c.size) continue;
          if (kind === 'take') {
            s.take(n);
            model.free.delete(n);
          } else {
            s.release(n);
            if (!isReservedIpv4(c, n)) model.free.add(n);
          }
          assert.equal(s.freeCount(), model.free.size);
          assert.equal(s.isFree(n), model.free.has(n));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('agrees with the model near full, where the search has the most to skip (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 16, max: 24 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (p, keep, starts) => {
          const c = parseIpv4Cidr(`10.0.0.0/${p}`);
          const kept = new Set(keep.map((k) => c.base + 1 + (k % (c.size - 4))));
          const taken = [];
          for (let n = c.base + 1; n < c.base + c.size - 3; n++) if (!kept.has(n)) taken.push(n);
          const s = new Ipv4FreeSpace(c, taken);
          const model = new FreeSetModel(c);
          for (const n of taken) model.free.delete(n);
          assert.equal(s.freeCount(), kept.size);
          for (const k of [...starts, ...keep]) {
            const n = c.base + (k % c.size);
            assert.equal(s.nextFreeAtOrAfter(n), model.nextFreeAtOrAfter(n));
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('Ipv4FreeSpace.draft', () => {
  it('takes on the draft without touching the index', () => {
    const s = new Ipv4FreeSpace(parseIpv4Cidr('10.0.0.0/29'));
    const d = s.draft();
    d.take(ip('10.0.0.1'));
    d.take(ip('10.0.0.1'));
    d.take(ip('10.0.0.0'));
    assert.equal(d.freeCount(), 3);
    assert.ok(!d.isFree(ip('10.0.0.1')));
    assert.equal(formatIpv4(d.nextFreeAtOrAfter(ip('10.0.0.1'))!), '10.0.0.2');
    assert.equal(s.freeCount(), 4);
    assert.ok(s.isFree(ip('10.0.0.1')));
    assertDomainError(() => d.take(ip('10.0.1.1')), 'AddressInvalidForVSwitch');
  });

  it('agrees with a model of base-then-overlay takes (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 20, max: 29 }),
        fc.array(fc.nat(), { maxLength: 400 }),
        fc.array(fc.nat(), { maxLength: 400 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (p, baseTakes, draftTakes, starts) => {
          const c = parseIpv4Cidr(`10.0.0.0/${p}`);
          const s = new Ipv4FreeSpace(
            c,
            baseTakes.map((k) => c.base + (k % c.size)),
          );
          const model = new FreeSetModel(c);
          for (const k of baseTakes) model.free.delete(c.base + (k % c.size));
          const before = s.freeCount();
          const d = s.draft();
          for (const k of draftTakes) {
            d.take(c.base + (k % c.size));
            model.free.delete(c.base + (k % c.size));
          }
          assert.equal(d.freeCount(), model.free.size);
          for (const k of starts) {
            const n = c.base + (k % c.size);
            assert.equal(d.nextFreeAtOrAfter(n), model.nextFreeAtOrAfter(n));
            assert.equal(d.isFree(n), model.free.has(n));
          }
          assert.equal(s.freeCount(), before);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('two-level bitmap', () => {
  it('handles sizes that are not multiples of 32 or 1024 (property)', () => {
    const op = fc.tuple(fc.constantFrom('set', 'clear', 'next', 'overlay'), fc.nat());
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.array(op, { maxLength: 200 }), (bitCount, ops) => {
        const b = new DenseBitmap(bitCount);
        const model = new Set<number>();
        const modelNext = (set: Set<number>, start: number) => {
          for (let k = 0; k < bitCount; k++) if (set.has((start + k) % bitCount)) return (start + k) % bitCount;
          return undefined;
        };
        for (const [kind, k] of ops) {
          const i = k % bitCount;
          if (kind === 'set') {
            b.set(i);
            model.add(i);
          } else if (kind === 'clear') {
            b.clear(i);
            model.delete(i);
          } else if (kind === 'next') assert.equal(b.nextSetAtOrAfter(i), modelNext(model, i));
          else {
            const o = new OverlayBitmap(b);
            const overlayModel = new Set(model);
            for (const j of [i, (i * 7 + 3) % bitCount, (i + 1) % bitCount]) {
              o.clear(j);
              overlayModel.delete(j);
            }
            assert.equal(o.count(), overlayModel.size);
            assert.equal(o.nextSetAtOrAfter(i), modelNext(overlayModel, i));
          }
          assert.equal(b.count(), model.size);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('setRange sets exactly the range', () => {
    const b = new DenseBitmap(3000);
    b.set(5);
    b.setRange(3, 2999);
    assert.equal(b.count(), 2996);
    assert.ok(!b.has(2) && b.has(3) && b.has(2998) && !b.has(2999));
    assert.equal(b.nextSetAtOrAfter(2999), 3);
  });
});
