// How long until an address assigned through the API answers ping in the lab,
// and how long a failover takes, with a same-run baseline: the data plane
// alone (`ip addr add` by hand in the instance namespace → first reply).
//   node --import tsx bench/converge.ts [assignments=50] [failovers=3]     (root)
// Targets: convergence p95 < 2 s, failover < 3 s.
// It runs a real server (--transition-ms 100, lab mode) and `eniplane lab up`
// with a prefix of its own, through the official SDK; everything is removed
// at the end, also on failure.
// the e2e tests' harness: server process, lab process, SDK client, ping timing
import { LabHarness, run } from '../test/lab/harness.ts';

const assignments = Number(process.argv[2] ?? 50);
const failovers = Number(process.argv[3] ?? 3);

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}
const fmt = (xs: number[]) => `p50 ${pct(xs, 50)} ms, p95 ${pct(xs, 95)} ms, max ${Math.max(...xs)} ms (n=${xs.length})`;

if (process.getuid?.() !== 0) {
  console.error('bench/converge.ts needs root (network namespaces)');
  process.exit(1);
}

const h = new LabHarness();
let code = 0;
try {
  console.log(`starting a server and lab "${h.prefix}" ...`);
  await h.start();
  const inst = await h.runInstance();
  const client = await h.runInstance();
  await h.agentConverged(inst.id);
  await h.agentConverged(client.id);
  const ns = h.ns(inst.id);
  const from = h.ns(client.id);

  // Baseline: addresses held by an unattached ENI (so the allocator never hands them out) put on by hand.
  const reserve = (await h.call('CreateNetworkInterface', { VSwitchId: h.vSwitchId, SecurityGroupId: h.securityGroupId, SecondaryPrivateIpAddressCount: 9 })).NetworkInterfaceId;
  const spare = ((await h.call('DescribeNetworkInterfaces', { NetworkInterfaceId: [reserve] })).NetworkInterfaceSets.NetworkInterfaceSet[0].PrivateIpSets.PrivateIpSet as { PrivateIpAddress: string }[])
    .map((p) => p.PrivateIpAddress);
  const baseline: number[] = [];
  for (const a of spare) {
    const t0 = Date.now();
    await run('ip', ['-n', ns, 'addr', 'add', `${a}/24`, 'dev', 'eth0']);
    await h.firstReply(from, a, 5000);
    baseline.push(Date.now() - t0);
    await run('ip', ['-n', ns, 'addr', 'del', `${a}/24`, 'dev', 'eth0']);
  }
  console.log(`baseline (ip addr add by hand → first reply): ${fmt(baseline)}`);

  const converge: number[] = [];
  for (let i = 0; i < assignments; i++) {
    const r = await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: inst.primaryEniId, SecondaryPrivateIpAddressCount: 1 });
    const t0 = Date.now();
    const a = r.AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress[0] as string;
    converge.push(await h.firstReply(from, a, 10_000));
    await h.call('UnassignPrivateIpAddresses', { NetworkInterfaceId: inst.primaryEniId, PrivateIpAddress: [a] });
    await h.agentConverged(inst.id);
    if ((i + 1) % 10 === 0) console.log(`  ${i + 1}/${assignments} assignments: ${fmt(converge)}`);
  }

  const failover: number[] = [];
  const a = inst;
  const b = await h.runInstance();
  await h.agentConverged(b.id);
  const eniId = (await h.call('CreateNetworkInterface', { VSwitchId: h.vSwitchId, SecurityGroupId: h.securityGroupId, SecondaryPrivateIpAddressCount: 2 })).NetworkInterfaceId as string;
  const target = (await h.call('DescribeNetworkInterfaces', { NetworkInterfaceId: [eniId] })).NetworkInterfaceSets.NetworkInterfaceSet[0].PrivateIpSets.PrivateIpSet[1].PrivateIpAddress as string;
  await h.call('AttachNetworkInterface', { NetworkInterfaceId: eniId, InstanceId: a.id });
  await h.waitEni(eniId, 'InUse');
  await h.firstReply(from, target, 5000);
  let [cur, other] = [a, b];
  for (let i = 0; i < failovers; i++) {
    await h.call('StopInstance', { InstanceId: cur.id });
    await h.waitInstance(cur.id, 'Stopped');
    await h.call('DetachNetworkInterface', { NetworkInterfaceId: eniId, InstanceId: cur.id });
    await h.waitEni(eniId, 'Available');
    const t0 = Date.now();
    await h.call('AttachNetworkInterface', { NetworkInterfaceId: eniId, InstanceId: other.id });
    await h.firstReply(from, target, 10_000);
    failover.push(Date.now() - t0);
    await h.call('StartInstance', { InstanceId: cur.id });
    await h.waitInstance(cur.id, 'Running');
    await h.agentConverged(cur.id);
    [cur, other] = [other, cur];
  }

  const ok1 = pct(converge, 95) < 2000;
  const ok2 = Math.max(...failover) < 3000;
  console.log('');
  console.log(`baseline    ip addr add → reply:                  ${fmt(baseline)}`);
  console.log(`convergence AssignPrivateIpAddresses → reply:     ${fmt(converge)}   target p95 < 2000 ms: ${ok1 ? 'met' : 'MISSED'}`);
  console.log(`failover    AttachNetworkInterface call → reply:  ${fmt(failover)}   target < 3000 ms: ${ok2 ? 'met' : 'MISSED'}`);
  console.log(`ratio       convergence p50 / baseline p50:       ${(pct(converge, 50) / Math.max(1, pct(baseline, 50))).toFixed(1)}x`);
  code = ok1 && ok2 ? 0 : 1;
} catch (e) {
  console.error(e);
  console.error(h.output.slice(-3000));
  code = 70;
} finally {
  await h.stop();
}
process.exit(code);
