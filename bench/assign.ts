// bench/assign: signed AssignPrivateIpAddresses (count 1) and
// UnassignPrivateIpAddresses over HTTP at concurrency 1 and 16, against a
// minimal fastify JSON endpoint measured in the same run; and the cost of an
// assignment on a /16 that is 99% full against the same /16 empty.
// Bounded in count and time; traffic to 127.0.0.1 only.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { get, load, rpc, type LoadResult } from './lib/rpc-client.ts';
import { startServerProcess } from '../test/support/server-process.ts';

const OPS = Number(process.env.BENCH_OPS ?? 4000);
const MAX_MS = 15_000;

function fmt(r: LoadResult): string {
  return `${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  (${r.requests} requests)`;
}

async function baseline(): Promise<{ c1: LoadResult; c16: LoadResult }> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./lib/baseline-server.ts', import.meta.url).pathname], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
  });
  try {
    await load(16, 500, 5000, async () => { await get(port, '/'); });
    const c1 = await load(1, OPS, MAX_MS, async () => { await get(port, '/'); });
    const c16 = await load(16, OPS * 2, MAX_MS, async () => { await get(port, '/'); });
    return { c1, c16 };
  } finally {
    child.kill('SIGTERM');
  }
}

/** Each worker owns one ENI and alternates assign (count 1) and unassign of what it got. */
function assignUnassign(port: number, key: { id: string; secret: string }, enis: string[]) {
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

export async function benchAssign(): Promise<void> {
  console.log('## bench/assign');
  const base = await baseline();
  console.log(`baseline fastify JSON  c=1  ${fmt(base.c1)}`);
  console.log(`baseline fastify JSON  c=16 ${fmt(base.c16)}`);

  const dataDir = mkdtempSync(join(tmpdir(), 'eniplane-bench-'));
  try {
    let server = await startServerProcess({ dataDir, args: ['--transition-ms', '0', '--log-level', 'error'] });
    const { port, key } = server;
    const vpc = await rpc(port, key, 'CreateVpc', { CidrBlock: '10.0.0.0/8' }, '2016-04-28');
    const vsw = await rpc(port, key, 'CreateVSwitch', { VpcId: vpc.VpcId, ZoneId: 'cn-hangzhou-h', CidrBlock: '10.1.0.0/16' }, '2016-04-28');
    const sg = await rpc(port, key, 'CreateSecurityGroup', { VpcId: vpc.VpcId, SecurityGroupType: 'enterprise' });
    const enis: string[] = [];
    for (let i = 0; i < 17; i++) enis.push((await rpc(port, key, 'CreateNetworkInterface', { VSwitchId: vsw.VSwitchId, SecurityGroupId: sg.SecurityGroupId })).NetworkInterfaceId);
    const filler = enis.pop()!;

    await load(16, 400, 5000, assignUnassign(port, key, enis)); // warm-up
    const c1 = await load(1, OPS, MAX_MS, assignUnassign(port, key, enis));
    const c16 = await load(16, OPS * 2, MAX_MS, assignUnassign(port, key, enis));
    console.log(`eniplane assign/unassign c=1  ${fmt(c1)}`);
    console.log(`eniplane assign/unassign c=16 ${fmt(c16)}`);
    console.log(`ratio to baseline: c=1 ${(c1.rps / base.c1.rps).toFixed(2)}  c=16 ${(c16.rps / base.c16.rps).toFixed(2)}   (target ≥ 0.30)`);
    console.log(`p99 at c=16: ${c16.p99.toFixed(2)} ms (target < 10 ms)`);

    // Fill the /16 to 99% behind the server's back (the setup, not the measurement), then measure again.
    await server.stop();
    const db = new Database(join(dataDir, 'eniplane.db'));
    const used = new Set((db.prepare("SELECT ipv4_num AS n FROM private_ips WHERE vswitch_id = ?").all(vsw.VSwitchId) as { n: number }[]).map((r) => r.n));
    const base16 = (10 << 24 | 1 << 16) >>> 0;
    const target = Math.floor((65536 - 4) * 0.99);
    const insert = db.prepare('INSERT INTO private_ips (vswitch_id, address, family, ipv4_num, eni_id, is_primary, seq) VALUES (?, ?, 4, ?, ?, 0, ?)');
    db.transaction(() => {
      let n = used.size;
      // Take addresses in a scattered order so the free ones are spread, not one block.
      for (let i = 1; i < 65533 && n < target; i++) {
        const off = (i * 65521) % 65532 + 1; // 65521 is prime: a permutation of 1..65532
        const num = base16 + off;
        if (used.has(num)) continue;
        insert.run(vsw.VSwitchId, `10.1.${off >> 8}.${off & 255}`, num, filler, i);
        used.add(num);
        n++;
      }
    })();
    const filled = (db.prepare('SELECT COUNT(*) AS n FROM private_ips WHERE vswitch_id = ?').get(vsw.VSwitchId) as { n: number }).n;
    db.close();
    server = await startServerProcess({ dataDir, args: ['--transition-ms', '0', '--log-level', 'error'] });
    try {
      await load(4, 400, 5000, assignUnassign(server.port, server.key, enis));
      const full = await load(1, OPS, MAX_MS, assignUnassign(server.port, server.key, enis));
      console.log(`eniplane on the /16 ${(100 * filled / 65532).toFixed(1)}% full c=1 ${fmt(full)}`);
      console.log(`cost per operation, 99% full vs empty: ${(full.meanMs / c1.meanMs).toFixed(2)}x (target ≤ 2x)`);
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchAssign();
