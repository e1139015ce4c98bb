// RunInstances' NetworkInterface.N.*: the primary ENI's settings (InstanceType=Primary) and the
// secondary ENIs to create or attach with each instance (InstanceType=Secondary, the default), read
// and merged with the top-level parameters they stand for, as the SDK model's remarks describe them.
import type { ParamReader } from './params.ts';
import type { EniTraffic, EniTrafficMode } from '../domain/model.ts';
import type { AddressRequest } from '../service/address-book.ts';
import type { RunInstanceEni } from '../service/instances.ts';
import { wireErrors } from './errors.ts';

interface RawEni {
  n: number;
  fields: Map<string, string>;
  lists: Map<string, Map<number, string>>;
}

const SCALARS = [
  'InstanceType',
  'VSwitchId',
  'SecurityGroupId',
  'PrimaryIpAddress',
  'SecondaryPrivateIpAddressCount',
  'Ipv6AddressCount',
  'NetworkInterfaceName',
  'Description',
  'NetworkInterfaceTrafficMode',
  'QueueNumber',
  'QueuePairNumber',
  'RxQueueSize',
  'TxQueueSize',
  'SourceDestCheck',
  'DeleteOnRelease',
  'NetworkCardIndex',
  'NetworkInterfaceId',
];
const LISTS = ['SecurityGroupIds', 'Ipv6Address'];
/** NetworkInterface.N: at most the largest EniQuantity of a type (the type's own cap is checked when creating). */
const MAX_ENIS = 16;

function rawEnis(p: ParamReader): RawEni[] {
  const byIndex = new Map<number, RawEni>();
  for (const [name, value] of p.params) {
    if (!name.startsWith('NetworkInterface.')) continue;
    const m = /^NetworkInterface\.(\d+)\.([A-Za-z0-9]+)(?:\.(\d+))?$/.exec(name);
    const n = Number(m?.[1]);
    if (!m || n < 1 || n > MAX_ENIS) throw wireErrors.invalidParameter(name);
    const e = byIndex.get(n) ?? byIndex.set(n, { n, fields: new Map(), lists: new Map() }).get(n)!;
    if (m[3] === undefined && SCALARS.includes(m[2])) e.fields.set(m[2], value);
    else if (m[3] !== undefined && LISTS.includes(m[2])) {
      const list = e.lists.get(m[2]) ?? e.lists.set(m[2], new Map()).get(m[2])!;
      list.set(Number(m[3]), value);
    } else throw wireErrors.invalidParameter(name);
  }
  return [...byIndex.values()].sort((a, b) => a.n - b.n);
}

const at = (e: RawEni, f: string) => `NetworkInterface.${e.n}.${f}`;

function int(e: RawEni, f: string, min: number, max: number): number | undefined {
  const v = e.fields.get(f);
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!/^-?\d+$/.test(v) || n < min || n > max) throw wireErrors.invalidParameter(at(e, f), `Range: ${min}..${max}.`);
  return n;
}

function bool(e: RawEni, f: string): boolean | undefined {
  const v = e.fields.get(f);
  if (v === undefined || v === '') return undefined;
  if (/^(true|false)$/i.test(v)) return /^true$/i.test(v);
  throw wireErrors.invalidParameter(at(e, f));
}

function list(e: RawEni, f: string): string[] | undefined {
  const l = e.lists.get(f);
  return l && [...l.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

function text(e: RawEni, f: string, min: number, max: number): string | undefined {
  const v = e.fields.get(f);
  if (v !== undefined && (v.length < min || v.length > max || /^https?:\/\//.test(v)))
    throw wireErrors.invalidParameter(at(e, f), `It must be ${min} to ${max} characters and cannot start with http:// or https://.`);
  return v;
}

function traffic(e: RawEni): Partial<EniTraffic> {
  const mode = e.fields.get('NetworkInterfaceTrafficMode');
  if (mode !== undefined && mode !== 'Standard' && mode !== 'HighPerformance')
    throw wireErrors.invalidParameter(at(e, 'NetworkInterfaceTrafficMode'));
  return {
    mode: mode as EniTrafficMode | undefined,
    queueNumber: int(e, 'QueueNumber', 1, 2048),
    queuePairNumber: int(e, 'QueuePairNumber', 1, 2048),
    rxQueueSize: int(e, 'RxQueueSize', 1, 65_536),
    txQueueSize: int(e, 'TxQueueSize', 1, 65_536),
  };
}

function securityGroups(e: RawEni): string[] | undefined {
  const one = e.fields.get('SecurityGroupId');
  const many = list(e, 'SecurityGroupIds');
  if (one !== undefined && many) throw wireErrors.parameterConflict(`${at(e, 'SecurityGroupId')} and ${at(e, 'SecurityGroupIds')}.N`);
  return many ?? (one !== undefined ? [one] : undefined);
}

function addressCount(e: RawEni, f: string, max: number): AddressRequest | undefined {
  const count = int(e, f, 1, max);
  return count === undefined ? undefined : { count };
}

/** The top-level parameters a primary NetworkInterface.N stands for, as the action read them. */
export interface TopLevelNetwork {
  vSwitchId?: string;
  securityGroupIds?: string[];
  privateIpAddress?: string;
  ipv6?: AddressRequest;
  queueNumber?: number;
}

export interface RunInstanceNetwork extends TopLevelNetwork {
  vSwitchId: string;
  securityGroupIds: string[];
  primary: Omit<RunInstanceEni, 'vSwitchId' | 'securityGroupIds' | 'primaryIpAddress' | 'ipv6' | 'deleteOnRelease' | 'networkInterfaceId'>;
  secondaries: RunInstanceEni[];
}

/**
 * Each NetworkInterface.N is a setting for the primary ENI (InstanceType=Primary, at most one) or a
 * secondary ENI (Secondary, the default). A primary's VSwitchId, security groups, PrimaryIpAddress,
 * IPv6 and QueueNumber stand for the top-level VSwitchId, SecurityGroupId(s), PrivateIpAddress,
 * Ipv6Address/Ipv6AddressCount and NetworkInterfaceQueueNumber: both given and different is a conflict.
 */
export function readRunInstanceNetwork(p: ParamReader, top: TopLevelNetwork): RunInstanceNetwork {
  const enis = p.has('NetworkInterface') ? rawEnis(p) : [];
  const typeOf = (e: RawEni) => e.fields.get('InstanceType') ?? 'Secondary';
  for (const e of enis)
    if (typeOf(e) !== 'Primary' && typeOf(e) !== 'Secondary')
      throw wireErrors.invalidParameter(at(e, 'InstanceType'), 'It must be Primary or Secondary.');
  const primaries = enis.filter((e) => typeOf(e) === 'Primary');
  if (primaries.length > 1) throw wireErrors.invalidParameter(at(primaries[1], 'InstanceType'), 'Only one ENI can be Primary.');
  const pe = primaries[0];
  const merged = { ...top };
  let primary: RunInstanceNetwork['primary'] = {};
  if (pe) {
    const same = <T>(name: string, topName: string, mine: T | undefined, theirs: T | undefined): T | undefined => {
      if (mine !== undefined && theirs !== undefined && JSON.stringify(mine) !== JSON.stringify(theirs))
        throw wireErrors.parameterConflict(`${at(pe, name)} and ${topName}`);
      return mine ?? theirs;
    };
    if (pe.fields.has('NetworkInterfaceId'))
      throw wireErrors.invalidParameter(at(pe, 'NetworkInterfaceId'), 'Only a secondary ENI can be an existing one.');
    if (pe.fields.has('DeleteOnRelease')) bool(pe, 'DeleteOnRelease'); // "takes effect only for secondary ENIs"
    const v6list = list(pe, 'Ipv6Address');
    const v6count = addressCount(pe, 'Ipv6AddressCount', 10);
    if (v6list && v6count) throw wireErrors.parameterConflict(`${at(pe, 'Ipv6Address')}.N and ${at(pe, 'Ipv6AddressCount')}`);
    if (v6list && v6list.length > 10) throw wireErrors.invalidParameter(at(pe, 'Ipv6Address'), 'At most 10 addresses.');
    const v6: AddressRequest | undefined = v6list ? { addresses: v6list } : v6count;
    int(pe, 'NetworkCardIndex', 0, 0); // a primary ENI is on card 0
    const t = traffic(pe);
    merged.vSwitchId = same('VSwitchId', 'VSwitchId', pe.fields.get('VSwitchId'), top.vSwitchId);
    merged.securityGroupIds = same('SecurityGroupIds', 'SecurityGroupId(s)', securityGroups(pe), top.securityGroupIds);
    merged.privateIpAddress = same('PrimaryIpAddress', 'PrivateIpAddress', pe.fields.get('PrimaryIpAddress'), top.privateIpAddress);
    if (v6 && top.ipv6)
      throw wireErrors.parameterConflict(`${at(pe, v6list ? 'Ipv6Address' : 'Ipv6AddressCount')} and Ipv6Address/Ipv6AddressCount`);
    merged.ipv6 = v6 ?? top.ipv6;
    merged.queueNumber = same('QueueNumber', 'NetworkInterfaceQueueNumber', t.queueNumber ?? undefined, top.queueNumber);
    primary = {
      name: text(pe, 'NetworkInterfaceName', 2, 128),
      description: text(pe, 'Description', 2, 256),
      traffic: { ...t, queueNumber: merged.queueNumber },
      sourceDestCheck: bool(pe, 'SourceDestCheck'),
      secondaryIpv4: addressCount(pe, 'SecondaryPrivateIpAddressCount', 49),
    };
  } else if (top.queueNumber !== undefined) {
    primary = { traffic: { queueNumber: top.queueNumber } };
  }
  if (merged.vSwitchId === undefined) throw wireErrors.missingParameter('VSwitchId');
  if (!merged.securityGroupIds) throw wireErrors.missingParameter('SecurityGroupId');
  const secondaries = enis
    .filter((e) => e !== pe)
    .map((e): RunInstanceEni => {
      if (e.lists.has('Ipv6Address') || e.fields.has('Ipv6AddressCount'))
        throw wireErrors.invalidParameter(
          at(e, e.lists.has('Ipv6Address') ? 'Ipv6Address' : 'Ipv6AddressCount'),
          'Only the primary ENI takes IPv6 here.',
        );
      const existing = e.fields.get('NetworkInterfaceId');
      if (existing !== undefined) {
        // "After you specify an existing secondary ENI, you cannot configure other NIC creation parameters."
        const other = [...e.fields.keys(), ...e.lists.keys()].find((f) => f !== 'NetworkInterfaceId' && f !== 'InstanceType');
        if (other) throw wireErrors.parameterConflict(`${at(e, 'NetworkInterfaceId')} and ${at(e, other)}`);
        return { networkInterfaceId: existing };
      }
      return {
        vSwitchId: e.fields.get('VSwitchId'),
        securityGroupIds: securityGroups(e),
        primaryIpAddress: e.fields.get('PrimaryIpAddress'),
        secondaryIpv4: addressCount(e, 'SecondaryPrivateIpAddressCount', 49),
        name: text(e, 'NetworkInterfaceName', 2, 128),
        description: text(e, 'Description', 2, 256),
        traffic: traffic(e),
        sourceDestCheck: bool(e, 'SourceDestCheck'),
        deleteOnRelease: bool(e, 'DeleteOnRelease'),
        networkCardIndex: int(e, 'NetworkCardIndex', 0, 0),
      };
    });
  return { ...merged, vSwitchId: merged.vSwitchId, securityGroupIds: merged.securityGroupIds, primary, secondaries };
}
