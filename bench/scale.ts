// bench/scale: eniplane on a large world, on SQLite and on PostgreSQL. A world
// of --addresses assigned IPv4 addresses (default 1,000,000: 1,000 vSwitches,
// 100,000 ENIs, 100 accounts; bench/lib/scale-world.ts) is bulk-loaded through
// the store, and the same figures are taken on it and on a tiny world (1,000
// addresses: one vSwitch, 100 ENIs) built the same way in the same run, each
// served by a real `eniplane serve` process:
//   - how long building the world took, and what it takes on disk;
//   - `serve` start to /healthz and /readyz answering;
//   - DescribeNetworkInterfaces p50/p99: the first page, and pages filtered by
//     vSwitch, instance, PrivateIpAddress and tag, of the default size and of
//     100 (the tiny and big servers asked in turn, so drift hits both), with
//     the client's parse of the answer and without it (to its last byte);
//   - AssignPrivateIpAddresses (one address, then unassigned again) p50;
//   - the console's ENIs page: what it asks for when opened (the first page of
//     ENIs and the vSwitches it names, for the table), and for the instance
//     filter's suggestions (one search), over the console's session, wall
//     time; once more as it was before issue 13 (every page of vSwitches and
//     of instances), for the ratio;
//   - the server's RSS after all that, before the every-page emulation and
//     after it (V8 keeps the heap that grew to, anonymous and file pages apart).
//   node --import tsx bench/scale.ts [--addresses N] [--stores sqlite,postgres]
// (BENCH_SCALE_ADDRESSES sets the default, for `bench/run.ts scale`.)
// PostgreSQL: the server on 127.0.0.1:5432 (trust auth, database `test`), one
// schema per world, dropped afterwards. Bounded in count and time; traffic to
// 127.0.0.1 only.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openStore } from '../src/store/open-store.ts';
import { createDeps } from '../src/service/create-deps.ts';
import { buildWorld, type ScaleWorld } from './lib/scale-world.ts';
import { get, rpc, signedPath } from './lib/rpc-client.ts';
import { startServerProcess, type ServerProcess } from '../test/support/server-process.ts';
import { dropSchema, freshSchemaName, PG_BASE_URL, pgUnavailable, urlWithSchema } from '../test/store/pg-support.ts';

const { values: args } = parseArgs({
  options: {
    addresses: { type: 'string', default: process.env.BENCH_SCALE_ADDRESSES ?? '1000000' },
    stores: { type: 'string', default: 'sqlite,postgres' },
    repeats: { type: 'string', default: '200' },
  },
});
const ADDRESSES = Number(args.addresses);
const TINY = 1000;
const REPEATS = Math.min(1000, Number(args.repeats));
const ASSIGNS = Math.min(500, Math.max(20, Math.floor(REPEATS / 2)));
const MAX_PHASE_MS = 120_000;

interface Served {
  label: string;
  world: ScaleWorld;
  server: ServerProcess;
  readyMs: { healthz: number; readyz: number };
  dataDir: string;
  /** PostgreSQL: the server's connections' application_name, to find its backends */
  applicationName?: string;
  serveArgs: string[];
  diskBytes: number;
  buildMs: number;
  cleanup: () => Promise<void>;
}

const median = (xs: number[]) => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

function dirBytes(dir: string): number {
  let n = 0;
  for (const f of readdirSync(dir)) n += statSync(join(dir, f)).size;
  return n;
}

const CLK_TCK = 100; // /proc/<pid>/stat ticks per second on Linux
function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK; // utime + stime
  } catch {
    return 0;
  }
}

/** CPU ms the world's server process and (PostgreSQL) its own backends, found by application_name, have used so far. */
async function cpuMs(s: Served): Promise<number> {
  let ms = cpuMsOf(s.server.child.pid!);
  if (s.applicationName) {
    const c = new pg.Client({ connectionString: PG_BASE_URL });
    await c.connect();
    try {
      const pids = (await c.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [s.applicationName]))
        .rows;
      for (const { pid } of pids) ms += cpuMsOf(pid);
    } finally {
      await c.end();
    }
  }
  return ms;
}

function rssBytes(pid: number, field = 'VmRSS'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** `serve` from spawn to /healthz and /readyz answering 200, polled every 5 ms. */
async function startAndTime(args: string[], dataDir: string): Promise<{ server: ServerProcess; healthz: number; readyz: number }> {
  const t0 = performance.now();
  const server = await startServerProcess({ args, dataDir });
  let healthz = NaN;
  for (let i = 0; i < 4000; i++) {
    if (Number.isNaN(healthz) && (await get(server.port, '/healthz')).status === 200) healthz = performance.now() - t0;
    if ((await get(server.port, '/readyz')).status === 200) return { server, healthz, readyz: performance.now() - t0 };
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('serve never became ready');
}

async function pgSchemaBytes(schema: string): Promise<number> {
  const c = new pg.Client({ connectionString: PG_BASE_URL });
  await c.connect();
  try {
    const r = await c.query<{ n: string }>(
      `SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0)::text AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
        WHERE s.nspname = $1 AND c.relkind IN ('r', 'm')`,
      [schema],
    );
    return Number(r.rows[0].n);
  } finally {
    await c.end();
  }
}

async function analyze(url: string): Promise<void> {
  const schema = new URL(url).searchParams.get('schema')!;
  const c = new pg.Client({ connectionString: PG_BASE_URL });
  await c.connect();
  try {
    await c.query(`SET search_path TO "${schema}"`);
    await c.query('ANALYZE');
  } finally {
    await c.end();
  }
}

async function serveWorld(kind: 'sqlite' | 'postgres', addresses: number): Promise<Served> {
  const label = `${kind}, ${addresses.toLocaleString()} addresses`;
  const dataDir = mkdtempSync(join(tmpdir(), 'eniplane-bench-scale-'));
  const schema = kind === 'postgres' ? freshSchemaName() : undefined;
  const applicationName = schema ? `eniplane_scale_${process.pid}_${addresses}` : undefined;
  const url = schema ? urlWithSchema(schema) : undefined;
  const t0 = performance.now();
  const store = await openStore(url, dataDir);
  let world: ScaleWorld;
  try {
    // transitionMs 0: nothing in the world is in flight.
    world = await buildWorld(store, createDeps(store, { limits: { transitionMs: 0 } }), addresses);
  } finally {
    await store.close();
  }
  // PostgreSQL's autovacuum would gather statistics within a minute of the load; a long-lived database has them.
  if (url) await analyze(url);
  const buildMs = performance.now() - t0;
  const diskBytes = schema ? await pgSchemaBytes(schema) : dirBytes(dataDir);
  const serveUrl = new URL(url ?? 'postgres://x/');
  if (applicationName) serveUrl.searchParams.set('application_name', applicationName);
  const serveArgs = url ? ['--database', serveUrl.toString()] : [];
  const { server, healthz, readyz } = await startAndTime(serveArgs, dataDir);
  const served: Served = {
    label,
    world,
    server,
    readyMs: { healthz, readyz },
    dataDir,
    applicationName,
    serveArgs,
    diskBytes,
    buildMs,
    async cleanup() {
      await served.server.stop();
      rmSync(dataDir, { recursive: true, force: true });
      if (schema) await dropSchema(schema);
    },
  };
  return served;
}

/** A console session for the world's big account: its cookie and CSRF token. */
async function consoleSession(port: number, key: { id: string; secret: string }) {
  const { request } = await import('node:http');
  const body = JSON.stringify({ accessKeyId: key.id, accessKeySecret: key.secret });
  const res = await new Promise<{ cookie: string; csrf: string }>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/console/api/session', method: 'POST', headers: { 'content-type': 'application/json' } },
      (r) => {
        let out = '';
        r.on('data', (d) => (out += d));
        r.on('end', () => resolve({ cookie: String(r.headers['set-cookie']).split(';')[0], csrf: JSON.parse(out).csrfToken }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
  return res;
}

/** One console RPC call (POST / with the session), as src/console/api/rpc does. */
async function consoleRpc(port: number, s: { cookie: string; csrf: string }, params: Record<string, string>): Promise<any> {
  const { request } = await import('node:http');
  const payload = new URLSearchParams({ Version: '2014-05-26', RegionId: 'cn-hangzhou', ...params }).toString();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/',
        method: 'POST',
        headers: {
          cookie: s.cookie,
          'x-csrf-token': s.csrf,
          'content-type': 'application/x-www-form-urlencoded',
          origin: `http://127.0.0.1:${port}`,
        },
      },
      (r) => {
        let out = '';
        r.on('data', (d) => (out += d));
        r.on('end', () => {
          if ((r.statusCode ?? 500) >= 400) reject(new Error(`${params.Action}: ${r.statusCode} ${out}`));
          else resolve(JSON.parse(out));
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * What the ENIs page asks for when opened (enis-page.tsx, use-eni-list.ts): the first page of ENIs, then
 * the vSwitches that page names in one request (VSwitchId, comma-separated) — the table shows with both;
 * and what the instance filter asks once "node-1" is typed (the first page of InstanceName=*node-1*), or a
 * whole instance id (InstanceIds, beside the name search).
 */
async function openEnisPage(
  port: number,
  s: { cookie: string; csrf: string },
  instanceId: string,
): Promise<{ table: number; suggestions: number; byId: number }> {
  const timed = async (f: () => Promise<unknown>) => {
    const t = performance.now();
    await f();
    return performance.now() - t;
  };
  const table = await timed(async () => {
    const page = await consoleRpc(port, s, { Action: 'DescribeNetworkInterfaces', MaxResults: '20' });
    const ids = [...new Set((page.NetworkInterfaceSets.NetworkInterfaceSet as { VSwitchId: string }[]).map((e) => e.VSwitchId))];
    if (ids.length)
      await consoleRpc(port, s, { Action: 'DescribeVSwitches', Version: '2016-04-28', VSwitchId: ids.join(','), PageSize: '50' });
  });
  const search = (q: Record<string, string>) => consoleRpc(port, s, { Action: 'DescribeInstances', PageNumber: '1', PageSize: '20', ...q });
  const suggestions = await timed(() => search({ InstanceName: '*node-1*' }));
  const byId = await timed(() =>
    Promise.all([search({ InstanceName: `*${instanceId}*` }), search({ InstanceIds: JSON.stringify([instanceId]), PageSize: '1' })]),
  );
  return { table, suggestions, byId };
}

/** What the ENIs page asked for before issue 13: every page of vSwitches (table) and of instances (suggestions). */
async function openEnisPageEveryPage(port: number, s: { cookie: string; csrf: string }): Promise<{ table: number; suggestions: number }> {
  const allPages = async (action: string, version: string, size: number, items: (r: any) => unknown[]) => {
    let got = 0;
    for (let n = 1; n <= 100; n++) {
      const r = await consoleRpc(port, s, { Action: action, Version: version, PageNumber: String(n), PageSize: String(size) });
      got += items(r).length;
      if (items(r).length < size || got >= r.TotalCount) return got;
    }
    return got;
  };
  const t = performance.now();
  const since = () => performance.now() - t;
  const [table, suggestions] = await Promise.all([
    Promise.all([
      allPages('DescribeVSwitches', '2016-04-28', 50, (r) => r.VSwitches.VSwitch),
      consoleRpc(port, s, { Action: 'DescribeNetworkInterfaces', MaxResults: '20' }),
    ]).then(since),
    allPages('DescribeInstances', '2014-05-26', 100, (r) => r.Instances.Instance).then(since),
  ]);
  return { table, suggestions };
}

function readCases(w: ScaleWorld): [string, Record<string, string>][] {
  return [
    ['first page (MaxResults=100)', { MaxResults: '100' }],
    ['first page (default size)', {}],
    ['VSwitchId, 100', { VSwitchId: w.sample.vSwitchId, MaxResults: '100' }],
    ['VSwitchId (default size)', { VSwitchId: w.sample.vSwitchId }],
    ['InstanceId', { InstanceId: w.sample.instanceId }],
    ['PrivateIpAddress.1', { 'PrivateIpAddress.1': w.sample.address }],
    ['Tag shard=7 (1 %), 100', { 'Tag.1.Key': 'shard', 'Tag.1.Value': '7', MaxResults: '100' }],
    ['Tag creator (100 %), 100', { 'Tag.1.Key': 'creator', 'Tag.1.Value': 'terway', MaxResults: '100' }],
    ['Tag shard=7 (1 %), default size', { 'Tag.1.Key': 'shard', 'Tag.1.Value': '7' }],
    ['Tag creator (100 %), default size', { 'Tag.1.Key': 'creator', 'Tag.1.Value': 'terway' }],
  ];
}

function row(name: string, tiny: string, big: string, ratio: string, target = ''): void {
  console.log(`${name.padEnd(36)} ${tiny.padStart(12)} ${big.padStart(12)} ${ratio.padStart(8)}  ${target}`);
}

async function measure(tiny: Served, big: Served): Promise<void> {
  const both = [tiny, big];
  const ms = (x: number) => `${x.toFixed(2)} ms`;
  const ratio = (a: number, b: number) => `${(b / a).toFixed(2)}x`;
  console.log(`\n### ${big.label} (baseline: ${tiny.label}, same run; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs)`);
  for (const p of big.world.phases) console.log(`build: ${p.label}: ${(p.ms / 1000).toFixed(1)} s`);
  row('', 'tiny', 'big', 'ratio', 'target');
  row('build (s)', (tiny.buildMs / 1000).toFixed(1), (big.buildMs / 1000).toFixed(1), ratio(tiny.buildMs, big.buildMs), 'minutes');
  row('on disk', mib(tiny.diskBytes), mib(big.diskBytes), ratio(tiny.diskBytes, big.diskBytes));
  row('serve → /healthz', ms(tiny.readyMs.healthz), ms(big.readyMs.healthz), ratio(tiny.readyMs.healthz, big.readyMs.healthz), '< 2 s');
  row('serve → /readyz', ms(tiny.readyMs.readyz), ms(big.readyMs.readyz), ratio(tiny.readyMs.readyz, big.readyMs.readyz), '< 2 s');

  // Reads: every case on both servers in turn, REPEATS rounds (bounded in time).
  const cases = both.map((s) => readCases(s.world));
  const times = both.map(() => cases[0].map(() => [] as number[]));
  /** the same calls to the answer's last byte, before the client parses it */
  const lastByte = both.map(() => cases[0].map(() => [] as number[]));
  const call = (s: Served, params: Record<string, string>) => rpc(s.server.port, s.world.key, 'DescribeNetworkInterfaces', params);
  for (const [i, s] of both.entries()) for (const [, p] of cases[i]) await call(s, p); // warm-up
  const deadline = performance.now() + MAX_PHASE_MS;
  for (let r = 0; r < REPEATS && performance.now() < deadline; r++) {
    for (let c = 0; c < cases[0].length; c++) {
      for (const [i, s] of both.entries()) {
        const t = performance.now();
        const answer = await get(s.server.port, signedPath(s.world.key, 'DescribeNetworkInterfaces', cases[i][c][1]));
        lastByte[i][c].push(performance.now() - t);
        const body = JSON.parse(answer.body) as { Code?: string };
        times[i][c].push(performance.now() - t);
        if (answer.status !== 200) throw new Error(`DescribeNetworkInterfaces ${cases[i][c][0]}: ${body.Code}`);
      }
    }
  }
  for (let c = 0; c < cases[0].length; c++) {
    const [a, b] = [times[0][c], times[1][c]];
    row(`Describe ${cases[0][c][0]} p50`, ms(median(a)), ms(median(b)), ratio(median(a), median(b)), '< 5 ms');
    row(`  p99 (${b.length} calls)`, ms(quantile(a, 0.99)), ms(quantile(b, 0.99)), ratio(quantile(a, 0.99), quantile(b, 0.99)));
    const [la, lb] = [lastByte[0][c], lastByte[1][c]];
    row('  p50 to the last byte (no parse)', ms(median(la)), ms(median(lb)), ratio(median(la), median(lb)));
  }

  // CPU per call (load on the machine inflates latency, hardly CPU time): each case alone, 30 calls, server + its backends.
  for (let c = 0; c < cases[0].length; c++) {
    const per = [];
    for (const [i, s] of both.entries()) {
      const before = await cpuMs(s);
      for (let r = 0; r < 30; r++) await call(s, cases[i][c][1]);
      per.push((await cpuMs(s)) - before);
    }
    row(`  CPU per call: ${cases[0][c][0]}`, ms(per[0] / 30), ms(per[1] / 30), ratio(per[0], per[1]));
  }

  // Assign one address to an InUse ENI (10 held, cap 15) and unassign it again.
  const assign = both.map(() => [] as number[]);
  const unassign = both.map(() => [] as number[]);
  const cpuBefore = await Promise.all(both.map(cpuMs));
  const until = performance.now() + MAX_PHASE_MS;
  for (let r = 0; r < ASSIGNS && performance.now() < until; r++) {
    for (const [i, s] of both.entries()) {
      const eni = s.world.sample.inUseEniId;
      let t = performance.now();
      const got = await rpc(s.server.port, s.world.key, 'AssignPrivateIpAddresses', {
        NetworkInterfaceId: eni,
        SecondaryPrivateIpAddressCount: '1',
      });
      assign[i].push(performance.now() - t);
      t = performance.now();
      await rpc(s.server.port, s.world.key, 'UnassignPrivateIpAddresses', {
        NetworkInterfaceId: eni,
        'PrivateIpAddress.1': got.AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress[0],
      });
      unassign[i].push(performance.now() - t);
    }
  }
  const cpuPair = await Promise.all(both.map(async (s, i) => ((await cpuMs(s)) - cpuBefore[i]) / Math.max(1, assign[i].length)));
  row(
    `Assign 1 address p50 (${assign[1].length})`,
    ms(median(assign[0])),
    ms(median(assign[1])),
    ratio(median(assign[0]), median(assign[1])),
    '< 1.2x',
  );
  row('Unassign 1 address p50', ms(median(unassign[0])), ms(median(unassign[1])), ratio(median(unassign[0]), median(unassign[1])));
  row('  CPU per assign + unassign', ms(cpuPair[0]), ms(cpuPair[1]), ratio(cpuPair[0], cpuPair[1]));

  // The console's ENIs page, opened 3 times each (first open included); then once as it was before issue 13.
  const sessions = await Promise.all(both.map((s) => consoleSession(s.server.port, s.world.key)));
  const opens = both.map(() => [] as { table: number; suggestions: number; byId: number }[]);
  for (let r = 0; r < 3; r++)
    for (const [i, s] of both.entries()) opens[i].push(await openEnisPage(s.server.port, sessions[i], s.world.sample.instanceId));
  const med = (k: 'table' | 'suggestions' | 'byId') => opens.map((o) => median(o.map((x) => x[k])));
  const [tables, suggestions, byId] = [med('table'), med('suggestions'), med('byId')];
  row('console ENIs page: table shown', ms(tables[0]), ms(tables[1]), ratio(tables[0], tables[1]), 'usable');
  row('  instance suggestions (*node-1*)', ms(suggestions[0]), ms(suggestions[1]), ratio(suggestions[0], suggestions[1]));
  row('  instance suggestions (an id)', ms(byId[0]), ms(byId[1]), ratio(byId[0], byId[1]));
  // what the server holds after the reads eniplane's own clients make (the console as it is now)
  const rssNow = both.map((s) => rssBytes(s.server.child.pid!));
  const before = [];
  for (const [i, s] of both.entries()) before.push(await openEnisPageEveryPage(s.server.port, sessions[i]));
  row('  before #13: table (every vSwitch)', ms(before[0].table), ms(before[1].table), ratio(before[0].table, before[1].table));
  row(
    '  before #13: suggestions (every instance)',
    ms(before[0].suggestions),
    ms(before[1].suggestions),
    ratio(before[0].suggestions, before[1].suggestions),
  );
  const consoleList = both.map(() => [] as number[]);
  for (let r = 0; r < 50; r++)
    for (const [i, s] of both.entries()) {
      const t = performance.now();
      await consoleRpc(s.server.port, sessions[i], { Action: 'DescribeNetworkInterfaces', MaxResults: '20' });
      consoleList[i].push(performance.now() - t);
    }
  row(
    'console ENI list page p50',
    ms(median(consoleList[0])),
    ms(median(consoleList[1])),
    ratio(median(consoleList[0]), median(consoleList[1])),
  );

  row('server RSS after the reads', mib(rssNow[0]), mib(rssNow[1]), ratio(rssNow[0], rssNow[1]), '< 300 MiB');
  // V8 keeps the heap the every-page emulation above grew into (10,000 instances with their ENIs, page by page)
  const rss = both.map((s) => rssBytes(s.server.child.pid!));
  row('  … and after every page of instances', mib(rss[0]), mib(rss[1]), ratio(rss[0], rss[1]));
  // anonymous (heaps, SQLite's page caches) against file pages mapped (the code, the libraries)
  for (const field of ['RssAnon', 'RssFile']) {
    const part = both.map((s) => rssBytes(s.server.child.pid!, field));
    row(`  of which ${field}`, mib(part[0]), mib(part[1]), ratio(part[0], part[1]));
  }

  // A second start of each, on the warm store (the first came right after the bulk load).
  const again = [];
  for (const s of both) {
    await s.server.stop();
    const r = await startAndTime(s.serveArgs, s.dataDir);
    s.server = r.server;
    again.push(r.readyz);
  }
  row('serve restart → /readyz', ms(again[0]), ms(again[1]), ratio(again[0], again[1]), '< 2 s');
}

export async function benchScale(): Promise<void> {
  console.log(`## bench/scale (${ADDRESSES.toLocaleString()} addresses; baseline ${TINY.toLocaleString()})`);
  for (const kind of args.stores!.split(',') as ('sqlite' | 'postgres')[]) {
    if (kind === 'postgres') {
      const why = await pgUnavailable();
      if (why) {
        console.log(`postgres: ${why}`);
        continue;
      }
    }
    const tiny = await serveWorld(kind, TINY);
    let big: Served | undefined;
    try {
      big = await serveWorld(kind, ADDRESSES);
      await measure(tiny, big);
    } finally {
      await big?.cleanup();
      await tiny.cleanup();
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchScale();
