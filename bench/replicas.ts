// bench/replicas: signed AssignPrivateIpAddresses / UnassignPrivateIpAddresses
// throughput with 1 and 3 `eniplane serve` processes on one PostgreSQL (all
// ENIs in one security group), and with the embedded SQLite (1 process), under
// the same client load in interleaved rounds; each setup reports the median
// round, and the ratios. Where the CPU went (servers, PostgreSQL, the client)
// is measured from /proc, with the servers' system CPU and context switches
// (waiting, preempted); what the backends waited for by sampling
// pg_stat_activity; deadlocks from pg_stat_database before/after, the WAL from
// pg_stat_wal (bytes, full-page images, syncs; ms a sync when PostgreSQL's
// track_wal_io_timing is on); round trips
// per request by running the same service calls in this process on a counting
// PostgresStore.
//   node --import tsx bench/replicas.ts        (BENCH_OPS=12000, BENCH_PASSES=3, BENCH_WARM_UP=3000 per process by default;
//   BENCH_POOL_MAX=N: each server's pool_max, default 10; BENCH_VARIANTS=1 adds 3 processes with
//   pool_max 4 and with commit_delay 100 µs to the same interleaved rounds; BENCH_UNBATCHED=1 adds 1 and
//   3 processes with batch_max=1, each one-call request its own statement and transaction, as before
//   migration 020); BENCH_AFFINITY=1 adds 3 processes with each ENI's clients on one process;
//   BENCH_BATCH_MAX=4,8 adds 1 process with those batch_max; BENCH_COMMIT_DELAY=1000 adds 1 and 3
//   processes with that commit_delay (µs) and commit_siblings 1; BENCH_CPU_PROF=dir writes each
//   server's --cpu-prof there)
// Bounded in count and time; traffic to 127.0.0.1 only.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import { load, rpc, type LoadResult } from './lib/rpc-client.ts';
import { startServerProcess, type ServerProcess } from '../test/support/server-process.ts';
import { dropSchema, freshSchemaName, pgUnavailable, urlWithSchema } from '../test/store/pg-support.ts';
import { PostgresStore } from '../src/store/postgres/postgres-store.ts';
import { createDeps } from '../src/service/create-deps.ts';
import { createAccount } from '../src/service/accounts.ts';
import { createSecurityGroup, createVpc, createVSwitch } from '../src/service/networks.ts';
import { createEni } from '../src/service/create-eni.ts';
import { assignPrivateIps, unassignPrivateIps } from '../src/service/eni-addresses.ts';

const OPS = Number(process.env.BENCH_OPS ?? 12_000);
/** warm-up requests per server process */
const WARM_UP = Number(process.env.BENCH_WARM_UP ?? 3000);
const WARM_UP_MS = 20_000;
/** passes over all setups, interleaved; each setup reports its median pass */
const PASSES = Number(process.env.BENCH_PASSES ?? 3);
const MAX_MS = 20_000;
const CONCURRENCY = 32;
const ENIS = 16;
const CLK_TCK = 100; // /proc/<pid>/stat ticks per second on Linux

interface Setup {
  label: string;
  processes: number;
  database?: string;
  groupPerEni?: boolean;
  /** each server's pool_max (default 10) */
  poolMax?: number;
  /** PostgreSQL's commit_delay (µs) on the servers' connections: commits wait that long for others to share a WAL flush (durable) */
  commitDelayUs?: number;
  /** each server's batch_max (default 32; 1: no batching of the one-call requests) */
  batchMax?: number;
  /** each ENI's clients all on one server process (by default an ENI's two clients are on two processes) */
  affinity?: boolean;
}
interface Outcome {
  setup: Setup;
  r: LoadResult;
  /** statements per second one idle server process sends (its own /metrics counter; the scrape's cost taken off) */
  idleTrips?: number;
  /** statements per request the servers sent during the run, background work included */
  tripsPerRequest?: number;
  /** one-call batches during the run: calls a batch, the share of calls answered busy, the share of requests then sent alone */
  batching?: { size: number; busy: number; alone: number };
  cpu: { servers: number; postgres: number; client: number; wall: number };
  /** the servers' system CPU seconds and context switches during the run */
  serversKernel: { sys: number; voluntary: number; involuntary: number };
  waits?: string;
  lockShare?: number;
  deadlocks?: number;
  xacts?: number;
  /** the cluster's WAL during the run (pg_stat_wal); syncMs stays 0 unless track_wal_io_timing is on */
  wal?: { bytes: number; fpi: number; syncs: number; syncMs: number };
}
/* cpu.postgres: CPU seconds of this run's own backends (found by application_name); all postgres processes' for SQLite runs (≈ 0) */

/**
 * Samples what this run's PostgreSQL backends (known by their application_name)
 * are doing every 20 ms: running, waiting for a row lock, waiting for their
 * server process to send the next statement inside a transaction, flushing WAL.
 */
function sampleWaits(url: string, applicationName: string): { stop(): Promise<{ waits: string; cpu: number; lockShare: number }> } {
  const client = new pg.Client({ connectionString: url });
  const counts = new Map<string, number>();
  /** backend pid → its CPU seconds when first seen (backends are OS processes: their CPU is ours alone) */
  const baseline = new Map<number, number>();
  let total = 0;
  let running = true;
  const loop = (async () => {
    await client.connect();
    while (running) {
      const rows = (
        await client.query<{ pid: number; t: string | null; e: string | null; s: string | null }>(
          'SELECT pid, wait_event_type AS t, wait_event AS e, state AS s FROM pg_stat_activity WHERE application_name = $1',
          [applicationName],
        )
      ).rows;
      for (const r of rows) {
        if (!baseline.has(r.pid)) baseline.set(r.pid, cpuOf(r.pid));
        const k =
          r.t === 'Lock'
            ? 'row/tx lock'
            : r.s === 'idle in transaction'
              ? 'idle in tx (server process busy)'
              : r.t === 'IO' && /WAL/.test(r.e ?? '')
                ? 'WAL flush'
                : r.s === 'active' && r.t === null
                  ? 'running'
                  : r.s === 'idle'
                    ? null
                    : `${r.t}:${r.e}`;
        if (k === null) continue;
        counts.set(k, (counts.get(k) ?? 0) + 1);
        total++;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop.catch(() => undefined);
      await client.end().catch(() => undefined);
      let cpu = 0;
      for (const [pid, at] of baseline) cpu += Math.max(0, cpuOf(pid) - at);
      const waits = [...counts.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5)
        .map(([k, v]) => `${k} ${Math.round((100 * v) / Math.max(1, total))}%`)
        .join(', ');
      return { waits, cpu, lockShare: (counts.get('row/tx lock') ?? 0) / Math.max(1, total) };
    },
  };
}

const OWN_DATABASE = `eniplane_bench_${process.pid}`;

async function admin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function ownDatabase(serverUrl: string): Promise<string> {
  await admin(serverUrl, (c) => c.query(`CREATE DATABASE ${OWN_DATABASE}`));
  const u = new URL(serverUrl);
  u.pathname = `/${OWN_DATABASE}`;
  return u.toString();
}

async function dropOwnDatabase(serverUrl: string, url: string): Promise<void> {
  if (!url.includes(OWN_DATABASE)) return;
  await admin(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${OWN_DATABASE} WITH (FORCE)`));
}

interface DbStats {
  deadlocks: number;
  xacts: number;
  /** pg_stat_wal (the whole cluster's: read on a quiet server): bytes, full-page images, syncs, ms spent syncing */
  walBytes: number;
  walFpi: number;
  walSyncs: number;
  walSyncMs: number;
}

/** deadlocks and transactions (commits + rollbacks) so far in the bench's own database, and the cluster's WAL */
async function dbStats(url: string): Promise<DbStats> {
  return admin(url, async (c) => {
    await c.query('SELECT pg_stat_clear_snapshot()');
    const r = (
      await c.query<{ d: string; x: string }>(
        'SELECT deadlocks AS d, xact_commit + xact_rollback AS x FROM pg_stat_database WHERE datname = current_database()',
      )
    ).rows[0];
    const w = (
      await c.query<{ b: string; f: string; s: string; t: number }>(
        'SELECT wal_bytes AS b, wal_fpi AS f, wal_sync AS s, wal_sync_time AS t FROM pg_stat_wal',
      )
    ).rows[0];
    return {
      deadlocks: Number(r.d),
      xacts: Number(r.x),
      walBytes: Number(w.b),
      walFpi: Number(w.f),
      walSyncs: Number(w.s),
      walSyncMs: Number(w.t),
    };
  });
}

/**
 * Round trips to PostgreSQL per signed assign and unassign (count 1, nonce
 * included), counted by the store, running the service calls in this process.
 */
async function roundTripsPerRequest(url: string): Promise<{ assign: number; unassign: number }> {
  const schema = freshSchemaName();
  const store = await PostgresStore.open(urlWithSchema(schema, url));
  try {
    const deps = createDeps(store);
    const { account } = await createAccount(deps, 'bench-round-trips');
    const caller = { accountId: account.id };
    const vpc = await createVpc(deps, caller, { cidrBlock: '10.0.0.0/8' });
    const vsw = await createVSwitch(deps, caller, { vpcId: vpc.id, zoneId: 'cn-hangzhou-h', cidrBlock: '10.1.0.0/16' });
    const sg = await createSecurityGroup(deps, caller, { vpcId: vpc.id, type: 'enterprise' });
    const eni = await createEni(deps, caller, { vSwitchId: vsw.id, securityGroupIds: [sg.id] });
    const signed = (i: number) => ({
      ...caller,
      nonce: { accessKeyId: 'LTAIbench', nonce: `n-${i}`, expiresMs: Date.now() + 60_000, recorded: false },
    });
    // the first assign on an ENI takes the general path (this process learns the ENI's vSwitch)
    const first = await assignPrivateIps(deps, signed(0), { eniId: eni.id, request: { count: 1 } });
    await unassignPrivateIps(deps, signed(1), { eniId: eni.id, addresses: first.addresses });
    const N = 100;
    let assign = 0;
    let unassign = 0;
    for (let i = 0; i < N; i++) {
      let at = store.roundTrips;
      const r = await assignPrivateIps(deps, signed(2 * i + 2), { eniId: eni.id, request: { count: 1 } });
      assign += store.roundTrips - at;
      at = store.roundTrips;
      await unassignPrivateIps(deps, signed(2 * i + 3), { eniId: eni.id, addresses: r.addresses });
      unassign += store.roundTrips - at;
    }
    return { assign: assign / N, unassign: unassign / N };
  } finally {
    await store.close();
    await dropSchema(schema, url);
  }
}

/** CPU seconds (user + system) of a process, 0 when it is gone */
function cpuOf(pid: number): number {
  const f = statFields(pid);
  return f ? (Number(f[11]) + Number(f[12])) / CLK_TCK : 0;
}

/** /proc/<pid>/stat's fields after the command name (fields[11] utime, fields[12] stime), undefined when it is gone */
function statFields(pid: number): string[] | undefined {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return f.slice(f.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** CPU seconds of every local PostgreSQL process (server and backends) */
function postgresCpu(): number {
  let sum = 0;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/comm`, 'utf8').trim() === 'postgres') sum += cpuOf(Number(d));
    } catch {
      /* gone */
    }
  }
  return sum;
}

/** a process's system CPU seconds and its context switches (voluntary: it waited; involuntary: preempted) */
function kernelSide(pid: number): { sys: number; voluntary: number; involuntary: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const n = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    return {
      sys: Number(statFields(pid)?.[12] ?? 0) / CLK_TCK,
      voluntary: n('voluntary_ctxt_switches'),
      involuntary: n('nonvoluntary_ctxt_switches'),
    };
  } catch {
    return { sys: 0, voluntary: 0, involuntary: 0 };
  }
}

function sample(servers: ServerProcess[]) {
  const c = process.cpuUsage();
  const k = servers.map((p) => kernelSide(p.child.pid!));
  return {
    serversSys: k.reduce((s, x) => s + x.sys, 0),
    serversVoluntary: k.reduce((s, x) => s + x.voluntary, 0),
    serversInvoluntary: k.reduce((s, x) => s + x.involuntary, 0),
    servers: servers.reduce((s, p) => s + cpuOf(p.child.pid!), 0),
    postgres: postgresCpu(),
    client: (c.user + c.system) / 1e6,
    at: performance.now(),
  };
}

/** The server's own count of statements sent to PostgreSQL (eniplane_store_round_trips_total). */
async function serverTrips(s: ServerProcess): Promise<number> {
  return (await serverCounters(s)).trips;
}

/** The server's round trips and one-call batch counters (eniplane_store_one_call_batches_total). */
async function serverCounters(s: ServerProcess): Promise<{ trips: number; batches: number; calls: number; busy: number; alone: number }> {
  const text = await (await fetch(`http://127.0.0.1:${s.port}/metrics`)).text();
  const n = (re: RegExp) => Number(re.exec(text)?.[1] ?? NaN);
  return {
    trips: n(/^eniplane_store_round_trips_total (\d+)/m),
    batches: n(/^eniplane_store_one_call_batches_total\{what="batches"\} (\d+)/m),
    calls: n(/^eniplane_store_one_call_batches_total\{what="calls"\} (\d+)/m),
    busy: n(/^eniplane_store_one_call_batches_total\{what="busy"\} (\d+)/m),
    alone: n(/^eniplane_store_one_call_batches_total\{what="alone"\} (\d+)/m),
  };
}

/** Statements a second an idle server sends (settler, purge, fault rules): two back-to-back scrapes give one scrape's own cost. */
async function idleTripsPerSecond(s: ServerProcess, ms = 3000): Promise<number> {
  const t0 = await serverTrips(s);
  const t1 = await serverTrips(s);
  const at = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  const t2 = await serverTrips(s);
  return (t2 - t1 - (t1 - t0)) / ((performance.now() - at) / 1000);
}

/** Each worker alternates assign (count 1) and unassign of what it got, on its own ENI slot, spread over the servers. */
function assignUnassign(servers: ServerProcess[], enis: string[], affinity = false) {
  const holding = new Map<number, string>();
  return async (w: number) => {
    const s = servers[(affinity ? w % enis.length : w) % servers.length];
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
  const applicationName = `eniplane_bench_${process.pid}`;
  let url: string | undefined;
  if (schema && setup.database) {
    const u = new URL(urlWithSchema(schema, setup.database));
    u.searchParams.set('application_name', applicationName); // pg reads it from the URL; lets the sampler find our backends
    const poolMax = setup.poolMax ?? (process.env.BENCH_POOL_MAX ? Number(process.env.BENCH_POOL_MAX) : undefined);
    if (poolMax !== undefined) u.searchParams.set('pool_max', String(poolMax));
    if (setup.batchMax !== undefined) u.searchParams.set('batch_max', String(setup.batchMax));
    // (commit_delay needs a superuser connection, as the bench's is)
    // commit_siblings 1: PostgreSQL's default (5 other transactions in progress) never holds a commit back
    // for 3 processes' batches, so commit_delay alone changed nothing
    if (setup.commitDelayUs !== undefined) u.searchParams.set('options', `-c commit_delay=${setup.commitDelayUs} -c commit_siblings=1`);
    url = u.toString();
  }
  // The default --transition-ms (300): its background settler polls every 75 ms per process, as deployed
  // (with 0 it would poll every 25 ms, a load that grows with the number of processes).
  const args = ['--log-level', 'error', ...(url ? ['--database', url] : [])];
  // Processes sharing one database share the key that seals AccessKey secrets (each has its own data dir).
  const env = {
    ENIPLANE_ROOT_ACCESS_KEY_ID: key.id,
    ENIPLANE_ROOT_ACCESS_KEY_SECRET: key.secret,
    ENIPLANE_SECRET_KEY: randomBytes(32).toString('base64'),
  };
  const servers: ServerProcess[] = [];
  try {
    // The first one migrates; the others then start against the same schema.
    const nodeArgs = process.env.BENCH_CPU_PROF
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}/${setup.label.replace(/\W+/g, '-')}`]
      : [];
    servers.push(await startServerProcess({ args, env, nodeArgs }));
    for (let i = 1; i < setup.processes; i++) servers.push(await startServerProcess({ args, env, nodeArgs }));
    const { port } = servers[0];
    const vpc = await rpc(port, key, 'CreateVpc', { CidrBlock: '10.0.0.0/8' }, '2016-04-28');
    const vsw = await rpc(
      port,
      key,
      'CreateVSwitch',
      { VpcId: vpc.VpcId, ZoneId: 'cn-hangzhou-h', CidrBlock: '10.1.0.0/16' },
      '2016-04-28',
    );
    const groups: string[] = [];
    for (let i = 0; i < (setup.groupPerEni ? ENIS : 1); i++)
      groups.push((await rpc(port, key, 'CreateSecurityGroup', { VpcId: vpc.VpcId, SecurityGroupType: 'enterprise' })).SecurityGroupId);
    const enis: string[] = [];
    for (let i = 0; i < ENIS; i++) {
      enis.push(
        (await rpc(port, key, 'CreateNetworkInterface', { VSwitchId: vsw.VSwitchId, SecurityGroupId: groups[i % groups.length] }))
          .NetworkInterfaceId,
      );
    }
    const op = assignUnassign(servers, enis, setup.affinity);
    // Warm-up: connections, address hints, and the JIT, which each process needs as much of (a process
    // seeing a third of the requests is otherwise measured partly in its not yet optimized code).
    await load(CONCURRENCY, WARM_UP * setup.processes, WARM_UP_MS, op);
    const idleTrips = setup.database ? await idleTripsPerSecond(servers[0]) : undefined;
    const statsBefore = setup.database ? await dbStats(setup.database) : undefined;
    const sampler = setup.database ? sampleWaits(setup.database, applicationName) : undefined;
    await new Promise((r) => setTimeout(r, 50)); // the sampler has seen the pool's backends
    const tripsBefore = setup.database ? await Promise.all(servers.map(serverCounters)) : [];
    const before = sample(servers);
    const r = await load(CONCURRENCY, OPS, MAX_MS, op);
    const after = sample(servers);
    const tripsAfter = setup.database ? await Promise.all(servers.map(serverCounters)) : [];
    const delta = (k: 'trips' | 'batches' | 'calls' | 'busy' | 'alone') => tripsAfter.reduce((x, t, i) => x + t[k] - tripsBefore[i]![k], 0);
    const pgSide = await sampler?.stop();
    return {
      setup,
      r,
      idleTrips,
      tripsPerRequest: setup.database ? delta('trips') / r.requests : undefined,
      batching: setup.database
        ? { size: delta('calls') / delta('batches'), busy: delta('busy') / delta('calls'), alone: delta('alone') / r.requests }
        : undefined,
      waits: pgSide?.waits,
      lockShare: pgSide?.lockShare,
      ...(setup.database && statsBefore
        ? await dbStats(setup.database).then((a) => ({
            deadlocks: a.deadlocks - statsBefore.deadlocks,
            xacts: a.xacts - statsBefore.xacts,
            wal: {
              bytes: a.walBytes - statsBefore.walBytes,
              fpi: a.walFpi - statsBefore.walFpi,
              syncs: a.walSyncs - statsBefore.walSyncs,
              syncMs: a.walSyncMs - statsBefore.walSyncMs,
            },
          }))
        : {}),
      serversKernel: {
        sys: after.serversSys - before.serversSys,
        voluntary: after.serversVoluntary - before.serversVoluntary,
        involuntary: after.serversInvoluntary - before.serversInvoluntary,
      },
      cpu: {
        servers: after.servers - before.servers,
        postgres: pgSide ? pgSide.cpu : after.postgres - before.postgres,
        client: after.client - before.client,
        wall: (after.at - before.at) / 1000,
      },
    };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    if (schema) await dropSchema(schema, setup.database);
  }
}

function line(o: Outcome): string {
  const { r, cpu } = o;
  const perReq = (x: number) => ((1000 * x) / r.requests).toFixed(2);
  return (
    `${o.setup.label.padEnd(34)} ${r.rps.toFixed(0).padStart(5)} req/s  p50 ${r.p50.toFixed(1).padStart(5)} ms  p99 ${r.p99.toFixed(1).padStart(6)} ms  ` +
    `(${r.requests} req)\n${' '.repeat(8)}CPU ms per request: servers ${perReq(cpu.servers)}, postgres ${perReq(cpu.postgres)}, client ${perReq(cpu.client)}` +
    ` -> ceiling on ${cpus().length} idle cores ${((cpus().length * r.requests) / (cpu.servers + cpu.postgres + cpu.client)).toFixed(0)} req/s` +
    `\n${' '.repeat(8)}servers: system CPU ${perReq(o.serversKernel.sys)} ms a request, context switches a request ` +
    `${(o.serversKernel.voluntary / r.requests).toFixed(2)} waiting + ${(o.serversKernel.involuntary / r.requests).toFixed(2)} preempted` +
    (o.waits
      ? `\n${' '.repeat(8)}postgres backends: ${o.waits}; deadlocks during the run: ${o.deadlocks}; ` +
        `transactions per request (background work included): ${((o.xacts ?? 0) / r.requests).toFixed(2)}` +
        (o.wal
          ? `\n${' '.repeat(8)}WAL a request: ${(o.wal.bytes / r.requests).toFixed(0)} bytes, ${(o.wal.fpi / r.requests).toFixed(3)} full-page images; ` +
            `${(o.wal.syncs / r.requests).toFixed(3)} syncs a request` +
            (o.wal.syncMs > 0 ? `, ${(o.wal.syncMs / Math.max(1, o.wal.syncs)).toFixed(3)} ms each` : '')
          : '') +
        `\n${' '.repeat(8)}round trips per request, background work included: ${(o.tripsPerRequest ?? NaN).toFixed(2)}; ` +
        `an idle server process: ${(o.idleTrips ?? NaN).toFixed(1)} round trips a second` +
        (o.batching && o.batching.size > 0
          ? `\n${' '.repeat(8)}one-call batches: ${o.batching.size.toFixed(1)} calls each, ${(100 * o.batching.busy).toFixed(1)} % of calls answered busy, ${(100 * o.batching.alone).toFixed(1)} % of requests then sent alone`
          : '')
      : '')
  );
}

export async function benchReplicas(): Promise<void> {
  console.log(`## bench/replicas (${cpus().length} CPUs, ${CONCURRENCY} concurrent clients, ${ENIS} ENIs, assign/unassign count 1)`);
  const serverUrl =
    process.env.ENIPLANE_BENCH_DATABASE_URL ?? process.env.ENIPLANE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const down = await pgUnavailable(serverUrl);
  const setups: Setup[] = [{ label: 'sqlite, 1 process', processes: 1 }];
  // A database of its own (dropped at the end): pg_stat_database.deadlocks then counts this bench's alone,
  // not those of other work on a shared server.
  const pgUrl = down ? serverUrl : await ownDatabase(serverUrl);
  if (down) console.log(`PostgreSQL runs skipped: ${down}`);
  else {
    const trips = await roundTripsPerRequest(pgUrl).catch(async (e: unknown) => {
      await dropOwnDatabase(serverUrl, pgUrl);
      throw e;
    });
    console.log(
      `round trips to PostgreSQL per request (signed, nonce included): assign ${trips.assign.toFixed(2)}, unassign ${trips.unassign.toFixed(2)}`,
    );
    setups.push(
      { label: 'postgres, 1 process', processes: 1, database: pgUrl },
      { label: 'postgres, 3 processes, one SG', processes: 3, database: pgUrl },
    );
    for (const us of (process.env.BENCH_COMMIT_DELAY ?? '').split(',').filter(Boolean))
      setups.push(
        { label: `postgres, 1 proc, commit_delay ${us}us`, processes: 1, database: pgUrl, commitDelayUs: Number(us) },
        { label: `postgres, 3 proc, commit_delay ${us}us`, processes: 3, database: pgUrl, commitDelayUs: Number(us) },
      );
    if (process.env.BENCH_VARIANTS)
      setups.push(
        { label: 'postgres, 3 processes, pool_max 4', processes: 3, database: pgUrl, poolMax: 4 },
        { label: 'postgres, 3 proc, commit_delay 100us', processes: 3, database: pgUrl, commitDelayUs: 100 },
      );
    if (process.env.BENCH_UNBATCHED)
      setups.push(
        { label: 'postgres, 1 process, unbatched', processes: 1, database: pgUrl, batchMax: 1 },
        { label: 'postgres, 3 processes, unbatched', processes: 3, database: pgUrl, batchMax: 1 },
      );
    for (const m of (process.env.BENCH_BATCH_MAX ?? '').split(',').filter(Boolean))
      setups.push({ label: `postgres, 1 process, batch_max ${m}`, processes: 1, database: pgUrl, batchMax: Number(m) });
    if (process.env.BENCH_AFFINITY)
      setups.push({ label: 'postgres, 3 processes, ENI affinity', processes: 3, database: pgUrl, affinity: true });
    if (process.env.BENCH_SG_PER_ENI)
      setups.push({ label: 'postgres, 3 processes, 1 SG per ENI', processes: 3, database: pgUrl, groupPerEni: true });
  }
  console.log(
    `load average before: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')} (other work on this machine skews every figure)`,
  );
  const runs = new Map<Setup, Outcome[]>(setups.map((s) => [s, []]));
  try {
    for (let pass = 1; pass <= PASSES; pass++) {
      for (const s of setups) {
        const o = await run(s);
        console.log(`pass ${pass}  ${line(o)}`);
        runs.get(s)!.push(o);
      }
    }
  } finally {
    if (!down) await dropOwnDatabase(serverUrl, pgUrl);
  }
  console.log(
    `load average after: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  const median = (s: Setup) => [...runs.get(s)!].sort((a, b) => a.r.rps - b.r.rps)[Math.floor(runs.get(s)!.length / 2)];
  console.log(`median of ${PASSES} (by req/s):`);
  for (const s of setups) console.log(`  ${line(median(s))}`);
  if (setups.length < 3) return;
  const [sqlite, pg1, pg3] = setups.map(median);
  const all = setups.slice(1).flatMap((s) => runs.get(s)!);
  console.log(
    `ratios (medians): postgres 1 process / sqlite ${(pg1.r.rps / sqlite.r.rps).toFixed(2)}   postgres 3 processes, one SG / postgres 1 ${(pg3.r.rps / pg1.r.rps).toFixed(2)}`,
  );
  // The machine's speed drifts between rounds (±15 %): a ratio within one pass compares setups run
  // minutes apart, so the median of those is steadier than the ratio of two medians from different passes.
  const paired = (a: Setup, b: Setup) => {
    const rs = runs.get(a)!.map((o, i) => o.r.rps / runs.get(b)![i]!.r.rps);
    const m = [...rs].sort((x, y) => x - y)[Math.floor(rs.length / 2)]!;
    return `${m.toFixed(2)} (${rs.map((x) => x.toFixed(2)).join(' ')})`;
  };
  console.log(
    `ratios within each pass, median (every pass): postgres 1 process / sqlite ${paired(setups[1], setups[0])}   ` +
      `postgres 3 processes, one SG / postgres 1 ${paired(setups[2], setups[1])}`,
  );
  const unbatched = setups.filter((s) => s.batchMax === 1).map(median);
  if (unbatched.length === 2)
    console.log(
      `ratios, unbatched (batch_max=1, medians): postgres 1 process / sqlite ${(unbatched[0].r.rps / sqlite.r.rps).toFixed(2)}   ` +
        `3 processes / 1 ${(unbatched[1].r.rps / unbatched[0].r.rps).toFixed(2)}   batched / unbatched: 1 process ` +
        `${(pg1.r.rps / unbatched[0].r.rps).toFixed(2)}, 3 processes ${(pg3.r.rps / unbatched[1].r.rps).toFixed(2)}`,
    );
  console.log(
    `every postgres round: deadlocks ${all.map((o) => o.deadlocks).join(' ')}; row/tx lock waits ${all.map((o) => `${Math.round(100 * (o.lockShare ?? 0))}%`).join(' ')}; ` +
      `p99 ${all.map((o) => o.r.p99.toFixed(0)).join(' ')} ms`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await benchReplicas();
