// bench/chaos: what request quotas and the fault-rule check cost on the hot
// path. Signed assign/unassign (as bench/assign) at concurrency 16 against
// three servers measured in the same run, interleaved in rounds:
//   plain      — `eniplane serve` as shipped: no quotas, an empty fault table
//   throttled  — `--throttle` with a quota no request reaches (every request is
//                counted: the local allowance, a database lease per 1,000)
//   one rule   — a fault rule that never matches (the matcher runs every request)
// and the medians of the per-round ratios to plain are printed (target ≥ 0.95).
// The empty fault table is the plain server itself: its check is one property read.
// Bounded in count and time; traffic to 127.0.0.1 only.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load, rpc } from './lib/rpc-client.ts';
import { startServerProcess, type ServerProcess } from '../test/support/server-process.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SLICE_MS = Number(process.env.BENCH_SLICE_MS ?? 2000);
const MAX_OPS = 200_000;
type Key = { id: string; secret: string };

async function world(server: ServerProcess): Promise<string[]> {
  const { port, key } = server;
  const vpc = await rpc(port, key, 'CreateVpc', { CidrBlock: '10.0.0.0/8' }, '2016-04-28');
  const vsw = await rpc(port, key, 'CreateVSwitch', { VpcId: vpc.VpcId, ZoneId: 'cn-hangzhou-h', CidrBlock: '10.1.0.0/16' }, '2016-04-28');
  const sg = await rpc(port, key, 'CreateSecurityGroup', { VpcId: vpc.VpcId, SecurityGroupType: 'enterprise' });
  const enis: string[] = [];
  for (let i = 0; i < 16; i++)
    enis.push(
      (await rpc(port, key, 'CreateNetworkInterface', { VSwitchId: vsw.VSwitchId, SecurityGroupId: sg.SecurityGroupId }))
        .NetworkInterfaceId,
    );
  return enis;
}

function assignUnassign(port: number, key: Key, enis: string[]) {
  const holding = new Map<number, string>();
  return async (w: number) => {
    const eni = enis[w % enis.length];
    const held = holding.get(w);
    if (held) {
      await rpc(port, key, 'UnassignPrivateIpAddresses', { NetworkInterfaceId: eni, 'PrivateIpAddress.1': held });
      holding.delete(w);
    } else {
      const r = await rpc(port, key, 'AssignPrivateIpAddresses', { NetworkInterfaceId: eni, SecondaryPrivateIpAddressCount: '1' });
      holding.set(w, r.AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress[0]);
    }
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchChaos(): Promise<void> {
  console.log('## bench/chaos');
  const dir = mkdtempSync(join(tmpdir(), 'eniplane-bench-chaos-'));
  const profile = join(dir, 'throttle.json');
  writeFileSync(profile, JSON.stringify({ windowMs: 60_000, perAccount: { '*': 1_000_000_000 } }));
  const faults = join(dir, 'faults.json');
  writeFileSync(
    faults,
    JSON.stringify({ seed: 1, rules: [{ actions: ['RunInstances'], effect: { kind: 'error', code: 'InternalError', status: 500 } }] }),
  );
  const common = ['--transition-ms', '0', '--log-level', 'error'];
  const servers = {
    plain: await startServerProcess({ args: common }),
    throttled: await startServerProcess({ args: [...common, '--throttle', profile] }),
    rule: await startServerProcess({ args: [...common, '--faults', faults] }),
  };
  try {
    const ops = Object.fromEntries(
      await Promise.all(Object.entries(servers).map(async ([name, s]) => [name, assignUnassign(s.port, s.key, await world(s))] as const)),
    );
    for (const op of Object.values(ops)) await load(16, MAX_OPS, SLICE_MS, op);
    const ratios = { throttled: [] as number[], rule: [] as number[] };
    for (let round = 1; round <= ROUNDS; round++) {
      const plain = await load(16, MAX_OPS, SLICE_MS, ops.plain);
      const throttled = await load(16, MAX_OPS, SLICE_MS, ops.throttled);
      const rule = await load(16, MAX_OPS, SLICE_MS, ops.rule);
      const plainAgain = await load(16, MAX_OPS, SLICE_MS, ops.plain);
      const base = (plain.rps + plainAgain.rps) / 2;
      console.log(
        `round ${round}: plain ${base.toFixed(0)} req/s, throttled ${throttled.rps.toFixed(0)}, one non-matching rule ${rule.rps.toFixed(0)}`,
      );
      ratios.throttled.push(throttled.rps / base);
      ratios.rule.push(rule.rps / base);
    }
    const list = (xs: number[]) => xs.map((x) => x.toFixed(3)).join(' ');
    console.log(
      `throughput ratio to plain at c=16 (median of ${ROUNDS}): throttling on ${median(ratios.throttled).toFixed(3)} [${list(ratios.throttled)}]   (target ≥ 0.95)`,
    );
    console.log(
      `throughput ratio to plain at c=16 (median of ${ROUNDS}): one fault rule, never matching ${median(ratios.rule).toFixed(3)} [${list(ratios.rule)}]   (target ≥ 0.95; an empty table is the plain server)`,
    );
  } finally {
    for (const s of Object.values(servers)) await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchChaos();
