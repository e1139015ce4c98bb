// bench/replicas: signed AssignPrivateIpAddresses / UnassignPrivateIpAddresses
// throughput with 1 and 3 `eniplane serve` processes on one PostgreSQL, and
// with the embedded SQLite (1 process), under the same client load in the same
// run; printed as ratios. Where the CPU went (servers, PostgreSQL, the client)
// is measured from /proc, to tell what limits scaling on this machine.
//   node --import tsx bench/replicas.ts        (BENCH_OPS=3000 by default)
// Bounded in count and time; traffic to 127.0.0.1 only.
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { load, rpc, type LoadResult } from './lib/rpc-client.ts';
import { startServerProcess, type ServerProcess } from '../test/support/server-process.ts';
import { dropSchema, freshSchemaName, pgUnavailable, urlWithSchema } from '../test/store/pg-support.ts';

const OPS = Number(process.env.BENCH_OPS ?? 3000);
const MAX_MS = 20_000;
const CONCURRENCY = 32;
const ENIS = 16;
const CLK_TCK = 100; // /proc/<pid>/stat ticks per second on Linux

interface Setup { label: string; processes: number; database?: string; groupPerEni?: boolean }
interface Outcome { setup: Setup; r: LoadResult; cpu: { servers: number; postgres: number; client: number; wall: number } }

/** CPU seconds (user + system) of a process, 0 when it is gone */
function cpuOf(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return 0;
  }
}

/** CPU seconds of every local PostgreSQL process (server and backends) */
function postgresCpu(): number {
  let sum = 0;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/comm`, 'utf8').trim() === 'postgres') sum += cpuOf(Number(d));
    } catch { /* gone */ }
  }
  return sum;
}

function sample(servers: ServerProcess[]) {
  const c = process.cpuUsage();
  return { servers: servers.reduce((s, p) => s + cpuOf(p.child.pid!), 0), postgres: postgresCpu(), client: (c.user + c.system) / 1e6, at: performance.now() };
}

/** Each worker alternates assign (count 1) and unassign of what it got, on its own ENI slot, spread over the servers. */
function assignUnassign(servers: ServerProcess[], enis: string[]) {
  const holding = new Map<number, string>();
  return async (w: number) => {
    const s = servers[w % servers.length];
    const eni = enis[w % enis.length];
    const held = holding.get(w);
    if (held) {
      await rpc(s.port, s.key, 'UnassignPrivateIpAddresses', { NetworkInterfaceId: eni, 'PrivateIpAddress.1': held });
      holding.delete(w);
    } else {
      const r = await rpc(s.port, s.key, 'AssignPrivateIpAddresses', { NetworkInterfaceId: eni, SecondaryPrivateIpAddressCount: '1' });
      holding.set(w, r.AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress[0]);
    }
  };
}

async function run(setup: Setup): Promise<Outcome> {
  const key = { id: 'LTAIbenchreplicas000001', secret: 'bench-replicas-secret-000000001' };
  const schema = setup.database ? freshSchemaName() : undefined;
  const args = ['--transition-ms', '0', '--log-level', 'error', ...(schema ? ['--database', urlWithSchema(schema, setup.database)] : [])];
  const env = { ENIPLANE_ROOT_ACCESS_KEY_ID: key.id, ENIPLANE_ROOT_ACCESS_KEY_SECRET: key.secret };
  const servers: ServerProcess[] = [];
  try {
    // The first one migrates; the others then start against the same schema.
    servers.push(await startServerProcess({ args, env }));
    for (let i = 1; i < setup.processes; i++) servers.push(await startServerProcess({ args, env }));
    const { port } = servers[0];
    const vpc = await rpc(port, key, 'CreateVpc', { CidrBlock: '10.0.0.0/8' }, '2016-04-28');
    const vsw = await rpc(port, key, 'CreateVSwitch', { VpcId: vpc.VpcId, ZoneId: 'cn-hangzhou-h', CidrBlock: '10.1.0.0/16' }, '2016-04-28');
    const groups: string[] = [];
    for (let i = 0; i < (setup.groupPerEni ? ENIS : 1); i++) groups.push((await rpc(port, key, 'CreateSecurityGroup', { VpcId: vpc.VpcId, SecurityGroupType: 'enterprise' })).SecurityGroupId);
    const enis: string[] = [];
    for (let i = 0; i < ENIS; i++) {
      enis.push((await rpc(port, key, 'CreateNetworkInterface', { VSwitchId: vsw.VSwitchId, SecurityGroupId: groups[i % groups.length] })).NetworkInterfaceId);
    }
    const op = assignUnassign(servers, enis);
    await load(CONCURRENCY, 400, 5000, op); // warm-up: connections, JIT, address hints
    const before = sample(servers);
    const r = await load(CONCURRENCY, OPS, MAX_MS, op);
    const after = sample(servers);
    return {
      setup, r,
      cpu: { servers: after.servers - before.servers, postgres: after.postgres - before.postgres, client: after.client - before.client, wall: (after.at - before.at) / 1000 },
    };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    if (schema) await dropSchema(schema, setup.database);
  }
}

function line(o: Outcome): string {
  const { r, cpu } = o;
  const cores = (x: number) => (x / cpu.wall).toFixed(2);
  return `${o.setup.label.padEnd(34)} ${r.rps.toFixed(0).padStart(5)} req/s  p50 ${r.p50.toFixed(1).padStart(5)} ms  p99 ${r.p99.toFixed(1).padStart(6)} ms  ` +
    `(${r.requests} req)  CPU cores used: servers ${cores(cpu.servers)}, postgres ${cores(cpu.postgres)}, client ${cores(cpu.client)}`;
}

export async function benchReplicas(): Promise<void> {
  console.log(`## bench/replicas (${cpus().length} CPUs, ${CONCURRENCY} concurrent clients, ${ENIS} ENIs, assign/unassign count 1)`);
  const pgUrl = process.env.ENIPLANE_BENCH_DATABASE_URL ?? process.env.ENIPLANE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const down = await pgUnavailable(pgUrl);
  const setups: Setup[] = [{ label: 'sqlite, 1 process', processes: 1 }];
  if (down) console.log(`PostgreSQL runs skipped: ${down}`);
  else {
    setups.push(
      { label: 'postgres, 1 process', processes: 1, database: pgUrl },
      { label: 'postgres, 3 processes', processes: 3, database: pgUrl },
      { label: 'postgres, 3 processes, 1 SG per ENI', processes: 3, database: pgUrl, groupPerEni: true },
    );
  }
  const out: Outcome[] = [];
  for (const s of setups) {
    const o = await run(s);
    out.push(o);
    console.log(line(o));
  }
  if (out.length < 3) return;
  const [sqlite, pg1, pg3, pg3sg] = out;
  console.log(`ratios: postgres 1 process / sqlite ${(pg1.r.rps / sqlite.r.rps).toFixed(2)}   postgres 3 / postgres 1 ${(pg3.r.rps / pg1.r.rps).toFixed(2)}` +
    `   3 processes, SG per ENI / shared SG ${(pg3sg.r.rps / pg3.r.rps).toFixed(2)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await benchReplicas();
