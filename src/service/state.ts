// State snapshots: `eniplane state export|import`, `serve --seed` and the
// harness's `seed`. A snapshot is every account's resources as JSON, in a
// canonical shape and order (accounts: root first, then by name; resources by
// id; addresses in assignment order; tags by key), so exporting twice gives the
// same bytes and export → import → export is the identity.
//
// What a snapshot holds is the world, not the host: accounts are named, not
// numbered (an import maps "root" onto the target's root account), the default
// resource group is implied by an absent resourceGroupId, and no AccessKey
// secret is ever written (docs/security.md). The same schema reads a
// hand-written seed, with defaults for everything derivable.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { DomainError } from '../domain/errors.ts';
import { newAccessKeyPair, newAccountId, newResourceGroupId } from '../domain/ids.ts';
import { findInstanceType } from '../domain/instance-types.ts';
import { isoTime } from '../domain/ports.ts';
import {
  DEFAULT_ENI_TRAFFIC,
  DEFAULT_INSTANCE_ATTRIBUTES,
  defaultHostName,
  type Eni,
  type Instance,
  type OwnedResource,
  type PrivateAddress,
  type SecurityGroup,
  type Vpc,
  type VSwitch,
} from '../domain/model.ts';
import type { Tag, TagResourceType } from '../domain/tags.ts';
import {
  canonicalIpv6,
  canonicalIpv6Prefix,
  cidrContains,
  cidrsOverlap,
  ipv4InCidr,
  ipv6CidrNetwork,
  ipv6ToBigInt,
  isReservedIpv4,
  parseIpv4,
  parseIpv4Cidr,
  parseIpv6Cidr,
  parseIpv4Prefix,
  VPC_IPV4_PREFIX,
  VSWITCH_IPV4_PREFIX,
  type Ipv4Cidr,
} from '../ipam/index.ts';
import type { Account, Page, Paging, Tx } from '../store/store.ts';
import { addressesHeld, countInSecurityGroups } from './address-book.ts';
import { readTx, writeTx, type ServiceDeps } from './deps.ts';

const STATE_FORMAT = 'eniplane-state/1';

// ------------------------------------------------------------------ the format

const idOf = (prefix: string) =>
  z.string().regex(new RegExp(`^${prefix}-[a-z0-9]{1,64}$`), `expected an id like ${prefix}-bp1abc... (lower-case letters and digits)`);
const tagsSchema = z
  .array(z.object({ key: z.string().min(1).max(128), value: z.string().max(128).default('') }).strict())
  .max(20)
  .default([]);
const named = {
  name: z.string().max(128).default(''),
  description: z.string().max(256).default(''),
  /** absent: the account's default resource group */
  resourceGroupId: idOf('rg').optional(),
  /** ISO 8601; absent: the time of the import */
  createdAt: z.string().datetime().optional(),
  tags: tagsSchema,
};
const ENI_STATUS = z.enum(['Available', 'Attaching', 'InUse', 'Detaching', 'Deleting']);
const INSTANCE_STATUS = z.enum(['Pending', 'Running', 'Starting', 'Stopping', 'Stopped', 'Deleting']);
const nullableInt = z.number().int().nullable();

const vpcSchema = z
  .object({
    id: idOf('vpc'),
    regionId: z.string().min(1),
    cidrBlock: z.string(),
    ipv6CidrBlock: z.string().nullable().default(null),
    ...named,
  })
  .strict();
const vSwitchSchema = z
  .object({
    id: idOf('vsw'),
    vpcId: idOf('vpc'),
    zoneId: z.string().min(1),
    cidrBlock: z.string(),
    ipv6CidrBlock: z.string().nullable().default(null),
    ...named,
  })
  .strict();
const securityGroupSchema = z
  .object({ id: idOf('sg'), vpcId: idOf('vpc'), type: z.enum(['normal', 'enterprise']).default('normal'), ...named })
  .strict();
const D = DEFAULT_INSTANCE_ATTRIBUTES;
const instanceSchema = z
  .object({
    id: idOf('i'),
    vSwitchId: idOf('vsw'),
    instanceType: z.string().min(1),
    imageId: z.string().min(1).default('aliyun_3_x64_20G_alibase'),
    status: INSTANCE_STATUS.default('Running'),
    /** epoch ms when a transitional status completes; absent for one: at once */
    transitionDueMs: nullableInt.default(null),
    hostName: z.string().optional(),
    systemDisk: z
      .object({
        category: z.string().default(D.systemDisk.category),
        sizeGiB: z.number().int().min(1).default(D.systemDisk.sizeGiB),
        name: z.string().default(D.systemDisk.name),
        description: z.string().default(D.systemDisk.description),
        performanceLevel: z.string().default(D.systemDisk.performanceLevel),
      })
      .strict()
      .default(D.systemDisk),
    billing: z
      .object({
        instanceChargeType: z.enum(['PostPaid', 'PrePaid']).default(D.billing.instanceChargeType),
        internetChargeType: z.string().default(D.billing.internetChargeType),
        internetMaxBandwidthOut: z.number().default(D.billing.internetMaxBandwidthOut),
        internetMaxBandwidthIn: z.number().default(D.billing.internetMaxBandwidthIn),
        spotStrategy: z.string().default(D.billing.spotStrategy),
        spotPriceLimit: z.number().default(D.billing.spotPriceLimit),
        period: nullableInt.default(D.billing.period),
        periodUnit: z.string().nullable().default(D.billing.periodUnit),
        autoRenew: z.boolean().default(D.billing.autoRenew),
        autoRenewPeriod: nullableInt.default(D.billing.autoRenewPeriod),
      })
      .strict()
      .default(D.billing),
    keyPairName: z.string().default(''),
    ramRoleName: z.string().default(''),
    deletionProtection: z.boolean().default(false),
    creditSpecification: z.string().default(''),
    userData: z.string().default(''),
    ...named,
  })
  .strict();
const T = DEFAULT_ENI_TRAFFIC;
const eniSchema = z
  .object({
    id: idOf('eni'),
    vSwitchId: idOf('vsw'),
    securityGroupIds: z.array(idOf('sg')).min(1).max(10),
    /** Primary: an instance's own (bound to it at device 0) */
    type: z.enum(['Primary', 'Secondary', 'Trunk', 'Member']).default('Secondary'),
    /** absent: InUse when bound to an instance, else Available */
    status: ENI_STATUS.optional(),
    instanceId: idOf('i').nullable().default(null),
    pendingInstanceId: idOf('i').nullable().default(null),
    deviceIndex: nullableInt.optional(),
    networkCardIndex: nullableInt.optional(),
    trunkEniId: idOf('eni').nullable().default(null),
    /** absent: derived from the id (stable across imports) */
    macAddress: z
      .string()
      .regex(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/, 'expected a lower-case MAC, e.g. 00:16:3e:12:34:56')
      .optional(),
    primaryIpAddress: z.string(),
    privateIpAddresses: z.array(z.string()).default([]),
    ipv6Addresses: z.array(z.string()).default([]),
    /** aligned /28s, e.g. 10.0.1.16/28 (terway's prefix mode) */
    ipv4Prefixes: z.array(z.string()).default([]),
    /** aligned /80s inside the vSwitch's /64 */
    ipv6Prefixes: z.array(z.string()).default([]),
    deleteOnRelease: z.boolean().optional(),
    sourceDestCheck: z.boolean().default(false),
    traffic: z
      .object({
        mode: z.enum(['Standard', 'HighPerformance']).default(T.mode),
        queueNumber: nullableInt.default(null),
        queuePairNumber: nullableInt.default(null),
        rxQueueSize: nullableInt.default(null),
        txQueueSize: nullableInt.default(null),
        tcpClosedAndTimeWaitTimeout: nullableInt.default(null),
        tcpEstablishedTimeout: nullableInt.default(null),
        udpTimeout: nullableInt.default(null),
        enableSriov: z.boolean().nullable().default(null),
        enableRss: z.boolean().nullable().default(null),
        enableExpress: z.boolean().nullable().default(null),
        virtualFunctionQuantity: nullableInt.default(null),
        virtualFunctionTotalQueueNumber: nullableInt.default(null),
      })
      .strict()
      .default(T),
    transitionDueMs: nullableInt.default(null),
    ...named,
  })
  .strict();

const worldSchema = {
  /** resource groups besides the default one */
  resourceGroups: z
    .array(
      z
        .object({
          id: idOf('rg'),
          name: z.string().min(1),
          displayName: z.string().optional(),
          createdAt: z.string().datetime().optional(),
        })
        .strict(),
    )
    .default([]),
  vpcs: z.array(vpcSchema).default([]),
  vSwitches: z.array(vSwitchSchema).default([]),
  securityGroups: z.array(securityGroupSchema).default([]),
  instances: z.array(instanceSchema).default([]),
  networkInterfaces: z.array(eniSchema).default([]),
};
const accountSchema = z
  .object({
    name: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,63}$/, 'expected an account name (letters, digits, . _ -)'),
    /**
     * Only in a hand-written seed: the AccessKey this account signs with (a test
     * fixture's, never a real one). Export never writes one; an account created
     * without it gets a fresh key, reported once by the import.
     */
    accessKey: z
      .object({ id: z.string().min(1), secret: z.string().min(1) })
      .strict()
      .optional(),
    ...worldSchema,
  })
  .strict();

/** The whole file: every account, or (a seed's shorthand) the root account's resources at the top level. */
const stateSchema = z.object({ format: z.literal(STATE_FORMAT).optional(), accounts: z.array(accountSchema).default([]) }).strict();
const shorthandSchema = z.object({ format: z.literal(STATE_FORMAT).optional(), ...worldSchema }).strict();

/** A snapshot (every account), or a seed's shorthand (the root account's resources at the top level). */
export type StateFile = z.input<typeof stateSchema> | z.input<typeof shorthandSchema>;
type AccountState = z.output<typeof accountSchema>;

/** The file format as JSON Schema (draft 2020-12), generated from the zod schemas above: docs/state.schema.json. */
export function stateJsonSchema(): unknown {
  return z.toJSONSchema(z.union([stateSchema, shorthandSchema]), { io: 'input', reused: 'ref' });
}

export interface StateIssue {
  /** the bad field, e.g. accounts.0.vSwitches.2.cidrBlock */
  path: string;
  message: string;
}

/** A snapshot or seed that cannot be loaded: every problem, each at its path. */
export class StateError extends Error {
  constructor(readonly issues: StateIssue[]) {
    super(issues.map((i) => `${i.path || '(file)'}: ${i.message}`).join('\n'));
    this.name = 'StateError';
  }
}

/** Validates the file's shape; returns the accounts and each one's path prefix. */
function parseState(raw: unknown): { accounts: AccountState[]; prefix: (i: number) => (string | number)[] } {
  const shorthand = typeof raw === 'object' && raw !== null && !Array.isArray(raw) && !('accounts' in raw);
  const fail = (issues: z.core.$ZodIssue[]) =>
    new StateError(issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })));
  if (shorthand) {
    const r = shorthandSchema.safeParse(raw);
    if (!r.success) throw fail(r.error.issues);
    const { format: _format, ...world } = r.data;
    return { accounts: [{ name: 'root', ...world }], prefix: () => [] };
  }
  const r = stateSchema.safeParse(raw);
  if (!r.success) throw fail(r.error.issues);
  return { accounts: r.data.accounts, prefix: (i) => ['accounts', i] };
}

// ------------------------------------------------------------------ export

async function all<T>(page: (p: Paging) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  let after = '';
  for (;;) {
    const p = await page({ after, limit: 500 });
    out.push(...p.items);
    if (!p.nextToken) return out;
    after = p.nextToken;
  }
}

/** `keys` of `r`, in that order (the snapshot's canonical field order) */
const pick = <T extends object, K extends keyof T>(r: T, keys: K[]): Pick<T, K> =>
  Object.fromEntries(keys.map((k) => [k, r[k]])) as Pick<T, K>;
const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const accountOrder = (a: Account, b: Account) =>
  a.name === b.name ? 0 : a.name === 'root' ? -1 : b.name === 'root' ? 1 : a.name < b.name ? -1 : 1;

/** The snapshot of every account, in the canonical shape and order. */
export function exportState(deps: ServiceDeps): Promise<{ format: string; accounts: unknown[] }> {
  return readTx(deps, async (tx) => {
    const scopes = await tx.state.scopes();
    const accounts = (await tx.accounts.list()).sort(accountOrder);
    const out: unknown[] = [];
    for (const account of accounts) {
      const a = account.id;
      const groups = await tx.resourceGroups.list(a);
      const defaultGroup = groups.find((g) => g.isDefault)?.id;
      const rg = (id: string) => (id === defaultGroup ? {} : { resourceGroupId: id });
      const vpcs: Vpc[] = [];
      const vSwitches: VSwitch[] = [];
      const sgs: SecurityGroup[] = [];
      const instances: Instance[] = [];
      const enis: Eni[] = [];
      for (const { regionId } of scopes.filter((s) => s.accountId === a)) {
        vpcs.push(...(await all((p) => tx.vpcs.list(a, { regionId }, p))));
        vSwitches.push(...(await all((p) => tx.vSwitches.list(a, { regionId }, p))));
        sgs.push(...(await all((p) => tx.securityGroups.list(a, { regionId }, p))));
        instances.push(...(await all((p) => tx.instances.list(a, { regionId }, p))));
        enis.push(...(await all((p) => tx.enis.list(a, { regionId }, p))));
      }
      const tags = await tx.tags.of([...vpcs, ...vSwitches, ...sgs, ...instances].map((r) => r.id));
      /** the fields every resource ends with, in the canonical order */
      const ending = (r: OwnedResource, own: Tag[] = tags.get(r.id) ?? []) => ({
        name: r.name,
        description: r.description,
        ...rg(r.resourceGroupId),
        createdAt: r.createdAt,
        tags: own.map((t) => ({ key: t.key, value: t.value })),
      });
      const v4 = (e: Eni) => e.addresses.filter((x) => x.family === 4);
      out.push({
        name: account.name,
        resourceGroups: groups
          .filter((g) => !g.isDefault)
          .sort(byId)
          .map((g) => ({ id: g.id, name: g.name, displayName: g.displayName, createdAt: g.createdAt })),
        vpcs: vpcs.sort(byId).map((v) => ({
          ...pick(v, ['id', 'regionId', 'cidrBlock', 'ipv6CidrBlock']),
          ...ending(v),
        })),
        vSwitches: vSwitches.sort(byId).map((v) => ({
          ...pick(v, ['id', 'vpcId', 'zoneId', 'cidrBlock', 'ipv6CidrBlock']),
          ...ending(v),
        })),
        securityGroups: sgs.sort(byId).map((g) => ({
          ...pick(g, ['id', 'vpcId', 'type']),
          ...ending(g),
        })),
        instances: instances.sort(byId).map((i) => ({
          ...pick(i, [
            'id',
            'vSwitchId',
            'instanceType',
            'imageId',
            'status',
            'transitionDueMs',
            'hostName',
            'systemDisk',
            'billing',
            'keyPairName',
            'ramRoleName',
            'deletionProtection',
            'creditSpecification',
            'userData',
          ]),
          ...ending(i),
        })),
        networkInterfaces: enis.sort(byId).map((e) => ({
          ...pick(e, [
            'id',
            'vSwitchId',
            'securityGroupIds',
            'type',
            'status',
            'instanceId',
            'pendingInstanceId',
            'deviceIndex',
            'networkCardIndex',
            'trunkEniId',
            'macAddress',
          ]),
          primaryIpAddress: v4(e).find((x) => x.primary)?.address ?? '',
          privateIpAddresses: v4(e)
            .filter((x) => !x.primary)
            .map((x) => x.address),
          ipv6Addresses: e.addresses.filter((x) => x.family === 6).map((x) => x.address),
          ...pick(e, ['ipv4Prefixes', 'ipv6Prefixes', 'deleteOnRelease', 'sourceDestCheck', 'traffic', 'transitionDueMs']),
          ...ending(e, e.tags),
        })),
      });
    }
    return { format: STATE_FORMAT, accounts: out };
  });
}

/** The snapshot as a file's text: two-space JSON and a final newline. */
export function formatState(snapshot: unknown): string {
  return JSON.stringify(snapshot, null, 2) + '\n';
}

// ------------------------------------------------------------------ import

export interface ImportReport {
  accounts: number;
  resources: number;
  /** accounts the import created without a given AccessKey: their fresh key, reported once */
  createdKeys: { account: string; accountId: string; accessKeyId: string; accessKeySecret: string }[];
}

/** Alibaba's OUI and three octets of the id's hash: the same MAC for the same ENI id on every import. */
function macFor(eniId: string): string {
  const h = createHash('sha256').update(eniId).digest();
  return ['00', '16', '3e', ...[h[0], h[1], h[2]].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

const TRANSITIONAL = new Set(['Attaching', 'Detaching', 'Deleting', 'Pending', 'Starting', 'Stopping']);

/** Everything the world needs, checked before anything is written: the issues, or the rows to write. */
interface Plan {
  account: AccountState;
  path: (string | number)[];
  groups: AccountState['resourceGroups'];
  vpcs: Omit<Vpc, 'accountId' | 'resourceGroupId'>[];
  vSwitches: Omit<VSwitch, 'accountId' | 'resourceGroupId'>[];
  sgs: Omit<SecurityGroup, 'accountId' | 'resourceGroupId'>[];
  instances: Omit<Instance, 'accountId' | 'resourceGroupId'>[];
  enis: Omit<Eni, 'accountId' | 'resourceGroupId'>[];
  groupOf: Map<string, string | undefined>;
  tags: Map<string, { type: TagResourceType; regionId: string; tags: Tag[] }>;
}

function plan(deps: ServiceDeps, accounts: AccountState[], prefix: (i: number) => (string | number)[]): Plan[] {
  const issues: StateIssue[] = [];
  const issue = (path: (string | number)[], message: string) => issues.push({ path: path.map(String).join('.'), message });
  const now = isoTime(deps.clock.nowMs());
  const nowMs = deps.clock.nowMs();
  const ids = new Map<string, string>();
  const macs = new Map<string, string>();
  const names = new Set<string>();
  const unique = (id: string, path: (string | number)[]) => {
    const p = path.map(String).join('.');
    if (ids.has(id)) issue([...path, 'id'], `${id} is also at ${ids.get(id)}`);
    else ids.set(id, p);
  };
  const plans: Plan[] = [];
  accounts.forEach((account, ai) => {
    const at = prefix(ai);
    if (names.has(account.name)) issue([...at, 'name'], `account ${account.name} appears twice`);
    names.add(account.name);
    const p: Plan = {
      account,
      path: at,
      groups: account.resourceGroups,
      vpcs: [],
      vSwitches: [],
      sgs: [],
      instances: [],
      enis: [],
      groupOf: new Map(),
      tags: new Map(),
    };
    const groupIds = new Set(account.resourceGroups.map((g) => g.id));
    account.resourceGroups.forEach((g, i) => unique(g.id, [...at, 'resourceGroups', i]));
    const group = (id: string, r: { resourceGroupId?: string }, path: (string | number)[]) => {
      if (r.resourceGroupId !== undefined && !groupIds.has(r.resourceGroupId))
        issue([...path, 'resourceGroupId'], `no resource group ${r.resourceGroupId} in this account's resourceGroups`);
      p.groupOf.set(id, r.resourceGroupId);
    };
    const tagged = (id: string, type: TagResourceType, regionId: string, tags: Tag[], path: (string | number)[]) => {
      const keys = new Set<string>();
      tags.forEach((t, i) => {
        if (keys.has(t.key)) issue([...path, 'tags', i, 'key'], `tag ${t.key} appears twice`);
        keys.add(t.key);
      });
      p.tags.set(id, { type, regionId, tags: [...tags].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) });
    };

    const vpcs = new Map<string, { v: Omit<Vpc, 'accountId' | 'resourceGroupId'>; cidr?: Ipv4Cidr }>();
    account.vpcs.forEach((v, i) => {
      const path = [...at, 'vpcs', i];
      unique(v.id, path);
      if (!deps.regions.some((r) => r.id === v.regionId)) issue([...path, 'regionId'], `unknown region ${v.regionId}`);
      let cidr: Ipv4Cidr | undefined;
      try {
        cidr = parseIpv4Cidr(v.cidrBlock, VPC_IPV4_PREFIX);
      } catch (e) {
        issue([...path, 'cidrBlock'], reason(e));
      }
      if (v.ipv6CidrBlock !== null)
        try {
          parseIpv6Cidr(v.ipv6CidrBlock, 56);
        } catch (e) {
          issue([...path, 'ipv6CidrBlock'], reason(e));
        }
      const row = { ...v, status: 'Available' as const, createdAt: v.createdAt ?? now };
      delete (row as { tags?: unknown }).tags;
      delete (row as { resourceGroupId?: unknown }).resourceGroupId;
      vpcs.set(v.id, { v: row, cidr });
      p.vpcs.push(row);
      group(v.id, v, path);
      tagged(v.id, 'vpc', v.regionId, v.tags, path);
    });

    const vSwitches = new Map<string, { v: Omit<VSwitch, 'accountId' | 'resourceGroupId'>; cidr?: Ipv4Cidr; path: (string | number)[] }>();
    account.vSwitches.forEach((s, i) => {
      const path = [...at, 'vSwitches', i];
      unique(s.id, path);
      const vpc = vpcs.get(s.vpcId);
      if (!vpc) issue([...path, 'vpcId'], `no VPC ${s.vpcId} in this account`);
      const region = vpc && deps.regions.find((r) => r.id === vpc.v.regionId);
      if (region && !region.zones.some((z) => z.id === s.zoneId)) issue([...path, 'zoneId'], `no zone ${s.zoneId} in ${region.id}`);
      let cidr: Ipv4Cidr | undefined;
      try {
        cidr = parseIpv4Cidr(s.cidrBlock, VSWITCH_IPV4_PREFIX);
        if (vpc?.cidr && !cidrContains(vpc.cidr, cidr)) issue([...path, 'cidrBlock'], `not inside the VPC's ${vpc.v.cidrBlock}`);
        for (const other of vSwitches.values())
          if (other.v.vpcId === s.vpcId && other.cidr && cidrsOverlap(other.cidr, cidr))
            issue([...path, 'cidrBlock'], `overlaps ${other.v.id} (${other.v.cidrBlock})`);
      } catch (e) {
        issue([...path, 'cidrBlock'], reason(e));
      }
      if (s.ipv6CidrBlock !== null) {
        if (vpc && vpc.v.ipv6CidrBlock === null) issue([...path, 'ipv6CidrBlock'], `the VPC ${s.vpcId} has no IPv6 block`);
        try {
          parseIpv6Cidr(s.ipv6CidrBlock, 64);
        } catch (e) {
          issue([...path, 'ipv6CidrBlock'], reason(e));
        }
      }
      const row = {
        id: s.id,
        regionId: vpc?.v.regionId ?? '',
        vpcId: s.vpcId,
        zoneId: s.zoneId,
        name: s.name,
        description: s.description,
        cidrBlock: s.cidrBlock,
        ipv6CidrBlock: s.ipv6CidrBlock,
        status: 'Available' as const,
        createdAt: s.createdAt ?? now,
      };
      vSwitches.set(s.id, { v: row, cidr, path });
      p.vSwitches.push(row);
      group(s.id, s, path);
      tagged(s.id, 'vswitch', row.regionId, s.tags, path);
    });

    const sgs = new Map<string, Omit<SecurityGroup, 'accountId' | 'resourceGroupId'>>();
    account.securityGroups.forEach((g, i) => {
      const path = [...at, 'securityGroups', i];
      unique(g.id, path);
      const vpc = vpcs.get(g.vpcId);
      if (!vpc) issue([...path, 'vpcId'], `no VPC ${g.vpcId} in this account`);
      const row = {
        id: g.id,
        regionId: vpc?.v.regionId ?? '',
        vpcId: g.vpcId,
        name: g.name,
        description: g.description,
        type: g.type,
        ipCount: 0,
        createdAt: g.createdAt ?? now,
      };
      sgs.set(g.id, row);
      p.sgs.push(row);
      group(g.id, g, path);
      tagged(g.id, 'securitygroup', row.regionId, g.tags, path);
    });

    const instances = new Map<string, Omit<Instance, 'accountId' | 'resourceGroupId'>>();
    account.instances.forEach((x, i) => {
      const path = [...at, 'instances', i];
      unique(x.id, path);
      const vsw = vSwitches.get(x.vSwitchId);
      if (!vsw) issue([...path, 'vSwitchId'], `no vSwitch ${x.vSwitchId} in this account`);
      if (!findInstanceType(x.instanceType)) issue([...path, 'instanceType'], `unknown instance type ${x.instanceType}`);
      const { tags, resourceGroupId: _rg, hostName, createdAt, ...rest } = x;
      const row = {
        ...rest,
        hostName: hostName ?? defaultHostName(x.id),
        regionId: vsw?.v.regionId ?? '',
        zoneId: vsw?.v.zoneId ?? '',
        vpcId: vsw?.v.vpcId ?? '',
        transitionDueMs: TRANSITIONAL.has(x.status) ? (x.transitionDueMs ?? nowMs) : null,
        createdAt: createdAt ?? now,
      };
      instances.set(x.id, row);
      p.instances.push(row);
      group(x.id, x, path);
      tagged(x.id, 'instance', row.regionId, tags, path);
    });

    const taken = new Map<string, string>();
    const prefixBlocks: { vSwitchId: string; path: (string | number)[]; v4: number[]; v6: string[] }[] = [];
    const primaries = new Map<string, number>();
    const devices = new Map<string, Set<number>>();
    account.networkInterfaces.forEach((e, i) => {
      const path = [...at, 'networkInterfaces', i];
      unique(e.id, path);
      const vsw = vSwitches.get(e.vSwitchId);
      if (!vsw) issue([...path, 'vSwitchId'], `no vSwitch ${e.vSwitchId} in this account`);
      e.securityGroupIds.forEach((id, k) => {
        const g = sgs.get(id);
        if (!g) issue([...path, 'securityGroupIds', k], `no security group ${id} in this account`);
        else if (vsw && g.vpcId !== vsw.v.vpcId) issue([...path, 'securityGroupIds', k], `${id} is in another VPC (${g.vpcId})`);
      });
      const bound = e.instanceId ?? e.pendingInstanceId;
      for (const key of ['instanceId', 'pendingInstanceId'] as const) {
        const id = e[key];
        if (id === null) continue;
        const inst = instances.get(id);
        if (!inst) issue([...path, key], `no instance ${id} in this account`);
        else if (vsw && inst.zoneId !== vsw.v.zoneId)
          issue([...path, key], `${id} is in zone ${inst.zoneId}, the vSwitch in ${vsw.v.zoneId}`);
      }
      if (e.type === 'Primary') {
        if (e.instanceId === null) issue([...path, 'instanceId'], 'a Primary ENI belongs to an instance');
        else primaries.set(e.instanceId, (primaries.get(e.instanceId) ?? 0) + 1);
      }
      const status = e.status ?? (e.instanceId !== null ? 'InUse' : 'Available');
      if ((status === 'InUse' || status === 'Detaching') && e.instanceId === null)
        issue([...path, 'status'], `${status} needs an instanceId`);
      if (status === 'Attaching' && bound === null) issue([...path, 'status'], 'Attaching needs a pendingInstanceId');
      const deviceIndex =
        e.deviceIndex !== undefined ? e.deviceIndex : e.type === 'Primary' ? 0 : bound !== null ? nextDevice(devices, bound) : null;
      if (deviceIndex !== null && bound !== null) {
        const used = devices.get(bound) ?? new Set<number>();
        if (used.has(deviceIndex)) issue([...path, 'deviceIndex'], `device ${deviceIndex} of ${bound} is taken`);
        used.add(deviceIndex);
        devices.set(bound, used);
      }
      const mac = e.macAddress ?? macFor(e.id);
      if (macs.has(mac)) issue([...path, 'macAddress'], `${mac} is also at ${macs.get(mac)}`);
      macs.set(mac, path.join('.'));

      const addresses: PrivateAddress[] = [];
      const v4 = (a: string, where: (string | number)[], primary: boolean) => {
        try {
          const n = parseIpv4(a);
          if (vsw?.cidr && !ipv4InCidr(vsw.cidr, n)) issue(where, `${a} is not in the vSwitch's ${vsw.v.cidrBlock}`);
          else if (vsw?.cidr && isReservedIpv4(vsw.cidr, n)) issue(where, `${a} is reserved in ${vsw.v.cidrBlock}`);
          const key = `${e.vSwitchId}/${a}`;
          if (taken.has(key)) issue(where, `${a} is also at ${taken.get(key)}`);
          taken.set(key, where.join('.'));
          addresses.push({ family: 4, address: a, primary });
        } catch (err) {
          issue(where, reason(err));
        }
      };
      v4(e.primaryIpAddress, [...path, 'primaryIpAddress'], true);
      e.privateIpAddresses.forEach((a, k) => v4(a, [...path, 'privateIpAddresses', k], false));
      e.ipv6Addresses.forEach((a, k) => {
        const where = [...path, 'ipv6Addresses', k];
        const value = ipv6ToBigInt(a);
        if (value === undefined) return issue(where, `${a} is not an IPv6 address`);
        if (!vsw || vsw.v.ipv6CidrBlock === null) return issue(where, `the vSwitch ${e.vSwitchId} has no IPv6 block`);
        const block = parseIpv6Cidr(vsw.v.ipv6CidrBlock, 64);
        if (value >> 64n !== ipv6CidrNetwork(block) >> 64n) return issue(where, `${a} is not in the vSwitch's ${vsw.v.ipv6CidrBlock}`);
        const canonical = canonicalIpv6(a);
        const key = `${e.vSwitchId}/${canonical}`;
        if (taken.has(key)) issue(where, `${a} is also at ${taken.get(key)}`);
        taken.set(key, where.join('.'));
        addresses.push({ family: 6, address: canonical, primary: false });
      });

      // Prefixes: aligned blocks inside the vSwitch, apart from each other and from every address.
      const ipv4Prefixes: string[] = [];
      e.ipv4Prefixes.forEach((text, k) => {
        const where = [...path, 'ipv4Prefixes', k];
        const first = parseIpv4Prefix(text);
        if (first === undefined) return issue(where, `${text} is not an aligned /28 written as its network address`);
        if (vsw?.cidr && !(ipv4InCidr(vsw.cidr, first) && ipv4InCidr(vsw.cidr, first + 15)))
          return issue(where, `${text} is not in the vSwitch's ${vsw.v.cidrBlock}`);
        const key = `${e.vSwitchId}/p4/${first}`;
        if (taken.has(key)) issue(where, `${text} is also at ${taken.get(key)}`);
        taken.set(key, where.join('.'));
        ipv4Prefixes.push(text);
      });
      const ipv6Prefixes: string[] = [];
      e.ipv6Prefixes.forEach((text, k) => {
        const where = [...path, 'ipv6Prefixes', k];
        const canonical = canonicalIpv6Prefix(text);
        if (canonical === undefined) return issue(where, `${text} is not an aligned /80 written as its network address`);
        if (!vsw || vsw.v.ipv6CidrBlock === null) return issue(where, `the vSwitch ${e.vSwitchId} has no IPv6 block`);
        const value = ipv6ToBigInt(canonical.split('/')[0])!;
        if (value >> 64n !== ipv6CidrNetwork(parseIpv6Cidr(vsw.v.ipv6CidrBlock, 64)) >> 64n)
          return issue(where, `${text} is not in the vSwitch's ${vsw.v.ipv6CidrBlock}`);
        const key = `${e.vSwitchId}/p6/${canonical}`;
        if (taken.has(key)) issue(where, `${text} is also at ${taken.get(key)}`);
        taken.set(key, where.join('.'));
        ipv6Prefixes.push(canonical);
      });
      prefixBlocks.push({ vSwitchId: e.vSwitchId, path, v4: ipv4Prefixes.map((t) => parseIpv4Prefix(t)!), v6: ipv6Prefixes });

      const row: Omit<Eni, 'accountId' | 'resourceGroupId'> = {
        id: e.id,
        regionId: vsw?.v.regionId ?? '',
        zoneId: vsw?.v.zoneId ?? '',
        vpcId: vsw?.v.vpcId ?? '',
        vSwitchId: e.vSwitchId,
        name: e.name,
        description: e.description,
        type: e.type,
        status,
        macAddress: mac,
        instanceId: e.instanceId,
        pendingInstanceId: e.pendingInstanceId,
        transitionDueMs: TRANSITIONAL.has(status) ? (e.transitionDueMs ?? nowMs) : null,
        deviceIndex,
        trunkEniId: e.trunkEniId,
        deleteOnRelease: e.deleteOnRelease ?? e.type === 'Primary',
        traffic: e.traffic,
        sourceDestCheck: e.sourceDestCheck,
        networkCardIndex: e.networkCardIndex !== undefined ? e.networkCardIndex : e.instanceId !== null ? 0 : null,
        securityGroupIds: e.securityGroupIds,
        addresses,
        ipv4Prefixes,
        ipv6Prefixes,
        tags: [...e.tags].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
        createdAt: e.createdAt ?? now,
      };
      p.enis.push(row);
      group(e.id, e, path);
    });
    // No address inside any prefix of its vSwitch (the store would skip it, or refuse the prefix).
    for (const b of prefixBlocks) {
      const v6Blocks = new Set(b.v6.map((t) => ipv6ToBigInt(t.split('/')[0])! >> 48n));
      for (const [key, where] of taken) {
        const [vswId, address] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
        if (vswId !== b.vSwitchId || address.startsWith('p')) continue;
        const inside = address.includes(':')
          ? v6Blocks.has(ipv6ToBigInt(address)! >> 48n)
          : b.v4.some((first) => parseIpv4(address) >= first && parseIpv4(address) < first + 16);
        if (inside) issue(where.split('.'), `${address} lies inside a prefix of ${b.path.join('.')}`);
      }
    }
    account.networkInterfaces.forEach((e, i) => {
      if (e.trunkEniId !== null && !p.enis.some((x) => x.id === e.trunkEniId && x.type === 'Trunk'))
        issue([...at, 'networkInterfaces', i, 'trunkEniId'], `no Trunk ENI ${e.trunkEniId} in this account`);
    });
    account.instances.forEach((x, i) => {
      const n = primaries.get(x.id) ?? 0;
      if (n !== 1)
        issue(
          [...at, 'instances', i],
          n === 0
            ? `instance ${x.id} has no Primary ENI (list one in networkInterfaces with type Primary and instanceId ${x.id})`
            : `instance ${x.id} has ${n} Primary ENIs`,
        );
    });
    plans.push(p);
  });
  if (issues.length > 0) throw new StateError(issues);
  return plans;
}

function nextDevice(devices: Map<string, Set<number>>, instanceId: string): number {
  const used = devices.get(instanceId) ?? new Set<number>();
  let n = 1;
  while (used.has(n)) n++;
  return n;
}

function reason(e: unknown): string {
  if (e instanceof DomainError) {
    const d = e.details as Record<string, unknown>;
    return typeof d.reason === 'string' ? `${e.code}: ${d.reason}` : e.code;
  }
  return (e as Error).message;
}

/**
 * Loads a snapshot or seed into a store that holds no resources yet (accounts
 * may exist: a started server's root), all of it in one transaction.
 */
export async function importState(deps: ServiceDeps, raw: unknown): Promise<ImportReport> {
  const { accounts, prefix } = parseState(raw);
  const plans = plan(deps, accounts, prefix);
  return writeTx(deps, async (tx) => {
    const scopes = await tx.state.scopes();
    if (scopes.length > 0)
      throw new StateError([
        {
          path: '',
          message: `the store already holds resources (accounts/regions: ${scopes.map((s) => `${s.accountId}/${s.regionId}`).join(', ')}); a snapshot or seed loads only into a store without any`,
        },
      ]);
    const report: ImportReport = { accounts: 0, resources: 0, createdKeys: [] };
    const existing = await tx.accounts.list();
    for (const p of plans) {
      const accountId = await ensureAccount(deps, tx, p, existing, report);
      const defaultGroup = (await tx.resourceGroups.getDefault(accountId))!.id;
      const now = isoTime(deps.clock.nowMs());
      for (const g of p.groups)
        if (!(await tx.resourceGroups.get(accountId, g.id)))
          await tx.resourceGroups.insert({
            id: g.id,
            accountId,
            name: g.name,
            displayName: g.displayName ?? g.name,
            isDefault: false,
            createdAt: g.createdAt ?? now,
          });
      const owned = <T extends { id: string }>(r: T) => ({ ...r, accountId, resourceGroupId: p.groupOf.get(r.id) ?? defaultGroup });
      for (const v of p.vpcs) await tx.vpcs.insert(owned(v));
      for (const v of p.vSwitches) await tx.vSwitches.insert(owned(v));
      for (const g of p.sgs) await tx.securityGroups.insert(owned(g));
      for (const i of p.instances) await tx.instances.insert(owned(i));
      for (const e of p.enis) {
        await tx.enis.insert(owned(e));
        // In the snapshot's order: each address's assignment sequence follows it, so they read back in this order.
        const inserted = await tx.addresses.insert(
          e.addresses.map((a) => ({
            vSwitchId: e.vSwitchId,
            eniId: e.id,
            family: a.family,
            address: a.address,
            primary: a.primary,
            ipv4Num: a.family === 4 ? parseIpv4(a.address) : null,
          })),
        );
        if (inserted.length !== e.addresses.length) throw new Error(`addresses of ${e.id} collided on import`);
        const prefixes = [
          ...e.ipv4Prefixes.map((prefix) => ({ family: 4 as const, prefix, ipv4First: parseIpv4Prefix(prefix)! })),
          ...e.ipv6Prefixes.map((prefix) => ({ family: 6 as const, prefix, ipv4First: null })),
        ];
        const placed = await tx.prefixes.insert(prefixes.map((x) => ({ ...x, vSwitchId: e.vSwitchId, eniId: e.id })));
        if (placed.length !== prefixes.length) throw new Error(`prefixes of ${e.id} collided on import`);
        // Each prefix counts as one address in its groups, as address-book.ts counts it.
        await countInSecurityGroups(deps, tx, e.securityGroupIds, addressesHeld(e));
      }
      for (const [id, t] of p.tags)
        if (t.tags.length) await tx.tags.put({ resourceType: t.type, resourceId: id, accountId, regionId: t.regionId }, t.tags);
      report.accounts++;
      report.resources += p.vpcs.length + p.vSwitches.length + p.sgs.length + p.instances.length + p.enis.length;
    }
    return report;
  });
}

async function ensureAccount(deps: ServiceDeps, tx: Tx, p: Plan, existing: Account[], report: ImportReport): Promise<string> {
  const given = p.account.accessKey;
  const found = existing.find((a) => a.name === p.account.name);
  const now = isoTime(deps.clock.nowMs());
  let accountId: string;
  if (found) accountId = found.id;
  else {
    accountId = newAccountId(deps.rng);
    await tx.accounts.insert({ id: accountId, name: p.account.name, createdAt: now });
    await tx.resourceGroups.insert({
      id: newResourceGroupId(deps.rng),
      accountId,
      name: 'default',
      displayName: 'Default Resource Group',
      isDefault: true,
      createdAt: now,
    });
  }
  if (given) {
    const key = await tx.accessKeys.get(given.id);
    if (key && (key.accountId !== accountId || key.secret !== given.secret))
      throw new StateError([
        { path: [...p.path, 'accessKey', 'id'].join('.'), message: `AccessKey ${given.id} exists with another account or secret` },
      ]);
    if (!key) await tx.accessKeys.insert({ id: given.id, secret: given.secret, accountId, status: 'Active', createdAt: now });
  } else if (!found) {
    const pair = newAccessKeyPair(deps.rng);
    await tx.accessKeys.insert({ id: pair.id, secret: pair.secret, accountId, status: 'Active', createdAt: now });
    report.createdKeys.push({ account: p.account.name, accountId, accessKeyId: pair.id, accessKeySecret: pair.secret });
  }
  return accountId;
}
