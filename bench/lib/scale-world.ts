// The world of bench/scale, bulk-loaded through the store (tx.bulk), not the
// API: `addresses` assigned IPv4 addresses, 10 an ENI, 100 ENIs a vSwitch
// (a /20 each, a quarter full), so 1,000,000 addresses are 100,000 ENIs in
// 1,000 vSwitches. Up to 100 accounts; the first (root, whose key the bench
// signs with) holds half the vSwitches — the big tenant whose reads are
// measured — and the others share the rest. In each vSwitch 20 instances
// (ecs.g8i.xlarge: 4 ENIs, 15 addresses each) hold 80 ENIs (a Primary at
// device 0, three Secondary), 20 ENIs are Available. Each ENI carries terway's
// creator tag and one of 100 shard tags. Networks, groups and accounts go
// through the use cases; instances through tx.instances.insert.
import type { Store } from '../../src/store/store.ts';
import type { ServiceDeps } from '../../src/service/deps.ts';
import { createAccount, ensureRootAccount } from '../../src/service/accounts.ts';
import { createSecurityGroup, createVpc, createVSwitch } from '../../src/service/networks.ts';
import { newResourceId } from '../../src/domain/ids.ts';
import { DEFAULT_ENI_TRAFFIC, DEFAULT_INSTANCE_ATTRIBUTES, defaultHostName } from '../../src/domain/model.ts';
import type { Eni, Instance } from '../../src/domain/model.ts';
import type { Tx } from '../../src/store/store.ts';
import { formatIpv4 } from '../../src/ipam/index.ts';

const ADDRESSES_PER_ENI = 10;
const ENIS_PER_VSWITCH = 100;
const ENIS_PER_INSTANCE = 4;
const INSTANCES_PER_VSWITCH = 20;
const MAX_ACCOUNTS = 100;
const REGION = 'cn-hangzhou';
const ZONE = 'cn-hangzhou-h';
const INSTANCE_TYPE = 'ecs.g8i.xlarge';

export interface ScaleWorld {
  vSwitches: number;
  enis: number;
  addresses: number;
  accounts: number;
  /** the big account's key, and things in it the reads filter by */
  key: { id: string; secret: string };
  sample: { vSwitchId: string; instanceId: string; address: string; inUseEniId: string };
  phases: { label: string; ms: number }[];
}

/** 10.0.0.0/8 cut into /20s: the k-th vSwitch of a VPC. */
function vSwitchBase(k: number): number {
  return ((10 << 24) | (k << 12)) >>> 0;
}

export async function buildWorld(store: Store, deps: ServiceDeps, addresses: number): Promise<ScaleWorld> {
  const phases: { label: string; ms: number }[] = [];
  let t = performance.now();
  const phase = (label: string) => {
    const now = performance.now();
    phases.push({ label, ms: now - t });
    t = now;
  };
  const vSwitchCount = Math.max(1, Math.round(addresses / (ADDRESSES_PER_ENI * ENIS_PER_VSWITCH)));
  const accountCount = Math.min(MAX_ACCOUNTS, vSwitchCount);
  const root = await ensureRootAccount(deps);
  const accounts = [root.accountId];
  for (let a = 1; a < accountCount; a++) accounts.push((await createAccount(deps, `scale-${a}`)).account.id);
  // The big account: half the vSwitches; the rest round-robin over the others.
  const big = Math.ceil(vSwitchCount / 2);
  const ownerOf = (v: number) => (v < big || accountCount === 1 ? 0 : 1 + ((v - big) % (accountCount - 1)));
  const vpcs = new Map<number, { id: string; resourceGroupId: string; next: number }>();
  const networks: { accountId: string; vpcId: string; resourceGroupId: string; vSwitchId: string; sgId: string; base: number }[] = [];
  for (let v = 0; v < vSwitchCount; v++) {
    const owner = ownerOf(v);
    const caller = { accountId: accounts[owner] };
    let vpc = vpcs.get(owner);
    if (!vpc) {
      const created = await createVpc(deps, caller, { cidrBlock: '10.0.0.0/8' });
      vpc = { id: created.id, resourceGroupId: created.resourceGroupId, next: 0 };
      vpcs.set(owner, vpc);
    }
    const k = vpc.next++;
    const base = vSwitchBase(k);
    const vsw = await createVSwitch(deps, caller, { vpcId: vpc.id, zoneId: ZONE, cidrBlock: `${formatIpv4(base)}/20` });
    const sg = await createSecurityGroup(deps, caller, { vpcId: vpc.id, type: 'enterprise' });
    networks.push({
      accountId: caller.accountId,
      vpcId: vpc.id,
      resourceGroupId: vpc.resourceGroupId,
      vSwitchId: vsw.id,
      sgId: sg.id,
      base,
    });
  }
  phase(`${accountCount} accounts, ${vSwitchCount} vSwitches and security groups (use cases)`);

  const createdAt = '2026-01-01T00:00:00Z';
  const capacity = { normal: deps.limits.basicSecurityGroupIpCapacity, enterprise: deps.limits.enterpriseSecurityGroupIpCapacity };
  let eniSerial = 0;
  let sample: ScaleWorld['sample'] | undefined;
  // A transaction per 10 vSwitches: 1,000 ENIs, 10,000 addresses, 200 instances.
  for (let from = 0; from < networks.length; from += 10) {
    await store.transaction(async (tx) => {
      const enis: Eni[] = [];
      const rows: Parameters<Tx['bulk']['addresses']>[0] = [];
      for (const n of networks.slice(from, from + 10)) {
        const instanceIds: string[] = [];
        for (let i = 0; i < INSTANCES_PER_VSWITCH; i++) {
          const id = newResourceId('i', 'bp', deps.rng);
          instanceIds.push(id);
          const instance: Instance = {
            ...DEFAULT_INSTANCE_ATTRIBUTES,
            id,
            accountId: n.accountId,
            regionId: REGION,
            zoneId: ZONE,
            vpcId: n.vpcId,
            vSwitchId: n.vSwitchId,
            resourceGroupId: n.resourceGroupId,
            name: `node-${i}`,
            instanceType: INSTANCE_TYPE,
            imageId: 'ubuntu_22_04_x64_20G_alibase_20240101.vhd',
            hostName: defaultHostName(id),
            status: 'Running',
            transitionDueMs: null,
            createdAt,
          };
          await tx.instances.insert(instance);
        }
        for (let j = 0; j < ENIS_PER_VSWITCH; j++) {
          const serial = eniSerial++;
          const instanceId = j < INSTANCES_PER_VSWITCH * ENIS_PER_INSTANCE ? instanceIds[Math.floor(j / ENIS_PER_INSTANCE)] : null;
          const deviceIndex = instanceId ? j % ENIS_PER_INSTANCE : null;
          const eni: Eni = {
            id: newResourceId('eni', 'bp', deps.rng),
            accountId: n.accountId,
            regionId: REGION,
            zoneId: ZONE,
            vpcId: n.vpcId,
            vSwitchId: n.vSwitchId,
            resourceGroupId: n.resourceGroupId,
            name: `eni-${serial}`,
            description: '',
            type: deviceIndex === 0 ? 'Primary' : 'Secondary',
            status: instanceId ? 'InUse' : 'Available',
            macAddress: `00:16:3e:${((serial >> 16) & 0xff).toString(16).padStart(2, '0')}:${((serial >> 8) & 0xff).toString(16).padStart(2, '0')}:${(serial & 0xff).toString(16).padStart(2, '0')}`,
            instanceId,
            pendingInstanceId: null,
            transitionDueMs: null,
            deviceIndex,
            trunkEniId: null,
            deleteOnRelease: deviceIndex === 0,
            traffic: DEFAULT_ENI_TRAFFIC,
            sourceDestCheck: false,
            networkCardIndex: null,
            securityGroupIds: [n.sgId],
            addresses: [],
            ipv4Prefixes: [],
            ipv6Prefixes: [],
            tags: [
              { key: 'creator', value: 'terway' },
              { key: 'shard', value: String(serial % 100) },
            ],
            createdAt,
          };
          enis.push(eni);
          for (let a = 0; a < ADDRESSES_PER_ENI; a++) {
            const num = n.base + 1 + j * ADDRESSES_PER_ENI + a;
            rows.push({ vSwitchId: n.vSwitchId, eniId: eni.id, family: 4, address: formatIpv4(num), primary: a === 0, ipv4Num: num });
          }
          // Something of the big account's to filter by: its first vSwitch, an instance there, a secondary address.
          if (!sample && n.accountId === root.accountId && deviceIndex === 1)
            sample = {
              vSwitchId: n.vSwitchId,
              instanceId: instanceId!,
              address: formatIpv4(n.base + 1 + j * ADDRESSES_PER_ENI + 5),
              inUseEniId: eni.id,
            };
        }
      }
      await tx.bulk.enis(enis);
      await tx.bulk.addresses(rows);
      for (const n of networks.slice(from, from + 10)) {
        const over = await tx.securityGroups.adjustIpCount([n.sgId], ENIS_PER_VSWITCH * ADDRESSES_PER_ENI, capacity);
        if (over) throw new Error(`security group ${over.id} over capacity`);
      }
    });
  }
  phase(
    `${eniSerial.toLocaleString()} ENIs, ${(eniSerial * ADDRESSES_PER_ENI).toLocaleString()} addresses, ${(networks.length * INSTANCES_PER_VSWITCH).toLocaleString()} instances (bulk)`,
  );
  return {
    vSwitches: vSwitchCount,
    enis: eniSerial,
    addresses: eniSerial * ADDRESSES_PER_ENI,
    accounts: accountCount,
    key: { id: root.accessKeyId, secret: root.accessKeySecret },
    sample: sample!,
    phases,
  };
}
