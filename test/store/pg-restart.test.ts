// PostgreSQL restarted under load: three `eniplane serve` processes keep
// answering — ServiceUnavailable (503, which clients retry) while the database
// is away, never InternalError — reconnect by themselves, and nothing
// acknowledged is lost, no address is handed out twice.
// The restart is of the shared test server (other suites' connections drop
// too): it is short, and the test waits until PostgreSQL answers again.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { sdkClient, type SdkClient } from '../support/sdk-clients.ts';
import { dropSchema, freshSchemaName, pgUnavailable, querySchema, urlWithSchema } from './pg-support.ts';

const unavailable = await pgUnavailable();
const skip = unavailable !== undefined && !process.env.CI ? unavailable : false;

const KEY = { id: `LTAI${randomBytes(10).toString('hex')}`, secret: randomBytes(15).toString('hex') };
const WORKERS = 12;
/** secondaries a worker keeps on its ENI at most (Available cap 10 with the primary leaves room for unknown outcomes) */
const KEEP = 3;
/** load before the restart, and after PostgreSQL answers again */
const BEFORE_MS = 1500;
const AFTER_MS = 3000;
/** bounds on everything: ops per worker, the wait for PostgreSQL, a server's recovery */
const MAX_OPS_PER_WORKER = 2000;
const PG_BACK_WITHIN_MS = 60_000;
const SERVER_BACK_WITHIN_MS = 10_000;

const codeOf = (e: any): string => (e?.data?.Code ? String(e.data.Code) : `transport: ${String(e?.message ?? e)}`);

async function restartPostgres(): Promise<void> {
  const [version] = readdirSync('/etc/postgresql');
  await promisify(execFile)('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart'], { timeout: PG_BACK_WITHIN_MS });
}

async function until(cond: () => Promise<boolean>, withinMs: number, what: string): Promise<void> {
  const end = Date.now() + withinMs;
  while (!(await cond().catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const SEAL_KEY = randomBytes(32).toString('base64');

describe('PostgreSQL restarted under load', { skip, timeout: 150_000 }, () => {
  const schema = freshSchemaName();
  const url = urlWithSchema(schema);
  const servers: ServerProcess[] = [];
  const clients: SdkClient[] = [];

  before(async () => {
    for (let i = 0; i < 3; i++) {
      servers.push(
        await startServerProcess({
          // Servers sharing a database share the key that seals AccessKey secrets (docs/security.md).
          args: ['--database', url],
          env: { ENIPLANE_ROOT_ACCESS_KEY_ID: KEY.id, ENIPLANE_ROOT_ACCESS_KEY_SECRET: KEY.secret, ENIPLANE_SECRET_KEY: SEAL_KEY },
        }),
      );
    }
    servers.forEach((s) => clients.push(sdkClient('popcore-post', s.endpoint, KEY)));
  });

  after(async () => {
    await Promise.all(servers.map((s) => s.stop().catch(() => undefined)));
    await until(async () => (await pgUnavailable()) === undefined, PG_BACK_WITHIN_MS, 'PostgreSQL').catch(() => undefined);
    await dropSchema(schema);
  });

  it('answers ServiceUnavailable meanwhile, reconnects, loses nothing acknowledged, never gives an address twice', async (t) => {
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
    const codes = new Map<string, number>();
    let acked = 0;
    let ackedAfterRestart = 0;
    let restarted = false;
    let stop = false;

    const worker = async (w: number) => {
      for (let i = 0; i < MAX_OPS_PER_WORKER && !stop; i++) {
        const client = clients[(w + i) % clients.length];
        const eni = enis[w];
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
          if (restarted) ackedAfterRestart++;
        } catch (e) {
          const code = codeOf(e);
          codes.set(code, (codes.get(code) ?? 0) + 1);
          // Nothing is known of the outcome: the COMMIT may have gone through before the connection went.
          if (victim === undefined) unknownAssigns[w]++;
          else {
            held[w].delete(victim);
            maybe[w].add(victim);
          }
          await new Promise((r) => setTimeout(r, 20)); // a client's back-off before its retry
        }
      }
    };

    const load = Promise.all(enis.map((_, w) => worker(w)));
    await new Promise((r) => setTimeout(r, BEFORE_MS));
    const ackedBefore = acked;
    await restartPostgres();
    await until(async () => (await pgUnavailable()) === undefined, PG_BACK_WITHIN_MS, 'PostgreSQL to answer again');
    restarted = true;
    await new Promise((r) => setTimeout(r, AFTER_MS));
    stop = true;
    await load;
    t.diagnostic(
      `acknowledged ${ackedBefore} before the restart, ${ackedAfterRestart} after it answered again; refusals: ${[...codes].map(([k, v]) => `${k}=${v}`).join(' ') || 'none'}`,
    );

    // A server that died or dropped connections says why in its own output.
    if ([...codes.keys()].some((k) => k.startsWith('transport:'))) {
      for (const s of servers) t.diagnostic(`${s.endpoint} exit=${s.child.exitCode}: ${s.output().slice(-4000)}`);
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
        async () => (await client.call('DescribeNetworkInterfaces', { RegionId: 'cn-hangzhou', PageSize: 50 })).TotalCount === WORKERS,
        SERVER_BACK_WITHIN_MS,
        `${client.flavour} to serve again`,
      );
    }
    assert.ok(ackedBefore > 0 && ackedAfterRestart > 0, 'requests were acknowledged before the restart and after it');

    // The database: no address twice, everything acknowledged is there, extras only from unknown outcomes.
    const rows = await querySchema<{ eni_id: string; address: string }>(
      schema,
      'SELECT eni_id, address FROM private_ips WHERE is_primary = 0',
    );
    const dup = await querySchema<{ n: number; d: number }>(
      schema,
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
    const sgCount = await querySchema<{ counted: number; n: number }>(
      schema,
      `SELECT
      (SELECT ip_count FROM security_groups WHERE id = $1) + (SELECT COALESCE(SUM(n), 0)::int FROM sg_ip_shards WHERE security_group_id = $1) AS counted,
      (SELECT COUNT(*)::int FROM private_ips p JOIN eni_security_groups m ON m.eni_id = p.eni_id WHERE m.security_group_id = $1) AS n`,
      [sg.SecurityGroupId],
    );
    assert.equal(sgCount[0].counted, sgCount[0].n);
  });
});
