// Many parallel assign/unassign requests over HTTP on one vSwitch and a few
// ENIs (one of them bound, so the instance type's figure applies): no address
// handed out twice, no ENI over its limit, every acknowledged change in the
// store afterwards, and the vSwitch fills to exactly its usable count.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { sdkClient } from '../support/sdk-clients.ts';

let server: ServerProcess;
before(async () => {
  server = await startServerProcess({ args: ['--transition-ms', '0'] });
});
after(async () => {
  await server?.stop();
});

const REQUESTS = 600;
const CONCURRENCY = 24;
const TIME_LIMIT_MS = 60_000;

it('parallel assign/unassign keep every invariant', async () => {
  const c = sdkClient('popcore-post', server.endpoint, server.key);
  const vpc = await c.call('CreateVpc', { CidrBlock: '10.0.0.0/16' });
  // A /26: 60 usable addresses, so the load also runs the vSwitch full.
  const vsw = await c.call('CreateVSwitch', { VpcId: vpc.VpcId, ZoneId: 'cn-hangzhou-h', CidrBlock: '10.0.0.0/26' });
  const sg = await c.call('CreateSecurityGroup', { VpcId: vpc.VpcId });
  const inst = (
    await c.call('RunInstances', { InstanceType: 'ecs.g6.large', VSwitchId: vsw.VSwitchId, SecurityGroupId: sg.SecurityGroupId })
  ).InstanceIdSets.InstanceIdSet[0];
  const enis: string[] = [];
  for (let i = 0; i < 3; i++)
    enis.push(
      (await c.call('CreateNetworkInterface', { VSwitchId: vsw.VSwitchId, SecurityGroupId: sg.SecurityGroupId })).NetworkInterfaceId,
    );
  await c.call('AttachNetworkInterface', { NetworkInterfaceId: enis[0], InstanceId: inst });
  const limits = new Map([
    [enis[0], 6],
    [enis[1], 10],
    [enis[2], 10],
  ]); // g6.large: 6 per ENI; Available: 10

  const held = new Map(enis.map((e) => [e, new Set<string>()])); // acknowledged secondaries
  const codes = new Map<string, number>();
  const deadline = Date.now() + TIME_LIMIT_MS;
  let issued = 0;
  async function worker(w: number) {
    while (issued < REQUESTS && Date.now() < deadline) {
      const n = issued++;
      const eni = enis[(n + w) % enis.length];
      const mine = held.get(eni)!;
      try {
        if (n % 3 === 2 && mine.size > 0) {
          const victim = [...mine][n % mine.size];
          mine.delete(victim); // no other worker may unassign it meanwhile
          try {
            await c.call('UnassignPrivateIpAddresses', { NetworkInterfaceId: eni, PrivateIpAddress: [victim] });
          } catch (e) {
            mine.add(victim);
            throw e;
          }
        } else {
          const r = await c.call('AssignPrivateIpAddresses', { NetworkInterfaceId: eni, SecondaryPrivateIpAddressCount: 1 + (n % 2) });
          for (const a of r.AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress) mine.add(a);
        }
        codes.set('OK', (codes.get('OK') ?? 0) + 1);
      } catch (e: any) {
        codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
      }
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => worker(w)));
  const allowed = new Set(['OK', 'InvalidOperation.Ipv4CountExceeded', 'MaxEniPrivateIpsCountExceeded', 'InvalidVSwitchId.IpNotEnough']);
  for (const code of codes.keys()) assert.ok(allowed.has(code), `unexpected ${code}: ${JSON.stringify([...codes])}`);
  assert.ok((codes.get('OK') ?? 0) > REQUESTS / 3, JSON.stringify([...codes]));

  const seen = new Set<string>();
  for (const eni of enis) {
    const a = await c.call('DescribeNetworkInterfaceAttribute', { NetworkInterfaceId: eni });
    const v4 = a.PrivateIpSets.PrivateIpSet as { PrivateIpAddress: string; Primary: boolean }[];
    assert.ok(v4.length <= limits.get(eni)!, `${eni} holds ${v4.length}`);
    for (const x of v4) {
      assert.ok(!seen.has(x.PrivateIpAddress), `${x.PrivateIpAddress} handed out twice`);
      seen.add(x.PrivateIpAddress);
    }
    assert.deepEqual(
      v4
        .filter((x) => !x.Primary)
        .map((x) => x.PrivateIpAddress)
        .sort(),
      [...held.get(eni)!].sort(),
      'store = acknowledged changes',
    );
  }
  // Fill the vSwitch to the last usable address with more ENIs, then one more is refused.
  const primaries = 1; // the instance's primary ENI
  let used = seen.size + primaries;
  while (used < 60) {
    const room = Math.min(10, 60 - used);
    await c.call('CreateNetworkInterface', {
      VSwitchId: vsw.VSwitchId,
      SecurityGroupId: sg.SecurityGroupId,
      ...(room > 1 ? { SecondaryPrivateIpAddressCount: room - 1 } : {}),
    });
    used += room;
  }
  const v = await c.call('DescribeVSwitches', { VSwitchId: vsw.VSwitchId });
  assert.equal(v.VSwitches.VSwitch[0].AvailableIpAddressCount, 0);
  const full = await c.fail('CreateNetworkInterface', { VSwitchId: vsw.VSwitchId, SecurityGroupId: sg.SecurityGroupId });
  assert.equal(full.code, 'InvalidVSwitchId.IpNotEnough');
});
