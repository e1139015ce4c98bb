// The ENI rules the server and the console share: the address cap (one check
// for create, assign, RunInstances and attach) and attach eligibility.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { attachRefusal, assertAttachable, assertWithinAddressCap } from '../../src/domain/eni-rules.ts';
import { DomainError } from '../../src/domain/errors.ts';
import { DEFAULT_LIMITS } from '../../src/domain/limits.ts';
import type { InstanceTypeSpec } from '../../src/domain/instance-types.ts';
import type { Eni, Instance } from '../../src/domain/model.ts';
import { eniBindable, eniFitsInstance, instanceTakesEnis } from '../../src/console/logic/attach-eligibility.ts';

const type: InstanceTypeSpec = {
  id: 'ecs.t.small',
  family: 'ecs.t',
  cpuCoreCount: 1,
  memorySizeGiB: 2,
  eniQuantity: 2,
  eniPrivateIpAddressQuantity: 3,
  eniIpv6AddressQuantity: 1,
  eniTotalQuantity: 2,
};
const limits = { ...DEFAULT_LIMITS, availableEniMaxIpv4: 5, availableEniMaxIpv6: 4 };

function codeOf(f: () => void): { code: string; details: unknown } | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    assert.ok(e instanceof DomainError);
    return { code: e.code, details: e.details };
  }
}

describe('assertWithinAddressCap', () => {
  it('uses the Available cap unbound, the instance type bound, and names the ENI only when given', () => {
    assert.equal(
      codeOf(() => assertWithinAddressCap({ status: 'Available' }, 4, 1, 4, limits, undefined)),
      undefined,
    );
    assert.deepEqual(
      codeOf(() => assertWithinAddressCap({ status: 'Available' }, 4, 1, 5, limits, undefined)),
      { code: 'EniIpv4LimitExceeded', details: { current: 1, adding: 5, max: 5 } },
    );
    assert.deepEqual(
      codeOf(() => assertWithinAddressCap({ status: 'Available' }, 6, 0, 5, limits, type)),
      { code: 'EniIpv6LimitExceeded', details: { current: 0, adding: 5, max: 4 } },
    );
    assert.deepEqual(
      codeOf(() => assertWithinAddressCap({ id: 'eni-1', status: 'InUse' }, 6, 1, 1, limits, type)),
      { code: 'InstanceTypeIpv6LimitExceeded', details: { eniId: 'eni-1', current: 1, adding: 1, max: 1 } },
    );
    assert.deepEqual(
      codeOf(() => assertWithinAddressCap({ status: 'InUse' }, 4, 4, 0, limits, type)),
      { code: 'InstanceTypeIpv4LimitExceeded', details: { current: 4, adding: 0, max: 3 } },
    );
    // InUse without a known instance type falls back to the ENI's own cap.
    assert.equal(
      codeOf(() => assertWithinAddressCap({ status: 'InUse' }, 4, 4, 0, limits, undefined)),
      undefined,
    );
  });
});

const eni = (over: Partial<Eni> = {}): Eni =>
  ({
    id: 'eni-1',
    accountId: 'a',
    regionId: 'r',
    zoneId: 'z1',
    vpcId: 'vpc-1',
    vSwitchId: 'vsw-1',
    resourceGroupId: 'rg',
    name: '',
    description: '',
    type: 'Secondary',
    status: 'Available',
    instanceId: null,
    pendingInstanceId: null,
    transitionDueMs: null,
    deviceIndex: null,
    deleteOnRelease: false,
    macAddress: '00:16:3e:00:00:01',
    securityGroupIds: ['sg-1'],
    tags: [],
    createdAt: '2026-01-01T00:00:00Z',
    addresses: [{ family: 4, address: '10.0.0.5', primary: true }],
    ipv4Prefixes: [],
    ipv6Prefixes: [],
    ...over,
  }) as Eni;
const instance = (over: Partial<Instance> = {}): Instance =>
  ({
    id: 'i-1',
    accountId: 'a',
    regionId: 'r',
    zoneId: 'z1',
    vpcId: 'vpc-1',
    vSwitchId: 'vsw-1',
    resourceGroupId: 'rg',
    name: '',
    instanceType: type.id,
    imageId: 'img',
    status: 'Running',
    transitionDueMs: null,
    createdAt: '2026-01-01T00:00:00Z',
    ...over,
  }) as Instance;

describe('attachRefusal', () => {
  it("answers in the server's order and checks only the sides given", () => {
    assert.equal(attachRefusal(eni(), instance()), undefined);
    assert.equal(attachRefusal(eni({ type: 'Primary', status: 'InUse' }), instance({ status: 'Pending' })), 'EniTypeInvalid');
    assert.equal(attachRefusal(eni({ status: 'InUse' }), instance({ status: 'Pending' })), 'EniStateInvalid');
    assert.equal(attachRefusal(eni(), instance({ status: 'Stopping', vpcId: 'vpc-2' })), 'InstanceStateInvalid');
    assert.equal(attachRefusal(eni(), instance({ status: 'Stopped', vpcId: 'vpc-2', zoneId: 'z2' })), 'VpcMismatch');
    assert.equal(attachRefusal(eni(), instance({ zoneId: 'z2' })), 'ZoneMismatch');
    assert.equal(attachRefusal({}, { status: 'Starting' }), 'InstanceStateInvalid');
    assert.equal(attachRefusal({ status: 'Detaching' }, {}), 'EniStateInvalid');
    assert.equal(attachRefusal({ vpcId: 'vpc-1' }, { zoneId: 'z2' }), undefined);
  });

  it("is what assertAttachable throws, then the ENI count and the instance type's address caps", () => {
    assert.equal(codeOf(() => assertAttachable(eni({ status: 'Deleting' }), instance(), type, 1, limits))?.code, 'EniStateInvalid');
    assert.equal(codeOf(() => assertAttachable(eni(), instance({ zoneId: 'z2' }), type, 1, limits))?.code, 'ZoneMismatch');
    assert.equal(codeOf(() => assertAttachable(eni(), instance(), type, 2, limits))?.code, 'EniPerInstanceLimitExceeded');
    const many = eni({
      addresses: ['10.0.0.5', '10.0.0.6', '10.0.0.7', '10.0.0.8'].map((address, n) => ({ family: 4 as const, address, primary: n === 0 })),
    });
    assert.deepEqual(
      codeOf(() => assertAttachable(many, instance(), type, 1, limits)),
      { code: 'InstanceTypeIpv4LimitExceeded', details: { eniId: 'eni-1', current: 4, adding: 0, max: 3 } },
    );
    assert.equal(
      codeOf(() => assertAttachable(eni(), instance(), type, 1, limits)),
      undefined,
    );
  });

  it("drives the console's pickers and buttons", () => {
    assert.equal(eniBindable({ Type: 'Secondary', Status: 'Available' }), true);
    assert.equal(eniBindable({ Type: 'Primary', Status: 'Available' }), false);
    assert.equal(eniBindable({ Type: 'Secondary', Status: 'Attaching' }), false);
    assert.equal(instanceTakesEnis({ Status: 'Stopped' }), true);
    assert.equal(instanceTakesEnis({ Status: 'Pending' }), false);
    const wireInstance = { ZoneId: 'z1', VpcAttributes: { VpcId: 'vpc-1' } } as Parameters<typeof eniFitsInstance>[1];
    assert.equal(eniFitsInstance({ Type: 'Secondary', Status: 'Available', VpcId: 'vpc-1', ZoneId: 'z1' }, wireInstance), true);
    assert.equal(eniFitsInstance({ Type: 'Secondary', Status: 'Available', VpcId: 'vpc-1', ZoneId: 'z2' }, wireInstance), false);
  });
});
