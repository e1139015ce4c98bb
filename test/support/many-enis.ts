// A store holding many ENIs of one account on one /16 (ids eni-bp000…0 upward,
// every tenth InUse, primary 10.0.0.10 + i), for the paging test and bench/paging.
// Written straight into the store in one transaction: the use cases are tested
// elsewhere; this is about reading.
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { createDeps } from '../../src/service/create-deps.ts';
import { ensureRootAccount } from '../../src/service/accounts.ts';
import { createSecurityGroup, createVpc, createVSwitch } from '../../src/service/networks.ts';
import { formatIpv4, parseIpv4 } from '../../src/ipam/index.ts';
import type { Eni } from '../../src/domain/model.ts';
import { DEFAULT_ENI_TRAFFIC } from '../../src/domain/model.ts';
import type { Tag } from '../../src/domain/tags.ts';
import type { ServiceDeps } from '../../src/service/deps.ts';

export async function seedManyEnis(
  file: string,
  count: number,
  opts: { tags?: (i: number) => Tag[] } = {},
): Promise<{ store: SqliteStore; deps: ServiceDeps; root: { accountId: string; accessKeyId: string; accessKeySecret: string } }> {
  const store = new SqliteStore(file);
  const deps = createDeps(store, { limits: { transitionMs: 0, enisPerRegion: count + 10 } });
  const root = await ensureRootAccount(deps);
  const caller = { accountId: root.accountId };
  const vpc = await createVpc(deps, caller, { cidrBlock: '10.0.0.0/8' });
  const vsw = await createVSwitch(deps, caller, { vpcId: vpc.id, zoneId: 'cn-hangzhou-h', cidrBlock: '10.0.0.0/16' });
  const sg = await createSecurityGroup(deps, caller, { vpcId: vpc.id, type: 'enterprise' });
  const base = parseIpv4('10.0.0.0');
  await store.transaction(async (tx) => {
    for (let i = 0; i < count; i++) {
      const address = formatIpv4(base + 10 + i);
      const eni: Eni = {
        id: `eni-bp${String(i).padStart(18, '0')}`,
        accountId: root.accountId,
        regionId: 'cn-hangzhou',
        zoneId: vsw.zoneId,
        vpcId: vpc.id,
        vSwitchId: vsw.id,
        resourceGroupId: vpc.resourceGroupId,
        name: `eni-${i}`,
        description: '',
        type: 'Secondary',
        status: i % 10 === 0 ? 'InUse' : 'Available',
        macAddress: `00:16:3e:${((i >> 16) & 0xff).toString(16).padStart(2, '0')}:${((i >> 8) & 0xff).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`,
        instanceId: null,
        pendingInstanceId: null,
        transitionDueMs: null,
        deviceIndex: null,
        trunkEniId: null,
        deleteOnRelease: false,
        traffic: DEFAULT_ENI_TRAFFIC,
        sourceDestCheck: false,
        networkCardIndex: null,
        securityGroupIds: [sg.id],
        addresses: [{ family: 4, address, primary: true }],
        ipv4Prefixes: [],
        ipv6Prefixes: [],
        tags: opts.tags?.(i) ?? [],
        createdAt: '2026-01-01T00:00:00Z',
      };
      await tx.enis.insert(eni);
      await tx.addresses.insert([{ vSwitchId: vsw.id, eniId: eni.id, family: 4, address, primary: true, ipv4Num: base + 10 + i }]);
    }
  });
  return { store, deps, root };
}
