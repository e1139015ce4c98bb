// The IMDS path tree of one instance (pure): directories list one entry per
// line with sub-directories ending in "/", leaves are text. Built from the
// instance and its interfaces snapshot, so every path answers from one read.
import { createHash } from 'node:crypto';
import type { InstanceFacts, MetadataInterface } from '../service/instance-metadata.ts';

export type MetadataNode = string | { readonly [name: string]: MetadataNode };

/** Alibaba Cloud's resolvers in a VPC. */
const NAMESERVERS = ['100.100.2.136', '100.100.2.138'];
/** ... its NTP servers (ntp-conf/ntp-servers) and the package mirror inside a VPC (source-address), as the real service gives them */
const NTP_SERVERS = ['ntp1.aliyun.com', 'ntp1.cloud.aliyuncs.com'];
const SOURCE_ADDRESS = 'http://mirrors.cloud.aliyuncs.com';

/**
 * The versions the real service lists at `/`: cloud-init reads 2016-01-01
 * (its minimum), most scripts `latest`. Both serve the same tree.
 */
export const METADATA_VERSIONS = ['2016-01-01', 'latest'] as const;

/** A stable per-instance UUID-shaped serial number (the real one is the VM's SMBIOS UUID). */
function serialNumber(instanceId: string): string {
  const h = createHash('sha256').update(`eniplane-serial:${instanceId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** IMDS list format: "[a,b]" (bracketed, comma-separated, unquoted), as in the docs' ipv6s example. */
function bracketed(items: string[]): string {
  return `[${items.join(',')}]`;
}

function interfaceNode(i: MetadataInterface): Record<string, MetadataNode> {
  const node: Record<string, MetadataNode> = {
    'network-interface-id': i.networkInterfaceId,
    'primary-ip-address': i.primaryIpAddress,
    // a JSON array of quoted strings (Terway json-decodes it)
    'private-ipv4s': JSON.stringify(i.privateIpv4s),
    netmask: i.netmask,
    gateway: i.gateway,
    'vswitch-id': i.vswitchId,
    'vswitch-cidr-block': i.vswitchCidrBlock,
    'vpc-id': i.vpcId,
    'vpc-cidr-block': i.vpcCidrBlock,
  };
  // ipv6s is absent (404) when the ENI holds no IPv6 address
  if (i.ipv6s.length > 0) node['ipv6s'] = bracketed(i.ipv6s);
  // COMPAT: the items' names are the metadata reference's; their format is not shown there, so each
  // takes its family's address list format (private-ipv4s, ipv6s). Absent (404) when the ENI holds none.
  if (i.ipv4Prefixes.length > 0) node['ipv4-prefixes'] = JSON.stringify(i.ipv4Prefixes);
  if (i.ipv6Prefixes.length > 0) node['ipv6-prefixes'] = bracketed(i.ipv6Prefixes);
  if (i.ipv6Gateway) node['ipv6-gateway'] = i.ipv6Gateway;
  if (i.vswitchIpv6CidrBlock) node['vswitch-ipv6-cidr-block'] = i.vswitchIpv6CidrBlock;
  if (i.vpcIpv6CidrBlock) node['vpc-ipv6-cidr-blocks'] = bracketed([i.vpcIpv6CidrBlock]);
  return node;
}

/** The whole tree, rooted above the versions ("2016-01-01", "latest"). */
export function metadataTree(facts: InstanceFacts): MetadataNode {
  const { instance, metadata } = facts;
  const primary = metadata.interfaces.find((i) => i.primary);
  const macs: Record<string, MetadataNode> = {};
  for (const i of metadata.interfaces) macs[i.mac] = interfaceNode(i);
  const hostname = `iZ${instance.id.replace(/^i-/, '')}Z`;
  const serial = serialNumber(instance.id);
  const metaData: Record<string, MetadataNode> = {
    'dns-conf': { nameservers: NAMESERVERS.join('\n') },
    'ntp-conf': { 'ntp-servers': NTP_SERVERS.join('\n') },
    // COMPAT: eniplane keeps no key pairs: the directory is there (cloud-init reads it) and empty
    'public-keys': {},
    'serial-number': serial,
    'source-address': SOURCE_ADDRESS,
    hostname: hostname,
    'image-id': instance.imageId,
    instance: { 'instance-type': instance.instanceType, 'instance-name': instance.name || hostname },
    'instance-id': instance.id,
    network: { interfaces: { macs } },
    'network-type': 'vpc',
    'owner-account-id': instance.accountId,
    'region-id': instance.regionId,
    'zone-id': instance.zoneId,
  };
  if (primary) {
    Object.assign(metaData, {
      mac: primary.mac,
      'private-ipv4': primary.primaryIpAddress,
      'vpc-id': primary.vpcId,
      'vpc-cidr-block': primary.vpcCidrBlock,
      'vswitch-id': primary.vswitchId,
      'vswitch-cidr-block': primary.vswitchCidrBlock,
      // the primary ENI's secondary private IPv4 addresses, one per line (empty when it has none)
      'sub-private-ipv4-list': primary.privateIpv4s.filter((a) => a !== primary.primaryIpAddress).join('\n'),
    });
  }
  const document = JSON.stringify({
    'zone-id': instance.zoneId,
    'serial-number': serial,
    'instance-id': instance.id,
    'region-id': instance.regionId,
    'private-ipv4': primary?.primaryIpAddress ?? '',
    'owner-account-id': instance.accountId,
    mac: primary?.mac ?? '',
    'image-id': instance.imageId,
    'instance-type': instance.instanceType,
  });
  // user-data is not there: eniplane keeps none, and the real service answers 404 for an instance without it
  const version: Record<string, MetadataNode> = { 'meta-data': metaData, dynamic: { 'instance-identity': { document } } };
  return Object.fromEntries(METADATA_VERSIONS.map((v) => [v, version]));
}

export type Lookup = { kind: 'leaf'; body: string; json?: true } | { kind: 'dir'; body: string } | { kind: 'missing' };

/**
 * Resolves "/latest/meta-data/..." (with or without a trailing slash); a
 * directory answers its listing. The two top levels (`/` → versions,
 * `/latest/` → meta-data, dynamic) list names without a trailing `/`, as the
 * real service (and EC2's) does. `<version>/meta-data/all` is the whole
 * meta-data tree as one JSON object (directories → objects, leaves → the
 * text each leaf path answers): cloud-init's AliYun datasource reads it
 * first and falls back to crawling. It is not listed, as on the real service.
 */
export function lookup(tree: MetadataNode, path: string): Lookup {
  const parts = path.split('/').filter((p) => p.length > 0);
  const all = parts.length === 3 && parts[1] === 'meta-data' && parts[2] === 'all';
  let node: MetadataNode = tree;
  for (const p of all ? parts.slice(0, 2) : parts) {
    if (typeof node === 'string' || !Object.hasOwn(node, p)) return { kind: 'missing' };
    node = node[p]!;
  }
  if (all) return path.endsWith('/') ? { kind: 'missing' } : { kind: 'leaf', body: JSON.stringify(node), json: true };
  if (typeof node === 'string') return path.endsWith('/') ? { kind: 'missing' } : { kind: 'leaf', body: node };
  const slash = parts.length >= 2;
  const names = Object.keys(node)
    .sort()
    .map((k) => (slash && typeof node === 'object' && typeof node[k] === 'object' ? `${k}/` : k));
  return { kind: 'dir', body: names.join('\n') };
}
