// Typed wrappers over the RPC actions the console uses. Every call carries the
// region (and, for lists, the resource group) chosen in the top bar.
import { newClientToken, rpc } from './rpc.ts';
import type { EniPage, EniWire, InstanceTypeWire, InstanceWire, SecurityGroupWire, VpcWire, VSwitchWire } from './wire.ts';

export interface Scope {
  regionId: string;
  resourceGroupId?: string;
}

const rg = (s: Scope) => (s.resourceGroupId ? { ResourceGroupId: s.resourceGroupId } : {});
const list = (name: string, values: readonly string[]) => Object.fromEntries(values.map((v, i) => [`${name}.${i + 1}`, v]));

export interface EniQuery {
  status?: string;
  type?: string;
  vSwitchId?: string;
  vpcId?: string;
  instanceId?: string;
  /** exact filters from the search box */
  ids?: string[];
  name?: string;
  privateIp?: string;
  ipv6?: string;
  /** a tag the ENIs carry: the key, and the value when given */
  tag?: { key: string; value?: string };
}

export function describeEnis(scope: Scope, q: EniQuery, page: { nextToken?: string; maxResults: number }) {
  return rpc<EniPage>('DescribeNetworkInterfaces', {
    RegionId: scope.regionId,
    ...rg(scope),
    Status: q.status,
    Type: q.type,
    VSwitchId: q.vSwitchId,
    VpcId: q.vpcId,
    InstanceId: q.instanceId,
    NetworkInterfaceName: q.name,
    ...list('NetworkInterfaceId', q.ids ?? []),
    ...(q.privateIp ? { 'PrivateIpAddress.1': q.privateIp } : {}),
    ...(q.ipv6 ? { 'Ipv6Address.1': q.ipv6 } : {}),
    ...(q.tag ? { 'Tag.1.Key': q.tag.key, 'Tag.1.Value': q.tag.value } : {}),
    MaxResults: page.maxResults,
    NextToken: page.nextToken,
  });
}

export async function describeEni(regionId: string, eniId: string): Promise<EniWire> {
  return rpc<EniWire>('DescribeNetworkInterfaceAttribute', { RegionId: regionId, NetworkInterfaceId: eniId });
}

/** All pages of a PageNumber/PageSize list (VPCs, vSwitches, security groups: tens, not thousands). */
async function allPages<T>(fetchPage: (pageNumber: number) => Promise<{ items: T[]; total: number }>, pageSize: number): Promise<T[]> {
  const out: T[] = [];
  for (let n = 1; ; n++) {
    const { items, total } = await fetchPage(n);
    out.push(...items);
    if (items.length < pageSize || out.length >= total || n >= 100) return out;
  }
}

export function listVpcs(scope: Scope): Promise<VpcWire[]> {
  return allPages(async (n) => {
    const r = await rpc<{ Vpcs: { Vpc: VpcWire[] }; TotalCount: number }>(
      'DescribeVpcs',
      { RegionId: scope.regionId, ...rg(scope), PageNumber: n, PageSize: 50 },
      'vpc',
    );
    return { items: r.Vpcs.Vpc, total: r.TotalCount };
  }, 50);
}

export function listVSwitches(scope: Scope, vpcId?: string): Promise<VSwitchWire[]> {
  return allPages((n) => describeVSwitchesPage(scope, { pageNumber: n, pageSize: 50 }, { vpcId }), 50);
}

/** One page of a list: its items and the API's TotalCount. */
export interface ListPage<T> {
  items: T[];
  total: number;
}

/** One page of DescribeVSwitches (at most 50 a page), filtered by VPC, ids or an exact name. */
async function describeVSwitchesPage(
  scope: Scope,
  page: { pageNumber: number; pageSize: number },
  q: { vpcId?: string; ids?: readonly string[]; name?: string } = {},
): Promise<ListPage<VSwitchWire>> {
  const r = await rpc<{ VSwitches: { VSwitch: VSwitchWire[] }; TotalCount: number }>(
    'DescribeVSwitches',
    {
      RegionId: scope.regionId,
      ...rg(scope),
      VpcId: q.vpcId,
      VSwitchId: q.ids?.join(','),
      VSwitchName: q.name,
      PageNumber: page.pageNumber,
      PageSize: page.pageSize,
    },
    'vpc',
  );
  return { items: r.VSwitches.VSwitch, total: r.TotalCount };
}

const VSWITCH_ID = /^vsw-[0-9a-z]+$/;

/**
 * A vSwitch picker's page: with no text, page n of the region's (or the VPC's) vSwitches; with text, the
 * vSwitch of that id or of that exact name (the API's filters are exact), one request either way.
 */
export function searchVSwitches(scope: Scope, text: string, pageNumber: number, vpcId?: string): Promise<ListPage<VSwitchWire>> {
  const t = text.trim();
  const q = t === '' ? {} : VSWITCH_ID.test(t) ? { ids: [t] } : { name: t };
  return describeVSwitchesPage(scope, { pageNumber, pageSize: 50 }, { vpcId, ...q });
}

/** How long a vSwitch named in the ENI table is remembered (its name and CIDR blocks hardly change). */
const VSWITCH_CACHE_MS = 60_000;
const vSwitchCache = new Map<string, { at: number; value: Promise<VSwitchWire | undefined> }>();

/**
 * The vSwitches of these ids (the ones a page of ENIs names), from the cache or in batches of 50 ids a
 * request: eniplane's DescribeVSwitches takes a comma-separated VSwitchId (docs/compat.md). A page of
 * the ENI table costs one request at most, whatever the region holds.
 */
export async function vSwitchesByIds(regionId: string, ids: readonly string[]): Promise<Map<string, VSwitchWire>> {
  const now = Date.now();
  const key = (id: string) => `${regionId}/${id}`;
  const missing = [...new Set(ids)].filter((id) => {
    const hit = vSwitchCache.get(key(id));
    return !hit || now - hit.at > VSWITCH_CACHE_MS;
  });
  for (let i = 0; i < missing.length; i += 50) {
    const batch = missing.slice(i, i + 50);
    const answer = describeVSwitchesPage({ regionId }, { pageNumber: 1, pageSize: 50 }, { ids: batch });
    for (const id of batch) {
      const value = answer.then((r) => r.items.find((v) => v.VSwitchId === id));
      value.catch(() => vSwitchCache.delete(key(id)));
      vSwitchCache.set(key(id), { at: now, value });
    }
  }
  const out = new Map<string, VSwitchWire>();
  for (const id of new Set(ids)) {
    const v = await vSwitchCache.get(key(id))!.value;
    if (v) out.set(id, v);
  }
  return out;
}

export function listSecurityGroups(scope: Scope, vpcId?: string): Promise<SecurityGroupWire[]> {
  return allPages((n) => describeSecurityGroupsPage(scope, { pageNumber: n, pageSize: 50 }, { vpcId }), 50);
}

/** One page of DescribeSecurityGroups (at most 50 a page), filtered by VPC or by ids (at most 100). */
export async function describeSecurityGroupsPage(
  scope: Scope,
  page: { pageNumber: number; pageSize: number },
  q: { vpcId?: string; ids?: readonly string[]; name?: string } = {},
): Promise<ListPage<SecurityGroupWire>> {
  const r = await rpc<{ SecurityGroups: { SecurityGroup: SecurityGroupWire[] }; TotalCount: number }>('DescribeSecurityGroups', {
    RegionId: scope.regionId,
    ...rg(scope),
    VpcId: q.vpcId,
    SecurityGroupIds: q.ids ? JSON.stringify(q.ids) : undefined,
    SecurityGroupName: q.name,
    PageNumber: page.pageNumber,
    PageSize: page.pageSize,
  });
  return { items: r.SecurityGroups.SecurityGroup, total: r.TotalCount };
}

const SECURITY_GROUP_ID = /^sg-[0-9a-z]+$/;

/** A security-group picker's page: page n of the VPC's groups, or (with text) the group of that id or exact name. */
export function searchSecurityGroups(scope: Scope, vpcId: string, text: string, pageNumber: number): Promise<ListPage<SecurityGroupWire>> {
  const t = text.trim();
  const q = t === '' ? {} : SECURITY_GROUP_ID.test(t) ? { ids: [t] } : { name: t };
  return describeSecurityGroupsPage(scope, { pageNumber, pageSize: 50 }, { vpcId, ...q });
}

/** Counts for the getting-started guide: one request each, reading TotalCount of a page of one. */
export async function countNetworks(scope: Scope): Promise<{ vpcs: number; vsws: number; sgs: number }> {
  const one = { pageNumber: 1, pageSize: 1 };
  const [vpcs, vsws, sgs] = await Promise.all([
    rpc<{ TotalCount: number }>('DescribeVpcs', { RegionId: scope.regionId, ...rg(scope), PageNumber: 1, PageSize: 1 }, 'vpc'),
    describeVSwitchesPage(scope, one),
    describeSecurityGroupsPage(scope, one),
  ]);
  return { vpcs: vpcs.TotalCount, vsws: vsws.total, sgs: sgs.total };
}

export function describeInstances(
  scope: Scope,
  page: { pageNumber: number; pageSize: number },
  q: { ids?: string[]; status?: string; vpcId?: string; zoneId?: string; name?: string } = {},
) {
  return rpc<{ Instances: { Instance: InstanceWire[] }; TotalCount: number }>('DescribeInstances', {
    RegionId: scope.regionId,
    ...rg(scope),
    PageNumber: page.pageNumber,
    PageSize: page.pageSize,
    Status: q.status,
    VpcId: q.vpcId,
    ZoneId: q.zoneId,
    InstanceIds: q.ids ? JSON.stringify(q.ids) : undefined,
    InstanceName: q.name,
  });
}

export async function getInstance(regionId: string, instanceId: string): Promise<InstanceWire | undefined> {
  const r = await describeInstances({ regionId }, { pageNumber: 1, pageSize: 1 }, { ids: [instanceId] });
  return r.Instances.Instance[0];
}

const INSTANCE_ID = /^i-[0-9a-z]+$/;

/**
 * Instance suggestions: the first page of a search, never every page. The name search is the real API's
 * fuzzy InstanceName (`*text*`); text that looks like an instance id is also looked up exactly (InstanceIds),
 * so a whole id typed always finds its instance. Empty text: the first page of the scope.
 */
export async function searchInstances(
  scope: Scope,
  text: string,
  pageNumber: number,
  q: { vpcId?: string; zoneId?: string } = {},
  pageSize = 20,
): Promise<ListPage<InstanceWire>> {
  const t = text.trim();
  const page = { pageNumber, pageSize };
  if (t === '') {
    const r = await describeInstances(scope, page, q);
    return { items: r.Instances.Instance, total: r.TotalCount };
  }
  const byName = describeInstances(scope, page, { ...q, name: t.includes('*') ? t : `*${t}*` });
  const byId =
    INSTANCE_ID.test(t) && pageNumber === 1 ? describeInstances(scope, { pageNumber: 1, pageSize: 1 }, { ...q, ids: [t] }) : undefined;
  const [named, exact] = await Promise.all([byName, byId]);
  const found = exact?.Instances.Instance ?? [];
  const rest = named.Instances.Instance.filter((i) => !found.some((f) => f.InstanceId === i.InstanceId));
  // an id match its name does not contain adds one to the name search's total
  const extra = found.length - (named.Instances.Instance.length - rest.length);
  return { items: [...found, ...rest], total: named.TotalCount + extra };
}

const typeCache = new Map<string, Promise<InstanceTypeWire | undefined>>();

export function getInstanceType(id: string): Promise<InstanceTypeWire | undefined> {
  let p = typeCache.get(id);
  if (!p) {
    p = rpc<{ InstanceTypes: { InstanceType: InstanceTypeWire[] } }>('DescribeInstanceTypes', { 'InstanceTypes.1': id }).then(
      (r) => r.InstanceTypes.InstanceType[0],
    );
    p.catch(() => typeCache.delete(id));
    typeCache.set(id, p);
  }
  return p;
}

export async function listInstanceTypes(): Promise<InstanceTypeWire[]> {
  const out: InstanceTypeWire[] = [];
  let token: string | undefined;
  for (let i = 0; i < 20; i++) {
    const r = await rpc<{ InstanceTypes: { InstanceType: InstanceTypeWire[] }; NextToken?: string }>('DescribeInstanceTypes', {
      MaxResults: 100,
      NextToken: token,
    });
    out.push(...r.InstanceTypes.InstanceType);
    token = r.NextToken;
    if (!token) break;
  }
  return out;
}

// Changes. Creates carry a ClientToken, so a retried click cannot create twice.

export function createVpc(scope: Scope, p: { cidrBlock: string; name?: string; description?: string; enableIpv6: boolean }) {
  return rpc<{ VpcId: string }>(
    'CreateVpc',
    {
      RegionId: scope.regionId,
      ...rg(scope),
      CidrBlock: p.cidrBlock,
      VpcName: p.name,
      Description: p.description,
      EnableIpv6: p.enableIpv6 ? 'true' : undefined,
      ClientToken: newClientToken(),
    },
    'vpc',
  );
}

export function createVSwitch(
  scope: Scope,
  p: { vpcId: string; zoneId: string; cidrBlock: string; ipv6Index?: number; name?: string; description?: string },
) {
  return rpc<{ VSwitchId: string }>(
    'CreateVSwitch',
    {
      RegionId: scope.regionId,
      ...rg(scope),
      VpcId: p.vpcId,
      ZoneId: p.zoneId,
      CidrBlock: p.cidrBlock,
      Ipv6CidrBlock: p.ipv6Index,
      VSwitchName: p.name,
      Description: p.description,
      ClientToken: newClientToken(),
    },
    'vpc',
  );
}

export function createSecurityGroup(
  scope: Scope,
  p: { vpcId: string; name?: string; description?: string; type: 'normal' | 'enterprise' },
) {
  return rpc<{ SecurityGroupId: string }>('CreateSecurityGroup', {
    RegionId: scope.regionId,
    ...rg(scope),
    VpcId: p.vpcId,
    SecurityGroupName: p.name,
    Description: p.description,
    SecurityGroupType: p.type,
    ClientToken: newClientToken(),
  });
}

export function createEni(
  scope: Scope,
  p: {
    vSwitchId: string;
    securityGroupIds: string[];
    name?: string;
    description?: string;
    primaryIp?: string;
    secondaryCount?: number;
    ipv6Count?: number;
  },
) {
  return rpc<{ NetworkInterfaceId: string }>('CreateNetworkInterface', {
    RegionId: scope.regionId,
    ...rg(scope),
    VSwitchId: p.vSwitchId,
    ...list('SecurityGroupIds', p.securityGroupIds),
    NetworkInterfaceName: p.name,
    Description: p.description,
    PrimaryIpAddress: p.primaryIp,
    SecondaryPrivateIpAddressCount: p.secondaryCount || undefined,
    Ipv6AddressCount: p.ipv6Count || undefined,
    ClientToken: newClientToken(),
  });
}

export function runInstance(
  scope: Scope,
  p: { instanceType: string; vSwitchId: string; securityGroupIds: string[]; name?: string; privateIp?: string },
) {
  return rpc<{ InstanceIdSets: { InstanceIdSet: string[] } }>('RunInstances', {
    RegionId: scope.regionId,
    ...rg(scope),
    InstanceType: p.instanceType,
    VSwitchId: p.vSwitchId,
    ...list('SecurityGroupIds', p.securityGroupIds),
    InstanceName: p.name,
    PrivateIpAddress: p.privateIp,
    Amount: 1,
    ClientToken: newClientToken(),
  });
}

export const deleteVpc = (regionId: string, vpcId: string) => rpc('DeleteVpc', { RegionId: regionId, VpcId: vpcId }, 'vpc');
export const deleteVSwitch = (regionId: string, vSwitchId: string) =>
  rpc('DeleteVSwitch', { RegionId: regionId, VSwitchId: vSwitchId }, 'vpc');
export const deleteSecurityGroup = (regionId: string, id: string) =>
  rpc('DeleteSecurityGroup', { RegionId: regionId, SecurityGroupId: id });
export const deleteEni = (regionId: string, id: string) => rpc('DeleteNetworkInterface', { RegionId: regionId, NetworkInterfaceId: id });
export const attachEni = (regionId: string, eniId: string, instanceId: string) =>
  rpc('AttachNetworkInterface', { RegionId: regionId, NetworkInterfaceId: eniId, InstanceId: instanceId });
export const detachEni = (regionId: string, eniId: string, instanceId: string) =>
  rpc('DetachNetworkInterface', { RegionId: regionId, NetworkInterfaceId: eniId, InstanceId: instanceId });
export const startInstance = (regionId: string, id: string) => rpc('StartInstance', { RegionId: regionId, InstanceId: id });
export const stopInstance = (regionId: string, id: string) => rpc('StopInstance', { RegionId: regionId, InstanceId: id });
export const deleteInstance = (regionId: string, id: string) => rpc('DeleteInstance', { RegionId: regionId, InstanceId: id });
export const modifyEni = (regionId: string, id: string, p: { name?: string; description?: string; securityGroupIds?: string[] }) =>
  rpc('ModifyNetworkInterfaceAttribute', {
    RegionId: regionId,
    NetworkInterfaceId: id,
    NetworkInterfaceName: p.name,
    Description: p.description,
    ...list('SecurityGroupId', p.securityGroupIds ?? []),
  });

/** Adds tags to an ENI (an existing key takes the new value). */
export const tagEni = (regionId: string, id: string, tags: { key: string; value: string }[]) =>
  rpc('TagResources', {
    RegionId: regionId,
    ResourceType: 'eni',
    'ResourceId.1': id,
    ...Object.fromEntries(
      tags.flatMap((t, i) => [
        [`Tag.${i + 1}.Key`, t.key],
        [`Tag.${i + 1}.Value`, t.value],
      ]),
    ),
  });
export const untagEni = (regionId: string, id: string, keys: string[]) =>
  rpc('UntagResources', { RegionId: regionId, ResourceType: 'eni', 'ResourceId.1': id, ...list('TagKey', keys) });

/** The four address actions, as the Manage ENI IP Addresses dialog sends them; resolves with the addresses assigned. */
/** An IP prefix call of the Manage dialog; answers the prefixes assigned (none for Unassign). */
export async function prefixAction(regionId: string, action: string, params: Record<string, string>): Promise<string[]> {
  const withToken = action.startsWith('Assign') ? { ...params, ClientToken: newClientToken() } : params;
  const r = await rpc<Record<string, unknown>>(action, { RegionId: regionId, ...withToken });
  if (action === 'AssignPrivateIpAddresses') {
    const set = r.AssignedPrivateIpAddressesSet as { Ipv4PrefixSet?: { Ipv4Prefixes?: string[] } } | undefined;
    return set?.Ipv4PrefixSet?.Ipv4Prefixes ?? [];
  }
  if (action === 'AssignIpv6Addresses') return (r.Ipv6PrefixSets as { Ipv6Prefix?: string[] } | undefined)?.Ipv6Prefix ?? [];
  return [];
}

export async function addressAction(regionId: string, action: string, params: Record<string, string>): Promise<string[]> {
  const withToken = action.startsWith('Assign') ? { ...params, ClientToken: newClientToken() } : params;
  const r = await rpc<Record<string, unknown>>(action, { RegionId: regionId, ...withToken });
  if (action === 'AssignPrivateIpAddresses') {
    const set = r.AssignedPrivateIpAddressesSet as { PrivateIpSet?: { PrivateIpAddress?: string[] } } | undefined;
    return set?.PrivateIpSet?.PrivateIpAddress ?? [];
  }
  if (action === 'AssignIpv6Addresses') return (r.Ipv6Sets as { Ipv6Address?: string[] } | undefined)?.Ipv6Address ?? [];
  return [];
}
