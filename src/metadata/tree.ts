// The IMDS path tree of one instance (pure): directories list one entry per
// line with sub-directories ending in "/", leaves are text. Built from the
// instance and its interfaces snapshot, so every path answers from one read.
import type { InstanceFacts, MetadataInterface } from '../service/instance-metadata.ts';

export type MetadataNode = string | { readonly [name: string]: MetadataNode };

/** Alibaba Cloud's resolvers in a VPC. */
const NAMESERVERS = ['100.100.2.136', '100.100.2.138'];

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
    'netmask': i.netmask,
    'gateway': i.gateway,
    'vswitch-id': i.vswitchId,
    'vswitch-cidr-block': i.vswitchCidrBlock,
    'vpc-id': i.vpcId,
    'vpc-cidr-block': i.vpcCidrBlock,
  };
  // ipv6s is absent (404) when the ENI holds no IPv6 address
  if (i.ipv6s.length > 0) node['ipv6s'] = bracketed(i.ipv6s);
  if (i.ipv6Gateway) node['ipv6-gateway'] = i.ipv6Gateway;
  if (i.vswitchIpv6CidrBlock) node['vswitch-ipv6-cidr-block'] = i.vswitchIpv6CidrBlock;
  if (i.vpcIpv6CidrBlock) node['vpc-ipv6-cidr-blocks'] = bracketed([i.vpcIpv6CidrBlock]);
  return node;
}

/** The whole tree, rooted above "latest". */
export function metadataTree(facts: InstanceFacts): MetadataNode {
  const { instance, metadata } = facts;
  const primary = metadata.interfaces.find((i) => i.primary);
  const macs: Record<string, MetadataNode> = {};
  for (const i of metadata.interfaces) macs[i.mac] = interfaceNode(i);
  const hostname = `iZ${instance.id.replace(/^i-/, '')}Z`;
  const metaData: Record<string, MetadataNode> = {
    'dns-conf': { nameservers: NAMESERVERS.join('\n') },
    'hostname': hostname,
    'image-id': instance.imageId,
    'instance': { 'instance-type': instance.instanceType, 'instance-name': instance.name || hostname },
    'instance-id': instance.id,
    'network': { interfaces: { macs } },
    'network-type': 'vpc',
    'owner-account-id': instance.accountId,
    'region-id': instance.regionId,
    'zone-id': instance.zoneId,
  };
  if (primary) {
    Object.assign(metaData, {
      'mac': primary.mac,
      'private-ipv4': primary.primaryIpAddress,
      'vpc-id': primary.vpcId,
      'vpc-cidr-block': primary.vpcCidrBlock,
      'vswitch-id': primary.vswitchId,
      'vswitch-cidr-block': primary.vswitchCidrBlock,
    });
  }
  const document = JSON.stringify({
    'zone-id': instance.zoneId, 'serial-number': '', 'instance-id': instance.id, 'region-id': instance.regionId,
    'private-ipv4': primary?.primaryIpAddress ?? '', 'owner-account-id': instance.accountId, 'mac': primary?.mac ?? '',
    'image-id': instance.imageId, 'instance-type': instance.instanceType,
  });
  return {
    latest: {
      'meta-data': metaData,
      'dynamic': { 'instance-identity': { document } },
    },
  };
}

export type Lookup = { kind: 'leaf'; body: string } | { kind: 'dir'; body: string } | { kind: 'missing' };

/** Resolves "/latest/meta-data/..." (with or without a trailing slash); a directory answers its listing. */
export function lookup(tree: MetadataNode, path: string): Lookup {
  const parts = path.split('/').filter((p) => p.length > 0);
  let node: MetadataNode = tree;
  for (const p of parts) {
    if (typeof node === 'string' || !Object.hasOwn(node, p)) return { kind: 'missing' };
    node = node[p]!;
  }
  if (typeof node === 'string') return path.endsWith('/') ? { kind: 'missing' } : { kind: 'leaf', body: node };
  const names = Object.keys(node).sort().map((k) => (typeof node === 'object' && typeof node[k] === 'object' ? `${k}/` : k));
  return { kind: 'dir', body: names.join('\n') };
}
