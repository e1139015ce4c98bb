// The one-call assign/unassign in batches (PostgreSQL, migration 020): many
// concurrent requests of one process go out as one statement — some on one
// ENI, some with a ClientToken, named addresses that collide, refusals (the
// ENI's cap, a full security group, an address unassigned twice). Each element
// runs in a subtransaction: a refusal leaves the rest of its batch committed.
// The same requests run one after the other through the general path in a
// second world: how many of each kind succeed, each refusal's code, and the
// rows must agree. A batch whose connection is lost answers StoreUnavailable
// to each of its requests and commits nothing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import type { Store } from '../../src/store/store.ts';
import { createDeps } from '../../src/service/create-deps.ts';
import { ensureRootAccount } from '../../src/service/accounts.ts';
import { createSecurityGroup, createVpc, createVSwitch } from '../../src/service/networks.ts';
import { createEni } from '../../src/service/create-eni.ts';
import { assignPrivateIps, unassignPrivateIps } from '../../src/service/eni-addresses.ts';
import { isDomainError } from '../../src/domain/errors.ts';
import type { Caller, ServiceDeps } from '../../src/service/deps.ts';
import { seededRng } from '../ipam/helpers.ts';
import { PG_BASE_URL, dropSchema, freshSchemaName, pgUnavailable, querySchema, urlWithSchema } from './pg-support.ts';

const unavailable = await pgUnavailable();
const skip = unavailable !== undefined && !process.env.CI ? unavailable : false;

/** The same PostgreSQL store without its one-call path: every request takes the general path. */
function generalOnly(s: PostgresStore): Store {
  return { kind: s.kind, transaction: (fn, o) => s.transaction(fn, o), migrate: () => s.migrate(), close: () => s.close() };
}

const LIMITS = { availableEniMaxIpv4: 6, availableEniMaxIpv6: 3, basicSecurityGroupIpCapacity: 5, transitionMs: 60_000 };
/** ENIs by label: SMALL1/SMALL2 in the small (normal, capacity 5) group, the others in the big one */
const ENIS = ['CAP', 'SMALL1', 'SMALL2', 'TOKEN', 'N1', 'N2', 'N3', 'UN', 'OK1', 'OK2', 'LOSS'] as const;

interface World {
  schema: string;
  store: PostgresStore;
  deps: ServiceDeps;
  caller: Caller;
  ids: Record<string, string>;
  /** the addresses each ENI got in its first (sequential) assign */
  warm: Record<string, string[]>;
  dispose(): Promise<void>;
}

async function world(batched: boolean): Promise<World> {
  const schema = freshSchemaName();
  const store = await PostgresStore.open(urlWithSchema(schema));
  const deps = createDeps(batched ? store : generalOnly(store), { limits: LIMITS, rng: seededRng(7) });
  const caller = { accountId: (await ensureRootAccount(deps)).accountId };
  const vpc = await createVpc(deps, caller, { cidrBlock: '10.0.0.0/8' });
  const vsw = await createVSwitch(deps, caller, { vpcId: vpc.id, zoneId: 'cn-hangzhou-h', cidrBlock: '10.1.0.0/24' });
  const big = await createSecurityGroup(deps, caller, { vpcId: vpc.id, type: 'enterprise' });
  const small = await createSecurityGroup(deps, caller, { vpcId: vpc.id, type: 'normal' });
  const ids: Record<string, string> = { VSW: vsw.id, BIG: big.id, SMALL: small.id };
  const warm: Record<string, string[]> = {};
  for (const label of ENIS) {
    const sg = label.startsWith('SMALL') ? small.id : big.id;
    ids[label] = (await createEni(deps, caller, { vSwitchId: vsw.id, securityGroupIds: [sg] })).id;
    // the first assign on an ENI teaches this process its vSwitch (the general path); UN gets three to give back
    warm[label] = (await assignPrivateIps(deps, caller, { eniId: ids[label], request: { count: label === 'UN' ? 3 : 1 } })).addresses;
  }
  return {
    schema,
    store,
    deps,
    caller,
    ids,
    warm,
    async dispose() {
      await store.close().catch(() => undefined);
      await dropSchema(schema);
    },
  };
}

interface Request {
  /** requests of one kind: how many succeed, and each refusal's code, do not depend on their order */
  kind: string;
  run(w: World, c: Caller): Promise<{ addresses?: string[] } | void>;
}

const count =
  (eni: string, clientToken?: string): ((w: World, c: Caller) => Promise<{ addresses: string[] }>) =>
  (w, c) =>
    assignPrivateIps(w.deps, c, { eniId: w.ids[eni], request: { count: 1 }, clientToken });

/** Successes only, on two ENIs with room: the batch's round trips are counted. */
const SUCCESSES: Request[] = [...Array(8).keys()].map((i) => ({ kind: 'room', run: count(i % 2 ? 'OK1' : 'OK2') }));

/** Every kind at once, interleaved so each batch mixes them. */
const STORM: Request[] = [
  // CAP holds its primary and 1: 4 more fit under 6
  ...[...Array(7).keys()].map(() => ({ kind: 'cap', run: count('CAP') })),
  // the small group holds 2 primaries and 2: 1 more fits under 5
  ...[...Array(4).keys()].map((i) => ({ kind: 'group', run: count(i % 2 ? 'SMALL1' : 'SMALL2') })),
  // twins of one ClientToken: one assign, the same answer to each
  ...[...Array(4).keys()].map(() => ({ kind: 'token', run: count('TOKEN', 'storm-token') })),
  // one named address wanted by three ENIs of the vSwitch
  ...['N1', 'N2', 'N3'].map((eni) => ({
    kind: 'named',
    run: (w: World, c: Caller) => assignPrivateIps(w.deps, c, { eniId: w.ids[eni], request: { addresses: ['10.1.0.200'] } }),
  })),
  // UN gives back its first address twice (one is refused), its second with a ClientToken twice, and takes 2
  ...[0, 0].map((k) => ({
    kind: 'unassign twice',
    run: (w: World, c: Caller) => unassignPrivateIps(w.deps, c, { eniId: w.ids.UN, addresses: [w.warm.UN[k]] }),
  })),
  ...[1, 1].map((k) => ({
    kind: 'unassign token',
    run: (w: World, c: Caller) => unassignPrivateIps(w.deps, c, { eniId: w.ids.UN, addresses: [w.warm.UN[k]], clientToken: 'storm-un' }),
  })),
  ...[...Array(2).keys()].map(() => ({ kind: 'same ENI', run: count('UN') })),
];
/** A deterministic interleaving (a stride through the list). */
const INTERLEAVED = STORM.map((_, i) => STORM[(i * 7) % STORM.length]);
assert.equal(new Set(STORM.map((_, i) => (i * 7) % STORM.length)).size, STORM.length);

let nonces = 0;
const signed = (w: World): Caller => ({
  ...w.caller,
  nonce: { accessKeyId: 'LTAIbatch', nonce: `b-${nonces++}`, expiresMs: Date.now() + 600_000, recorded: false },
});

async function answer(w: World, r: Request): Promise<{ kind: string; code: string; addresses?: string[] }> {
  try {
    const got = await r.run(w, signed(w));
    return { kind: r.kind, code: 'ok', addresses: got ? got.addresses : undefined };
  } catch (e) {
    if (!isDomainError(e)) throw e;
    return { kind: r.kind, code: e.code };
  }
}

const concurrently = (w: World, rs: Request[]) => Promise.all(rs.map((r) => answer(w, r)));
async function inTurn(w: World, rs: Request[]) {
  const out = [];
  for (const r of rs) out.push(await answer(w, r));
  return out;
}
const tally = (xs: { kind: string; code: string }[]) => xs.map((x) => `${x.kind}: ${x.code}`).sort();

async function rows(w: World): Promise<unknown> {
  const label = (s: string) => Object.entries(w.ids).reduce((t, [l, id]) => t.split(id).join(l), s);
  const q = async (sql: string) => (await querySchema(w.schema, sql)).map((r) => label(JSON.stringify(r))).sort();
  return {
    perEni: await q('SELECT eni_id, COUNT(*)::int AS n FROM private_ips GROUP BY eni_id'),
    named: await q("SELECT eni_id IS NOT NULL AS held, COUNT(*)::int AS n FROM private_ips WHERE address = '10.1.0.200' GROUP BY 1"),
    groups: await q('SELECT security_group_id, SUM(n)::int AS n FROM sg_ip_shards GROUP BY security_group_id'),
    tokens: await q('SELECT action, token FROM idempotency'),
    nonces: await q('SELECT COUNT(*)::int AS n FROM nonces'),
  };
}

describe('one-call assign/unassign in batches (PostgreSQL)', { skip }, () => {
  let fast: World;
  let general: World;
  before(async () => {
    fast = await world(true);
    general = await world(false);
  });
  after(async () => {
    await fast?.dispose();
    await general?.dispose();
  });

  it('sends concurrent requests as one statement: 8 assigns in at most 2 round trips', async () => {
    const at = fast.store.roundTrips;
    const a = await concurrently(fast, SUCCESSES);
    // the first goes out alone, the 7 that came while it ran share the next statement
    assert.ok(fast.store.roundTrips - at <= 2, `round trips: ${fast.store.roundTrips - at}`);
    const b = await inTurn(general, SUCCESSES);
    assert.deepEqual(tally(a), tally(b));
    assert.ok(a.every((x) => x.code === 'ok'));
    assert.equal(new Set(a.flatMap((x) => x.addresses!)).size, 8, 'eight distinct addresses');
  });

  it('answers a mixed storm as the same requests one after the other do, and leaves the same rows', async () => {
    const a = await concurrently(fast, INTERLEAVED);
    const b = await inTurn(general, INTERLEAVED);
    assert.deepEqual(tally(a), tally(b));
    // what the sequence does, spelled out
    const n = (xs: typeof a, kind: string, code: string) => xs.filter((x) => x.kind === kind && x.code === code).length;
    assert.equal(n(a, 'cap', 'ok'), 4);
    assert.equal(n(a, 'cap', 'EniIpv4LimitExceeded'), 3);
    assert.equal(n(a, 'group', 'ok'), 1);
    assert.equal(n(a, 'group', 'SecurityGroupIpCapacityExceeded'), 3);
    assert.equal(n(a, 'token', 'ok'), 4);
    assert.equal(new Set(a.filter((x) => x.kind === 'token').map((x) => x.addresses!.join())).size, 1, 'twins answer alike');
    assert.equal(n(a, 'named', 'ok'), 1);
    assert.equal(n(a, 'named', 'AddressInUse'), 2);
    assert.equal(n(a, 'unassign twice', 'ok'), 1);
    assert.equal(n(a, 'unassign twice', 'AddressNotAssigned'), 1);
    assert.equal(n(a, 'unassign token', 'ok'), 2);
    assert.equal(n(a, 'same ENI', 'ok'), 2);
    const mine = new Set(a.flatMap((x) => (x.code === 'ok' && x.kind !== 'token' ? (x.addresses ?? []) : [])));
    assert.equal(mine.size, a.filter((x) => x.code === 'ok' && x.addresses).length - 4, 'no address handed out twice');
    assert.deepEqual(await rows(fast), await rows(general));
    // the counters agree with the rows they count (each group: its ENIs' addresses)
    for (const w of [fast, general]) {
      const drift = await querySchema(
        w.schema,
        `SELECT m.security_group_id, COUNT(p.*)::int AS held,
                (SELECT SUM(n)::int FROM sg_ip_shards s WHERE s.security_group_id = m.security_group_id) AS counted
         FROM eni_security_groups m JOIN private_ips p ON p.eni_id = m.eni_id GROUP BY m.security_group_id`,
      );
      for (const r of drift as { held: number; counted: number }[]) assert.equal(r.counted, r.held);
    }
  });

  it('answers StoreUnavailable to every request of a batch whose connection is lost, and commits none of it', async () => {
    const eni = fast.ids.LOSS;
    const loss: Request = { kind: 'loss', run: count('LOSS') };
    const before = await querySchema<{ n: number }>(fast.schema, 'SELECT COUNT(*)::int AS n FROM private_ips WHERE eni_id = $1', [eni]);
    // A batch never waits for a lock (an ENI row another transaction holds makes its element "busy"), so the
    // test holds batches in flight another way: a trigger of this schema sleeps in the LOSS ENI's address insert.
    const watcher = new pg.Client({ connectionString: PG_BASE_URL });
    await watcher.connect();
    await querySchema(
      fast.schema,
      `CREATE FUNCTION slow_loss() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(60); RETURN NEW; END $$;
       CREATE TRIGGER slow_loss BEFORE INSERT ON private_ips FOR EACH ROW WHEN (NEW.eni_id = '${eni}') EXECUTE FUNCTION slow_loss()`,
    );
    try {
      const gone = new Set<number>();
      /** the backend of a batch in flight (asleep in the trigger), not one terminated already */
      const sleeping = async () => {
        for (;;) {
          const r = await watcher.query<{ pid: number }>(
            "SELECT pid FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND query LIKE '%eniplane_calls_v2%'",
          );
          const pid = r.rows.map((x) => x.pid).find((p) => !gone.has(p));
          if (pid !== undefined) {
            gone.add(pid);
            return pid;
          }
          await new Promise((res) => setTimeout(res, 20));
        }
      };
      const lone = answer(fast, loss); // goes out at once, a batch of one, and sleeps
      const terminate = async () => (await watcher.query('SELECT pg_terminate_backend($1)', [await sleeping()])).rows;
      // while it sleeps, these queue up: the next batch, four elements in one statement
      const queued = [1, 1, 1, 1].map(() => answer(fast, loss));
      await terminate();
      assert.deepEqual(await lone, { kind: 'loss', code: 'StoreUnavailable' });
      await terminate();
      assert.deepEqual(await Promise.all(queued), Array(4).fill({ kind: 'loss', code: 'StoreUnavailable' }));
    } finally {
      await querySchema(fast.schema, 'DROP TRIGGER slow_loss ON private_ips; DROP FUNCTION slow_loss()');
      await watcher.end();
    }
    const after_ = await querySchema<{ n: number }>(fast.schema, 'SELECT COUNT(*)::int AS n FROM private_ips WHERE eni_id = $1', [eni]);
    assert.deepEqual(after_, before);
    // and the store serves the next one
    assert.equal((await answer(fast, loss)).code, 'ok');
  });
});

describe('a call whose ENI row another transaction holds', { skip }, () => {
  let w: World;
  before(async () => {
    w = await world(true);
  });
  after(async () => w?.dispose());

  it('answers busy, goes into the next batches twice, then is sent alone, waits for the row and is done', async () => {
    const eni = w.ids.OK1;
    const holder = new pg.Client({ connectionString: PG_BASE_URL });
    await holder.connect();
    try {
      await holder.query(`SET search_path TO "${w.schema}"`);
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM enis WHERE id = $1 FOR UPDATE', [eni]);
      const stats = () => ({ ...w.store.oneCall.batchStats! });
      const at = stats();
      const call = assignPrivateIps(w.deps, w.caller, { eniId: eni, request: { count: 1 } });
      // sent alone, it waits for the row: the holder's backend sees it waiting
      for (let i = 0; i < 500 && stats().alone === at.alone; i++) await new Promise((r) => setTimeout(r, 10));
      const now = stats();
      assert.equal(now.alone - at.alone, 1, 'sent alone once');
      assert.equal(now.busy - at.busy, 3, 'busy in its first batch and in the two it went into again');
      assert.equal(now.batches - at.batches, 3);
      await new Promise((r) => setTimeout(r, 100));
      const holderPid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      const waiting = await querySchema<{ n: number }>(
        w.schema,
        "SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE pg_blocking_pids(pid) @> ARRAY[$1::int] AND query LIKE '%eniplane_calls_v2%'",
        [holderPid],
      );
      assert.equal(waiting[0].n, 1, 'the lone statement waits for the ENI row');
      await holder.query('COMMIT');
      const done = await call;
      assert.equal(done.addresses.length, 1);
      const held = await querySchema<{ eni_id: string }>(w.schema, 'SELECT eni_id FROM private_ips WHERE address = $1', [
        done.addresses[0],
      ]);
      assert.deepEqual(held, [{ eni_id: eni }]);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
  });
});
