// What the instance metadata service reads and writes: which instance is
// asking (by its private address, or by id for local development), the
// snapshot of that instance's interfaces, the hardened-mode tokens and the
// agent's status reports. Tokens and reports live in the `kv` table, so every
// server process sharing the database honours them.
import { createHash, randomBytes } from 'node:crypto';
import type { Eni, Instance, VSwitch, Vpc } from '../domain/model.ts';
import type { EniPlacement, Tx } from '../store/store.ts';
import {
  canonicalIpv6,
  formatIpv4,
  ipv4Gateway,
  ipv6Gateway,
  parseIpv4,
  parseIpv4Cidr,
  parseIpv6Cidr,
  prefixToNetmask,
} from '../ipam/index.ts';
import { readTx, writeTx, type ServiceDeps } from './deps.ts';
import { settleDue } from './transitions.ts';

/** One ENI as the guest sees it: everything an agent needs to configure it. */
export interface MetadataInterface {
  /** lower-case, 00:16:3e:xx:xx:xx */
  mac: string;
  networkInterfaceId: string;
  /** 0 for the primary ENI */
  deviceIndex: number;
  primary: boolean;
  primaryIpAddress: string;
  /** primary first, then the secondaries in assignment order */
  privateIpv4s: string[];
  prefixLength: number;
  netmask: string;
  gateway: string;
  vswitchId: string;
  vswitchCidrBlock: string;
  vpcId: string;
  vpcCidrBlock: string;
  ipv6s: string[];
  /** the ENI's IPv4 prefixes (aligned /28s, CIDR text), in assignment order */
  ipv4Prefixes: string[];
  /** the ENI's IPv6 prefixes (aligned /80s, canonical CIDR text), in assignment order */
  ipv6Prefixes: string[];
  /** null when the vSwitch has no IPv6 CIDR */
  ipv6Gateway: string | null;
  vswitchIpv6CidrBlock: string | null;
  vpcIpv6CidrBlock: string | null;
}

export interface InstanceMetadata {
  /** a hash of instanceId + interfaces: changes exactly when what the agent must apply changes */
  version: string;
  instanceId: string;
  /** ordered by device index */
  interfaces: MetadataInterface[];
}

/** Instance-level facts of the IMDS tree, next to the interfaces. */
export interface InstanceFacts {
  instance: Instance;
  metadata: InstanceMetadata;
}

export const METADATA_TOKEN_MIN_TTL_S = 1;
export const METADATA_TOKEN_MAX_TTL_S = 21600;
const TOKEN_PREFIX = 'metadata:token:';
const STATUS_PREFIX = 'metadata:status:';
/** agent reports are kept this long without a newer one, ms */
const AGENT_STATUS_TTL_MS = 7 * 24 * 3600 * 1000;

function versionOf(instanceId: string, interfaces: MetadataInterface[]): string {
  return createHash('sha256').update(JSON.stringify({ instanceId, interfaces })).digest('hex').slice(0, 16);
}

/** The ENI is the instance's NIC now: InUse on it (an Attaching one is not visible yet, a Detaching one no longer). */
function boundTo(e: EniPlacement, instanceId: string): boolean {
  return e.instanceId === instanceId && e.status === 'InUse';
}

function describeInterface(
  e: EniPlacement & Partial<Pick<Eni, 'ipv4Prefixes' | 'ipv6Prefixes'>>,
  vsw: VSwitch,
  vpc: Vpc,
): MetadataInterface {
  const cidr = parseIpv4Cidr(vsw.cidrBlock, { minPrefix: 1, maxPrefix: 32 });
  const v4 = e.addresses.filter((a) => a.family === 4);
  const primary = v4.find((a) => a.primary) ?? v4[0];
  const v6Cidr = vsw.ipv6CidrBlock ? parseIpv6Cidr(vsw.ipv6CidrBlock) : null;
  return {
    mac: e.macAddress.toLowerCase(),
    networkInterfaceId: e.id,
    deviceIndex: e.deviceIndex ?? 0,
    primary: e.type === 'Primary',
    primaryIpAddress: primary?.address ?? '',
    privateIpv4s: [...(primary ? [primary.address] : []), ...v4.filter((a) => a !== primary).map((a) => a.address)],
    prefixLength: cidr.prefixLength,
    netmask: prefixToNetmask(cidr.prefixLength),
    gateway: formatIpv4(ipv4Gateway(cidr)),
    vswitchId: vsw.id,
    vswitchCidrBlock: vsw.cidrBlock,
    vpcId: vpc.id,
    vpcCidrBlock: vpc.cidrBlock,
    ipv6s: e.addresses.filter((a) => a.family === 6).map((a) => canonicalIpv6(a.address)),
    ipv4Prefixes: e.ipv4Prefixes ?? [],
    ipv6Prefixes: e.ipv6Prefixes ?? [],
    ipv6Gateway: v6Cidr ? ipv6Gateway(v6Cidr) : null,
    vswitchIpv6CidrBlock: vsw.ipv6CidrBlock,
    vpcIpv6CidrBlock: vpc.ipv6CidrBlock,
  };
}

async function snapshotIn(tx: Tx, instance: Instance): Promise<InstanceMetadata> {
  // COMPAT: members of a trunk are not NICs of the guest (terway reaches them through the trunk, by
  // VLAN), so the guest's interface list leaves them out; the trunk itself is listed.
  const enis = (await tx.enis.listByInstance(instance.id)).filter((e) => boundTo(e, instance.id) && e.type !== 'Member');
  const interfaces: MetadataInterface[] = [];
  const vsws = new Map<string, VSwitch | undefined>();
  const vpcs = new Map<string, Vpc | undefined>();
  for (const e of enis) {
    if (!vsws.has(e.vSwitchId)) vsws.set(e.vSwitchId, await tx.metadata.vSwitch(e.vSwitchId));
    const vsw = vsws.get(e.vSwitchId);
    if (!vsw) continue;
    if (!vpcs.has(vsw.vpcId)) vpcs.set(vsw.vpcId, await tx.metadata.vpc(vsw.vpcId));
    const vpc = vpcs.get(vsw.vpcId);
    if (!vpc) continue;
    interfaces.push(describeInterface(e, vsw, vpc));
  }
  interfaces.sort((a, b) => a.deviceIndex - b.deviceIndex || a.mac.localeCompare(b.mac));
  return { version: versionOf(instance.id, interfaces), instanceId: instance.id, interfaces };
}

/** The instance and its interfaces now; undefined when the instance does not exist. */
export async function loadInstanceFacts(deps: ServiceDeps, instanceId: string): Promise<InstanceFacts | undefined> {
  // Transitions that are due (Attaching → InUse ...) count as done: the guest sees the settled state.
  await settleDue(deps);
  return readTx(deps, async (tx) => {
    const instance = await tx.metadata.instance(instanceId);
    if (!instance) return undefined;
    return { instance, metadata: await snapshotIn(tx, instance) };
  });
}

export type CallerResolution =
  { ok: true; instanceId: string } | { ok: false; reason: 'unknown-source' | 'ambiguous-source' | 'unknown-instance' };

/** The instance owning this private IPv4 (the request's source address), as the real service decides. */
export async function instanceBySourceAddress(deps: ServiceDeps, address: string): Promise<CallerResolution> {
  let canonical: string;
  try {
    canonical = formatIpv4(parseIpv4(address));
  } catch {
    return { ok: false, reason: 'unknown-source' };
  }
  const ids = await readTx(deps, (tx) => tx.metadata.instanceIdsByAddress(canonical));
  if (ids.length === 0) return { ok: false, reason: 'unknown-source' };
  // COMPAT: overlapping VPC CIDRs across accounts could give one address to two
  // instances; the real service knows the VPC the packet came from, we refuse.
  if (ids.length > 1) return { ok: false, reason: 'ambiguous-source' };
  return { ok: true, instanceId: ids[0] };
}

export async function instanceById(deps: ServiceDeps, instanceId: string): Promise<CallerResolution> {
  const found = await readTx(deps, (tx) => tx.metadata.instance(instanceId));
  return found ? { ok: true, instanceId: found.id } : { ok: false, reason: 'unknown-instance' };
}

const tokenKey = (token: string) => TOKEN_PREFIX + createHash('sha256').update(token).digest('hex');

/** A hardened-mode token for this instance, valid ttlSeconds (1..21600, checked by the caller). */
export async function issueMetadataToken(deps: ServiceDeps, instanceId: string, ttlSeconds: number): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const expiresMs = deps.clock.nowMs() + ttlSeconds * 1000;
  await writeTx(deps, (tx) => tx.kv.put(tokenKey(token), JSON.stringify({ instanceId, expiresMs }), expiresMs));
  return token;
}

/** The instance a token was issued to, or undefined when unknown or expired. */
export async function metadataTokenOwner(deps: ServiceDeps, token: string): Promise<string | undefined> {
  if (token.length === 0 || token.length > 512) return undefined;
  const raw = await readTx(deps, (tx) => tx.kv.get(tokenKey(token), deps.clock.nowMs()));
  if (!raw) return undefined;
  const v = JSON.parse(raw) as { instanceId: string; expiresMs: number };
  return v.expiresMs > deps.clock.nowMs() ? v.instanceId : undefined;
}

/** Stores what the agent in the instance reported (already validated JSON), with the time it arrived. */
export async function saveAgentStatus(deps: ServiceDeps, instanceId: string, report: Record<string, unknown>): Promise<void> {
  const now = deps.clock.nowMs();
  const value = JSON.stringify({ ...report, instanceId, receivedAtMs: now });
  await writeTx(deps, (tx) => tx.kv.put(STATUS_PREFIX + instanceId, value, now + AGENT_STATUS_TTL_MS));
}

export async function loadAgentStatus(deps: ServiceDeps, instanceId: string): Promise<Record<string, unknown> | undefined> {
  const raw = await readTx(deps, (tx) => tx.kv.get(STATUS_PREFIX + instanceId, deps.clock.nowMs()));
  return raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
}
