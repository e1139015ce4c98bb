// bench/assign: signed AssignPrivateIpAddresses (count 1) and
// UnassignPrivateIpAddresses over HTTP at concurrency 1 and 16, against a
// minimal fastify JSON endpoint measured in the same run; and the cost of an
// assignment on a /16 that is 99% full against the same /16 empty.
//
// This machine's speed drifts by tens of percent from minute to minute (other
// work shares it), so the measurements are interleaved in rounds — baseline,
// eniplane, baseline, eniplane, ... — against servers that all stay up, and
// the medians of the per-round ratios are reported. Each measurement lasts the
// same time, whatever its speed.
// Bounded in count and time; traffic to 127.0.0.1 only.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fillSlash16, SLASH16_USABLE } from './lib/fill-vswitch.ts';
import { get, load, rpc, type LoadResult } from './lib/rpc-client.ts';
import { BIN_NODE_FLAGS, startServerProcess, type ServerProcess } from '../test/support/server-process.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** each measurement runs this long (or to MAX_OPS), so both sides of a ratio see the same stretch of time */
const SLICE_MS = Number(process.env.BENCH_SLICE_MS ?? 2000);
const MAX_OPS = 200_000;
const SERVER_ARGS = ['--transition-ms', '0', '--log-level', 'error'];

type Key = { id: string; secret: string };

type Measured = LoadResult & { serverCpuMs: number; clientCpuMs: number };

function fmt(r: Measured): string {
  const cpu = Number.isNaN(r.serverCpuMs) ? '' : `  CPU/req server ${r.serverCpuMs.toFixed(3)} ms, client ${r.clientCpuMs.toFixed(3)} ms`;
  return `${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms${cpu}  (${r.requests} requests)`;
}

/** CPU time (user + system, all threads) a process has used, in ms; NaN where /proc is not there. */
function cpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}
const CLOCK_TICKS = 100; // USER_HZ on Linux

/**
 * A load slice with the CPU per request of the server and of this process (the
 * load generator) beside it: costs that move less than throughput when the
 * machine's speed drifts, and that say how the two share the machine's CPUs.
 */
async function measure(pid: number | undefined, concurrency: number, op: (w: number) => Promise<void>): Promise<Measured> {
  const before = cpuMs(pid);
  const client = process.cpuUsage();
  const r = await load(concurrency, MAX_OPS, SLICE_MS, op);
  const used = process.cpuUsage(client);
  return { ...r, serverCpuMs: (cpuMs(pid) - before) / r.requests, clientCpuMs: (used.user + used.system) / 1000 / r.requests };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function startBaseline(): Promise<{ port: number; child: ChildProcess }> {
  // With eniplane's own V8 flags (its shebang's), so the two differ only in what they do.
  const child = spawn(
    process.execPath,
    [...BIN_NODE_FLAGS, '--import', 'tsx', new URL('./lib/baseline-server.ts', import.meta.url).pathname],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolve) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
  });
  return { port, child };
}

/** Each worker owns one ENI and alternates assign (count 1) and unassign of what it got. */
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

interface Eniplane {
  server: ServerProcess;
  enis: string[];
  dataDir: string;
  filledPercent: number;
}

/** A server with a /16 vSwitch and 16 ENIs on it; `fill` takes 99% of the /16 (behind the server's back, before it starts). */
async function startEniplane(fill: boolean): Promise<Eniplane> {
  const dataDir = mkdtempSync(join(tmpdir(), 'eniplane-bench-'));
  let server = await startServerProcess({ dataDir, args: SERVER_ARGS });
  const { port, key } = server;
  const vpc = await rpc(port, key, 'CreateVpc', { CidrBlock: '10.0.0.0/8' }, '2016-04-28');
  const vsw = await rpc(port, key, 'CreateVSwitch', { VpcId: vpc.VpcId, ZoneId: 'cn-hangzhou-h', CidrBlock: '10.1.0.0/16' }, '2016-04-28');
  const sg = await rpc(port, key, 'CreateSecurityGroup', { VpcId: vpc.VpcId, SecurityGroupType: 'enterprise' });
  const enis: string[] = [];
  for (let i = 0; i < 17; i++)
    enis.push(
      (await rpc(port, key, 'CreateNetworkInterface', { VSwitchId: vsw.VSwitchId, SecurityGroupId: sg.SecurityGroupId }))
        .NetworkInterfaceId,
    );
  const filler = enis.pop()!;
  let filled = 17;
  if (fill) {
    await server.stop();
    filled = fillSlash16(join(dataDir, 'eniplane.db'), vsw.VSwitchId, filler);
    server = await startServerProcess({ dataDir, args: SERVER_ARGS });
  }
  return { server, enis, dataDir, filledPercent: (100 * filled) / SLASH16_USABLE };
}

export async function benchAssign(): Promise<void> {
  console.log('## bench/assign');
  const base = await startBaseline();
  const empty = await startEniplane(false);
  const full = await startEniplane(true);
  const baseOp = async () => {
    await get(base.port, '/');
  };
  const emptyOp = assignUnassign(empty.server.port, empty.server.key, empty.enis);
  const fullOp = assignUnassign(full.server.port, full.server.key, full.enis);
  try {
    // Warm-up to a steady state — JIT (V8 optimizes after thousands of calls), page caches, the
    // free-space hints — at both concurrencies, a slice's time each: with a thousand requests only,
    // the first round's c=1 ran 10–15 % below the others.
    for (const c of [16, 1]) {
      await load(c, MAX_OPS, SLICE_MS, baseOp);
      await load(c, MAX_OPS, SLICE_MS, emptyOp);
      await load(c, MAX_OPS, SLICE_MS / 2, fullOp);
    }

    const ratio1: number[] = [];
    const ratio16: number[] = [];
    const p99s: number[] = [];
    const fullCost: number[] = [];
    const cpuRatio16: number[] = [];
    const total16: { base: number[]; eni: number[] } = { base: [], eni: [] };
    for (let round = 1; round <= ROUNDS; round++) {
      const b1 = await measure(base.child.pid, 1, baseOp);
      const e1 = await measure(empty.server.child.pid, 1, emptyOp);
      const f1 = await measure(full.server.child.pid, 1, fullOp);
      const b16 = await measure(base.child.pid, 16, baseOp);
      const e16 = await measure(empty.server.child.pid, 16, emptyOp);
      console.log(`round ${round}`);
      console.log(`  baseline fastify JSON        c=1  ${fmt(b1)}`);
      console.log(`  eniplane assign/unassign     c=1  ${fmt(e1)}`);
      console.log(`  eniplane, /16 ${full.filledPercent.toFixed(1)}% full  c=1  ${fmt(f1)}`);
      console.log(`  baseline fastify JSON        c=16 ${fmt(b16)}`);
      console.log(`  eniplane assign/unassign     c=16 ${fmt(e16)}`);
      ratio1.push(e1.rps / b1.rps);
      ratio16.push(e16.rps / b16.rps);
      p99s.push(e16.p99);
      fullCost.push(f1.meanMs / e1.meanMs);
      cpuRatio16.push(b16.serverCpuMs / e16.serverCpuMs);
      total16.base.push(b16.serverCpuMs + b16.clientCpuMs);
      total16.eni.push(e16.serverCpuMs + e16.clientCpuMs);
    }
    const list = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(' ');
    console.log(
      `ratio to baseline (median of ${ROUNDS} rounds): c=1 ${median(ratio1).toFixed(2)} [${list(ratio1)}]  c=16 ${median(ratio16).toFixed(2)} [${list(ratio16)}]   (target ≥ 0.30)`,
    );
    console.log(`p99 at c=16 (median): ${median(p99s).toFixed(2)} ms [${list(p99s)}]   (target < 10 ms)`);
    console.log(
      `server CPU per request, baseline / eniplane at c=16 (median): ${median(cpuRatio16).toFixed(2)} [${list(cpuRatio16)}]   (for reading the ratios: steadier than req/s)`,
    );
    const cpus = availableParallelism();
    const eniTotal = median(total16.eni);
    console.log(
      `CPU per request at c=16, server + load generator (median): baseline ${median(total16.base).toFixed(3)} ms, eniplane ${eniTotal.toFixed(3)} ms: ` +
        `${cpus} CPUs serve eniplane at most ${((cpus * 1000) / eniTotal).toFixed(0)} req/s here   (both share this machine)`,
    );
    console.log(`cost per operation, 99% full vs empty (median): ${median(fullCost).toFixed(2)}x [${list(fullCost)}]   (target ≤ 2x)`);
  } finally {
    base.child.kill('SIGTERM');
    for (const e of [empty, full]) {
      await e.server.stop();
      rmSync(e.dataDir, { recursive: true, force: true });
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchAssign();
