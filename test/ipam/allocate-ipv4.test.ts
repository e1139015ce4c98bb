import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  allocateIpv4,
  formatIpv4,
  Ipv4FreeSpace,
  ipv4InCidr,
  isReservedIpv4,
  parseIpv4,
  parseIpv4Cidr,
  usableIpv4Count,
  type Ipv4Request,
} from '../../src/ipam/index.ts';
import { assertDomainError, outcome, scriptedRng, seededRng } from './helpers.ts';

const ip = parseIpv4;
const space24 = (taken: string[] = []) => new Ipv4FreeSpace(parseIpv4Cidr('192.168.1.0/24'), taken.map(ip));

/** A snapshot of which addresses are free, to prove the index was not written. */
function freeSnapshot(s: Ipv4FreeSpace): string {
  const free = [];
  for (let n = s.cidr.base; n < s.cidr.base + s.cidr.size; n++) if (s.isFree(n)) free.push(n);
  return `${s.freeCount()}:${free.join(',')}`;
}

describe('allocateIpv4 {count}', () => {
  it('returns distinct free, usable addresses and leaves the index alone', () => {
    const s = space24(['192.168.1.10', '192.168.1.11']);
    const before = freeSnapshot(s);
    const got = allocateIpv4(s, { count: 10 }, seededRng(1));
    assert.equal(got.length, 10);
    assert.equal(new Set(got).size, 10);
    for (const a of got) {
      assert.ok(s.isFree(ip(a)), `${a} is free`);
      assert.equal(formatIpv4(ip(a)), a);
    }
    assert.equal(freeSnapshot(s), before);
  });

  it('starts at a uniformly drawn usable address and takes the next free one', () => {
    const s = space24(['192.168.1.1', '192.168.1.2']);
    // draw 0 → start .1 (taken, .2 taken) → .3; draw 251 → start .252 → .252; draw 251 again → .252 picked, wraps → .3 picked → .4
    const rng = scriptedRng([0, 251, 251]);
    assert.deepEqual(allocateIpv4(s, { count: 3 }, rng), ['192.168.1.3', '192.168.1.252', '192.168.1.4']);
    assert.deepEqual(rng.asked, [252, 252, 252], 'asks for one of the usable addresses');
  });

  it('/29: four addresses fit, a fifth does not', () => {
    const s = new Ipv4FreeSpace(parseIpv4Cidr('10.0.0.8/29'));
    assert.deepEqual(allocateIpv4(s, { count: 4 }, seededRng(3)).sort(), ['10.0.0.10', '10.0.0.11', '10.0.0.12', '10.0.0.9']);
    assertDomainError(() => allocateIpv4(s, { count: 5 }, seededRng(3)), 'VSwitchIpNotEnough', { requested: 5, available: 4 });
  });

  it('fewer free than requested → VSwitchIpNotEnough, nothing allocated, rng untouched', () => {
    const c = parseIpv4Cidr('10.0.0.0/28');
    const s = new Ipv4FreeSpace(c, [ip('10.0.0.1'), ip('10.0.0.2')]);
    const before = freeSnapshot(s);
    const rng = scriptedRng([]);
    assertDomainError(() => allocateIpv4(s, { count: 11 }, rng), 'VSwitchIpNotEnough', { requested: 11, available: 10 });
    assert.equal(freeSnapshot(s), before);
    assert.deepEqual(rng.asked, []);
    assert.equal(allocateIpv4(s, { count: 10 }, seededRng(9)).length, 10);
  });

  it('rejects a bad request shape with InvalidParameter', () => {
    const s = space24();
    const rng = seededRng(1);
    for (const count of [0, -1, 1.5, NaN, Infinity, '2' as unknown as number]) {
      assertDomainError(() => allocateIpv4(s, { count }, rng), 'InvalidParameter', { name: 'count' });
    }
    assertDomainError(() => allocateIpv4(s, { addresses: [] }, rng), 'InvalidParameter', { name: 'addresses' });
    assertDomainError(() => allocateIpv4(s, { addresses: 'x' as unknown as string[] }, rng), 'InvalidParameter', { name: 'addresses' });
    assertDomainError(() => allocateIpv4(s, { count: 1, addresses: ['192.168.1.5'] } as Ipv4Request, rng), 'InvalidParameter', {
      name: 'request',
    });
    assertDomainError(() => allocateIpv4(s, {} as Ipv4Request, rng), 'InvalidParameter', { name: 'request' });
  });

  it('treats an Rng that breaks its contract as a bug (RangeError)', () => {
    assert.throws(() => allocateIpv4(space24(), { count: 1 }, () => 252), RangeError);
    assert.throws(() => allocateIpv4(space24(), { count: 1 }, () => 0.5), RangeError);
  });

  it('never returns reserved, out-of-CIDR, taken or duplicate addresses (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 16, max: 29 }),
        fc.array(fc.nat(), { maxLength: 300 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer(),
        (p, takenKeys, count, seed) => {
          const c = parseIpv4Cidr(`10.0.0.0/${p}`);
          const taken = new Set(takenKeys.map((k) => c.base + (k % c.size)));
          const s = new Ipv4FreeSpace(c, taken);
          const got = outcome(() => allocateIpv4(s, { count }, seededRng(seed)));
          if (count > s.freeCount()) {
            assert.match(got, /^VSwitchIpNotEnough/);
            return;
          }
          const picked = allocateIpv4(s, { count }, seededRng(seed));
          assert.equal(picked.length, count);
          assert.equal(new Set(picked).size, count);
          for (const a of picked) {
            const n = ip(a);
            assert.ok(ipv4InCidr(c, n) && !isReservedIpv4(c, n) && !taken.has(n), a);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('fills any CIDR to its last free address, then one more → VSwitchIpNotEnough (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 22, max: 29 }), fc.integer(), (p, seed) => {
        const c = parseIpv4Cidr(`10.0.0.0/${p}`);
        const s = new Ipv4FreeSpace(c);
        const rng = seededRng(seed);
        const all = new Set<string>();
        while (s.freeCount() > 0) {
          const count = Math.min(1 + rng(8), s.freeCount());
          for (const a of allocateIpv4(s, { count }, rng)) {
            assert.ok(!all.has(a), `${a} handed out twice`);
            all.add(a);
            s.take(ip(a));
          }
        }
        assert.equal(all.size, usableIpv4Count(c));
        assertDomainError(() => allocateIpv4(s, { count: 1 }, rng), 'VSwitchIpNotEnough', { requested: 1, available: 0 });
      }),
      { numRuns: 40 },
    );
  });

  it('fills a /16 to its 65532nd address with the real allocator, then refuses one more', () => {
    const c = parseIpv4Cidr('172.16.0.0/16');
    const s = new Ipv4FreeSpace(c);
    const rng = seededRng(2024);
    const all = new Set<string>();
    while (s.freeCount() > 0) {
      const count = Math.min(1 + rng(10), s.freeCount());
      for (const a of allocateIpv4(s, { count }, rng)) {
        all.add(a);
        s.take(ip(a));
      }
    }
    assert.equal(all.size, 65532);
    for (const r of ['172.16.0.0', '172.16.255.253', '172.16.255.254', '172.16.255.255']) assert.ok(!all.has(r));
    assertDomainError(() => allocateIpv4(s, { count: 1 }, rng), 'VSwitchIpNotEnough');
    // One address back: the allocator finds it wherever the random start lands.
    s.release(ip('172.16.77.7'));
    for (let seed = 0; seed < 20; seed++) assert.deepEqual(allocateIpv4(s, { count: 1 }, seededRng(seed)), ['172.16.77.7']);
  });

  it('can hand out a whole /20 in one request', () => {
    const s = new Ipv4FreeSpace(parseIpv4Cidr('10.0.0.0/20'));
    const got = allocateIpv4(s, { count: 4092 }, seededRng(5));
    assert.equal(new Set(got).size, 4092);
  });

  it('spreads picks: first picks over many seeds cover many addresses, not the lowest free', () => {
    const s = space24();
    const firsts = new Set<string>();
    for (let seed = 0; seed < 200; seed++) firsts.add(allocateIpv4(s, { count: 1 }, seededRng(seed))[0]!);
    assert.ok(firsts.size > 100, `only ${firsts.size} distinct first picks`);
    // one long-running uniform source reaches every usable address
    const rng = seededRng(7);
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) seen.add(allocateIpv4(s, { count: 1 }, rng)[0]!);
    assert.equal(seen.size, 252);
  });

  it('spreads picks in a half-full /16 too', () => {
    const c = parseIpv4Cidr('10.0.0.0/16');
    // Half the addresses, scattered. (A long contiguous taken run would funnel
    // every start inside it onto the first free address after it: the known
    // bias of "random start + next free", accepted for its constant cost.)
    const coin = seededRng(99);
    const taken = [];
    for (let n = c.base + 1; n < c.base + c.size - 3; n++) if (coin(2) === 0) taken.push(n);
    const s = new Ipv4FreeSpace(c, taken);
    const picks = new Set<string>();
    for (let seed = 0; seed < 300; seed++) picks.add(allocateIpv4(s, { count: 1 }, seededRng(seed))[0]!);
    assert.ok(picks.size > 250, `${picks.size} distinct`);
  });
});

describe('allocateIpv4 {addresses}', () => {
  it('returns the addresses in request order', () => {
    const s = space24(['192.168.1.7']);
    assert.deepEqual(allocateIpv4(s, { addresses: ['192.168.1.200', '192.168.1.1', '192.168.1.252'] }, scriptedRng([])), [
      '192.168.1.200',
      '192.168.1.1',
      '192.168.1.252',
    ]);
  });

  it('accepts the edges of a /29 and a /16', () => {
    const s29 = new Ipv4FreeSpace(parseIpv4Cidr('10.0.0.8/29'));
    assert.deepEqual(allocateIpv4(s29, { addresses: ['10.0.0.9', '10.0.0.12'] }, seededRng(0)), ['10.0.0.9', '10.0.0.12']);
    for (const r of ['10.0.0.8', '10.0.0.13', '10.0.0.14', '10.0.0.15', '10.0.0.16', '10.0.0.7']) {
      assertDomainError(() => allocateIpv4(s29, { addresses: [r] }, seededRng(0)), 'AddressInvalidForVSwitch', {
        address: r,
        cidr: '10.0.0.8/29',
      });
    }
    const s16 = new Ipv4FreeSpace(parseIpv4Cidr('10.1.0.0/16'));
    assert.deepEqual(allocateIpv4(s16, { addresses: ['10.1.0.1', '10.1.255.252'] }, seededRng(0)), ['10.1.0.1', '10.1.255.252']);
    assertDomainError(() => allocateIpv4(s16, { addresses: ['10.1.255.253'] }, seededRng(0)), 'AddressInvalidForVSwitch');
  });

  it('throws each error with its facts', () => {
    const s = space24(['192.168.1.7']);
    const rng = seededRng(0);
    assertDomainError(() => allocateIpv4(s, { addresses: ['192.168.1.07'] }, rng), 'AddressMalformed', { address: '192.168.1.07' });
    assertDomainError(() => allocateIpv4(s, { addresses: ['192.168.2.7'] }, rng), 'AddressInvalidForVSwitch', {
      address: '192.168.2.7',
      cidr: '192.168.1.0/24',
    });
    assertDomainError(() => allocateIpv4(s, { addresses: ['192.168.1.0'] }, rng), 'AddressInvalidForVSwitch', { address: '192.168.1.0' });
    assertDomainError(() => allocateIpv4(s, { addresses: ['192.168.1.253'] }, rng), 'AddressInvalidForVSwitch', {
      address: '192.168.1.253',
    });
    assertDomainError(() => allocateIpv4(s, { addresses: ['192.168.1.8', '192.168.1.8'] }, rng), 'AddressRepeated', {
      address: '192.168.1.8',
    });
    assertDomainError(() => allocateIpv4(s, { addresses: ['192.168.1.8', '192.168.1.7'] }, rng), 'AddressInUse', {
      address: '192.168.1.7',
    });
  });

  it('validates in phases: malformed, then invalid, then repeated, then in use', () => {
    const s = space24(['192.168.1.7']);
    const run = (addresses: string[]) => outcome(() => allocateIpv4(s, { addresses }, seededRng(0)));
    assert.equal(run(['192.168.1.7', '192.168.1.8', '192.168.1.8', '10.0.0.1', 'x']), 'AddressMalformed {"address":"x"}');
    assert.equal(
      run(['192.168.1.7', '192.168.1.8', '192.168.1.8', '10.0.0.1', '192.168.1.255']),
      'AddressInvalidForVSwitch {"address":"10.0.0.1","cidr":"192.168.1.0/24"}',
    );
    assert.equal(
      run(['192.168.1.7', '192.168.1.9', '192.168.1.8', '192.168.1.8', '192.168.1.9']),
      'AddressRepeated {"address":"192.168.1.8"}',
    );
    assert.equal(run(['192.168.1.9', '192.168.1.7']), 'AddressInUse {"address":"192.168.1.7"}');
  });

  it('is deterministic and all-or-nothing (property)', () => {
    const candidates = [
      '192.168.1.1',
      '192.168.1.2',
      '192.168.1.3',
      '192.168.1.0',
      '192.168.1.254',
      '192.168.0.9',
      '1.2.3',
      '192.168.1.01',
    ];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...candidates), { minLength: 1, maxLength: 6 }),
        fc.subarray(['192.168.1.1', '192.168.1.2', '192.168.1.3']),
        (addresses, taken) => {
          const s = space24(taken);
          const before = freeSnapshot(s);
          const first = outcome(() => allocateIpv4(s, { addresses }, seededRng(0)));
          assert.equal(
            outcome(() => allocateIpv4(s, { addresses }, seededRng(1))),
            first,
          );
          assert.equal(freeSnapshot(s), before);
          // the expected error, by phase
          const malformed = addresses.find((a) => a === '1.2.3' || a === '192.168.1.01');
          const invalid = addresses.find((a) => ['192.168.1.0', '192.168.1.254', '192.168.0.9'].includes(a));
          const repeated = addresses.find((a, i) => addresses.indexOf(a) !== i);
          const inUse = addresses.find((a) => taken.includes(a));
          const expected = malformed
            ? `AddressMalformed {"address":"${malformed}"}`
            : invalid
              ? `AddressInvalidForVSwitch {"address":"${invalid}","cidr":"192.168.1.0/24"}`
              : repeated
                ? `AddressRepeated {"address":"${repeated}"}`
                : inUse
                  ? `AddressInUse {"address":"${inUse}"}`
                  : 'ok';
          assert.equal(first, expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
