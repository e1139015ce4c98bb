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
  return allPages(async (n) => {
    const r = await rpc<{ VSwitches: { VSwitch: VSwitchWire[] }; TotalCount: number }>(
      'DescribeVSwitches',
      { RegionId: scope.regionId, ...rg(scope), VpcId: vpcId, PageNumber: n, PageSize: 50 },
      'vpc',
    );
    return { items: r.VSwitches.VSwitch, total: r.TotalCount };
  }, 50);
}

export async function getVSwitch(regionId: string, vSwitchId: string): Promise<VSwitchWire | undefined> {
  const r = await rpc<{ VSwitches: { VSwitch: VSwitchWire[] } }>('DescribeVSwitches', { RegionId: regionId, VSwitchId: vSwitchId }, 'vpc');
  return r.VSwitches.VSwitch[0];
}

export function listSecurityGroups(scope: Scope, vpcId?: string): Promise<SecurityGroupWire[]> {
  return allPages(async (n) => {
    const r = await rpc<{ SecurityGroups: { SecurityGroup: SecurityGroupWire[] }; TotalCount: number }>('DescribeSecurityGroups', {
      RegionId: scope.regionId,
      ...rg(scope),
      VpcId: vpcId,
      PageNumber: n,
      PageSize: 50,
    });
    return { items: r.SecurityGroups.SecurityGroup, total: r.TotalCount };
  }, 50);
}

export function describeInstances(
  scope: Scope,
  page: { pageNumber: number; pageSize: number },
  q: { ids?: string[]; status?: string; vpcId?: string; zoneId?: string } = {},
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
  });
}

export async function getInstance(regionId: string, instanceId: string): Promise<InstanceWire | undefined> {
  const r = await describeInstances({ regionId }, { pageNumber: 1, pageSize: 1 }, { ids: [instanceId] });
  return r.Instances.Instance[0];
}

export function listAllInstances(scope: Scope, q: { vpcId?: string; zoneId?: string } = {}): Promise<InstanceWire[]> {
  return allPages(async (n) => {
    const r = await describeInstances(scope, { pageNumber: n, pageSize: 100 }, q);
    return { items: r.Instances.Instance, total: r.TotalCount };
  }, 100);
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
