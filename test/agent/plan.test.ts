// plan(desired, actual, owned): examples, then properties over random states
// (fast-check): it never removes what it does not own, removes nothing unless
// the desired state is complete, converges, and is idempotent.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { describeStep, plan, settleOwnership } from '../../src/agent/plan.ts';
import { desiredFromSnapshot } from '../../src/agent/desired.ts';
import {
  MAIN_TABLE,
  NO_OWNERSHIP,
  type Actual,
  type ActualLink,
  type Desired,
  type DesiredInterface,
  type Ownership,
  type Step,
} from '../../src/agent/model.ts';
import { applyToModel } from './kernel-model.ts';

const MAC0 = '00:16:3e:00:00:01';
const MAC1 = '00:16:3e:00:00:02';

function iface(mac: string, deviceIndex: number, v4: string[], v6: string[] = []): DesiredInterface {
  return {
    mac,
    networkInterfaceId: `eni-${deviceIndex}`,
    deviceIndex,
    primary: deviceIndex === 0,
    ipv4: { primary: v4[0]!, secondaries: v4.slice(1), prefixLength: 24, gateway: '198.18.1.253', cidr: '198.18.1.0/24' },
    ipv6: { addresses: v6, prefixLength: 64, gateway: v6.length ? '2001:db8:0:1::1' : null, cidr: v6.length ? '2001:db8:0:1::/64' : null },
  };
}
const complete = (...interfaces: DesiredInterface[]): Desired => ({ kind: 'complete', version: 'v', interfaces });
function link(ifname: string, mac: string, v4: string[], opts: { up?: boolean; v6?: string[] } = {}): ActualLink {
  return {
    ifname,
    mac,
    up: opts.up ?? true,
    addresses: [
      ...v4.map((address, i) => ({ family: 4 as const, address, prefixLength: 24, secondary: i > 0 })),
      ...(opts.v6 ?? []).map((address) => ({ family: 6 as const, address, prefixLength: 64, secondary: false })),
    ],
  };
}
const DEFAULT_V4 = { family: 4 as const, table: MAIN_TABLE, dst: 'default', gateway: '198.18.1.253', dev: 'eth0' };
const actualOf = (links: ActualLink[], extra: Partial<Actual> = {}): Actual => ({ links, rules: [], routes: [DEFAULT_V4], ...extra });
const ops = (steps: Step[]) => steps.map(describeStep);

describe('plan: examples', () => {
  test('addresses the guest added inside an assigned IP prefix are left alone, whatever the snapshot says', () => {
    // the snapshot as the metadata service sends it, with a prefix; the guest took .37 and .38 of it
    const d = desiredFromSnapshot({
      version: 'v',
      instanceId: 'i-1',
      interfaces: [
        {
          mac: MAC0,
          networkInterfaceId: 'eni-0',
          deviceIndex: 0,
          primary: true,
          primaryIpAddress: '198.18.1.10',
          privateIpv4s: ['198.18.1.10'],
          prefixLength: 24,
          netmask: '255.255.255.0',
          gateway: '198.18.1.253',
          vswitchId: 'vsw-1',
          vswitchCidrBlock: '198.18.1.0/24',
          vpcId: 'vpc-1',
          vpcCidrBlock: '198.18.0.0/16',
          ipv6s: [],
          ipv4Prefixes: ['198.18.1.32/28'],
          ipv6Prefixes: [],
          ipv6Gateway: null,
          vswitchIpv6CidrBlock: null,
          vpcIpv6CidrBlock: null,
        },
      ],
    });
    assert.equal(d.kind, 'complete');
    // persistent mode renders them as local routes; runtime mode plans nothing for them
    assert.deepEqual(d.kind === 'complete' && d.interfaces[0]!.prefixes, ['198.18.1.32/28']);
    const guest = link('eth0', MAC0, ['198.18.1.10', '198.18.1.37']);
    guest.addresses.push({ family: 4, address: '198.18.1.38', prefixLength: 32, secondary: false });
    const p = plan(d, actualOf([guest]), NO_OWNERSHIP);
    assert.deepEqual(p.steps, []);
    // once the prefix is unassigned too: still not the agent's to remove
    const after = plan(complete(iface(MAC0, 0, ['198.18.1.10'])), actualOf([guest]), NO_OWNERSHIP);
    assert.deepEqual(after.steps, []);
  });

  test('adds the missing secondaries to the link with the MAC, nothing else', () => {
    const p = plan(
      complete(iface(MAC0, 0, ['198.18.1.10', '198.18.1.11', '198.18.1.12'])),
      actualOf([link('eth0', MAC0, ['198.18.1.10'])]),
      NO_OWNERSHIP,
    );
    assert.deepEqual(ops(p.steps), ['ip -4 addr add 198.18.1.11/24 brd + dev eth0', 'ip -4 addr add 198.18.1.12/24 brd + dev eth0']);
    assert.deepEqual(
      p.owned.addresses.map((a) => a.address),
      ['198.18.1.11', '198.18.1.12'],
    );
    assert.equal(p.removalsSuppressed, false);
  });

  test('the primary address configured by DHCP is not claimed', () => {
    const p = plan(complete(iface(MAC0, 0, ['198.18.1.10'])), actualOf([link('eth0', MAC0, ['198.18.1.10'])]), NO_OWNERSHIP);
    assert.deepEqual(p.steps, []);
    assert.deepEqual(p.owned.addresses, []);
  });

  test('a link that arrived DOWN (an ENI moved in) is brought up and fully configured, with policy routing', () => {
    const d = complete(iface(MAC0, 0, ['198.18.1.10']), iface(MAC1, 1, ['198.18.1.20', '198.18.1.21']));
    const p = plan(d, actualOf([link('eth0', MAC0, ['198.18.1.10']), link('eth1', MAC1, [], { up: false })]), NO_OWNERSHIP);
    assert.deepEqual(ops(p.steps), [
      'ip link set dev eth1 up',
      'ip -4 addr add 198.18.1.20/24 brd + dev eth1',
      'ip -4 addr add 198.18.1.21/24 brd + dev eth1',
      'ip -4 route replace 198.18.1.0/24 dev eth1 table 1001',
      'ip -4 route replace default via 198.18.1.253 dev eth1 table 1001',
      'ip -4 rule add from 198.18.1.20/32 lookup 1001 priority 1001',
      'ip -4 rule add from 198.18.1.21/32 lookup 1001 priority 1001',
    ]);
  });

  test('an unknown MAC is reported missing; local links the metadata does not name are left alone', () => {
    const p = plan(complete(iface(MAC1, 1, ['198.18.1.20'])), actualOf([link('eth0', MAC0, ['198.18.1.10', '198.18.1.99'])]), NO_OWNERSHIP);
    assert.deepEqual(p.steps, []);
    assert.deepEqual(p.missingLinks, [MAC1]);
  });

  test('an owned address no longer desired is removed; a foreign one never is', () => {
    const owned: Ownership = { addresses: [{ mac: MAC0, family: 4, address: '198.18.1.11', prefixLength: 24 }], rules: [], routes: [] };
    const actual = actualOf([link('eth0', MAC0, ['198.18.1.10', '198.18.1.11', '198.18.1.99'])]);
    const p = plan(complete(iface(MAC0, 0, ['198.18.1.10'])), actual, owned);
    assert.deepEqual(ops(p.steps), ['ip -4 addr del 198.18.1.11/24 dev eth0']);
    assert.deepEqual(p.owned.addresses, []);
  });

  test('partial or unavailable metadata removes nothing', () => {
    const owned: Ownership = { addresses: [{ mac: MAC0, family: 4, address: '198.18.1.11', prefixLength: 24 }], rules: [], routes: [] };
    const actual = actualOf([link('eth0', MAC0, ['198.18.1.10', '198.18.1.11'])]);
    const partial: Desired = {
      kind: 'partial',
      version: 'v',
      interfaces: [iface(MAC0, 0, ['198.18.1.10', '198.18.1.12'])],
      problems: ['x'],
    };
    const p = plan(partial, actual, owned);
    assert.deepEqual(ops(p.steps), ['ip -4 addr add 198.18.1.12/24 brd + dev eth0']);
    assert.equal(p.removalsSuppressed, true);
    assert.equal(p.owned.addresses.length, 2, 'still owns .11');
    const u = plan({ kind: 'unavailable', reason: 'timeout' }, actual, owned);
    assert.deepEqual(u.steps, []);
    assert.deepEqual(u.owned, owned);
  });

  test('deleting an owned kernel-primary address that foreign secondaries share a subnet with turns promote_secondaries on first', () => {
    const owned: Ownership = { addresses: [{ mac: MAC1, family: 4, address: '198.18.1.20', prefixLength: 24 }], rules: [], routes: [] };
    const actual = actualOf([link('eth0', MAC0, ['198.18.1.10']), link('eth1', MAC1, ['198.18.1.20', '198.18.1.77'])]);
    const p = plan(complete(iface(MAC0, 0, ['198.18.1.10'])), actual, owned);
    assert.deepEqual(ops(p.steps), ['sysctl -w net.ipv4.conf.eth1.promote_secondaries=1', 'ip -4 addr del 198.18.1.20/24 dev eth1']);
    const after = applyToModel(actual, p.steps).actual;
    assert.ok(
      after.links[1]!.addresses.some((a) => a.address === '198.18.1.77'),
      'the foreign secondary survived',
    );
  });

  test('the primary ENI gets a main-table default only when there is none', () => {
    const d = complete(iface(MAC0, 0, ['198.18.1.10'], ['2001:db8:0:1::10']));
    const none = plan(d, { links: [link('eth0', MAC0, ['198.18.1.10'])], rules: [], routes: [] }, NO_OWNERSHIP);
    assert.deepEqual(ops(none.steps), [
      'ip -6 addr add 2001:db8:0:1::10/64 dev eth0',
      'ip -4 route replace default via 198.18.1.253 dev eth0 table 254',
      'ip -6 route replace default via 2001:db8:0:1::1 dev eth0 table 254',
    ]);
    const foreign = plan(
      d,
      actualOf([link('eth0', MAC0, ['198.18.1.10'], { v6: ['2001:db8:0:1::10'] })], {
        routes: [
          { ...DEFAULT_V4, gateway: '198.18.1.1' },
          { family: 6, table: MAIN_TABLE, dst: 'default', gateway: 'fe80::1', dev: 'eth0' },
        ],
      }),
      NO_OWNERSHIP,
    );
    assert.deepEqual(foreign.steps, []);
  });

  test('a failed add is not owned; a failed removal still is', () => {
    const owned: Ownership = { addresses: [{ mac: MAC0, family: 4, address: '198.18.1.11', prefixLength: 24 }], rules: [], routes: [] };
    const p = plan(
      complete(iface(MAC0, 0, ['198.18.1.10', '198.18.1.12'])),
      actualOf([link('eth0', MAC0, ['198.18.1.10', '198.18.1.11'])]),
      owned,
    );
    const settled = settleOwnership(p, new Set(p.steps));
    assert.deepEqual(
      settled.addresses.map((a) => a.address),
      ['198.18.1.11'],
    );
  });

  test('snapshot → desired: a malformed interface makes it partial, a non-snapshot unavailable', () => {
    const good = {
      mac: MAC0,
      networkInterfaceId: 'eni-1',
      deviceIndex: 0,
      primary: true,
      primaryIpAddress: '198.18.1.10',
      privateIpv4s: ['198.18.1.10', '198.18.1.11'],
      prefixLength: 24,
      netmask: '255.255.255.0',
      gateway: '198.18.1.253',
      vswitchId: 'vsw',
      vswitchCidrBlock: '198.18.1.0/24',
      vpcId: 'vpc',
      vpcCidrBlock: '198.18.0.0/16',
      ipv6s: ['2001:DB8:0:1::0010'],
      ipv6Gateway: '2001:db8:0:1::1',
      vswitchIpv6CidrBlock: '2001:db8:0:1::/64',
      vpcIpv6CidrBlock: '2001:db8::/56',
    };
    const d = desiredFromSnapshot({ version: 'v1', instanceId: 'i-1', interfaces: [good] });
    assert.equal(d.kind, 'complete');
    assert.deepEqual(d.kind === 'complete' && d.interfaces[0]!.ipv6.addresses, ['2001:db8:0:1::10']);
    const bad = desiredFromSnapshot({
      version: 'v1',
      instanceId: 'i-1',
      interfaces: [good, { ...good, mac: MAC1, privateIpv4s: ['10.0.0.1'] }],
    });
    assert.equal(bad.kind, 'partial');
    assert.equal(bad.kind === 'partial' && bad.interfaces.length, 1);
    assert.equal(desiredFromSnapshot({ error: 'x' }).kind, 'unavailable');
    assert.equal(desiredFromSnapshot(null).kind, 'unavailable');
  });
});

// ---- properties --------------------------------------------------------------

const MACS = ['00:16:3e:00:00:01', '00:16:3e:00:00:02', '00:16:3e:00:00:03'];
const v4 = fc.integer({ min: 2, max: 40 }).map((n) => `198.18.1.${n}`);
const v6 = fc.integer({ min: 2, max: 12 }).map((n) => `2001:db8:0:1::${n.toString(16)}`);

const desiredArb: fc.Arbitrary<Desired> = fc
  .tuple(
    fc.subarray(MACS, { minLength: 0 }),
    fc.array(fc.uniqueArray(v4, { minLength: 1, maxLength: 5 }), { minLength: 3, maxLength: 3 }),
    fc.array(fc.uniqueArray(v6, { maxLength: 3 }), { minLength: 3, maxLength: 3 }),
    fc.constantFrom<'complete' | 'partial' | 'unavailable'>('complete', 'complete', 'partial', 'unavailable'),
  )
  .map(([macs, v4s, v6s, kind]) => {
    // an address is on one ENI at a time
    const seen = new Set<string>();
    const interfaces = macs
      .map((mac, i) => {
        const mine = v4s[i]!.filter((a) => !seen.has(a));
        mine.forEach((a) => seen.add(a));
        const six = v6s[i]!.filter((a) => !seen.has(a));
        six.forEach((a) => seen.add(a));
        return mine.length > 0 ? iface(mac, MACS.indexOf(mac), mine, six) : undefined;
      })
      .filter((x): x is DesiredInterface => x !== undefined);
    if (kind === 'unavailable') return { kind, reason: 'down' };
    return kind === 'partial' ? { kind, version: 'v', interfaces, problems: ['p'] } : { kind, version: 'v', interfaces };
  });

const ruleArb = fc
  .tuple(v4, fc.integer({ min: 1, max: 3 }))
  .map(([src, i]) => ({ family: 4 as const, src, srcLen: 32, table: 1000 + i, priority: 1000 + i }));
const routeArb = fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 3 }), fc.boolean()).map(([l, i, def]) => ({
  family: 4 as const,
  table: 1000 + i,
  dst: def ? 'default' : '198.18.1.0/24',
  ...(def ? { gateway: '198.18.1.253' } : {}),
  dev: `eth${l}`,
}));

const actualArb: fc.Arbitrary<Actual> = fc
  .tuple(
    fc.subarray(MACS, { minLength: 0 }),
    fc.array(fc.uniqueArray(v4, { maxLength: 5 }), { minLength: 3, maxLength: 3 }),
    fc.array(fc.uniqueArray(v6, { maxLength: 2 }), { minLength: 3, maxLength: 3 }),
    fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
    fc.uniqueArray(ruleArb, { maxLength: 4, selector: (r) => `${r.src}|${r.table}` }),
    fc.uniqueArray(routeArb, { maxLength: 4, selector: (r) => `${r.table}|${r.dst}` }),
  )
  .map(([macs, v4s, v6s, ups, rules, routes]) => {
    const links = macs.map((mac) => {
      const i = MACS.indexOf(mac);
      return link(`eth${i}`, mac, v4s[i]!, { up: ups[i]!, v6: v6s[i]! });
    });
    return { links, rules, routes: routes.filter((r) => links.some((l) => l.ifname === r.dev)) };
  });

/** owned: a random part of what is there, plus things that are no longer there */
const scenarioArb = fc
  .tuple(desiredArb, actualArb, fc.array(fc.boolean(), { maxLength: 60 }), fc.uniqueArray(v4, { maxLength: 3 }))
  .map(([desired, actual, picks, ghosts]) => {
    const all = actual.links.flatMap((l) =>
      l.addresses.map((a) => ({ mac: l.mac, family: a.family, address: a.address, prefixLength: a.prefixLength })),
    );
    let n = 0;
    const pick = () => picks[n++ % Math.max(1, picks.length)] === true;
    const owned: Ownership = {
      addresses: [...all.filter(() => pick()), ...ghosts.map((g) => ({ mac: MACS[0]!, family: 4 as const, address: g, prefixLength: 24 }))],
      rules: actual.rules.filter(() => pick()).map(({ srcLen: _, ...r }) => r),
      routes: actual.routes.filter(() => pick()).map(({ dev, ...r }) => ({ ...r, mac: actual.links.find((l) => l.ifname === dev)!.mac })),
    };
    return { desired, actual, owned };
  });

const key = (mac: string, a: { family: number; address: string }) => `${mac}|${a.family}|${a.address}`;

describe('plan: properties', () => {
  test('never removes an address, rule or route it does not own', () => {
    fc.assert(
      fc.property(scenarioArb, ({ desired, actual, owned }) => {
        const ownedKeys = new Set(owned.addresses.map((a) => key(a.mac, a)));
        for (const s of plan(desired, actual, owned).steps) {
          if (s.op === 'addr-del') assert.ok(ownedKeys.has(key(s.mac, s)), describeStep(s));
          if (s.op === 'rule-del')
            assert.ok(
              owned.rules.some((r) => r.src === s.src && r.table === s.table && r.priority === s.priority),
              describeStep(s),
            );
          if (s.op === 'route-del')
            assert.ok(
              owned.routes.some((r) => r.mac === s.mac && r.table === s.table && r.dst === s.dst && r.gateway === s.gateway),
              describeStep(s),
            );
        }
      }),
      { numRuns: 500 },
    );
  });

  test('removes nothing unless the desired state is complete', () => {
    fc.assert(
      fc.property(scenarioArb, ({ desired, actual, owned }) => {
        const p = plan(desired, actual, owned);
        if (desired.kind !== 'complete') {
          assert.ok(
            p.steps.every((s) => !s.op.endsWith('-del')),
            ops(p.steps).join('\n'),
          );
          assert.equal(p.removalsSuppressed, true);
        }
        if (desired.kind === 'unavailable') assert.deepEqual(p.steps, []);
      }),
      { numRuns: 500 },
    );
  });

  test('after applying: every desired address is on its link, owned undesired ones are gone, foreign ones stay', () => {
    fc.assert(
      fc.property(scenarioArb, ({ desired, actual, owned }) => {
        const p = plan(desired, actual, owned);
        const { actual: after } = applyToModel(actual, p.steps);
        const interfaces = desired.kind === 'unavailable' ? [] : desired.interfaces;
        const desiredKeys = new Set(
          interfaces.flatMap((d) => [d.ipv4.primary, ...d.ipv4.secondaries, ...d.ipv6.addresses].map((a) => `${d.mac}|${a}`)),
        );
        const ownedKeys = new Set(owned.addresses.map((a) => `${a.mac}|${a.address}`));
        for (const d of interfaces) {
          const l = after.links.find((x) => x.mac === d.mac);
          if (!l) continue;
          assert.ok(l.up);
          for (const a of [d.ipv4.primary, ...d.ipv4.secondaries, ...d.ipv6.addresses])
            assert.ok(
              l.addresses.some((x) => x.address === a),
              `${a} on ${l.ifname}`,
            );
        }
        for (const l of actual.links) {
          for (const a of l.addresses) {
            const k = `${l.mac}|${a.address}`;
            const present = after.links.find((x) => x.mac === l.mac)!.addresses.some((x) => x.address === a.address);
            if (!ownedKeys.has(k)) assert.ok(present, `foreign ${k} survived`);
            else if (desired.kind === 'complete' && !desiredKeys.has(k)) assert.ok(!present, `owned ${k} removed`);
            else assert.ok(present, `owned ${k} kept (still desired, or removals suppressed)`);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  test('idempotent: planning again after applying changes nothing', () => {
    fc.assert(
      fc.property(scenarioArb, ({ desired, actual, owned }) => {
        const p = plan(desired, actual, owned);
        const { actual: after, failed } = applyToModel(actual, p.steps);
        const again = plan(desired, after, settleOwnership(p, failed));
        assert.deepEqual(ops(again.steps), []);
      }),
      { numRuns: 500 },
    );
  });

  test('policy routing: rules and tables for every address of a secondary ENI, all removed again once it leaves', () => {
    fc.assert(
      fc.property(fc.uniqueArray(v4, { minLength: 1, maxLength: 5 }), fc.uniqueArray(v6, { maxLength: 3 }), (four, six) => {
        const d = complete(iface(MAC0, 0, ['198.18.1.100']), iface(MAC1, 2, four, six));
        const actual: Actual = {
          links: [link('eth0', MAC0, ['198.18.1.100']), link('eth1', MAC1, [], { up: false })],
          rules: [],
          routes: [DEFAULT_V4],
        };
        const p = plan(d, actual, NO_OWNERSHIP);
        const applied = applyToModel(actual, p.steps);
        assert.equal(applied.actual.rules.length, four.length + six.length);
        assert.ok(applied.actual.rules.every((r) => r.table === 1002 && r.priority === 1002));
        const owned = settleOwnership(p, applied.failed);
        const gone = plan(complete(iface(MAC0, 0, ['198.18.1.100'])), applied.actual, owned);
        const cleaned = applyToModel(applied.actual, gone.steps).actual;
        assert.deepEqual(cleaned.rules, []);
        assert.deepEqual(cleaned.routes, [DEFAULT_V4]);
        assert.deepEqual(cleaned.links[1]!.addresses, []);
      }),
      { numRuns: 200 },
    );
  });
});
