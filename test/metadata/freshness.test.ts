// Freshness across processes: a real `eniplane serve` with the metadata
// service on a Unix socket, the API driven by the official ECS/VPC SDKs. After
// each Assign/Unassign returns (and once an Attach/Detach has settled) the
// very next metadata read shows it; a pending long-poll wakes within a second.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { sdkClient, type SdkClient } from '../support/sdk-clients.ts';
import { httpRequest } from '../../src/agent/http.ts';

let srv: ServerProcess;
let sdk: SdkClient;
let dir: string;
let socketPath: string;
let instanceId: string;
let primaryEniId: string;
let primaryMac: string;
let vSwitchId: string;
let securityGroupId: string;

async function md(path: string) {
  const r = await httpRequest({ socketPath }, 'GET', path, { headers: { 'x-eniplane-instance-id': instanceId }, timeoutMs: 15_000 });
  return r;
}
async function snapshot(query = '') {
  const r = await md(`/eniplane/v1/interfaces${query}`);
  assert.equal(r.status, 200, r.body);
  return JSON.parse(r.body) as {
    version: string;
    interfaces: { mac: string; networkInterfaceId: string; privateIpv4s: string[]; ipv6s: string[]; ipv4Prefixes: string[] }[];
  };
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const eniStatus = async (id: string) =>
  (await sdk.call('DescribeNetworkInterfaces', { RegionId: 'cn-hangzhou', NetworkInterfaceId: [id] })).NetworkInterfaceSets
    .NetworkInterfaceSet[0]?.Status as string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'eniplane-md-'));
  socketPath = join(dir, 'metadata.sock');
  srv = await startServerProcess({
    args: ['--transition-ms', '100', '--lab-mode'],
    env: { ENIPLANE_METADATA_SOCKET: socketPath, ENIPLANE_METADATA_TRUST_INSTANCE_HEADER: '1' },
  });
  sdk = sdkClient('ecs-acs3', srv.endpoint, srv.key);
  const vpc = await sdk.call('CreateVpc', { RegionId: 'cn-hangzhou', CidrBlock: '198.18.0.0/16', EnableIpv6: true });
  const vsw = await sdk.call('CreateVSwitch', {
    RegionId: 'cn-hangzhou',
    VpcId: vpc.VpcId,
    ZoneId: 'cn-hangzhou-h',
    CidrBlock: '198.18.1.0/24',
    Ipv6CidrBlock: 1,
  });
  vSwitchId = vsw.VSwitchId;
  securityGroupId = (await sdk.call('CreateSecurityGroup', { RegionId: 'cn-hangzhou', VpcId: vpc.VpcId })).SecurityGroupId;
  instanceId = (
    await sdk.call('RunInstances', {
      RegionId: 'cn-hangzhou',
      InstanceType: 'ecs.g7.large',
      VSwitchId: vSwitchId,
      SecurityGroupId: securityGroupId,
    })
  ).InstanceIdSets.InstanceIdSet[0];
  await until('Running', async () => {
    const i = (await sdk.call('DescribeInstances', { RegionId: 'cn-hangzhou', InstanceIds: JSON.stringify([instanceId]) })).Instances
      .Instance[0];
    return i?.Status === 'Running' ? true : undefined;
  });
  const p = (await sdk.call('DescribeNetworkInterfaces', { RegionId: 'cn-hangzhou', InstanceId: instanceId })).NetworkInterfaceSets
    .NetworkInterfaceSet[0];
  primaryEniId = p.NetworkInterfaceId;
  primaryMac = p.MacAddress;
});

after(async () => {
  await srv?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('Assign / Unassign (IPv4 and IPv6): the next read shows it', async () => {
  const assigned = (
    await sdk.call('AssignPrivateIpAddresses', {
      RegionId: 'cn-hangzhou',
      NetworkInterfaceId: primaryEniId,
      SecondaryPrivateIpAddressCount: 2,
    })
  ).AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress as string[];
  const ipv4s = JSON.parse((await md(`/latest/meta-data/network/interfaces/macs/${primaryMac}/private-ipv4s`)).body) as string[];
  for (const a of assigned) assert.ok(ipv4s.includes(a), `${a} in ${ipv4s}`);

  await sdk.call('UnassignPrivateIpAddresses', {
    RegionId: 'cn-hangzhou',
    NetworkInterfaceId: primaryEniId,
    PrivateIpAddress: [assigned[0]],
  });
  const after1 = (await snapshot()).interfaces[0].privateIpv4s;
  assert.ok(!after1.includes(assigned[0]!) && after1.includes(assigned[1]!), after1.join(','));

  assert.equal((await md(`/latest/meta-data/network/interfaces/macs/${primaryMac}/ipv6s`)).status, 404);
  const v6 = (await sdk.call('AssignIpv6Addresses', { RegionId: 'cn-hangzhou', NetworkInterfaceId: primaryEniId, Ipv6AddressCount: 1 }))
    .Ipv6Sets.Ipv6Address as string[];
  assert.equal((await md(`/latest/meta-data/network/interfaces/macs/${primaryMac}/ipv6s`)).body, `[${v6[0]}]`);
  await sdk.call('UnassignIpv6Addresses', { RegionId: 'cn-hangzhou', NetworkInterfaceId: primaryEniId, Ipv6Address: v6 });
  assert.equal((await md(`/latest/meta-data/network/interfaces/macs/${primaryMac}/ipv6s`)).status, 404);
});

test('IP prefixes: ipv4-prefixes and ipv6-prefixes follow Assign / Unassign', async () => {
  const base = `/latest/meta-data/network/interfaces/macs/${primaryMac}/`;
  assert.equal((await md(base + 'ipv4-prefixes')).status, 404);
  const v4 = (await sdk.call('AssignPrivateIpAddresses', { RegionId: 'cn-hangzhou', NetworkInterfaceId: primaryEniId, Ipv4PrefixCount: 1 }))
    .AssignedPrivateIpAddressesSet.Ipv4PrefixSet.Ipv4Prefixes as string[];
  assert.match(v4[0]!, /^198\.18\.1\.\d+\/28$/);
  assert.deepEqual(JSON.parse((await md(base + 'ipv4-prefixes')).body), v4);
  assert.ok((await md(base)).body.split('\n').includes('ipv4-prefixes'));
  const v6 = (await sdk.call('AssignIpv6Addresses', { RegionId: 'cn-hangzhou', NetworkInterfaceId: primaryEniId, Ipv6PrefixCount: 1 }))
    .Ipv6PrefixSets.Ipv6Prefix as string[];
  assert.equal((await md(base + 'ipv6-prefixes')).body, `[${v6[0]}]`);
  assert.deepEqual((await snapshot()).interfaces[0].ipv4Prefixes, v4);
  await sdk.call('UnassignPrivateIpAddresses', { RegionId: 'cn-hangzhou', NetworkInterfaceId: primaryEniId, Ipv4Prefix: v4 });
  await sdk.call('UnassignIpv6Addresses', { RegionId: 'cn-hangzhou', NetworkInterfaceId: primaryEniId, Ipv6Prefix: v6 });
  assert.equal((await md(base + 'ipv4-prefixes')).status, 404);
  assert.equal((await md(base + 'ipv6-prefixes')).status, 404);
});

test('Attach / Detach: shown once the ENI is InUse, gone once it is Available', async () => {
  const eniId = (
    await sdk.call('CreateNetworkInterface', { RegionId: 'cn-hangzhou', VSwitchId: vSwitchId, SecurityGroupId: securityGroupId })
  ).NetworkInterfaceId as string;
  const mac = (await sdk.call('DescribeNetworkInterfaces', { RegionId: 'cn-hangzhou', NetworkInterfaceId: [eniId] })).NetworkInterfaceSets
    .NetworkInterfaceSet[0].MacAddress;
  await sdk.call('AttachNetworkInterface', { RegionId: 'cn-hangzhou', NetworkInterfaceId: eniId, InstanceId: instanceId });
  await until('InUse', async () => ((await eniStatus(eniId)) === 'InUse' ? true : undefined));
  assert.ok((await md('/latest/meta-data/network/interfaces/macs/')).body.split('\n').includes(`${mac}/`));

  await sdk.call('DetachNetworkInterface', { RegionId: 'cn-hangzhou', NetworkInterfaceId: eniId, InstanceId: instanceId });
  // Detaching: the guest no longer owns it
  assert.ok(!(await md('/latest/meta-data/network/interfaces/macs/')).body.split('\n').includes(`${mac}/`));
  await until('Available', async () => ((await eniStatus(eniId)) === 'Available' ? true : undefined));
  assert.ok(!(await md('/latest/meta-data/network/interfaces/macs/')).body.split('\n').includes(`${mac}/`));
});

test('a pending long-poll wakes within a second of the API call returning', async () => {
  const before = await snapshot();
  const waiting = snapshot(`?wait=${before.version}&timeoutMs=15000`);
  await new Promise((r) => setTimeout(r, 300));
  await sdk.call('AssignPrivateIpAddresses', {
    RegionId: 'cn-hangzhou',
    NetworkInterfaceId: primaryEniId,
    SecondaryPrivateIpAddressCount: 1,
  });
  const t0 = Date.now();
  const next = await waiting;
  const took = Date.now() - t0;
  assert.notEqual(next.version, before.version);
  assert.ok(took < 1000, `woke after ${took} ms`);
});
