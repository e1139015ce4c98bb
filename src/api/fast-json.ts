// The answer's JSON text, and the one list written by hand: DescribeNetworkInterfaces'
// ENIs (a page of 100 with 10 addresses each is 200 KB). `enisJson` writes exactly
// JSON.stringify(enis.map(eniShape)) — same fields, same order, same escapes
// (test/api/fast-json.test.ts checks it on every field) — without building the
// shape objects first: 2–3× cheaper than shaping and stringifying (docs/scaling.md).
import type { Eni } from '../domain/model.ts';

/**
 * JSON text already written, placed as is where it stands in an answer
 * (stringifyAnswer). Only stringifyAnswer may serialize an answer holding one.
 */
export class RawJson {
  constructor(readonly text: string) {}
  toJSON(): string {
    if (!pendingRaw) throw new Error('RawJson outside stringifyAnswer');
    pendingRaw.push(this.text);
    return `${RAW_MARK}${pendingRaw.length - 1}`;
  }
}

let pendingRaw: string[] | undefined;
/** Marks the place of a RawJson in JSON.stringify's output: a NUL and a per-process random word no answer's own text can guess. */
const RAW_MARK = `\u0000raw-${Math.random().toString(36).slice(2)}-`;
const RAW_PLACE = new RegExp(`"${JSON.stringify(RAW_MARK).slice(1, -1).replace(/\\/g, '\\\\')}(\\d+)"`, 'g');

/** An answer as JSON text: JSON.stringify, with each RawJson's text in its place. */
export function stringifyAnswer(answer: unknown): string {
  const raws: string[] = [];
  pendingRaw = raws;
  let text: string;
  try {
    text = JSON.stringify(answer);
  } finally {
    pendingRaw = undefined;
  }
  return raws.length === 0 ? text : text.replace(RAW_PLACE, (_, i: string) => raws[Number(i)]);
}

// A string JSON.stringify leaves as it is between quotes: no quote, backslash, control character or surrogate.
const PLAIN = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;
const q = (s: string): string => (PLAIN.test(s) ? `"${s}"` : JSON.stringify(s));
const num = (n: number): string => (Number.isFinite(n) ? String(n) : 'null');

/** JSON.stringify(enis.map(eniShape)), written directly. */
export function enisJson(enis: readonly Eni[]): string {
  let out = '[';
  for (let i = 0; i < enis.length; i++) {
    if (i > 0) out += ',';
    out += eniJson(enis[i]);
  }
  return out + ']';
}

function eniJson(eni: Eni): string {
  const instanceId = eni.instanceId ?? eni.pendingInstanceId ?? '';
  let primary: string | undefined;
  let v4 = '';
  let v6 = '';
  for (const a of eni.addresses) {
    if (a.family === 4) {
      if (primary === undefined && a.primary) primary = a.address;
      v4 += `${v4 ? ',' : ''}{"PrivateIpAddress":${q(a.address)},"Primary":${a.primary},"PrivateDnsName":"","AssociatedPublicIp":{}}`;
    } else if (a.family === 6) v6 += `${v6 ? ',' : ''}{"Ipv6Address":${q(a.address)},"Primary":false}`;
  }
  const t = eni.traffic;
  return (
    `{"NetworkInterfaceId":${q(eni.id)},"NetworkInterfaceName":${q(eni.name)},"Status":${q(eni.status)},"Type":${q(eni.type)}` +
    `,"VpcId":${q(eni.vpcId)},"VSwitchId":${q(eni.vSwitchId)},"ZoneId":${q(eni.zoneId)},"PrivateIpAddress":${q(primary ?? '')}` +
    `,"MacAddress":${q(eni.macAddress)},"InstanceId":${q(instanceId)},"CreationTime":${q(eni.createdAt)}` +
    `,"Description":${q(eni.description)},"ResourceGroupId":${q(eni.resourceGroupId)},"OwnerId":${q(eni.accountId)}` +
    `,"ServiceID":0,"ServiceManaged":false,"DeleteOnRelease":${eni.deleteOnRelease},"SourceDestCheck":${eni.sourceDestCheck}` +
    `,"NetworkInterfaceTrafficMode":${q(t.mode)},"QueueNumber":${num(t.queueNumber ?? 1)},"QueuePairNumber":${num(t.queuePairNumber ?? 0)}` +
    `,"SecurityGroupIds":{"SecurityGroupId":[${eni.securityGroupIds.map(q).join(',')}]}` +
    `,"PrivateIpSets":{"PrivateIpSet":[${v4}]},"Ipv6Sets":{"Ipv6Set":[${v6}]}` +
    `,"Ipv4PrefixSets":{"Ipv4PrefixSet":[${eni.ipv4Prefixes.map((p) => `{"Ipv4Prefix":${q(p)}}`).join(',')}]}` +
    `,"Ipv6PrefixSets":{"Ipv6PrefixSet":[${eni.ipv6Prefixes.map((p) => `{"Ipv6Prefix":${q(p)}}`).join(',')}]}` +
    `,"AssociatedPublicIp":{},"Attachment":${
      instanceId
        ? `{"InstanceId":${q(instanceId)},"DeviceIndex":${num(eni.deviceIndex ?? 0)},"NetworkCardIndex":${num(eni.networkCardIndex ?? 0)},"TrunkNetworkInterfaceId":${q(eni.trunkEniId ?? '')}}`
        : '{}'
    }` +
    `,"Tags":{"Tag":[${eni.tags.map((g) => `{"TagKey":${q(g.key)},"TagValue":${q(g.value)}}`).join(',')}]}}`
  );
}
