// The hand-written ENI list JSON (api/fast-json.ts) against the shape it stands for:
// JSON.stringify(enis.map(eniShape)), byte for byte, on ENIs with any text in any field.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { enisJson, RawJson, stringifyAnswer } from '../../src/api/fast-json.ts';
import { eniShape } from '../../src/api/shapes.ts';
import type { Eni, PrivateAddress } from '../../src/domain/model.ts';

// Any text: escapes, control characters, lone surrogates, astral characters, NUL.
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('', 'eni-bp1', '"', '\\', '\u0000', '\u2028', '\ud800', '\udc00x', '😀', '</script>'),
);
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
const count = maybe(fc.oneof(fc.integer({ min: -5, max: 100_000 }), fc.constantFrom(0, -0, 1.5, Number.NaN, Number.POSITIVE_INFINITY)));
const address: fc.Arbitrary<PrivateAddress> = fc.record({
  family: fc.constantFrom(4 as const, 6 as const),
  address: text,
  primary: fc.boolean(),
});

const eniArb: fc.Arbitrary<Eni> = fc.record({
  id: text,
  accountId: text,
  regionId: text,
  zoneId: text,
  vpcId: text,
  vSwitchId: text,
  resourceGroupId: text,
  name: text,
  description: text,
  type: fc.constantFrom('Primary', 'Secondary', 'Trunk', 'Member'),
  status: fc.constantFrom('Available', 'Attaching', 'InUse', 'Detaching', 'Deleting'),
  macAddress: text,
  instanceId: maybe(text),
  pendingInstanceId: maybe(text),
  transitionDueMs: maybe(fc.integer()),
  deviceIndex: count,
  trunkEniId: maybe(text),
  deleteOnRelease: fc.boolean(),
  traffic: fc.record({
    mode: fc.constantFrom('Standard', 'HighPerformance'),
    queueNumber: count,
    queuePairNumber: count,
    rxQueueSize: count,
    txQueueSize: count,
    tcpClosedAndTimeWaitTimeout: count,
    tcpEstablishedTimeout: count,
    udpTimeout: count,
    enableSriov: maybe(fc.boolean()),
    enableRss: maybe(fc.boolean()),
    enableExpress: maybe(fc.boolean()),
    virtualFunctionQuantity: count,
    virtualFunctionTotalQueueNumber: count,
  }),
  sourceDestCheck: fc.boolean(),
  networkCardIndex: count,
  securityGroupIds: fc.array(text, { maxLength: 3 }),
  addresses: fc.array(address, { maxLength: 6 }),
  ipv4Prefixes: fc.array(text, { maxLength: 2 }),
  ipv6Prefixes: fc.array(text, { maxLength: 2 }),
  tags: fc.array(fc.record({ key: text, value: text }), { maxLength: 3 }),
  createdAt: text,
}) as fc.Arbitrary<Eni>;

describe('enisJson', () => {
  it('is JSON.stringify(enis.map(eniShape)) for any ENIs', () => {
    fc.assert(
      fc.property(fc.array(eniArb, { maxLength: 4 }), (enis) => {
        assert.equal(enisJson(enis), JSON.stringify(enis.map(eniShape)));
      }),
      { numRuns: 2000 },
    );
  });

  it('names the first primary IPv4 address, not an IPv6 one marked primary', () => {
    const [eni] = fc.sample(eniArb, { numRuns: 1, seed: 7 });
    const addresses: PrivateAddress[] = [
      { family: 6, address: 'fd00::1', primary: true },
      { family: 4, address: '10.0.0.2', primary: false },
      { family: 4, address: '10.0.0.3', primary: true },
      { family: 4, address: '10.0.0.4', primary: true },
    ];
    const parsed = JSON.parse(enisJson([{ ...eni, addresses }]))[0];
    assert.equal(parsed.PrivateIpAddress, '10.0.0.3');
    assert.deepEqual(
      parsed.Ipv6Sets.Ipv6Set.map((a: { Ipv6Address: string }) => a.Ipv6Address),
      ['fd00::1'],
    );
  });
});

describe('stringifyAnswer', () => {
  it('places each RawJson as written, and everything else as JSON.stringify does', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), text, (a, b, s) => {
        const answer = { RequestId: s, Sets: { Set: new RawJson(JSON.stringify(a)) }, Other: [new RawJson(JSON.stringify(b)), s], s };
        assert.equal(stringifyAnswer(answer), JSON.stringify({ RequestId: s, Sets: { Set: a }, Other: [b, s], s }));
      }),
      { numRuns: 500 },
    );
  });

  it('leaves a text that looks like a placeholder alone', () => {
    const answer = { A: '\u0000raw-0', B: new RawJson('[1]'), C: '\u00000' };
    assert.equal(stringifyAnswer(answer), '{"A":"\\u0000raw-0","B":[1],"C":"\\u00000"}');
  });

  it('refuses a RawJson serialized any other way', () => {
    assert.throws(() => JSON.stringify({ x: new RawJson('1') }), /outside stringifyAnswer/);
  });
});
