// One contract for every Store implementation (hono's habit): the same cases
// run against SqliteStore (test/store/sqlite.test.ts) and PostgresStore
// (test/store/postgres.test.ts), each case on a fresh, empty store.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Eni, Instance, SecurityGroup, Vpc, VSwitch } from '../../src/domain/model.ts';
import { DEFAULT_ENI_TRAFFIC, DEFAULT_INSTANCE_ATTRIBUTES } from '../../src/domain/model.ts';
import type { Store, Tx } from '../../src/store/store.ts';
import type { FuzzyTagFilter } from '../../src/domain/tags.ts';
import { nonceKey, nonceKeySlice } from '../../src/store/sql/nonce-key.ts';

export interface StoreUnderTest {
  store: Store;
  /** closes the store and removes what it created (temp dir, schema) */
  dispose(): Promise<void>;
}
export type StoreFactory = () => Promise<StoreUnderTest>;

const ACC = 'acc-1';
const OTHER = 'acc-2';
const REGION = 'cn-hangzhou';
const T0 = '2024-01-01T00:00:00.000Z';
/** security-group capacities for the counter cases */
const CAP = { normal: 10, enterprise: 20 };

// ---------------------------------------------------------------- fixtures

/** what every fixture resource has */
const OWNED = { accountId: ACC, regionId: REGION, resourceGroupId: 'rg-1', name: '', description: '', createdAt: T0 };
/** …and every fixture instance and ENI (in vsw-1 of vpc-1) */
const PLACED = { ...OWNED, zoneId: 'cn-hangzhou-i', vpcId: 'vpc-1', vSwitchId: 'vsw-1' };
function vpc(id: string, over: Partial<Vpc> = {}): Vpc {
  return {
    id,
    ...OWNED,
    cidrBlock: '192.168.0.0/16',
    ipv6CidrBlock: null,
    status: 'Available',
    ...over,
  };
}
function vsw(id: string, over: Partial<VSwitch> = {}): VSwitch {
  return {
    id,
    ...OWNED,
    vpcId: 'vpc-1',
    zoneId: 'cn-hangzhou-i',
    cidrBlock: '192.168.1.0/24',
    ipv6CidrBlock: null,
    status: 'Available',
    ...over,
  };
}
function sg(id: string, over: Partial<SecurityGroup> = {}): SecurityGroup {
  return {
    id,
    ...OWNED,
    vpcId: 'vpc-1',
    type: 'normal',
    ipCount: 0,
    ...over,
  };
}
function inst(id: string, over: Partial<Instance> = {}): Instance {
  return {
    id,
    ...PLACED,
    instanceType: 'ecs.g7.large',
    imageId: 'img',
    ...DEFAULT_INSTANCE_ATTRIBUTES,
    hostName: `iZ${id}Z`,
    status: 'Running',
    transitionDueMs: null,
    ...over,
  };
}
let macSeq = 0;
function eni(id: string, over: Partial<Eni> = {}): Eni {
  macSeq++;
  return {
    id,
    ...PLACED,
    type: 'Secondary',
    status: 'Available',
    macAddress: `00:16:3e:00:${(macSeq >> 8).toString(16).padStart(2, '0')}:${(macSeq & 255).toString(16).padStart(2, '0')}`,
    instanceId: null,
    pendingInstanceId: null,
    transitionDueMs: null,
    deviceIndex: null,
    trunkEniId: null,
    deleteOnRelease: false,
    securityGroupIds: [],
    addresses: [],
    ipv4Prefixes: [],
    ipv6Prefixes: [],
    tags: [],
    traffic: DEFAULT_ENI_TRAFFIC,
    sourceDestCheck: false,
    networkCardIndex: null,
    ...over,
  };
}
const v4 = (vSwitchId: string, eniId: string, address: string, primary = false) => {
  const [a, b, c, d] = address.split('.').map(Number);
  return { vSwitchId, eniId, family: 4 as const, address, primary, ipv4Num: ((a * 256 + b) * 256 + c) * 256 + d };
};
const v6 = (vSwitchId: string, eniId: string, address: string) => ({
  vSwitchId,
  eniId,
  family: 6 as const,
  address,
  primary: false,
  ipv4Num: null,
});

/** accounts, a VPC, two vSwitches and two security groups: what most cases stand on */
async function base(tx: Tx): Promise<void> {
  await tx.accounts.insert({ id: ACC, name: 'root', createdAt: T0 });
  await tx.accounts.insert({ id: OTHER, name: 'other', createdAt: '2024-01-02T00:00:00.000Z' });
  await tx.vpcs.insert(vpc('vpc-1'));
  await tx.vSwitches.insert(vsw('vsw-1'));
  await tx.vSwitches.insert(vsw('vsw-2', { cidrBlock: '192.168.2.0/24', zoneId: 'cn-hangzhou-j' }));
  await tx.securityGroups.insert(sg('sg-1'));
  await tx.securityGroups.insert(sg('sg-2', { type: 'enterprise' }));
}

async function expectRejects(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  assert.fail('expected a rejection');
}

/** Starts n transactions at once; each holds its first statement's locks until its body finishes. */
function concurrently<T>(n: number, body: (i: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => body(i)));
}

// ---------------------------------------------------------------- the contract

export function storeContract(name: string, factory: StoreFactory): void {
  /** a case on a fresh store with the base fixtures, disposed afterwards whatever happens */
  const withStore =
    (fn: (s: Store) => Promise<void>, opts: { seed?: boolean } = {}) =>
    async () => {
      const sut = await factory();
      try {
        if (opts.seed !== false) await sut.store.transaction(base);
        await fn(sut.store);
      } finally {
        await sut.dispose();
      }
    };
  const tx = <T>(s: Store, fn: (t: Tx) => Promise<T>) => s.transaction(fn);
  const ro = <T>(s: Store, fn: (t: Tx) => Promise<T>) => s.transaction(fn, { readOnly: true });

  describe(`store contract: ${name}`, () => {
    describe('accounts, access keys, resource groups', () => {
      it(
        'inserts, gets and lists accounts in creation order',
        withStore(async (s) => {
          await tx(s, async (t) => t.accounts.insert({ id: 'acc-0', name: 'zeta', createdAt: '2023-12-31T00:00:00.000Z' }));
          await ro(s, async (t) => {
            assert.deepEqual(await t.accounts.get(ACC), { id: ACC, name: 'root', createdAt: T0 });
            assert.equal(await t.accounts.get('nope'), undefined);
            assert.deepEqual(
              (await t.accounts.list()).map((a) => a.id),
              ['acc-0', ACC, OTHER],
            );
          });
          assert.equal(await tx(s, (t) => t.accounts.lock(ACC)), true);
          assert.equal(await tx(s, (t) => t.accounts.lock('nope')), false);
        }),
      );

      it(
        'stores access keys per account and changes their status',
        withStore(async (s) => {
          await tx(s, async (t) => {
            await t.accessKeys.insert({
              id: 'LTAIb',
              secret: 'sb',
              accountId: ACC,
              status: 'Active',
              createdAt: '2024-02-01T00:00:00.000Z',
            });
            await t.accessKeys.insert({
              id: 'LTAIa',
              secret: 'sa',
              accountId: ACC,
              status: 'Active',
              createdAt: '2024-03-01T00:00:00.000Z',
            });
            await t.accessKeys.insert({ id: 'LTAIo', secret: 'so', accountId: OTHER, status: 'Active', createdAt: T0 });
          });
          await tx(s, async (t) => {
            assert.deepEqual(await t.accessKeys.get('LTAIa'), {
              id: 'LTAIa',
              secret: 'sa',
              accountId: ACC,
              status: 'Active',
              createdAt: '2024-03-01T00:00:00.000Z',
            });
            assert.equal(await t.accessKeys.get('missing'), undefined);
            assert.deepEqual(
              (await t.accessKeys.listByAccount(ACC)).map((k) => k.id),
              ['LTAIb', 'LTAIa'],
            );
            assert.equal(await t.accessKeys.setStatus('LTAIa', 'Inactive'), true);
            assert.equal(await t.accessKeys.setStatus('missing', 'Inactive'), false);
          });
          assert.equal((await ro(s, (t) => t.accessKeys.get('LTAIa')))?.status, 'Inactive');
        }),
      );

      it(
        'keeps resource groups per account with one default listed first',
        withStore(async (s) => {
          const def = {
            id: 'rg-def',
            accountId: ACC,
            name: 'default',
            displayName: 'Default',
            isDefault: true,
            createdAt: '2024-05-01T00:00:00.000Z',
          };
          await tx(s, async (t) => {
            await t.resourceGroups.insert({ id: 'rg-b', accountId: ACC, name: 'b', displayName: 'B', isDefault: false, createdAt: T0 });
            await t.resourceGroups.insert(def);
            await t.resourceGroups.insert({
              id: 'rg-o',
              accountId: OTHER,
              name: 'default',
              displayName: 'Default',
              isDefault: true,
              createdAt: T0,
            });
          });
          await ro(s, async (t) => {
            assert.deepEqual(await t.resourceGroups.getDefault(ACC), def);
            assert.equal((await t.resourceGroups.get(ACC, 'rg-b'))?.isDefault, false);
            assert.equal(await t.resourceGroups.get(ACC, 'rg-o'), undefined, 'scoped by account');
            assert.deepEqual(
              (await t.resourceGroups.list(ACC)).map((g) => g.id),
              ['rg-def', 'rg-b'],
            );
            assert.equal(await t.resourceGroups.getDefault('acc-none'), undefined);
          });
        }),
      );
    });

    describe('VPCs, vSwitches, security groups', () => {
      it(
        'round-trips a VPC, scoped by account, and counts its dependents',
        withStore(async (s) => {
          const v = vpc('vpc-2', { name: 'n', description: 'd', ipv6CidrBlock: '2001:db8:1::/56' });
          await tx(s, (t) => t.vpcs.insert(v));
          assert.deepEqual(await tx(s, (t) => t.vpcs.get(ACC, 'vpc-2', { forUpdate: true })), v);
          await ro(s, async (t) => {
            assert.deepEqual(await t.vpcs.get(ACC, 'vpc-2'), v);
            assert.equal(await t.vpcs.get(OTHER, 'vpc-2'), undefined);
            assert.deepEqual(await t.vpcs.dependents(ACC, 'vpc-1'), { vSwitches: 2, securityGroups: 2 });
            assert.deepEqual(await t.vpcs.dependents(ACC, 'vpc-2'), { vSwitches: 0, securityGroups: 0 });
            assert.deepEqual(await t.vpcs.dependents(OTHER, 'vpc-1'), { vSwitches: 0, securityGroups: 0 });
          });
          await tx(s, (t) => t.vpcs.delete(OTHER, 'vpc-2'));
          assert.ok(await ro(s, (t) => t.vpcs.get(ACC, 'vpc-2')), 'another account cannot delete it');
          await tx(s, (t) => t.vpcs.delete(ACC, 'vpc-2'));
          assert.equal(await ro(s, (t) => t.vpcs.get(ACC, 'vpc-2')), undefined);
        }),
      );

      it(
        'filters VPC lists by region, ids, name and resource group',
        withStore(async (s) => {
          await tx(s, async (t) => {
            await t.vpcs.insert(vpc('vpc-2', { name: 'web', resourceGroupId: 'rg-2' }));
            await t.vpcs.insert(vpc('vpc-3', { regionId: 'cn-beijing' }));
            await t.vpcs.insert(vpc('vpc-4', { accountId: OTHER }));
          });
          await ro(s, async (t) => {
            const ids = async (f: Parameters<Tx['vpcs']['list']>[1]) => (await t.vpcs.list(ACC, f, { limit: 50 })).items.map((v) => v.id);
            assert.deepEqual(await ids({ regionId: REGION }), ['vpc-1', 'vpc-2']);
            assert.deepEqual(await ids({ regionId: 'cn-beijing' }), ['vpc-3']);
            assert.deepEqual(await ids({ regionId: REGION, ids: ['vpc-2', 'vpc-4'] }), ['vpc-2']);
            assert.deepEqual(await ids({ regionId: REGION, ids: [] }), []);
            assert.deepEqual(await ids({ regionId: REGION, name: 'web' }), ['vpc-2']);
            assert.deepEqual(await ids({ regionId: REGION, resourceGroupId: 'rg-2' }), ['vpc-2']);
          });
        }),
      );

      it(
        'round-trips vSwitches: get, list with filters, listByVpc, counts, delete',
        withStore(async (s) => {
          await tx(s, async (t) => {
            await t.vSwitches.insert(
              vsw('vsw-3', { vpcId: 'vpc-1', name: 'db', ipv6CidrBlock: '2001:db8:1:3::/64', cidrBlock: '192.168.3.0/24' }),
            );
            await t.enis.insert(eni('eni-1', { vSwitchId: 'vsw-3' }));
            await t.addresses.insert([
              v4('vsw-3', 'eni-1', '192.168.3.10', true),
              v4('vsw-3', 'eni-1', '192.168.3.11'),
              v6('vsw-3', 'eni-1', '2001:db8:1:3::a'),
            ]);
          });
          await ro(s, async (t) => {
            assert.deepEqual(
              await t.vSwitches.get(ACC, 'vsw-3'),
              vsw('vsw-3', { vpcId: 'vpc-1', name: 'db', ipv6CidrBlock: '2001:db8:1:3::/64', cidrBlock: '192.168.3.0/24' }),
            );
            assert.equal(await t.vSwitches.get(OTHER, 'vsw-3'), undefined);
            const ids = async (f: Parameters<Tx['vSwitches']['list']>[1]) =>
              (await t.vSwitches.list(ACC, f, { limit: 50 })).items.map((v) => v.id);
            assert.deepEqual(await ids({ regionId: REGION }), ['vsw-1', 'vsw-2', 'vsw-3']);
            assert.deepEqual(await ids({ regionId: REGION, zoneId: 'cn-hangzhou-j' }), ['vsw-2']);
            assert.deepEqual(await ids({ regionId: REGION, vpcId: 'vpc-1', name: 'db' }), ['vsw-3']);
            assert.deepEqual(await ids({ regionId: REGION, vpcId: 'vpc-x' }), []);
            // EnableIpv6 (DescribeVSwitches) in the query.
            assert.deepEqual(await ids({ regionId: REGION, ipv6Enabled: true }), ['vsw-3']);
            assert.equal((await t.vSwitches.list(ACC, { regionId: REGION, ipv6Enabled: false }, { limit: 1 })).totalCount, 2);
            assert.deepEqual(
              (await t.vSwitches.listByVpc('vpc-1')).map((v) => v.id),
              ['vsw-1', 'vsw-2', 'vsw-3'],
            );
            assert.equal(await t.vSwitches.addressCount('vsw-3', 4), 2);
            assert.equal(await t.vSwitches.addressCount('vsw-3', 6), 1);
            assert.equal(await t.vSwitches.addressCount('vsw-1', 4), 0);
            assert.equal(await t.vSwitches.enis('vsw-3'), 1);
            assert.equal(await t.vSwitches.enis('vsw-2'), 0);
          });
          await tx(s, (t) => t.vSwitches.delete(ACC, 'vsw-2'));
          assert.deepEqual(
            (await ro(s, (t) => t.vSwitches.listByVpc('vpc-1'))).map((v) => v.id),
            ['vsw-1', 'vsw-3'],
          );
        }),
      );

      it(
        'round-trips security groups, counts member ENIs, deletes',
        withStore(async (s) => {
          await tx(s, (t) => t.enis.insert(eni('eni-1', { securityGroupIds: ['sg-2', 'sg-1'] })));
          await ro(s, async (t) => {
            assert.deepEqual(await t.securityGroups.get(ACC, 'sg-2'), sg('sg-2', { type: 'enterprise' }));
            assert.equal(await t.securityGroups.get(OTHER, 'sg-2'), undefined);
            assert.deepEqual(
              (await t.securityGroups.list(ACC, { regionId: REGION }, { limit: 10 })).items.map((g) => g.id),
              ['sg-1', 'sg-2'],
            );
            assert.deepEqual(
              (await t.securityGroups.list(ACC, { regionId: REGION, ids: ['sg-2'] }, { limit: 10 })).items.map((g) => g.id),
              ['sg-2'],
            );
            const enterprise = await t.securityGroups.list(ACC, { regionId: REGION, type: 'enterprise' }, { limit: 10 });
            assert.deepEqual([enterprise.totalCount, enterprise.items.map((g) => g.id)], [1, ['sg-2']]);
            assert.equal(await t.securityGroups.enis('sg-1'), 1);
          });
          await tx(s, async (t) => {
            await t.securityGroups.insert(sg('sg-3'));
            await t.securityGroups.delete(ACC, 'sg-3');
          });
          assert.equal(await ro(s, (t) => t.securityGroups.get(ACC, 'sg-3')), undefined);
        }),
      );

      it(
        'adjusts IP counters and names the group an increase would take past its capacity',
        withStore(async (s) => {
          assert.equal(await tx(s, (t) => t.securityGroups.adjustIpCount(['sg-2', 'sg-1', 'sg-2'], 5, CAP)), undefined);
          const counts = async () =>
            ro(s, async (t) => [(await t.securityGroups.get(ACC, 'sg-1'))?.ipCount, (await t.securityGroups.get(ACC, 'sg-2'))?.ipCount]);
          assert.deepEqual(await counts(), [5, 5]);
          assert.equal(await tx(s, (t) => t.securityGroups.adjustIpCount(['sg-1'], -2, CAP)), undefined);
          assert.deepEqual(await counts(), [3, 5], 'a decrease is applied');
          assert.equal(await tx(s, (t) => t.securityGroups.adjustIpCount(['sg-1'], 7, CAP)), undefined, 'up to the capacity (10)');
          // The caller aborts the transaction when a group is full (the service throws SecurityGroupIpCapacityExceeded).
          const full = new Error('full');
          let over: unknown;
          await expectRejects(
            tx(s, async (t) => {
              over = await t.securityGroups.adjustIpCount(['sg-2', 'sg-1'], 1, CAP);
              throw full;
            }),
          );
          assert.deepEqual(over, { id: 'sg-1', type: 'normal' });
          assert.equal(await tx(s, (t) => t.securityGroups.adjustIpCount(['sg-missing'], 1, CAP)), undefined);
          assert.deepEqual(
            (await ro(s, (t) => t.securityGroups.list(ACC, { regionId: REGION }, { limit: 10 }))).items.map((g) => g.ipCount),
            [10, 5],
          );
        }),
      );

      it(
        'racing increases never pass a capacity, and fill it exactly',
        withStore(async (s) => {
          const got = await concurrently(24, () =>
            tx(s, async (t) => {
              const over = await t.securityGroups.adjustIpCount(['sg-1'], 1, CAP);
              if (over) throw new Error('full');
              return true;
            }).catch(() => false),
          );
          assert.equal(got.filter(Boolean).length, 10);
          assert.equal((await ro(s, (t) => t.securityGroups.get(ACC, 'sg-1')))?.ipCount, 10);
        }),
      );
    });

    describe('instances', () => {
      it(
        'round-trips, updates, lists with filters and deletes instances',
        withStore(async (s) => {
          await tx(s, async (t) => {
            await t.instances.insert(inst('i-1', { name: 'web' }));
            await t.instances.insert(
              inst('i-2', {
                status: 'Stopped',
                zoneId: 'cn-hangzhou-j',
                vSwitchId: 'vsw-2',
                resourceGroupId: 'rg-2',
                imageId: 'img-2',
                instanceType: 'ecs.g7.xlarge',
                keyPairName: 'kp',
                systemDisk: { ...DEFAULT_INSTANCE_ATTRIBUTES.systemDisk, category: 'cloud_essd', name: 'root' },
                billing: { ...DEFAULT_INSTANCE_ATTRIBUTES.billing, instanceChargeType: 'PrePaid' },
              }),
            );
            await t.instances.insert(inst('i-3', { accountId: OTHER }));
            await t.enis.insert(eni('eni-p1', { type: 'Primary', status: 'InUse', instanceId: 'i-1', deviceIndex: 0 }));
            await t.addresses.insert([v4('vsw-1', 'eni-p1', '192.168.1.5', true)]);
          });
          await tx(s, async (t) => {
            assert.deepEqual(await t.instances.get(ACC, 'i-1'), inst('i-1', { name: 'web' }));
            assert.deepEqual(await t.instances.get(ACC, 'i-1', { forUpdate: true }), inst('i-1', { name: 'web' }));
            assert.equal(await t.instances.get(ACC, 'i-3'), undefined);
            await t.instances.update({
              ...inst('i-1'),
              name: 'renamed',
              status: 'Stopping',
              transitionDueMs: 1_700_000_000_123,
              resourceGroupId: 'rg-9',
              instanceType: 'ignored',
            });
          });
          await ro(s, async (t) => {
            const i1 = await t.instances.get(ACC, 'i-1');
            assert.deepEqual(
              i1,
              inst('i-1', { name: 'renamed', status: 'Stopping', transitionDueMs: 1_700_000_000_123, resourceGroupId: 'rg-9' }),
            );
            assert.equal(typeof i1?.transitionDueMs, 'number');
            const ids = async (f: Omit<Parameters<Tx['instances']['list']>[1], 'regionId'>) =>
              (await t.instances.list(ACC, { regionId: REGION, ...f }, { limit: 10 })).items.map((i) => i.id);
            assert.deepEqual(await ids({}), ['i-1', 'i-2']);
            assert.deepEqual(await ids({ status: 'Stopped' }), ['i-2']);
            assert.deepEqual(await ids({ zoneId: 'cn-hangzhou-j' }), ['i-2']);
            assert.deepEqual(await ids({ vSwitchId: 'vsw-2' }), ['i-2']);
            assert.deepEqual(await ids({ vpcId: 'vpc-1', name: 'renamed' }), ['i-1']);
            assert.deepEqual(await ids({ resourceGroupId: 'rg-2' }), ['i-2']);
            assert.deepEqual(await ids({ ids: ['i-2', 'i-3'] }), ['i-2']);
            assert.deepEqual(await ids({ privateIpAddresses: ['192.168.1.5', '10.0.0.1'] }), ['i-1']);
            assert.deepEqual(await ids({ privateIpAddresses: [] }), []);
            // The stored attributes filter in the query (DescribeInstances, DescribeDisks): TotalCount is exact.
            assert.deepEqual(await ids({ imageId: 'img-2' }), ['i-2']);
            assert.deepEqual(await ids({ instanceType: 'ecs.g7.large' }), ['i-1']);
            assert.deepEqual(await ids({ instanceChargeType: 'PrePaid', keyPairName: 'kp' }), ['i-2']);
            assert.deepEqual(await ids({ keyPairName: '' }), ['i-1']);
            assert.deepEqual(await ids({ systemDiskCategory: 'cloud_essd', systemDiskName: 'root' }), ['i-2']);
            assert.deepEqual(await ids({ matchNothing: true }), []);
            const page = await t.instances.list(ACC, { regionId: REGION, imageId: 'img' }, { offset: 0, limit: 1 });
            assert.deepEqual([page.totalCount, page.items.map((i) => i.id)], [1, ['i-1']]);
          });
          await tx(s, (t) => t.instances.delete('i-2'));
          assert.equal(await ro(s, (t) => t.instances.get(ACC, 'i-2')), undefined);
        }),
      );

      it(
        'round-trips and updates the stored attributes (description, host name, system disk, billing, user data)',
        withStore(async (s) => {
          const dressed = inst('i-7', {
            description: 'd',
            hostName: 'h',
            keyPairName: 'kp',
            ramRoleName: 'role',
            deletionProtection: true,
            creditSpecification: 'Unlimited',
            userData: 'IyE=',
            systemDisk: { category: 'cloud_essd', sizeGiB: 80, name: 'root', description: 'sd', performanceLevel: 'PL1' },
            billing: {
              instanceChargeType: 'PrePaid',
              internetChargeType: 'PayByBandwidth',
              internetMaxBandwidthOut: 5,
              internetMaxBandwidthIn: 10,
              spotStrategy: 'SpotAsPriceGo',
              spotPriceLimit: 0.25,
              period: 3,
              periodUnit: 'Month',
              autoRenew: true,
              autoRenewPeriod: 1,
            },
          });
          await tx(s, (t) => t.instances.insert(dressed));
          assert.deepEqual(await ro(s, (t) => t.instances.get(ACC, 'i-7')), dressed);
          const changed = {
            ...dressed,
            description: 'd2',
            hostName: 'h2',
            userData: '',
            deletionProtection: false,
            billing: { ...dressed.billing, autoRenew: false, period: null },
          };
          await tx(s, (t) => t.instances.update(changed));
          assert.deepEqual(await ro(s, (t) => t.instances.get(ACC, 'i-7')), changed);
        }),
      );

      it(
        'finds due transitions and the next due time',
        withStore(async (s) => {
          await tx(s, async (t) => {
            await t.instances.insert(inst('i-1', { status: 'Pending', transitionDueMs: 3000 }));
            await t.instances.insert(inst('i-2', { status: 'Stopping', transitionDueMs: 1000 }));
            await t.instances.insert(inst('i-3', { status: 'Starting', transitionDueMs: 9000 }));
            await t.instances.insert(inst('i-4'));
          });
          await tx(s, async (t) => {
            assert.equal(await t.instances.nextDueMs(), 1000);
            assert.deepEqual(
              (await t.instances.due(3000, 10)).map((i) => i.id),
              ['i-2', 'i-1'],
            );
            assert.deepEqual(
              (await t.instances.due(3000, 1)).map((i) => i.id),
              ['i-2'],
            );
            assert.deepEqual(await t.instances.due(999, 10), []);
          });
          await tx(s, async (t) => {
            for (const i of await t.instances.due(10_000, 10)) await t.instances.update({ ...i, transitionDueMs: null });
          });
          assert.equal(await ro(s, (t) => t.instances.nextDueMs()), null);
        }),
      );
    });

    describe('ENIs', () => {
      it(
        'round-trips an ENI with its addresses (IPv4 primary first, in assignment order), groups and tags',
        withStore(async (s) => {
          const e = eni('eni-1', {
            name: 'n',
            description: 'd',
            securityGroupIds: ['sg-2', 'sg-1'],
            tags: [
              { key: 'b', value: '2' },
              { key: 'a', value: '1' },
            ],
            deleteOnRelease: true,
          });
          await tx(s, async (t) => {
            await t.enis.insert(e);
            assert.deepEqual(await t.addresses.insert([v6('vsw-1', 'eni-1', '2001:db8::2')]), ['2001:db8::2']);
            assert.deepEqual(await t.addresses.insert([v4('vsw-1', 'eni-1', '192.168.1.200')]), ['192.168.1.200']);
            assert.deepEqual(await t.addresses.insert([v4('vsw-1', 'eni-1', '192.168.1.100')]), ['192.168.1.100']);
            assert.deepEqual(await t.addresses.insert([v4('vsw-1', 'eni-1', '192.168.1.7', true)]), ['192.168.1.7']);
          });
          const got = await ro(s, (t) => t.enis.get(ACC, 'eni-1'));
          assert.deepEqual(got, {
            ...e,
            addresses: [
              { family: 4, address: '192.168.1.7', primary: true },
              { family: 4, address: '192.168.1.200', primary: false },
              { family: 4, address: '192.168.1.100', primary: false },
              { family: 6, address: '2001:db8::2', primary: false },
            ],
            tags: [
              { key: 'a', value: '1' },
              { key: 'b', value: '2' },
            ],
          });
          assert.equal(await ro(s, (t) => t.enis.get(OTHER, 'eni-1')), undefined);
          assert.deepEqual((await tx(s, (t) => t.enis.get(ACC, 'eni-1', { forUpdate: true })))?.id, 'eni-1');
        }),
      );

      it(
        'updates its own columns and security groups, not addresses or tags',
        withStore(async (s) => {
          await tx(s, async (t) => {
            await t.enis.insert(eni('eni-1', { securityGroupIds: ['sg-1'], tags: [{ key: 'k', value: 'v' }] }));
            await t.addresses.insert([v4('vsw-1', 'eni-1', '192.168.1.7', true)]);
            await t.instances.insert(inst('i-1'));
          });
          await tx(s, async (t) => {
            const cur = (await t.enis.get(ACC, 'eni-1', { forUpdate: true }))!;
            await t.enis.update({
              ...cur,
              name: 'x',
              description: 'y',
              status: 'Attaching',
              instanceId: null,
              pendingInstanceId: 'i-1',
              transitionDueMs: 1_700_000_000_005,
              deviceIndex: 2,
              deleteOnRelease: true,
              resourceGroupId: 'rg-2',
              securityGroupIds: ['sg-2', 'sg-1'],
              addresses: [],
              tags: [],
            });
          });
          const got = (await ro(s, (t) => t.enis.get(ACC, 'eni-1')))!;
          assert.equal(got.status, 'Attaching');
          assert.equal(got.pendingInstanceId, 'i-1');
          assert.equal(got.transitionDueMs, 1_700_000_000_005);
          assert.equal(got.deviceIndex, 2);
          assert.equal(got.deleteOnRelease, true);
          assert.equal(got.resourceGroupId, 'rg-2');
          assert.deepEqual([got.name, got.description], ['x', 'y']);
          assert.deepEqual(got.securityGroupIds, ['sg-2', 'sg-1']);
          assert.deepEqual(
            got.addresses.map((a) => a.address),
            ['192.168.1.7'],
          );
          assert.deepEqual(got.tags, [{ key: 'k', value: 'v' }]);
        }),
      );

      it(
        "keeps a member's type and trunk through insert and update, and lists by the Member type",
        withStore(async (s) => {
          await tx(s, async (t) => {
            await t.instances.insert(inst('i-1'));
            await t.enis.insert(eni('eni-t', { type: 'Trunk', status: 'InUse', instanceId: 'i-1', deviceIndex: 1 }));
            await t.enis.insert(eni('eni-m', { type: 'Member', status: 'InUse', instanceId: 'i-1', trunkEniId: 'eni-t' }));
            await t.enis.insert(eni('eni-s'));
          });
          const m = (await ro(s, (t) => t.enis.get(ACC, 'eni-m')))!;
          assert.deepEqual([m.type, m.trunkEniId], ['Member', 'eni-t']);
          assert.equal((await ro(s, (t) => t.enis.get(ACC, 'eni-s')))!.trunkEniId, null);
          const byType = (type: 'Trunk' | 'Member' | 'Secondary') =>
            ro(s, async (t) => (await t.enis.list(ACC, { regionId: REGION, type }, { limit: 50 })).items.map((e) => e.id));
          assert.deepEqual(await byType('Member'), ['eni-m']);
          assert.deepEqual(await byType('Trunk'), ['eni-t']);
          // Unbound, it is a Secondary again with no trunk: update writes both columns.
          await tx(s, async (t) => {
            const cur = (await t.enis.get(ACC, 'eni-m', { forUpdate: true }))!;
            await t.enis.update({ ...cur, type: 'Secondary', trunkEniId: null, status: 'Available', instanceId: null });
          });
          const u = (await ro(s, (t) => t.enis.get(ACC, 'eni-m')))!;
          assert.deepEqual([u.type, u.trunkEniId, u.status], ['Secondary', null, 'Available']);
          assert.deepEqual(await byType('Member'), []);
          assert.deepEqual(await byType('Secondary'), ['eni-m', 'eni-s']);
        }),
      );

      it(
        'round-trips and updates the traffic settings, SourceDestCheck and NetworkCardIndex',
        withStore(async (s) => {
          const traffic = {
            mode: 'HighPerformance' as const,
            queueNumber: 4,
            queuePairNumber: 2,
            rxQueueSize: 1024,
            txQueueSize: 2048,
            tcpClosedAndTimeWaitTimeout: 5,
            tcpEstablishedTimeout: 600,
            udpTimeout: 60,
            enableSriov: false,
            enableRss: true,
            enableExpress: null,
            virtualFunctionQuantity: 2,
            virtualFunctionTotalQueueNumber: null,
          };
          const e = eni('eni-9', { traffic, sourceDestCheck: true, networkCardIndex: 0 });
          await tx(s, (t) => t.enis.insert(e));
          assert.deepEqual((await ro(s, (t) => t.enis.get(ACC, 'eni-9')))?.traffic, traffic);
          const next = {
            ...e,
            traffic: { ...traffic, mode: 'Standard' as const, enableRss: null, udpTimeout: 30 },
            sourceDestCheck: false,
            networkCardIndex: null,
          };
          await tx(s, (t) => t.enis.update(next));
          const got = (await ro(s, (t) => t.enis.get(ACC, 'eni-9')))!;
          assert.deepEqual([got.traffic, got.sourceDestCheck, got.networkCardIndex], [next.traffic, false, null]);
        }),
      );

      it(
        'lists ENIs by every filter',
        withStore(async (s) => {
          await tx(s, async (t) => {
            await t.instances.insert(inst('i-1'));
            await t.enis.insert(
              eni('eni-a', {
                type: 'Primary',
                status: 'InUse',
                instanceId: 'i-1',
                deviceIndex: 0,
                securityGroupIds: ['sg-1'],
                name: 'prim',
              }),
            );
            await t.enis.insert(
              eni('eni-b', {
                status: 'Attaching',
                pendingInstanceId: 'i-1',
                securityGroupIds: ['sg-2'],
                tags: [{ key: 'env', value: 'prod' }],
              }),
            );
            await t.enis.insert(
              eni('eni-c', {
                vSwitchId: 'vsw-2',
                zoneId: 'cn-hangzhou-j',
                resourceGroupId: 'rg-2',
                tags: [
                  { key: 'env', value: 'dev' },
                  { key: 'team', value: 'x' },
                ],
              }),
            );
            await t.enis.insert(eni('eni-d', { regionId: 'cn-beijing' }));
            await t.enis.insert(eni('eni-e', { accountId: OTHER }));
            await t.addresses.insert([
              v4('vsw-1', 'eni-a', '192.168.1.10', true),
              v4('vsw-1', 'eni-a', '192.168.1.11'),
              v4('vsw-1', 'eni-b', '192.168.1.20', true),
              v6('vsw-1', 'eni-b', '2001:db8::20'),
              v4('vsw-2', 'eni-c', '192.168.2.30', true),
            ]);
          });
          await ro(s, async (t) => {
            const ids = async (f: Omit<Parameters<Tx['enis']['list']>[1], 'regionId'>) =>
              (await t.enis.list(ACC, { regionId: REGION, ...f }, { limit: 50 })).items.map((e) => e.id);
            assert.deepEqual(await ids({}), ['eni-a', 'eni-b', 'eni-c']);
            assert.deepEqual(await ids({ ids: ['eni-c', 'eni-d', 'eni-e'] }), ['eni-c']);
            assert.deepEqual(await ids({ instanceId: 'i-1' }), ['eni-a', 'eni-b'], 'bound or pending');
            assert.deepEqual(await ids({ vpcId: 'vpc-1' }), ['eni-a', 'eni-b', 'eni-c']);
            assert.deepEqual(await ids({ vSwitchId: 'vsw-2' }), ['eni-c']);
            assert.deepEqual(await ids({ securityGroupId: 'sg-2' }), ['eni-b']);
            assert.deepEqual(await ids({ primaryIpAddress: '192.168.1.20' }), ['eni-b']);
            assert.deepEqual(await ids({ primaryIpAddress: '192.168.1.11' }), [], 'a secondary is not the primary');
            assert.deepEqual(await ids({ privateIpAddresses: ['192.168.1.11', '192.168.2.30'] }), ['eni-a', 'eni-c']);
            assert.deepEqual(await ids({ ipv6Addresses: ['2001:db8::20'] }), ['eni-b']);
            assert.deepEqual(await ids({ name: 'prim' }), ['eni-a']);
            assert.deepEqual(await ids({ type: 'Primary' }), ['eni-a']);
            assert.deepEqual(await ids({ status: 'Available' }), ['eni-c']);
            assert.deepEqual(await ids({ resourceGroupId: 'rg-2' }), ['eni-c']);
            assert.deepEqual(await ids({ tags: [{ key: 'env' }] }), ['eni-b', 'eni-c']);
            assert.deepEqual(await ids({ tags: [{ key: 'env', value: 'dev' }] }), ['eni-c']);
            assert.deepEqual(await ids({ tags: [{ key: 'env' }, { key: 'team', value: 'x' }] }), ['eni-c']);
            const page = await t.enis.list(ACC, { regionId: REGION, instanceId: 'i-1' }, { limit: 50 });
            assert.equal(page.totalCount, 2);
            assert.deepEqual(
              page.items[0].addresses.map((a) => a.address),
              ['192.168.1.10', '192.168.1.11'],
            );
            assert.deepEqual(
              page.items[1].addresses.map((a) => a.address),
              ['192.168.1.20', '2001:db8::20'],
            );
          });
        }),
      );

      it(
        'counts and lists ENIs on an instance, per region, and checks MACs',
        withStore(async (s) => {
          await tx(s, async (t) => {
            await t.enis.insert(
              eni('eni-a', { type: 'Primary', status: 'InUse', instanceId: 'i-1', deviceIndex: 0, macAddress: '00:16:3e:aa:aa:aa' }),
            );
            await t.enis.insert(eni('eni-b', { status: 'InUse', instanceId: 'i-1', deviceIndex: 2 }));
            await t.enis.insert(eni('eni-c', { status: 'Attaching', pendingInstanceId: 'i-1', deviceIndex: 1 }));
            await t.enis.insert(eni('eni-d'));
            await t.enis.insert(eni('eni-e', { regionId: 'cn-beijing' }));
          });
          await ro(s, async (t) => {
            assert.deepEqual(
              (await t.enis.listByInstance('i-1')).map((e) => e.id),
              ['eni-a', 'eni-c', 'eni-b'],
              'by device index',
            );
            assert.equal(await t.enis.countOnInstance('i-1'), 3);
            assert.equal(await t.enis.countOnInstance('i-none'), 0);
            assert.equal(await t.enis.countInRegion(ACC, REGION), 4);
            assert.equal(await t.enis.countInRegion(OTHER, REGION), 0);
            assert.equal(await t.enis.macTaken('00:16:3e:aa:aa:aa'), true);
            assert.equal(await t.enis.macTaken('00:16:3e:bb:bb:bb'), false);
          });
        }),
      );

      it(
        'a VPC or status filter counts its TotalCount from counters (migration 021) that equal the real counts after every change',
        withStore(async (s) => {
          const STATUSES = ['Available', 'InUse', 'Attaching'] as const;
          const check = (label: string) =>
            ro(s, async (t) => {
              const seen: string[] = [];
              for (const accountId of [ACC, OTHER])
                for (const vpcId of [undefined, 'vpc-1', 'vpc-2'])
                  for (const status of [undefined, ...STATUSES]) {
                    if (vpcId === undefined && status === undefined) continue;
                    const f = { regionId: REGION, vpcId, status };
                    const real = (await t.enis.list(accountId, f, { limit: 1000 })).items.length;
                    const counted = (await t.enis.list(accountId, f, { limit: 0 })).totalCount;
                    assert.equal(counted, real, `${label}: ${accountId} ${vpcId ?? '*'} ${status ?? '*'}`);
                    if (vpcId && status && real) seen.push(`${accountId} ${vpcId} ${status} ${real}`);
                  }
              return seen;
            });
          await tx(s, async (t) => {
            await t.vpcs.insert(vpc('vpc-2'));
            await t.vSwitches.insert(vsw('vsw-3', { vpcId: 'vpc-2', cidrBlock: '192.168.3.0/24' }));
            await t.enis.insert(eni('eni-1'));
            await t.enis.insert(eni('eni-2', { status: 'InUse' }));
            await t.enis.insert(eni('eni-3', { status: 'InUse', vpcId: 'vpc-2', vSwitchId: 'vsw-3' }));
            await t.enis.insert(eni('eni-4', { accountId: OTHER, status: 'InUse' }));
          });
          assert.deepEqual(await check('created'), [
            'acc-1 vpc-1 Available 1',
            'acc-1 vpc-1 InUse 1',
            'acc-1 vpc-2 InUse 1',
            'acc-2 vpc-1 InUse 1',
          ]);
          // A status change, an update that changes no counted column, a delete.
          await tx(s, async (t) => {
            const e1 = (await t.enis.get(ACC, 'eni-1'))!;
            await t.enis.update({ ...e1, status: 'Attaching' });
            const e2 = (await t.enis.get(ACC, 'eni-2'))!;
            await t.enis.update({ ...e2, name: 'renamed' });
            await t.enis.delete('eni-4');
          });
          assert.deepEqual(await check('updated'), ['acc-1 vpc-1 InUse 1', 'acc-1 vpc-1 Attaching 1', 'acc-1 vpc-2 InUse 1']);
          // A failed transaction takes its changes with it.
          await expectRejects(
            tx(s, async (t) => {
              const e3 = (await t.enis.get(ACC, 'eni-3'))!;
              await t.enis.update({ ...e3, status: 'Available' });
              await t.enis.insert(eni('eni-9', { status: 'InUse' }));
              await t.enis.delete('eni-2');
              throw new Error('no');
            }),
          );
          assert.deepEqual(await check('rolled back'), ['acc-1 vpc-1 InUse 1', 'acc-1 vpc-1 Attaching 1', 'acc-1 vpc-2 InUse 1']);
          await tx(s, (t) => t.bulk.enis([eni('eni-b1', { status: 'InUse' }), eni('eni-b2', { status: 'InUse', accountId: OTHER })]));
          assert.deepEqual(await check('bulk'), [
            'acc-1 vpc-1 InUse 2',
            'acc-1 vpc-1 Attaching 1',
            'acc-1 vpc-2 InUse 1',
            'acc-2 vpc-1 InUse 1',
          ]);
          // Concurrent creations and status changes in one account (PostgreSQL: the counters' shards).
          await concurrently(12, (i) =>
            tx(s, async (t) => {
              await t.enis.insert(eni(`eni-c${String(i).padStart(2, '0')}`, { status: i % 2 ? 'InUse' : 'Available' }));
              if (i % 3 === 0) {
                const e = (await t.enis.get(ACC, 'eni-b1', { forUpdate: true }))!;
                await t.enis.update({ ...e, status: e.status === 'InUse' ? 'Available' : 'InUse' });
              }
              if (i % 4 === 1) throw new Error('fail');
            }).catch(() => undefined),
          );
          await check('concurrent');
        }),
      );

      it(
        'keeps the per-region ENI counts (quota, unfiltered TotalCount) in step with inserts, deletes and bulk loads; lists ENIs of many instances',
        withStore(async (s) => {
          await tx(s, async (t) => {
            await t.enis.insert(eni('eni-a', { status: 'InUse', instanceId: 'i-1', deviceIndex: 0 }));
            await t.enis.insert(eni('eni-b', { status: 'Attaching', instanceId: 'i-2', pendingInstanceId: 'i-1', deviceIndex: 1 }));
            await t.enis.insert(eni('eni-c'));
            await t.enis.insert(eni('eni-e', { regionId: 'cn-beijing' }));
          });
          await tx(s, (t) => t.enis.delete('eni-c'));
          await tx(s, (t) => t.bulk.enis([eni('eni-x'), eni('eni-y')]));
          await ro(s, async (t) => {
            assert.equal(await t.enis.countInRegion(ACC, REGION), 4);
            assert.equal(await t.enis.countInRegion(ACC, 'cn-beijing'), 1);
            const page = await t.enis.list(ACC, { regionId: REGION }, { limit: 2 });
            assert.deepEqual([page.items.map((e) => e.id), page.totalCount], [['eni-a', 'eni-b'], 4]);
            const byInstance = await t.enis.listByInstances(['i-1', 'i-2', 'i-none']);
            assert.deepEqual(
              [...byInstance].map(([id, enis]) => [id, enis.map((e) => e.id)]),
              [
                ['i-1', ['eni-a', 'eni-b']],
                ['i-2', ['eni-b']],
                ['i-none', []],
              ],
            );
            assert.deepEqual(
              (await t.enis.listByInstance('i-1')).map((e) => e.id),
              byInstance.get('i-1')!.map((e) => e.id),
            );
            const onInstance = await t.enis.list(ACC, { regionId: REGION, instanceId: 'i-1' }, { limit: 10 });
            assert.deepEqual([onInstance.items.map((e) => e.id), onInstance.totalCount], [['eni-a', 'eni-b'], 2]);
          });
        }),
      );

      it(
        'deletes an ENI with its addresses, groups and tags',
        withStore(async (s) => {
          await tx(s, async (t) => {
            await t.enis.insert(eni('eni-1', { securityGroupIds: ['sg-1'], tags: [{ key: 'k', value: 'v' }] }));
            await t.addresses.insert([v4('vsw-1', 'eni-1', '192.168.1.7', true), v6('vsw-1', 'eni-1', '2001:db8::7')]);
          });
          await tx(s, (t) => t.enis.delete('eni-1'));
          await ro(s, async (t) => {
            assert.equal(await t.enis.get(ACC, 'eni-1'), undefined);
            assert.equal(await t.securityGroups.enis('sg-1'), 0);
            assert.equal(await t.vSwitches.addressCount('vsw-1', 4), 0);
            assert.equal(await t.vSwitches.addressCount('vsw-1', 6), 0);
          });
          // the address is free again
          await tx(s, async (t) => {
            await t.enis.insert(eni('eni-2'));
            assert.deepEqual(await t.addresses.insert([v4('vsw-1', 'eni-2', '192.168.1.7', true)]), ['192.168.1.7']);
          });
        }),
      );

      it(
        'finds due ENI transitions (hydrated) and the next due time',
        withStore(async (s) => {
          await tx(s, async (t) => {
            await t.enis.insert(eni('eni-1', { status: 'Deleting', transitionDueMs: 2000, securityGroupIds: ['sg-1'] }));
            await t.addresses.insert([v4('vsw-1', 'eni-1', '192.168.1.9', true)]);
            await t.enis.insert(eni('eni-2', { status: 'Detaching', transitionDueMs: 1000 }));
            await t.enis.insert(eni('eni-3', { status: 'Attaching', transitionDueMs: 5000 }));
            await t.enis.insert(eni('eni-4'));
          });
          await tx(s, async (t) => {
            assert.equal(await t.enis.nextDueMs(), 1000);
            const due = await t.enis.due(2000, 10);
            assert.deepEqual(
              due.map((e) => e.id),
              ['eni-2', 'eni-1'],
            );
            assert.deepEqual(
              due[1].addresses.map((a) => a.address),
              ['192.168.1.9'],
            );
            assert.deepEqual(due[1].securityGroupIds, ['sg-1']);
            assert.deepEqual(
              (await t.enis.due(2000, 1)).map((e) => e.id),
              ['eni-2'],
            );
          });
          await tx(s, async (t) => {
            for (const e of await t.enis.due(9999, 10)) await t.enis.update({ ...e, transitionDueMs: null });
          });
          assert.equal(await ro(s, (t) => t.enis.nextDueMs()), null);
        }),
      );
    });

    describe('tags', () => {
      const scope = (resourceType: 'eni' | 'instance' | 'securitygroup' | 'vpc' | 'vswitch', accountId = ACC) => ({
        accountId,
        regionId: REGION,
        resourceType,
      });

      it(
        'put adds or overwrites, of reads them sorted by key, remove drops keys or all; ENIs carry theirs',
        withStore(async (s) => {
          await tx(s, async (t) => {
            await t.enis.insert(
              eni('eni-1', {
                tags: [
                  { key: 'b', value: '2' },
                  { key: 'a', value: '1' },
                ],
              }),
            );
            await t.tags.put({ ...scope('eni'), resourceId: 'eni-1' }, [
              { key: 'a', value: 'one' },
              { key: 'c', value: '3' },
            ]);
            await t.tags.put({ ...scope('vpc'), resourceId: 'vpc-1' }, [{ key: 'Z', value: '' }]);
          });
          assert.deepEqual((await ro(s, (t) => t.enis.get(ACC, 'eni-1')))?.tags, [
            { key: 'a', value: 'one' },
            { key: 'b', value: '2' },
            { key: 'c', value: '3' },
          ]);
          const of = await ro(s, (t) => t.tags.of(['eni-1', 'vpc-1', 'sg-1']));
          assert.deepEqual(
            [...of.entries()],
            [
              [
                'eni-1',
                [
                  { key: 'a', value: 'one' },
                  { key: 'b', value: '2' },
                  { key: 'c', value: '3' },
                ],
              ],
              ['vpc-1', [{ key: 'Z', value: '' }]],
              ['sg-1', []],
            ],
          );
          await tx(s, (t) => t.tags.remove('eni-1', ['a', 'nope']));
          assert.deepEqual(
            (await ro(s, (t) => t.tags.of(['eni-1']))).get('eni-1')?.map((x) => x.key),
            ['b', 'c'],
          );
          await tx(s, (t) => t.tags.remove('eni-1'));
          assert.deepEqual((await ro(s, (t) => t.tags.of(['eni-1']))).get('eni-1'), []);
        }),
      );

      it(
        'owners finds only resources of the type, account and region asked',
        withStore(async (s) => {
          await tx(s, async (t) => {
            await t.enis.insert(eni('eni-1'));
            await t.enis.insert(eni('eni-9', { accountId: OTHER }));
            await t.instances.insert(inst('i-1'));
          });
          assert.deepEqual(await tx(s, (t) => t.tags.owners(scope('eni'), ['eni-9', 'eni-1', 'i-1', 'eni-1'])), ['eni-1']);
          assert.deepEqual(await tx(s, (t) => t.tags.owners(scope('instance'), ['i-1'])), ['i-1']);
          assert.deepEqual(await tx(s, (t) => t.tags.owners({ ...scope('eni'), regionId: 'cn-beijing' }, ['eni-1'])), []);
          assert.deepEqual(await tx(s, (t) => t.tags.owners(scope('vswitch'), ['vsw-2', 'vsw-1', 'sg-1'])), ['vsw-1', 'vsw-2']);
        }),
      );

      it(
        'list pages in (resource, key) order; by tag it lists the keys asked of resources carrying every pair',
        withStore(async (s) => {
          await tx(s, async (t) => {
            for (const id of ['eni-1', 'eni-2', 'eni-3']) await t.enis.insert(eni(id));
            await t.tags.put({ ...scope('eni'), resourceId: 'eni-1' }, [
              { key: 'k1', value: 'a' },
              { key: 'k2', value: 'b' },
              { key: 'k3', value: 'c' },
            ]);
            await t.tags.put({ ...scope('eni'), resourceId: 'eni-2' }, [
              { key: 'k1', value: 'a' },
              { key: 'k2', value: 'x' },
            ]);
            await t.tags.put({ ...scope('eni'), resourceId: 'eni-3' }, [{ key: 'k1', value: 'a' }]);
            await t.tags.put({ ...scope('eni', OTHER), resourceId: 'eni-x' }, [{ key: 'k1', value: 'a' }]);
          });
          const all: string[] = [];
          let after: { resourceId: string; key: string } | undefined;
          for (let i = 0; i < 10; i++) {
            const page = await ro(s, (t) => t.tags.list(scope('eni'), { resourceIds: ['eni-1', 'eni-2', 'eni-3'] }, { after, limit: 2 }));
            all.push(...page.items.map((x) => `${x.resourceId}/${x.key}=${x.value}`));
            after = page.next;
            if (!after) break;
          }
          assert.deepEqual(all, ['eni-1/k1=a', 'eni-1/k2=b', 'eni-1/k3=c', 'eni-2/k1=a', 'eni-2/k2=x', 'eni-3/k1=a']);
          const byTag = await ro(s, (t) => t.tags.list(scope('eni'), { tags: [{ key: 'k1', value: 'a' }, { key: 'k2' }] }, { limit: 50 }));
          assert.deepEqual(
            byTag.items.map((x) => `${x.resourceId}/${x.key}`),
            ['eni-1/k1', 'eni-1/k2', 'eni-2/k1', 'eni-2/k2'],
          );
          assert.equal(byTag.next, undefined);
          // Fuzzy filters (TagFilter.N): prefix and infix keys, an exact key with values ORed, all ANDed, case-sensitive.
          const fuzzy = async (f: FuzzyTagFilter[]) =>
            (await ro(s, (t) => t.tags.list(scope('eni'), { fuzzy: f }, { limit: 50 }))).items.map((x) => `${x.resourceId}/${x.key}`);
          assert.deepEqual(
            await fuzzy([{ key: { kind: 'prefix', text: 'k' } }]),
            all.map((x) => x.split('=')[0]),
          );
          assert.deepEqual(await fuzzy([{ key: { kind: 'prefix', text: 'K' } }]), []);
          assert.deepEqual(await fuzzy([{ key: { kind: 'infix', text: '3' } }]), ['eni-1/k3']);
          assert.deepEqual(
            await fuzzy([
              {
                key: { kind: 'exact', text: 'k2' },
                values: [
                  { kind: 'exact', text: 'b' },
                  { kind: 'infix', text: 'x' },
                ],
              },
              { key: { kind: 'exact', text: 'k1' }, values: [{ kind: 'prefix', text: 'a' }] },
            ]),
            ['eni-1/k1', 'eni-1/k2', 'eni-2/k1', 'eni-2/k2'],
          );
          assert.deepEqual(await fuzzy([{ key: { kind: 'exact', text: 'k2' }, values: [{ kind: 'prefix', text: 'x' }] }]), ['eni-2/k2']);
          // The same filter on DescribeNetworkInterfaces' list.
          const enis = await ro(s, (t) =>
            t.enis.list(
              ACC,
              {
                regionId: REGION,
                tags: [
                  { key: 'k1', value: 'a' },
                  { key: 'k2', value: 'x' },
                ],
              },
              { limit: 10 },
            ),
          );
          assert.deepEqual(
            enis.items.map((e) => e.id),
            ['eni-2'],
          );
        }),
      );

      it(
        'tag filters give the same answer whichever tag is rare (a rare one drives, common ones are probed)',
        withStore(async (s) => {
          await tx(s, async (t) => {
            for (let i = 0; i < 12; i++) {
              const tags = [
                { key: 'common', value: 'yes' },
                ...(i % 6 === 0 ? [{ key: 'rare', value: 'yes' }] : []),
                ...(i % 2 === 0 ? [{ key: 'half', value: '' }] : []),
              ];
              await t.enis.insert(eni(`eni-${String(i).padStart(2, '0')}`, { tags }));
            }
          });
          const ids = async (tags: { key: string; value?: string }[], limit = 20) =>
            (await ro(s, (t) => t.enis.list(ACC, { regionId: REGION, tags }, { limit }))).items.map((e) => e.id);
          assert.deepEqual(await ids([{ key: 'rare', value: 'yes' }]), ['eni-00', 'eni-06']);
          assert.deepEqual(
            await ids([
              { key: 'common', value: 'yes' },
              { key: 'rare', value: 'yes' },
            ]),
            ['eni-00', 'eni-06'],
          );
          assert.deepEqual(await ids([{ key: 'common' }, { key: 'half' }]), ['eni-00', 'eni-02', 'eni-04', 'eni-06', 'eni-08', 'eni-10']);
          assert.deepEqual(await ids([{ key: 'half', value: '' }, { key: 'rare', value: 'yes' }, { key: 'common' }]), ['eni-00', 'eni-06']);
          assert.deepEqual(await ids([{ key: 'rare', value: 'no' }, { key: 'common' }]), []);
          const page = await ro(s, (t) => t.enis.list(ACC, { regionId: REGION, tags: [{ key: 'common' }] }, { limit: 5 }));
          assert.deepEqual([page.items.length, page.totalCount, page.nextToken], [5, 12, 'eni-04']);
        }),
      );

      it(
        'deleting a resource deletes its tags; tag filters work on every list',
        withStore(async (s) => {
          await tx(s, async (t) => {
            await t.instances.insert(inst('i-1'));
            await t.instances.insert(inst('i-2'));
            await t.vpcs.insert(vpc('vpc-2'));
            for (const [type, id] of [
              ['instance', 'i-1'],
              ['vpc', 'vpc-2'],
              ['vswitch', 'vsw-2'],
              ['securitygroup', 'sg-2'],
            ] as const) {
              await t.tags.put({ ...scope(type), resourceId: id }, [{ key: 'env', value: 'prod' }]);
            }
          });
          const f = { regionId: REGION, tags: [{ key: 'env', value: 'prod' }] };
          assert.deepEqual(
            (await ro(s, (t) => t.instances.list(ACC, f, { limit: 10 }))).items.map((x) => x.id),
            ['i-1'],
          );
          assert.deepEqual(
            (await ro(s, (t) => t.vpcs.list(ACC, f, { limit: 10 }))).items.map((x) => x.id),
            ['vpc-2'],
          );
          assert.deepEqual(
            (await ro(s, (t) => t.vSwitches.list(ACC, f, { limit: 10 }))).items.map((x) => x.id),
            ['vsw-2'],
          );
          assert.deepEqual(
            (await ro(s, (t) => t.securityGroups.list(ACC, { ...f, tags: [{ key: 'env' }] }, { limit: 10 }))).items.map((x) => x.id),
            ['sg-2'],
          );
          assert.equal(
            (await ro(s, (t) => t.securityGroups.list(ACC, { ...f, tags: [{ key: 'env', value: 'dev' }] }, { limit: 10 }))).totalCount,
            0,
          );
          await tx(s, async (t) => {
            await t.instances.delete('i-1');
            await t.vpcs.delete(ACC, 'vpc-2');
            await t.vSwitches.delete(ACC, 'vsw-2');
            await t.securityGroups.delete(ACC, 'sg-2');
          });
          const left = await ro(s, (t) => t.tags.of(['i-1', 'vpc-2', 'vsw-2', 'sg-2']));
          assert.deepEqual([...left.values()], [[], [], [], []]);
        }),
      );

      // tags.count reads the counters (migration 021, triggers on tags); each must equal the tags' real count.
      const TYPES = ['eni', 'instance', 'vpc', 'vswitch', 'securitygroup'] as const;
      const FILTERS = [
        { key: 'k' },
        { key: 'k', value: '1' },
        { key: 'k', value: '2' },
        { key: 'k', value: '' },
        { key: 'j' },
        { key: 'j', value: 'x' },
      ];
      /** every counter of both accounts against the resources that really carry the tag */
      const countsMatch = (s: Store, label: string) =>
        ro(s, async (t) => {
          const seen: string[] = [];
          for (const accountId of [ACC, OTHER])
            for (const type of TYPES)
              for (const f of FILTERS) {
                const sc = scope(type, accountId);
                const real = new Set((await t.tags.list(sc, { tags: [f] }, { limit: 1000 })).items.map((x) => x.resourceId)).size;
                assert.equal(await t.tags.count(sc, f), real, `${label}: ${accountId} ${type} ${f.key}=${f.value ?? '*'}`);
                if (real > 0) seen.push(`${accountId} ${type} ${f.key}=${f.value ?? '*'} ${real}`);
              }
          return seen;
        });

      it(
        'tag counters equal the real counts after every kind of tag and resource change, and a failed transaction',
        withStore(async (s) => {
          assert.deepEqual(await countsMatch(s, 'empty'), []);
          await tx(s, async (t) => {
            for (const i of [1, 2, 3])
              await t.enis.insert(
                eni(`eni-${i}`, {
                  tags: [
                    { key: 'k', value: i === 3 ? '2' : '1' },
                    { key: 'j', value: 'x' },
                  ],
                }),
              );
            await t.enis.insert(eni('eni-o', { accountId: OTHER, tags: [{ key: 'k', value: '1' }] }));
            await t.instances.insert(inst('i-1'));
            await t.tags.put({ ...scope('instance'), resourceId: 'i-1' }, [{ key: 'k', value: '' }]);
            await t.vpcs.insert(vpc('vpc-2'));
            await t.vSwitches.insert(vsw('vsw-3', { vpcId: 'vpc-2', cidrBlock: '192.168.3.0/24' }));
            await t.securityGroups.insert(sg('sg-3', { vpcId: 'vpc-2' }));
            await t.tags.put({ ...scope('vpc'), resourceId: 'vpc-2' }, [{ key: 'k', value: '1' }]);
            await t.tags.put({ ...scope('vswitch'), resourceId: 'vsw-3' }, [{ key: 'j', value: 'x' }]);
            await t.tags.put({ ...scope('securitygroup'), resourceId: 'sg-3' }, [{ key: 'k', value: '2' }]);
          });
          assert.deepEqual(await countsMatch(s, 'created'), [
            'acc-1 eni k=* 3',
            'acc-1 eni k=1 2',
            'acc-1 eni k=2 1',
            'acc-1 eni j=* 3',
            'acc-1 eni j=x 3',
            'acc-1 instance k=* 1',
            'acc-1 instance k= 1',
            'acc-1 vpc k=* 1',
            'acc-1 vpc k=1 1',
            'acc-1 vswitch j=* 1',
            'acc-1 vswitch j=x 1',
            'acc-1 securitygroup k=* 1',
            'acc-1 securitygroup k=2 1',
            'acc-2 eni k=* 1',
            'acc-2 eni k=1 1',
          ]);
          // An existing key takes a new value, the same value again, a new key; then keys and all tags removed.
          await tx(s, (t) =>
            t.tags.put({ ...scope('eni'), resourceId: 'eni-1' }, [
              { key: 'k', value: '2' },
              { key: 'j', value: 'x' },
            ]),
          );
          await countsMatch(s, 'overwritten');
          assert.equal(await ro(s, (t) => t.tags.count(scope('eni'), { key: 'k', value: '2' })), 2);
          await tx(s, (t) => t.tags.remove('eni-2', ['j', 'nope']));
          await tx(s, (t) => t.tags.remove('eni-3'));
          await countsMatch(s, 'removed');
          assert.equal(await ro(s, (t) => t.tags.count(scope('eni'), { key: 'j' })), 1);
          // A failed transaction takes its counter changes with it.
          await expectRejects(
            tx(s, async (t) => {
              await t.enis.insert(eni('eni-9', { tags: [{ key: 'k', value: '1' }] }));
              await t.tags.put({ ...scope('eni'), resourceId: 'eni-1' }, [{ key: 'k', value: '1' }]);
              await t.tags.remove('eni-2');
              await t.enis.delete('eni-1');
              assert.equal(await t.tags.count(scope('eni'), { key: 'k', value: '1' }), 1, 'seen inside the transaction');
              throw new Error('no');
            }),
          );
          await countsMatch(s, 'rolled back');
          assert.equal(await ro(s, (t) => t.tags.count(scope('eni'), { key: 'k', value: '2' })), 1);
          // Each resource's delete takes its tags, and their counts.
          await tx(s, async (t) => {
            await t.enis.delete('eni-1');
            await t.enis.delete('eni-o');
            await t.instances.delete('i-1');
            await t.securityGroups.delete(ACC, 'sg-3');
            await t.vSwitches.delete(ACC, 'vsw-3');
            await t.vpcs.delete(ACC, 'vpc-2');
          });
          assert.deepEqual(await countsMatch(s, 'deleted'), ['acc-1 eni k=* 1', 'acc-1 eni k=1 1']);
          // The bulk path (bench/scale) counts as well.
          await tx(s, (t) =>
            t.bulk.enis([eni('eni-b1', { tags: [{ key: 'k', value: '1' }] }), eni('eni-b2', { tags: [{ key: 'k', value: '2' }] })]),
          );
          assert.deepEqual(await countsMatch(s, 'bulk'), ['acc-1 eni k=* 3', 'acc-1 eni k=1 2', 'acc-1 eni k=2 1']);
          // With no other filter, a tag-filtered ENI page's TotalCount is the counter's.
          const page = await ro(s, (t) => t.enis.list(ACC, { regionId: REGION, tags: [{ key: 'k', value: '1' }] }, { limit: 1 }));
          assert.deepEqual([page.totalCount, page.items.length], [2, 1]);
        }),
      );

      it(
        'concurrent transactions tagging with one key and value count every commit and none of the failures',
        withStore(async (s) => {
          const results = await concurrently(24, (i) =>
            tx(s, async (t) => {
              await t.enis.insert(eni(`eni-c${String(i).padStart(2, '0')}`, { tags: [{ key: 'k', value: '1' }] }));
              await new Promise((r) => setTimeout(r, 1));
              if (i % 5 === 0) await t.enis.delete(`eni-c${String(i).padStart(2, '0')}`);
              if (i % 7 === 3) throw new Error('fail');
              return i;
            }).then(
              () => true,
              () => false,
            ),
          );
          const kept = results.filter((ok, i) => ok && i % 5 !== 0).length;
          assert.equal(kept, 24 - 5 - 3 + 1, 'i = 10 both deletes and fails');
          await countsMatch(s, 'concurrent');
          assert.equal(await ro(s, (t) => t.tags.count(scope('eni'), { key: 'k', value: '1' })), kept);
        }),
      );
    });

    describe('addresses', () => {
      it(
        'one address per vSwitch: ON CONFLICT DO NOTHING returns only what was inserted',
        withStore(async (s) => {
          await tx(s, async (t) => {
            await t.enis.insert(eni('eni-1'));
            await t.enis.insert(eni('eni-2'));
            await t.enis.insert(eni('eni-3', { vSwitchId: 'vsw-2' }));
            assert.deepEqual(await t.addresses.insert([v4('vsw-1', 'eni-1', '192.168.1.10', true), v4('vsw-1', 'eni-1', '192.168.1.11')]), [
              '192.168.1.10',
              '192.168.1.11',
            ]);
          });
          await tx(s, async (t) => {
            // taken by eni-1: skipped, not raised, and the transaction goes on
            assert.deepEqual(await t.addresses.insert([v4('vsw-1', 'eni-2', '192.168.1.11'), v4('vsw-1', 'eni-2', '192.168.1.12')]), [
              '192.168.1.12',
            ]);
            assert.deepEqual(await t.addresses.insert([v4('vsw-1', 'eni-2', '192.168.1.10')]), []);
            // the same address in another vSwitch is another address
            assert.deepEqual(await t.addresses.insert([{ ...v4('vsw-2', 'eni-3', '192.168.1.10') }]), ['192.168.1.10']);
            assert.deepEqual(await t.addresses.insert([v6('vsw-1', 'eni-2', '2001:db8::1'), v6('vsw-1', 'eni-1', '2001:db8::1')]), [
              '2001:db8::1',
            ]);
          });
          const e2 = (await ro(s, (t) => t.enis.get(ACC, 'eni-2')))!;
          assert.deepEqual(
            e2.addresses.map((a) => a.address),
            ['192.168.1.12', '2001:db8::1'],
          );
          const e1 = (await ro(s, (t) => t.enis.get(ACC, 'eni-1')))!;
          assert.deepEqual(
            e1.addresses.map((a) => a.address),
            ['192.168.1.10', '192.168.1.11'],
          );
        }),
      );

      it(
        'deletes named addresses of one ENI only, or all of them; lists IPv4 numbers per vSwitch',
        withStore(async (s) => {
          await tx(s, async (t) => {
            await t.enis.insert(eni('eni-1'));
            await t.enis.insert(eni('eni-2'));
            await t.addresses.insert([
              v4('vsw-1', 'eni-1', '192.168.1.10', true),
              v4('vsw-1', 'eni-1', '192.168.1.11'),
              v4('vsw-1', 'eni-1', '192.168.1.12'),
              v6('vsw-1', 'eni-1', '2001:db8::1'),
              v4('vsw-1', 'eni-2', '192.168.1.20', true),
            ]);
          });
          await tx(s, async (t) => {
            assert.deepEqual(
              (await t.addresses.ipv4NumsInVSwitch('vsw-1')).sort((a, b) => a - b),
              [3232235786, 3232235787, 3232235788, 3232235796],
            );
            assert.equal(
              await t.addresses.delete('eni-1', ['192.168.1.11', '192.168.1.20', '192.168.1.99']),
              1,
              "eni-2's address is not eni-1's",
            );
            assert.equal(await t.addresses.delete('eni-1', []), 0);
            assert.equal(await t.addresses.deleteAllOf('eni-1'), 3);
            assert.equal(await t.addresses.deleteAllOf('eni-1'), 0);
            assert.deepEqual(await t.addresses.ipv4NumsInVSwitch('vsw-1'), [3232235796]);
            assert.deepEqual(await t.addresses.ipv4NumsInVSwitch('vsw-2'), []);
          });
        }),
      );
    });

    describe('IP prefixes', () => {
      const p4 = (vSwitchId: string, eniId: string, prefix: string) => {
        const [a, b, c, d] = prefix.split('/')[0]!.split('.').map(Number);
        return { vSwitchId, eniId, family: 4 as const, prefix, ipv4First: ((a! * 256 + b!) * 256 + c!) * 256 + d! };
      };
      const p6 = (vSwitchId: string, eniId: string, prefix: string) => ({ vSwitchId, eniId, family: 6 as const, prefix, ipv4First: null });

      it(
        'never overlap each other or an address, whichever came first; the ENI carries them',
        withStore(async (s) => {
          await tx(s, async (t) => {
            await t.enis.insert(eni('eni-1'));
            await t.enis.insert(eni('eni-2'));
            await t.addresses.insert([v4('vsw-1', 'eni-1', '192.168.1.10', true), v4('vsw-1', 'eni-2', '192.168.1.20', true)]);
          });
          await tx(s, async (t) => {
            assert.deepEqual(
              await t.prefixes.insert([
                p4('vsw-1', 'eni-1', '192.168.1.32/28'),
                p4('vsw-1', 'eni-1', '192.168.1.16/28'), // holds eni-2's 192.168.1.20: skipped
                p6('vsw-1', 'eni-1', '2001:db8::1:0:0:0/80'),
              ]),
              ['192.168.1.32/28', '2001:db8::1:0:0:0/80'],
            );
            // the same block again, from another ENI: skipped
            assert.deepEqual(await t.prefixes.insert([p4('vsw-1', 'eni-2', '192.168.1.32/28')]), []);
            // the same block in another vSwitch is another block
            await t.enis.insert(eni('eni-3', { vSwitchId: 'vsw-2' }));
            assert.deepEqual(await t.prefixes.insert([p4('vsw-2', 'eni-3', '192.168.1.32/28')]), ['192.168.1.32/28']);
          });
          await tx(s, async (t) => {
            // an address inside a prefix is skipped like a taken one
            assert.deepEqual(await t.addresses.insert([v4('vsw-1', 'eni-2', '192.168.1.40'), v4('vsw-1', 'eni-2', '192.168.1.48')]), [
              '192.168.1.48',
            ]);
            assert.deepEqual(await t.prefixes.ipv4FirstsInVSwitch('vsw-1'), [3232235808]);
            assert.deepEqual(await t.prefixes.ipv6InVSwitch('vsw-1'), ['2001:db8::1:0:0:0/80']);
          });
          const e1 = (await ro(s, (t) => t.enis.get(ACC, 'eni-1')))!;
          assert.deepEqual(e1.ipv4Prefixes, ['192.168.1.32/28']);
          assert.deepEqual(e1.ipv6Prefixes, ['2001:db8::1:0:0:0/80']);
          assert.deepEqual((await ro(s, (t) => t.enis.get(ACC, 'eni-2')))!.ipv4Prefixes, []);
          await tx(s, async (t) => {
            assert.equal(await t.prefixes.delete('eni-2', ['192.168.1.32/28']), 0, "eni-1's prefix is not eni-2's");
            assert.equal(await t.prefixes.delete('eni-1', ['192.168.1.32/28']), 1);
            assert.deepEqual(await t.addresses.insert([v4('vsw-1', 'eni-2', '192.168.1.40')]), ['192.168.1.40']);
            assert.equal(await t.prefixes.deleteAllOf('eni-1'), 1);
            await t.enis.delete('eni-3');
          });
          assert.deepEqual((await ro(s, (t) => t.enis.get(ACC, 'eni-1')))!.ipv6Prefixes, []);
          assert.deepEqual(await ro(s, (t) => t.prefixes.ipv4FirstsInVSwitch('vsw-2')), []);
        }),
      );
    });

    describe('ClientToken results, nonces, kv', () => {
      it(
        'stores a ClientToken result once per account and action; purges old ones',
        withStore(async (s) => {
          await tx(s, async (t) => {
            assert.equal(await t.idempotency.get(ACC, 'A', 'tok'), undefined);
            assert.equal(await t.idempotency.put(ACC, 'A', 'tok', { paramsHash: 'h1', result: '{"x":1}' }, 1000), true);
            assert.equal(await t.idempotency.put(ACC, 'A', 'tok', { paramsHash: 'h2', result: '{}' }, 2000), false);
            assert.equal(await t.idempotency.put(ACC, 'B', 'tok', { paramsHash: 'h3', result: '{}' }, 5000), true);
            assert.equal(await t.idempotency.put(OTHER, 'A', 'tok', { paramsHash: 'h4', result: '{}' }, 5000), true);
          });
          await tx(s, async (t) => {
            assert.deepEqual(await t.idempotency.get(ACC, 'A', 'tok'), { paramsHash: 'h1', result: '{"x":1}' });
            assert.equal(await t.idempotency.purge(1001), 1);
            assert.equal(await t.idempotency.get(ACC, 'A', 'tok'), undefined);
            assert.deepEqual(await t.idempotency.get(ACC, 'B', 'tok'), { paramsHash: 'h3', result: '{}' });
          });
        }),
      );

      it(
        'refuses a nonce seen before for the same key; purges expired ones',
        withStore(async (s) => {
          await tx(s, async (t) => {
            assert.equal(await t.nonces.add('k1', 'n1', 1000), true);
            assert.equal(await t.nonces.add('k1', 'n1', 9000), false);
            assert.equal(await t.nonces.add('k2', 'n1', 9000), true);
          });
          await tx(s, async (t) => {
            assert.equal(await t.nonces.purge(5000), 1);
            assert.equal(await t.nonces.add('k1', 'n1', 9000), true, 'forgotten after expiry');
          });
        }),
      );

      it(
        'purges in bounded parts: ClientTokens at most the limit, nonces a slice of the key space; only expired rows',
        withStore(async (s) => {
          await tx(s, async (t) => {
            for (let i = 0; i < 5; i++) await t.nonces.add('k', `old-${i}`, 1000 + i);
            await t.nonces.add('k', 'live', 9000);
            for (let i = 0; i < 3; i++) await t.idempotency.put(ACC, 'A', `old-${i}`, { paramsHash: 'h', result: '{}' }, 1000 + i);
            await t.idempotency.put(ACC, 'A', 'live', { paramsHash: 'h', result: '{}' }, 9000);
          });
          await tx(s, async (t) => {
            // Each slice of the key space takes exactly its own expired nonces; together they take all five.
            for (let index = 0; index < 4; index++) {
              const [lo, hi] = nonceKeySlice(index, 4);
              const inSlice = [0, 1, 2, 3, 4].filter((i) => {
                const k = nonceKey('k', `old-${i}`);
                return k >= lo && (hi === undefined || k < hi);
              }).length;
              assert.equal(await t.nonces.purge(5000, { index, of: 4 }), inSlice, `slice ${index}`);
            }
            assert.equal(await t.nonces.purge(5000), 0, 'nothing expired is left');
            assert.equal(await t.nonces.add('k', 'live', 9000), false, 'the live nonce is still there');
            assert.equal(await t.nonces.add('k', 'old-3', 9000), true, 'an expired one is gone');
            assert.equal(await t.idempotency.purge(5000, 2), 2);
            assert.equal(await t.idempotency.purge(5000, 2), 1);
            assert.deepEqual(await t.idempotency.get(ACC, 'A', 'live'), { paramsHash: 'h', result: '{}' });
          });
        }),
      );

      it(
        'keeps small values with an optional expiry',
        withStore(async (s) => {
          const now = Date.now();
          await tx(s, async (t) => {
            await t.kv.put('a', '1', null);
            await t.kv.put('b', '2', now + 60_000);
            await t.kv.put('c', '3', now - 1);
            await t.kv.put('a', '1b', null);
          });
          await tx(s, async (t) => {
            assert.equal(await t.kv.get('a', now), '1b');
            assert.equal(await t.kv.get('b', now), '2');
            assert.equal(await t.kv.get('c', now), undefined, 'expired reads as missing');
            assert.equal(await t.kv.get('zz', now), undefined);
            assert.equal(await t.kv.get('b', now + 120_000), undefined, "expiry is judged by the caller's clock");
            await t.kv.delete('b');
            assert.equal(await t.kv.get('b', now), undefined);
            assert.equal(await t.kv.purge(now), 1);
          });
        }),
      );
    });

    describe('state', () => {
      it(
        'scopes lists each (account, region) holding a resource, in order',
        withStore(async (s) => {
          const scopes = await ro(s, (t) => t.state.scopes());
          assert.ok(scopes.length > 0);
          assert.deepEqual(
            scopes,
            [...scopes].sort((a, b) => (a.accountId + a.regionId).localeCompare(b.accountId + b.regionId)),
          );
          assert.ok(scopes.some((x) => x.accountId === ACC && x.regionId === REGION));
          assert.equal(new Set(scopes.map((x) => `${x.accountId}/${x.regionId}`)).size, scopes.length, 'each once');
        }),
      );
    });

    describe('metadata (cross-account reads for the metadata service and the lab)', () => {
      it(
        'finds instances by a bound address, primary ENI first, and reads any account',
        withStore(async (s) => {
          await tx(s, async (t) => {
            await t.instances.insert(inst('i-1'));
            await t.instances.insert(inst('i-2', { accountId: OTHER }));
            await t.enis.insert(eni('eni-p1', { type: 'Primary', status: 'InUse', instanceId: 'i-1', deviceIndex: 0 }));
            await t.enis.insert(
              eni('eni-s2', { accountId: OTHER, status: 'InUse', instanceId: 'i-2', deviceIndex: 1, vSwitchId: 'vsw-2' }),
            );
            await t.enis.insert(eni('eni-a', { status: 'Attaching', pendingInstanceId: 'i-1', deviceIndex: 2 }));
            await t.enis.insert(eni('eni-free'));
            await t.addresses.insert([
              v4('vsw-1', 'eni-p1', '192.168.1.5', true),
              v4('vsw-1', 'eni-p1', '192.168.1.6'),
              v6('vsw-1', 'eni-p1', '2001:db8::5'),
              v4('vsw-2', 'eni-s2', '192.168.1.5', true),
              v4('vsw-1', 'eni-a', '192.168.1.7', true),
              v4('vsw-1', 'eni-free', '192.168.1.8', true),
            ]);
          });
          await ro(s, async (t) => {
            assert.deepEqual(await t.metadata.instanceIdsByAddress('192.168.1.5'), ['i-1', 'i-2'], 'on a primary ENI first');
            assert.deepEqual(await t.metadata.instanceIdsByAddress('192.168.1.6'), ['i-1']);
            assert.deepEqual(await t.metadata.instanceIdsByAddress('192.168.1.7'), [], 'Attaching is not bound yet');
            assert.deepEqual(await t.metadata.instanceIdsByAddress('192.168.1.8'), []);
            assert.deepEqual(await t.metadata.instanceIdsByAddress('2001:db8::5'), [], 'IPv4 only');
            assert.equal((await t.metadata.instance('i-2'))?.accountId, OTHER);
            assert.equal(await t.metadata.instance('i-none'), undefined);
            assert.equal((await t.metadata.vpc('vpc-1'))?.id, 'vpc-1');
            assert.equal((await t.metadata.vSwitch('vsw-2'))?.cidrBlock, '192.168.2.0/24');
            assert.equal(await t.metadata.vSwitch('vsw-none'), undefined);
            assert.deepEqual(
              (await t.metadata.allInstances()).map((i) => i.id),
              ['i-1', 'i-2'],
            );
            assert.deepEqual(
              (await t.metadata.allVSwitches()).map((v) => v.id),
              ['vsw-1', 'vsw-2'],
            );
            const all = await t.metadata.allEnis();
            assert.deepEqual(
              all.map((e) => e.id),
              ['eni-a', 'eni-free', 'eni-p1', 'eni-s2'],
            );
            const p1 = all.find((e) => e.id === 'eni-p1')!;
            assert.deepEqual(
              { ...p1, macAddress: undefined },
              {
                id: 'eni-p1',
                accountId: ACC,
                vSwitchId: 'vsw-1',
                type: 'Primary',
                status: 'InUse',
                macAddress: undefined,
                instanceId: 'i-1',
                pendingInstanceId: null,
                deviceIndex: 0,
                addresses: [
                  { family: 4, address: '192.168.1.5', primary: true },
                  { family: 4, address: '192.168.1.6', primary: false },
                  { family: 6, address: '2001:db8::5', primary: false },
                ],
                ipv4Prefixes: [],
                ipv6Prefixes: [],
              },
            );
            assert.equal(all.find((e) => e.id === 'eni-a')!.pendingInstanceId, 'i-1');
          });
        }),
      );
    });

    describe('paging', () => {
      async function seedVpcs(s: Store, n: number): Promise<string[]> {
        const ids = Array.from({ length: n }, (_, i) => `vpc-p${String(i).padStart(2, '0')}`);
        // inserted out of order; pages come in id order
        await tx(s, async (t) => {
          for (const id of [...ids].reverse()) await t.vpcs.insert(vpc(id, { regionId: 'cn-shanghai' }));
        });
        return ids;
      }

      it(
        'keyset: nextToken continues after the last id until it is empty',
        withStore(async (s) => {
          const ids = await seedVpcs(s, 7);
          const seen: string[] = [];
          let after = '';
          for (let pages = 0; pages < 10; pages++) {
            const page = await ro(s, (t) => t.vpcs.list(ACC, { regionId: 'cn-shanghai' }, { after, limit: 3 }));
            assert.equal(page.totalCount, 7);
            seen.push(...page.items.map((v) => v.id));
            if (!page.nextToken) break;
            assert.equal(page.nextToken, page.items[page.items.length - 1].id);
            after = page.nextToken;
          }
          assert.deepEqual(seen, ids);
        }),
      );

      it(
        'offset: PageNumber/PageSize style, with the total count',
        withStore(async (s) => {
          const ids = await seedVpcs(s, 7);
          const page = (offset: number, limit: number) => ro(s, (t) => t.vpcs.list(ACC, { regionId: 'cn-shanghai' }, { offset, limit }));
          assert.deepEqual(
            (await page(0, 3)).items.map((v) => v.id),
            ids.slice(0, 3),
          );
          const p3 = await page(6, 3);
          assert.deepEqual(
            p3.items.map((v) => v.id),
            ids.slice(6),
          );
          assert.equal(p3.nextToken, '');
          assert.equal(p3.totalCount, 7);
          assert.deepEqual((await page(9, 3)).items, []);
          const exact = await page(0, 7);
          assert.equal(exact.items.length, 7);
          assert.equal(exact.nextToken, '', 'no further page');
        }),
      );

      it(
        'pages ENIs and instances with filters applied before paging',
        withStore(async (s) => {
          await tx(s, async (t) => {
            for (let i = 0; i < 5; i++) {
              await t.enis.insert(eni(`eni-${i}`, { status: i % 2 === 0 ? 'Available' : 'InUse' }));
              await t.instances.insert(inst(`i-${i}`, { status: i % 2 === 0 ? 'Running' : 'Stopped' }));
            }
          });
          await ro(s, async (t) => {
            const p1 = await t.enis.list(ACC, { regionId: REGION, status: 'Available' }, { limit: 2 });
            assert.deepEqual(
              p1.items.map((e) => e.id),
              ['eni-0', 'eni-2'],
            );
            assert.equal(p1.totalCount, 3);
            const p2 = await t.enis.list(ACC, { regionId: REGION, status: 'Available' }, { after: p1.nextToken, limit: 2 });
            assert.deepEqual(
              p2.items.map((e) => e.id),
              ['eni-4'],
            );
            assert.equal(p2.nextToken, '');
            const i2 = await t.instances.list(ACC, { regionId: REGION, status: 'Stopped' }, { offset: 1, limit: 5 });
            assert.deepEqual(
              i2.items.map((i) => i.id),
              ['i-3'],
            );
            assert.equal(i2.totalCount, 2);
          });
        }),
      );
    });

    describe('transactions', () => {
      it(
        'a throw rolls back everything the transaction wrote',
        withStore(async (s) => {
          const boom = new Error('boom');
          const err = await expectRejects(
            tx(s, async (t) => {
              await t.vpcs.insert(vpc('vpc-9'));
              await t.enis.insert(eni('eni-9', { securityGroupIds: ['sg-1'], tags: [{ key: 'k', value: 'v' }] }));
              await t.addresses.insert([v4('vsw-1', 'eni-9', '192.168.1.9', true)]);
              await t.securityGroups.adjustIpCount(['sg-1'], 1, CAP);
              await t.idempotency.put(ACC, 'A', 'tok', { paramsHash: 'h', result: 'r' }, 1);
              await t.nonces.add('k', 'n', 1);
              await t.kv.put('kk', 'v', null);
              await t.accessKeys.setStatus('none', 'Inactive');
              throw boom;
            }),
          );
          assert.equal(err, boom, 'the callback error comes out as is');
          await ro(s, async (t) => {
            assert.equal(await t.vpcs.get(ACC, 'vpc-9'), undefined);
            assert.equal(await t.enis.get(ACC, 'eni-9'), undefined);
            assert.equal(await t.vSwitches.addressCount('vsw-1', 4), 0);
            assert.equal((await t.securityGroups.get(ACC, 'sg-1'))?.ipCount, 0);
            assert.equal(await t.idempotency.get(ACC, 'A', 'tok'), undefined);
            assert.equal(await t.kv.get('kk', Date.now()), undefined);
            assert.equal(await t.securityGroups.enis('sg-1'), 0);
          });
          assert.equal(await tx(s, (t) => t.nonces.add('k', 'n', 1)), true, 'the nonce was rolled back too');
        }),
      );

      it(
        'returns the callback value and runs commit hooks after commit, in order',
        withStore(async (s) => {
          const events: string[] = [];
          const v = await tx(s, async (t) => {
            t.onCommit(() => events.push('commit-1'));
            t.onRollback(() => events.push('rollback'));
            t.onCommit(() => events.push('commit-2'));
            await t.kv.put('x', '1', null);
            events.push('body');
            return 42;
          });
          assert.equal(v, 42);
          assert.deepEqual(events, ['body', 'commit-1', 'commit-2']);
        }),
      );

      it(
        'runs rollback hooks (not commit hooks) when the callback throws',
        withStore(async (s) => {
          const events: string[] = [];
          await expectRejects(
            tx(s, async (t) => {
              t.onCommit(() => events.push('commit'));
              t.onRollback(() => events.push('rollback-1'));
              t.onRollback(() => events.push('rollback-2'));
              throw new Error('no');
            }),
          );
          assert.deepEqual(events, ['rollback-1', 'rollback-2']);
        }),
      );

      it(
        'a database error thrown out of the callback rolls the transaction back',
        withStore(async (s) => {
          const events: string[] = [];
          await expectRejects(
            tx(s, async (t) => {
              t.onRollback(() => events.push('rollback'));
              await t.kv.put('y', '1', null);
              await t.accounts.insert({ id: ACC, name: 'dup', createdAt: T0 }); // duplicate primary key
            }),
          );
          assert.equal(await ro(s, (t) => t.kv.get('y', Date.now())), undefined);
          // PostgreSQL reports a unique violation as a possible race and re-runs the callback a few times first
          assert.ok(events.length >= 1 && events.every((e) => e === 'rollback'), events.join());
        }),
      );

      it(
        'concurrent transactions that fail, first, in the middle or last, take only their own writes with them',
        withStore(async (s) => {
          // Started in the same tick, so on SQLite they share one commit group in this order.
          for (const failing of [[0], [1], [2], [0, 2], [0, 1, 2]]) {
            const tag = failing.join('');
            const r = await Promise.all(
              [0, 1, 2].map((i) =>
                tx(s, async (t) => {
                  await t.kv.put(`g${tag}-${i}`, 'v', null);
                  await t.nonces.add('k', `g${tag}-${i}`, 1);
                  if (failing.includes(i)) throw new Error(`fail ${i}`);
                  return i;
                }).then(
                  (v) => `ok${v}`,
                  (e: Error) => e.message,
                ),
              ),
            );
            assert.deepEqual(
              r,
              [0, 1, 2].map((i) => (failing.includes(i) ? `fail ${i}` : `ok${i}`)),
            );
            for (const i of [0, 1, 2]) {
              assert.equal(
                await ro(s, (t) => t.kv.get(`g${tag}-${i}`, Date.now())),
                failing.includes(i) ? undefined : 'v',
                `failing ${tag}: transaction ${i}`,
              );
            }
            // And the store goes on working for the next group.
            await tx(s, (t) => t.kv.put(`after-${tag}`, 'v', null));
            assert.equal(await ro(s, (t) => t.kv.get(`after-${tag}`, Date.now())), 'v');
          }
        }),
      );

      it(
        'read-only transactions read committed data',
        withStore(async (s) => {
          await tx(s, (t) => t.kv.put('r', 'v', null));
          assert.equal(await ro(s, (t) => t.kv.get('r', Date.now())), 'v');
        }),
      );

      it(
        'stays usable after many failed transactions (no leaked connection or lock)',
        withStore(async (s) => {
          for (let i = 0; i < 25; i++)
            await expectRejects(
              tx(s, async (t) => {
                await t.kv.put('z', String(i), null);
                throw new Error('x');
              }),
            );
          await Promise.all(
            Array.from({ length: 15 }, () =>
              expectRejects(
                tx(s, async () => {
                  throw new Error('y');
                }),
              ),
            ),
          );
          await tx(s, (t) => t.kv.put('z', 'ok', null));
          assert.equal(await ro(s, (t) => t.kv.get('z', Date.now())), 'ok');
        }),
      );
    });

    describe('concurrent transactions (several processes share one database)', () => {
      it(
        'get(forUpdate) + update loses no update (ENI and instance rows)',
        withStore(async (s) => {
          await tx(s, async (t) => {
            await t.enis.insert(eni('eni-1'));
            await t.instances.insert(inst('i-1'));
          });
          await concurrently(8, () =>
            tx(s, async (t) => {
              const e = (await t.enis.get(ACC, 'eni-1', { forUpdate: true }))!;
              await new Promise((r) => setTimeout(r, 2));
              await t.enis.update({ ...e, name: e.name + 'x' });
              const i = (await t.instances.get(ACC, 'i-1', { forUpdate: true }))!;
              await t.instances.update({ ...i, name: i.name + 'y' });
            }),
          );
          assert.equal((await ro(s, (t) => t.enis.get(ACC, 'eni-1')))?.name, 'xxxxxxxx');
          assert.equal((await ro(s, (t) => t.instances.get(ACC, 'i-1')))?.name, 'yyyyyyyy');
        }),
      );

      it(
        'kv.lock serializes read-modify-writes of one key, even before its row exists',
        withStore(async (s) => {
          await concurrently(8, () =>
            tx(s, async (t) => {
              await t.kv.lock('counter');
              const n = Number((await t.kv.get('counter', Date.now())) ?? '0');
              await new Promise((r) => setTimeout(r, 2));
              await t.kv.put('counter', String(n + 1), null);
            }),
          );
          assert.equal(await ro(s, (t) => t.kv.get('counter', Date.now())), '8');
        }),
      );

      it(
        'owners locks the tagged rows: racing count-then-put checks keep the 20-tag limit',
        withStore(async (s) => {
          await tx(s, (t) => t.enis.insert(eni('eni-1')));
          const LIMIT = 20;
          const added = await concurrently(8, (i) =>
            tx(s, async (t) => {
              await t.tags.owners({ accountId: ACC, regionId: REGION, resourceType: 'eni' }, ['eni-1']);
              const have = (await t.tags.of(['eni-1'])).get('eni-1')!.length;
              if (have + 3 > LIMIT) return false;
              await new Promise((r) => setTimeout(r, 2));
              await t.tags.put(
                { accountId: ACC, regionId: REGION, resourceType: 'eni', resourceId: 'eni-1' },
                [0, 1, 2].map((j) => ({ key: `r${i}-${j}`, value: '' })),
              );
              return true;
            }),
          );
          assert.equal(added.filter(Boolean).length, 6);
          assert.equal((await ro(s, (t) => t.tags.of(['eni-1']))).get('eni-1')!.length, 18);
        }),
      );

      it(
        'an account lock serializes count-then-insert quota checks; a VPC lock, CIDR checks',
        withStore(async (s) => {
          const QUOTA = 3;
          const created = await concurrently(8, (i) =>
            tx(s, async (t) => {
              await t.accounts.lock(ACC);
              if ((await t.enis.countInRegion(ACC, REGION)) >= QUOTA) return false;
              await new Promise((r) => setTimeout(r, 2));
              await t.enis.insert(eni(`eni-q${i}`));
              return true;
            }),
          );
          assert.equal(created.filter(Boolean).length, QUOTA);
          assert.equal(await ro(s, (t) => t.enis.countInRegion(ACC, REGION)), QUOTA);
          const vsws = await concurrently(4, (i) =>
            tx(s, async (t) => {
              await t.vpcs.get(ACC, 'vpc-1', { forUpdate: true });
              if ((await t.vSwitches.listByVpc('vpc-1')).some((v) => v.cidrBlock === '192.168.9.0/24')) return false;
              await t.vSwitches.insert(vsw(`vsw-c${i}`, { cidrBlock: '192.168.9.0/24' }));
              return true;
            }),
          );
          assert.equal(vsws.filter(Boolean).length, 1);
        }),
      );

      it(
        'security-group counters add up under racing adjustments',
        withStore(async (s) => {
          await concurrently(12, (i) =>
            tx(s, (t) => t.securityGroups.adjustIpCount(i % 2 ? ['sg-1', 'sg-2'] : ['sg-2', 'sg-1'], 1, { normal: 100, enterprise: 100 })),
          );
          const groups = await ro(s, async (t) => [await t.securityGroups.get(ACC, 'sg-1'), await t.securityGroups.get(ACC, 'sg-2')]);
          assert.deepEqual(
            groups.map((g) => g?.ipCount),
            [12, 12],
          );
        }),
      );

      it(
        'racing inserts of one address: exactly one ENI gets it',
        withStore(async (s) => {
          await tx(s, async (t) => {
            for (let i = 0; i < 6; i++) await t.enis.insert(eni(`eni-${i}`));
          });
          const got = await concurrently(6, (i) =>
            tx(s, async (t) => {
              const r = await t.addresses.insert([v4('vsw-1', `eni-${i}`, '192.168.1.77')]);
              await new Promise((res) => setTimeout(res, 5)); // hold the uncommitted row a moment
              return r;
            }),
          );
          assert.equal(got.filter((r) => r.length === 1).length, 1);
          assert.equal(await ro(s, (t) => t.vSwitches.addressCount('vsw-1', 4)), 1);
        }),
      );

      it(
        'racing nonces and ClientTokens: exactly one winner each',
        withStore(async (s) => {
          const nonces = await concurrently(6, () => tx(s, (t) => t.nonces.add('key', 'same-nonce', Date.now() + 60_000)));
          assert.equal(nonces.filter(Boolean).length, 1);
          const tokens = await concurrently(6, (i) =>
            tx(s, (t) => t.idempotency.put(ACC, 'Act', 'tok', { paramsHash: 'h', result: String(i) }, 1)),
          );
          assert.equal(tokens.filter(Boolean).length, 1);
        }),
      );

      it(
        'due transitions: concurrent settlers complete each exactly once',
        withStore(async (s) => {
          await tx(s, async (t) => {
            for (let i = 0; i < 24; i++) {
              await t.enis.insert(
                eni(`eni-${String(i).padStart(2, '0')}`, { status: 'Deleting', transitionDueMs: 1000 + i, securityGroupIds: ['sg-1'] }),
              );
              await t.addresses.insert([v4('vsw-1', `eni-${String(i).padStart(2, '0')}`, `192.168.1.${10 + i}`, true)]);
              await t.instances.insert(inst(`i-${i}`, { status: 'Stopping', transitionDueMs: 1000 + i }));
            }
            await t.securityGroups.adjustIpCount(['sg-1'], 24, { normal: 100, enterprise: 100 });
          });
          const finished: string[] = [];
          // Each settler: take a small batch, finish it slowly (while holding it), repeat until nothing is due.
          await concurrently(4, () =>
            (async () => {
              for (let rounds = 0; rounds < 50; rounds++) {
                const n = await tx(s, async (t) => {
                  const enis = await t.enis.due(5000, 3);
                  const insts = await t.instances.due(5000, 3);
                  for (const e of enis) {
                    await new Promise((r) => setTimeout(r, 2));
                    await t.addresses.deleteAllOf(e.id);
                    await t.securityGroups.adjustIpCount(e.securityGroupIds, -e.addresses.length, CAP);
                    await t.enis.delete(e.id);
                    finished.push(e.id);
                  }
                  for (const i of insts) {
                    await t.instances.update({ ...i, status: 'Stopped', transitionDueMs: null });
                    finished.push(i.id);
                  }
                  return enis.length + insts.length;
                });
                if (n === 0) return;
              }
            })(),
          );
          assert.equal(finished.length, 48);
          assert.equal(new Set(finished).size, 48, 'no transition finished twice');
          await ro(s, async (t) => {
            assert.equal((await t.securityGroups.get(ACC, 'sg-1'))?.ipCount, 0, 'counters decremented exactly once per ENI');
            assert.equal(await t.enis.nextDueMs(), null);
            assert.equal(await t.instances.nextDueMs(), null);
          });
        }),
      );
    });
  });
}
