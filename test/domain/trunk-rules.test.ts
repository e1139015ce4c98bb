// The trunk-mode rules as pure functions: which instance types take a trunk, the
// member quota (EniTotalQuantity - EniQuantity), what a member must be, and what
// a trunk with members refuses.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../../src/domain/errors.ts';
import { findInstanceType, type InstanceTypeSpec } from '../../src/domain/instance-types.ts';
import { DEFAULT_LIMITS } from '../../src/domain/limits.ts';
import { DEFAULT_ENI_TRAFFIC, type Eni, type Instance } from '../../src/domain/model.ts';
import {
  assertMemberAttachable,
  assertMemberOf,
  assertNoMembers,
  assertTrunkHost,
  memberQuota,
  trunkSupported,
  unbound,
} from '../../src/domain/trunk-rules.ts';

const spec = (id: string): InstanceTypeSpec => {
  const t = findInstanceType(id);
  assert.ok(t, id);
  return t;
};
const TRUNKING = spec('ecs.g7.2xlarge'); // EniQuantity 4, EniTotalQuantity 10
const PLAIN = spec('ecs.g7.large'); // no EniTotalQuantity beyond EniQuantity

const instance: Pick<Instance, 'id' | 'status' | 'vpcId' | 'zoneId'> = { id: 'i-1', status: 'Running', vpcId: 'vpc-1', zoneId: 'z' };
function eni(id: string, over: Partial<Eni> = {}): Eni {
  return {
    id,
    accountId: '1',
    regionId: 'cn-hangzhou',
    zoneId: 'z',
    vpcId: 'vpc-1',
    vSwitchId: 'vsw-1',
    resourceGroupId: 'rg',
    name: '',
    description: '',
    type: 'Secondary',
    status: 'Available',
    macAddress: '00:16:3e:00:00:01',
    instanceId: null,
    pendingInstanceId: null,
    transitionDueMs: null,
    deviceIndex: null,
    trunkEniId: null,
    deleteOnRelease: false,
    traffic: DEFAULT_ENI_TRAFFIC,
    sourceDestCheck: false,
    networkCardIndex: null,
    securityGroupIds: ['sg-1'],
    addresses: [{ family: 4, address: '10.0.0.5', primary: true }],
    ipv4Prefixes: [],
    ipv6Prefixes: [],
    tags: [],
    createdAt: '',
    ...over,
  };
}
const trunk = eni('eni-trunk', { type: 'Trunk', status: 'InUse', instanceId: 'i-1', deviceIndex: 1 });
const code = (code: string) => (e: unknown) => e instanceof DomainError && e.code === code;

describe('trunk support and the member quota', () => {
  it('follow EniTotalQuantity and EniQuantity, as terway reads them', () => {
    assert.equal(trunkSupported(TRUNKING), true);
    assert.equal(memberQuota(TRUNKING), TRUNKING.eniTotalQuantity - TRUNKING.eniQuantity);
    assert.equal(memberQuota(TRUNKING), 6);
    assert.equal(trunkSupported(PLAIN), false);
    assert.equal(memberQuota(PLAIN), 0);
  });

  it('a Trunk ENI attaches only where the type supports trunking; other ENIs anywhere', () => {
    assert.throws(() => assertTrunkHost(eni('e', { type: 'Trunk' }), PLAIN, []), code('InstanceTypeNotSupportTrunking'));
    assertTrunkHost(eni('e', { type: 'Trunk' }), TRUNKING, []);
    assertTrunkHost(eni('e'), PLAIN, []);
  });

  it('one trunk an instance: a second is refused, the same one (a retry) and other ENIs are not', () => {
    const onInstance = [eni('p', { type: 'Primary' }), eni('t1', { type: 'Trunk' }), eni('m', { type: 'Member' })];
    assert.throws(() => assertTrunkHost(eni('t2', { type: 'Trunk' }), TRUNKING, onInstance), code('TrunkEniPerInstanceLimitExceeded'));
    assertTrunkHost(eni('t1', { type: 'Trunk' }), TRUNKING, onInstance);
    assertTrunkHost(eni('s'), TRUNKING, onInstance);
    assertTrunkHost(eni('t2', { type: 'Trunk' }), TRUNKING, onInstance.slice(0, 1));
  });
});

describe('binding a member', () => {
  it('takes an Available Secondary ENI and an InUse trunk on the same instance', () => {
    assertMemberAttachable(eni('m'), trunk, instance, TRUNKING, 0, DEFAULT_LIMITS);
  });

  it('refuses a member that is not Secondary, or a "trunk" that is not a Trunk', () => {
    assert.throws(
      () => assertMemberAttachable(eni('m', { type: 'Trunk' }), trunk, instance, TRUNKING, 0, DEFAULT_LIMITS),
      code('EniTypeNotSupportTrunking'),
    );
    assert.throws(
      () => assertMemberAttachable(eni('m'), eni('s', { status: 'InUse', instanceId: 'i-1' }), instance, TRUNKING, 0, DEFAULT_LIMITS),
      code('EniTypeNotSupportTrunking'),
    );
  });

  it('refuses a trunk not InUse on that instance', () => {
    assert.throws(
      () => assertMemberAttachable(eni('m'), { ...trunk, status: 'Available', instanceId: null }, instance, TRUNKING, 0, DEFAULT_LIMITS),
      code('TrunkEniStateInvalid'),
    );
    assert.throws(
      () => assertMemberAttachable(eni('m'), { ...trunk, instanceId: 'i-2' }, instance, TRUNKING, 0, DEFAULT_LIMITS),
      code('TrunkEniStateInvalid'),
    );
  });

  it('refuses a member in use, in another VPC or zone', () => {
    assert.throws(
      () => assertMemberAttachable(eni('m', { status: 'InUse' }), trunk, instance, TRUNKING, 0, DEFAULT_LIMITS),
      code('EniStateInvalid'),
    );
    assert.throws(
      () => assertMemberAttachable(eni('m', { vpcId: 'vpc-2' }), trunk, instance, TRUNKING, 0, DEFAULT_LIMITS),
      code('VpcMismatch'),
    );
    assert.throws(
      () => assertMemberAttachable(eni('m', { zoneId: 'y' }), trunk, instance, TRUNKING, 0, DEFAULT_LIMITS),
      code('ZoneMismatch'),
    );
  });

  it('counts members against EniTotalQuantity - EniQuantity: the 6th fits, the 7th does not', () => {
    assertMemberAttachable(eni('m'), trunk, instance, TRUNKING, 5, DEFAULT_LIMITS);
    assert.throws(
      () => assertMemberAttachable(eni('m'), trunk, instance, TRUNKING, 6, DEFAULT_LIMITS),
      code('MemberEniPerInstanceLimitExceeded'),
    );
  });

  it("holds the member's addresses to the instance type's per-ENI caps", () => {
    const many = Array.from({ length: TRUNKING.eniPrivateIpAddressQuantity + 1 }, (_, i) => ({
      family: 4 as const,
      address: `10.0.1.${i}`,
      primary: i === 0,
    }));
    assert.throws(
      () => assertMemberAttachable(eni('m', { addresses: many }), trunk, instance, TRUNKING, 0, DEFAULT_LIMITS),
      code('InstanceTypeIpv4LimitExceeded'),
    );
    assertMemberAttachable(eni('m', { addresses: many.slice(1) }), trunk, instance, TRUNKING, 0, DEFAULT_LIMITS);
  });
});

describe('unbinding', () => {
  it("a detach naming a trunk must name the member's own trunk", () => {
    assertMemberOf(eni('m', { type: 'Member', trunkEniId: 'eni-trunk' }), 'eni-trunk');
    assert.throws(() => assertMemberOf(eni('m', { type: 'Member', trunkEniId: 'eni-trunk' }), 'eni-other'), code('EniNotBelongTrunk'));
    assert.throws(() => assertMemberOf(eni('s'), 'eni-trunk'), code('EniNotBelongTrunk'));
  });

  it('a trunk with members refuses; one without, or any other ENI, passes', () => {
    assert.throws(() => assertNoMembers(trunk, ['eni-m']), code('HasMemberEniAttached'));
    assertNoMembers(trunk, []);
    assertNoMembers(eni('s'), ['eni-m']);
  });

  it('a member that leaves is a Secondary again, with no trunk; others keep their type', () => {
    assert.deepEqual(unbound({ type: 'Member' }), { type: 'Secondary', trunkEniId: null });
    assert.deepEqual(unbound({ type: 'Trunk' }), { type: 'Trunk', trunkEniId: null });
    assert.deepEqual(unbound({ type: 'Secondary' }), { type: 'Secondary', trunkEniId: null });
  });
});
