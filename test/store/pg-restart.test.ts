// PostgreSQL restarted, stopped for seconds, or its backends killed, under
// load: three `eniplane serve` processes keep answering — ServiceUnavailable
// (503, which clients retry) while the database is away, never InternalError,
// never a dropped connection — never die, reconnect by themselves, and nothing
// acknowledged is lost, no address is handed out twice.
// The database is a private throwaway cluster (test/support/pg-instance.ts):
// restarting it disturbs nobody else's tests, so this file runs with the others.
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { sdkClient, type SdkClient } from '../support/sdk-clients.ts';
import { createPgInstance, pgInstanceUnavailable, type PgInstance } from '../support/pg-instance.ts';
import { freshSchemaName, pgUnavailable, querySchema, urlWithSchema } from './pg-support.ts';

const unavailable = pgInstanceUnavailable();
const skip = unavailable !== undefined && !process.env.CI ? unavailable : false;

const KEY = { id: `LTAI${randomBytes(10).toString('hex')}`, secret: randomBytes(15).toString('hex') };
const SERVERS = 3;
const WORKERS = 12;
/** secondaries a worker keeps on its ENI at most (Available cap 10 with the primary leaves room for unknown outcomes) */
const KEEP = 3;
/** load before the disturbance, and after PostgreSQL answers again */
const BEFORE_MS = 1500;
const AFTER_MS = 3000;
/** how long PostgreSQL stays stopped in the "stopped" case */
const STOPPED_MS = 5000;
/** rounds of pg_terminate_backend in the "backends killed" case, and the pause between them */
const KILL_ROUNDS = 8;
const KILL_EVERY_MS = 250;
/** bounds on everything: ops per worker, the wait for PostgreSQL, a server's recovery */
const MAX_OPS_PER_WORKER = 4000;
const PG_BACK_WITHIN_MS = 60_000;
const SERVER_BACK_WITHIN_MS = 15_000;

const codeOf = (e: any): string => (e?.data?.Code ? String(e.data.Code) : `transport: ${String(e?.message ?? e)}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => Promise<boolean>, withinMs: number, what: string): Promise<void> {
  const end = Date.now() + withinMs;
  while (!(await cond().catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const SEAL_KEY = randomBytes(32).toString('base64');

describe('PostgreSQL restarted, stopped or its connections killed under load', { skip, timeout: 400_000 }, () => {
  const schema = freshSchemaName();
  let pgi: PgInstance;
  const servers: ServerProcess[] = [];
  const clients: SdkClient[] = [];

  before(async () => {
    pgi = await createPgInstance();
    for (let i = 0; i < SERVERS; i++) {
      const url = new URL(urlWithSchema(schema, pgi.url));
      url.searchParams.set('application_name', `eniplane-srv${i}`); // which server a backend belongs to
      servers.push(
        await startServerProcess({
          // Servers sharing a database share the key that seals AccessKey secrets (docs/security.md).
          args: ['--database', url.toString()],
          env: { ENIPLANE_ROOT_ACCESS_KEY_ID: KEY.id, ENIPLANE_ROOT_ACCESS_KEY_SECRET: KEY.secret, ENIPLANE_SECRET_KEY: SEAL_KEY },
        }),
      );
    }
    servers.forEach((s) => clients.push(sdkClient('popcore-post', s.endpoint, KEY)));
  });

  after(async () => {
    await Promise.all(servers.map((s) => s.stop().catch(() => undefined)));
    await pgi?.destroy();
  });

  const pgAnswers = async () => (await pgUnavailable(pgi.url)) === undefined;

  /**
   * Runs WORKERS assign/unassign loops over every server around `disturb`, then checks:
   * only ServiceUnavailable refusals, every server alive and serving, the database agrees with what was acknowledged.
   */
  async function underLoad(t: TestContext, label: string, disturb: () => Promise<void>): Promise<Map<string, number>> {
    const c = clients[0];
    const vpc = await c.call('CreateVpc', { RegionId: 'cn-hangzhou', CidrBlock: '10.0.0.0/8' });
    const vsw = await c.call('CreateVSwitch', {
      RegionId: 'cn-hangzhou',
      VpcId: vpc.VpcId,
      ZoneId: 'cn-hangzhou-h',
      CidrBlock: '10.2.0.0/16',
    });
    const sg = await c.call('CreateSecurityGroup', { RegionId: 'cn-hangzhou', VpcId: vpc.VpcId });
    const enis: string[] = [];
    for (let i = 0; i < WORKERS; i++) {
      enis.push(
        (await c.call('CreateNetworkInterface', { RegionId: 'cn-hangzhou', VSwitchId: vsw.VSwitchId, SecurityGroupId: sg.SecurityGroupId }))
          .NetworkInterfaceId,
      );
    }
    // What the clients know, per ENI: acknowledged addresses, and how many answers never said what happened.
    const held = enis.map(() => new Set<string>());
    const maybe = enis.map(() => new Set<string>());
    const unknownAssigns = enis.map(() => 0);
    const recheck = enis.map(() => false);
    let adopted = 0;
    const codes = new Map<string, number>();
    let acked = 0;
    let ackedAfter = 0;
    let back = false;
    let stop = false;

    const worker = async (w: number) => {
      for (let i = 0; i < MAX_OPS_PER_WORKER && !stop; i++) {
        const client = clients[(w + i) % clients.length];
        const eni = enis[w];
        if (recheck[w]) {
          // After an unknown outcome, read what the ENI holds (committed, so as good as acknowledged):
          // an address that did get assigned is adopted and unassigned later, and the ENI never fills up.
          try {
            const a = await client.call('DescribeNetworkInterfaceAttribute', { RegionId: 'cn-hangzhou', NetworkInterfaceId: eni });
            for (const ip of a.PrivateIpSets.PrivateIpSet as { PrivateIpAddress: string; Primary: boolean }[])
              if (!ip.Primary && !held[w].has(ip.PrivateIpAddress)) {
                held[w].add(ip.PrivateIpAddress);
                adopted++;
              }
            recheck[w] = false;
          } catch (e) {
            const code = codeOf(e);
            codes.set(code, (codes.get(code) ?? 0) + 1);
            await sleep(20);
            continue;
          }
        }
        const victim = held[w].size >= KEEP ? [...held[w]][0] : undefined;
        try {
          if (victim === undefined) {
            const r = await client.call('AssignPrivateIpAddresses', {
              RegionId: 'cn-hangzhou',
              NetworkInterfaceId: eni,
              SecondaryPrivateIpAddressCount: 1,
            });
            for (const a of r.AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress as string[]) held[w].add(a);
          } else {
            await client.call('UnassignPrivateIpAddresses', {
              RegionId: 'cn-hangzhou',
              NetworkInterfaceId: eni,
              PrivateIpAddress: [victim],
            });
            held[w].delete(victim);
          }
          acked++;
          if (back) ackedAfter++;
        } catch (e) {
          const code = codeOf(e);
          codes.set(code, (codes.get(code) ?? 0) + 1);
          // Nothing is known of the outcome: the COMMIT may have gone through before the connection went.
          if (victim === undefined) {
            unknownAssigns[w]++;
            recheck[w] = true;
          } else {
            held[w].delete(victim);
            maybe[w].add(victim);
          }
          await sleep(20); // a client's back-off before its retry
        }
      }
    };

    const load = Promise.all(enis.map((_, w) => worker(w)));
    let ackedBefore = 0;
    try {
      await sleep(BEFORE_MS);
      ackedBefore = acked;
      await disturb();
      await until(pgAnswers, PG_BACK_WITHIN_MS, 'PostgreSQL to answer again');
      back = true;
      await sleep(AFTER_MS);
    } finally {
      stop = true;
      await load;
    }
    const exits = servers.map((s) => `${s.port}:${s.child.exitCode ?? s.child.signalCode ?? 'running'}`).join(' ');
    t.diagnostic(
      `${label}: acknowledged ${ackedBefore} before, ${ackedAfter} after PostgreSQL answered again, ${acked} in all, ${adopted} adopted after an unknown outcome; ` +
        `refusals: ${[...codes].map(([k, v]) => `${k}=${v}`).join(' ') || 'none'}; servers ${exits}`,
    );

    // A server that died or dropped connections says why in its own output.
    if ([...codes.keys()].some((k) => k.startsWith('transport:')) || servers.some((s) => s.child.exitCode !== null)) {
      for (const s of servers)
        t.diagnostic(`${s.endpoint} exit=${s.child.exitCode} signal=${s.child.signalCode}: ${s.output().slice(-4000)}`);
      t.diagnostic(`PostgreSQL log: ${pgi.log().slice(-3000)}`);
    }
    // Meanwhile: only the retryable answer; never InternalError, never a dropped connection.
    assert.deepEqual(
      [...codes.keys()].filter((k) => k !== 'ServiceUnavailable'),
      [],
      'every refusal is ServiceUnavailable',
    );
    for (const s of servers) assert.equal(s.child.exitCode, null, `server on ${s.endpoint} still running`);
    // Reconnected by themselves: every server serves again, within a bound.
    for (const client of clients) {
      await until(
        async () =>
          (await client.call('DescribeNetworkInterfaces', { RegionId: 'cn-hangzhou', VSwitchId: vsw.VSwitchId, PageSize: 50 }))
            .TotalCount === WORKERS,
        SERVER_BACK_WITHIN_MS,
        `${client.flavour} to serve again`,
      );
    }
    assert.ok(ackedBefore > 0 && ackedAfter > 0, 'requests were acknowledged before the disturbance and after it');

    // The database: no address twice, everything acknowledged is there, extras only from unknown outcomes.
    const q = <R extends Record<string, unknown>>(sql: string, params: unknown[] = []) => querySchema<R>(schema, sql, params, pgi.url);
    const rows = await q<{ eni_id: string; address: string }>('SELECT eni_id, address FROM private_ips WHERE is_primary = 0');
    const dup = await q<{ n: number; d: number }>(
      'SELECT COUNT(*)::int AS n, COUNT(DISTINCT address)::int AS d FROM private_ips WHERE vswitch_id = $1',
      [vsw.VSwitchId],
    );
    assert.equal(dup[0].n, dup[0].d, 'no address twice in the vSwitch');
    enis.forEach((eni, w) => {
      const have = new Set(rows.filter((r) => r.eni_id === eni).map((r) => r.address));
      assert.deepEqual(
        [...held[w]].filter((a) => !have.has(a)),
        [],
        `${eni}: acknowledged but not in the database`,
      );
      const extra = [...have].filter((a) => !held[w].has(a) && !maybe[w].has(a));
      assert.ok(extra.length <= unknownAssigns[w], `${eni}: ${extra.join()} in the database, never acknowledged`);
    });
    // The security group's count (sharded) agrees with the rows it counts.
    const sgCount = await q<{ counted: number; n: number }>(
      `SELECT
      (SELECT ip_count FROM security_groups WHERE id = $1) + (SELECT COALESCE(SUM(n), 0)::int FROM sg_ip_shards WHERE security_group_id = $1) AS counted,
      (SELECT COUNT(*)::int FROM private_ips p JOIN eni_security_groups m ON m.eni_id = p.eni_id WHERE m.security_group_id = $1) AS n`,
      [sg.SecurityGroupId],
    );
    assert.equal(sgCount[0].counted, sgCount[0].n);
    return codes;
  }

  it('restarted: answers ServiceUnavailable meanwhile, reconnects, loses nothing acknowledged, never gives an address twice', async (t) => {
    await underLoad(t, 'restart', () => pgi.restart());
  });

  it('stopped for seconds: ServiceUnavailable all along, then serves again by itself', async (t) => {
    let probe = '';
    let statuses: number[] = [];
    const codes = await underLoad(t, `stopped ${STOPPED_MS} ms`, async () => {
      await pgi.stop();
      const restartAt = Date.now() + STOPPED_MS;
      try {
        // A request sent while it is down is refused, quickly: the servers keep answering.
        probe = await clients[1].call('DescribeNetworkInterfaces', { RegionId: 'cn-hangzhou', PageSize: 1 }).then(() => 'answered', codeOf);
        // The operator endpoints too: alive, not ready, and /metrics (its gauges read the database) a 503, not a 500.
        const status = async (path: string) => (await fetch(`http://${servers[2].endpoint}${path}`)).status;
        statuses = [await status('/healthz'), await status('/readyz'), await status('/metrics')];
        await sleep(restartAt - Date.now());
      } finally {
        await pgi.start(); // whatever happened: the next case needs the database
      }
    });
    assert.equal(probe, 'ServiceUnavailable', 'a read while PostgreSQL is stopped');
    assert.deepEqual(statuses, [200, 503, 503], '/healthz, /readyz, /metrics while PostgreSQL is stopped');
    assert.ok((codes.get('ServiceUnavailable') ?? 0) > 0, 'requests were refused while it was stopped');
  });

  it('connections killed (pg_terminate_backend) again and again: same guarantees, at chosen moments', async (t) => {
    let killed = 0;
    await underLoad(t, `${KILL_ROUNDS} rounds of pg_terminate_backend`, async () => {
      for (let r = 0; r < KILL_ROUNDS; r++) {
        // every server's pooled connections: idle ones, ones inside a transaction, ones inside the one-call function
        killed += await pgi.terminateBackends('eniplane-srv');
        await sleep(KILL_EVERY_MS);
      }
    });
    t.diagnostic(`backends terminated: ${killed}`);
    assert.ok(killed > 0, 'connections were killed');
  });
});
