// The one-call assign/unassign (PostgreSQL, migrations 018, 022) against the general
// path it stands in for: the same sequence of requests — automatic and named,
// IPv4 and IPv6, with and without ClientToken, successes and every refusal code
// — runs in two identical worlds, one with the one-call path and one with the
// general path only, and every answer (normalised for ids and random picks)
// and the final rows must agree. The one-call world runs twice: through the
// batches of migration 020 (a batch of one per request here; the concurrent
// batches are pg-one-call-batch.test.ts) and each call alone (batch_max 1: a
// statement of its own that waits for the ENI row). Each success the one-call path takes is one
// round trip.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import type { Store } from '../../src/store/store.ts';
import { createDeps } from '../../src/service/create-deps.ts';
import { ensureRootAccount } from '../../src/service/accounts.ts';
import { createSecurityGroup, createVpc, createVSwitch } from '../../src/service/networks.ts';
import { createEni } from '../../src/service/create-eni.ts';
import { assignIpv6, assignPrivateIps, unassignIpv6, unassignPrivateIps } from '../../src/service/eni-addresses.ts';
import { attachEni } from '../../src/service/eni-lifecycle.ts';
import { runInstances } from '../../src/service/instances.ts';
import { settleAllNow } from '../../src/service/transitions.ts';
import { isDomainError } from '../../src/domain/errors.ts';
import type { Caller, ServiceDeps } from '../../src/service/deps.ts';
import { seededRng } from '../ipam/helpers.ts';
import { dropSchema, freshSchemaName, pgUnavailable, querySchema, urlWithSchema } from './pg-support.ts';

const unavailable = await pgUnavailable();
const skip = unavailable !== undefined && !process.env.CI ? unavailable : false;

/** The same PostgreSQL store without its one-call path: every request takes the general path. */
function generalOnly(s: PostgresStore): Store {
  return { kind: s.kind, transaction: (fn, o) => s.transaction(fn, o), migrate: () => s.migrate(), close: () => s.close() };
}

interface World {
  schema: string;
  store: PostgresStore;
  other: PostgresStore;
  deps: ServiceDeps;
  /** a second process on the same schema (its own hints) */
  otherDeps: ServiceDeps;
  caller: Caller;
  ids: Record<string, string>;
  /** the IPv6 /64 of vsw1 without its "::/64" ("2001:db8:…"); named IPv6 addresses are built from it */
  v6: string;
  dispose(): Promise<void>;
}

const LIMITS = { availableEniMaxIpv4: 6, availableEniMaxIpv6: 3, basicSecurityGroupIpCapacity: 5, transitionMs: 60_000 };

type Path = 'batched' | 'single' | 'general';

async function world(path: Path): Promise<World> {
  const oneCall = path !== 'general';
  const schema = freshSchemaName();
  const store = await PostgresStore.open(urlWithSchema(schema), { batchMax: path === 'single' ? 1 : undefined });
  const other = await PostgresStore.open(urlWithSchema(schema));
  // Seeded: random picks can land on the addresses the steps name; the same seed in every run keeps that
  // from happening by chance in one world only (and from one run to the next).
  const deps = createDeps(oneCall ? store : generalOnly(store), { limits: LIMITS, rng: seededRng(21) });
  const otherDeps = createDeps(generalOnly(other), { limits: LIMITS, rng: seededRng(22) });
  const caller = { accountId: (await ensureRootAccount(deps)).accountId };
  const vpc = await createVpc(deps, caller, { cidrBlock: '10.0.0.0/8', enableIpv6: true });
  const vsw1 = await createVSwitch(deps, caller, { vpcId: vpc.id, zoneId: 'cn-hangzhou-h', cidrBlock: '10.1.0.0/24', ipv6CidrBlock: 1 });
  const vsw2 = await createVSwitch(deps, caller, { vpcId: vpc.id, zoneId: 'cn-hangzhou-h', cidrBlock: '10.2.0.0/29' });
  const sgBig = await createSecurityGroup(deps, caller, { vpcId: vpc.id, type: 'enterprise' });
  const sgSmall = await createSecurityGroup(deps, caller, { vpcId: vpc.id, type: 'normal' });
  const ids: Record<string, string> = { VPC: vpc.id, VSW1: vsw1.id, VSW2: vsw2.id, SGBIG: sgBig.id, SGSMALL: sgSmall.id };
  ids.E1 = (await createEni(deps, caller, { vSwitchId: vsw1.id, securityGroupIds: [sgBig.id] })).id;
  ids.E2 = (await createEni(deps, caller, { vSwitchId: vsw1.id, securityGroupIds: [sgSmall.id] })).id;
  ids.E3 = (await createEni(deps, caller, { vSwitchId: vsw2.id, securityGroupIds: [sgBig.id] })).id;
  ids.E4 = (await createEni(deps, caller, { vSwitchId: vsw1.id, securityGroupIds: [sgBig.id] })).id;
  [ids.I1] = await runInstances(deps, caller, {
    instanceType: 'ecs.g6.large',
    vSwitchId: vsw1.id,
    securityGroupIds: [sgBig.id],
    amount: 1,
  });
  await settleAllNow(deps);
  ids.P1 = (await querySchema<{ id: string }>(schema, 'SELECT id FROM enis WHERE instance_id = $1', [ids.I1]))[0].id;
  const v6 = vsw1.ipv6CidrBlock!.replace(/::\/64$/, '');
  return {
    schema,
    store,
    other,
    deps,
    otherDeps,
    caller,
    ids,
    v6,
    async dispose() {
      await store.close().catch(() => undefined);
      await other.close().catch(() => undefined);
      await dropSchema(schema);
    },
  };
}

interface Step {
  what: string;
  /** expected to be answered by one call (one round trip) in the one-call world */
  oneTrip?: boolean;
  run(w: World, signed: Caller, memo: Map<string, string[]>): Promise<unknown>;
}

const v4 = (eni: string, request: { count: number } | { addresses: string[] }, clientToken?: string) => (w: World, c: Caller) =>
  assignPrivateIps(w.deps, c, { eniId: w.ids[eni], request, clientToken });
const v6count = (eni: string, count: number) => (w: World, c: Caller) => assignIpv6(w.deps, c, { eniId: w.ids[eni], request: { count } });
const v6named = (eni: string, suffixes: string[]) => (w: World, c: Caller) =>
  assignIpv6(w.deps, c, { eniId: w.ids[eni], request: { addresses: suffixes.map((s) => `${w.v6}::${s}`) } });
const un4 = (eni: string, addresses: string[], clientToken?: string) => (w: World, c: Caller) =>
  unassignPrivateIps(w.deps, c, { eniId: w.ids[eni], addresses, clientToken });

const STEPS: Step[] = [
  { what: 'first assign on E1 (learns the ENI)', run: v4('E1', { count: 1 }) },
  { what: 'assign 2 on E1', oneTrip: true, run: v4('E1', { count: 2 }) },
  { what: 'named 2 on E1', oneTrip: true, run: v4('E1', { addresses: ['10.1.0.20', '10.1.0.21'] }) },
  { what: 'E1 at its cap', run: v4('E1', { count: 1 }) },
  { what: 'first assign on E2', run: v4('E2', { count: 1 }) },
  { what: 'named, in use (the hint knows)', run: v4('E2', { addresses: ['10.1.0.20'] }) },
  {
    what: 'another process takes 10.1.0.30',
    run: (w) => assignPrivateIps(w.otherDeps, w.caller, { eniId: w.ids.E2, request: { addresses: ['10.1.0.30'] } }),
  },
  { what: 'named, in use (only the database knows)', run: v4('E2', { addresses: ['10.1.0.30'] }) },
  { what: 'named, outside the vSwitch', run: v4('E2', { addresses: ['10.2.0.5'] }) },
  { what: 'named, repeated', run: v4('E2', { addresses: ['10.1.0.40', '10.1.0.40'] }) },
  { what: 'named, reserved', run: v4('E2', { addresses: ['10.1.0.255'] }) },
  { what: 'named, malformed', run: v4('E2', { addresses: ['10.1.0'] }) },
  { what: 'security group over capacity', run: v4('E2', { count: 3 }) },
  { what: 'ClientToken t1', oneTrip: true, run: v4('E2', { count: 1 }, 't1') },
  { what: 'ClientToken t1 again: the same answer', oneTrip: true, run: v4('E2', { count: 1 }, 't1') },
  {
    // what the one-call path stored (result, parameters' hash) is what the general path replays
    what: 'ClientToken t1 again, on another process (the general path)',
    run: (w, c) => assignPrivateIps(w.otherDeps, c, { eniId: w.ids.E2, request: { count: 1 }, clientToken: 't1' }),
  },
  { what: 'ClientToken t1, other parameters', run: v4('E2', { count: 2 }, 't1') },
  { what: 'ClientToken too long', run: v4('E2', { count: 1 }, 'x'.repeat(65)) },
  { what: 'ClientToken t2, named', oneTrip: true, run: v4('E2', { addresses: ['10.1.0.41'] }, 't2') },
  { what: 'security group full', run: v4('E2', { count: 1 }) },
  { what: 'unassign with ClientToken u1', oneTrip: true, run: un4('E2', ['10.1.0.41'], 'u1') },
  { what: 'unassign with ClientToken u1 again', oneTrip: true, run: un4('E2', ['10.1.0.41'], 'u1') },
  {
    what: 'unassign with ClientToken u1 on another process (the general path)',
    run: (w, c) => unassignPrivateIps(w.otherDeps, c, { eniId: w.ids.E2, addresses: ['10.1.0.41'], clientToken: 'u1' }),
  },
  { what: 'unassign, not assigned', run: un4('E2', ['10.1.0.41']) },
  { what: 'unassign, another ENI’s', run: un4('E2', ['10.1.0.20']) },
  { what: 'unassign, repeated', run: un4('E2', ['10.1.0.30', '10.1.0.30']) },
  { what: 'unassign, none', run: un4('E2', []) },
  { what: 'unassign, missing ENI', run: un4('MISSING', ['10.1.0.30']) },
  { what: 'unassign named', oneTrip: true, run: un4('E2', ['10.1.0.30']) },
  { what: 'IPv6 count 1 on E1', oneTrip: true, run: v6count('E1', 1) },
  { what: 'IPv6 named on E1', oneTrip: true, run: v6named('E1', ['a']) },
  { what: 'IPv6 named, in use', run: v6named('E2', ['a']) },
  {
    what: 'IPv6 named, outside the /64',
    run: (w, c) => assignIpv6(w.deps, c, { eniId: w.ids.E1, request: { addresses: ['2001:db8:ffff::1'] } }),
  },
  { what: 'IPv6 over the ENI cap', run: v6count('E1', 2) },
  { what: 'IPv6 unassign named', oneTrip: true, run: (w, c) => unassignIpv6(w.deps, c, { eniId: w.ids.E1, addresses: [`${w.v6}::a`] }) },
  { what: 'IPv6 unassign again', run: (w, c) => unassignIpv6(w.deps, c, { eniId: w.ids.E1, addresses: [`${w.v6}::a`] }) },
  { what: 'first assign on E3', run: v4('E3', { count: 1 }) },
  { what: 'IPv6 on a vSwitch without', run: v6count('E3', 1) },
  { what: 'vSwitch too small', run: v4('E3', { count: 3 }) },
  { what: 'vSwitch filled', oneTrip: true, run: v4('E3', { count: 2 }) },
  { what: 'vSwitch full', run: v4('E3', { count: 1 }) },
  { what: 'attach E4 (Attaching for a minute)', run: (w, c) => attachEni(w.deps, c, { eniId: w.ids.E4, instanceId: w.ids.I1 }) },
  { what: 'assign on an Attaching ENI', run: v4('E4', { count: 1 }) },
  { what: 'IPv6 on an Attaching ENI', run: v6count('E4', 1) },
  { what: 'settle', run: (w) => settleAllNow(w.deps) },
  { what: 'first assign on E4, InUse', run: v4('E4', { count: 1 }) },
  { what: 'assign on E4 under the instance type’s cap', oneTrip: true, run: v4('E4', { count: 2 }) },
  { what: 'IPv6 on E4 under the instance type’s cap', oneTrip: true, run: v6count('E4', 1) },
  { what: 'IPv6 on E4 over the instance type’s cap', run: v6count('E4', 1) },
  { what: 'missing ENI', run: v4('MISSING', { count: 1 }) },
  { what: 'count 0', run: v4('E1', { count: 0 }) },
  { what: 'count over the per-request bound', run: v4('E2', { count: 51 }) },
];

/** Addresses the steps name: the same in both worlds (IPv6 ones after their world's prefix). */
const NAMED = /^(10\.1\.0\.(20|21|30|40|41)|V6::a)$/;

/**
 * An answer with ids, the IPv6 prefix and this world's earlier random picks replaced by labels, and
 * this answer's own random picks by "picked".
 */
function normalise(w: World, memo: Map<string, string[]>, v: unknown, own: string[] = []): string {
  let s = JSON.stringify(v ?? null);
  for (const [label, id] of Object.entries(w.ids)) s = s.split(id).join(label);
  for (const [label, addresses] of memo) addresses.forEach((a, i) => (s = s.split(`"${a}"`).join(`"${label}[${i}]"`)));
  for (const a of own) if (!NAMED.test(a.split(w.v6).join('V6'))) s = s.split(`"${a}"`).join('"picked"');
  return s.split(w.v6).join('V6');
}

async function play(w: World): Promise<{ answers: string[]; trips: number[] }> {
  const memo = new Map<string, string[]>();
  const answers: string[] = [];
  const trips: number[] = [];
  let n = 0;
  for (const step of STEPS) {
    const signed: Caller = {
      ...w.caller,
      nonce: { accessKeyId: 'LTAIparity', nonce: `n-${n++}`, expiresMs: Date.now() + 600_000, recorded: false },
    };
    const at = w.store.roundTrips;
    let answer: string;
    try {
      const r = await step.run(w, signed, memo);
      const got = (r as { addresses?: string[] } | undefined)?.addresses;
      answer = `ok ${normalise(w, memo, r, got)}`;
      if (got && !memo.has(step.what)) memo.set(step.what, got);
    } catch (e) {
      if (!isDomainError(e)) throw e;
      answer = `${e.code} ${normalise(w, memo, e.details)}`;
    }
    trips.push(w.store.roundTrips - at);
    answers.push(`${step.what}: ${answer}`);
  }
  // A nonce seen before is refused on both paths.
  const replay: Caller = {
    ...w.caller,
    nonce: { accessKeyId: 'LTAIparity', nonce: 'n-1', expiresMs: Date.now() + 600_000, recorded: false },
  };
  answers.push(
    await assignPrivateIps(w.deps, replay, { eniId: w.ids.E4, request: { count: 1 } }).then(
      () => 'replayed nonce: ok',
      (e: unknown) => `replayed nonce: ${isDomainError(e) ? e.code : String(e)}`,
    ),
  );
  return { answers, trips };
}

async function rows(w: World): Promise<unknown> {
  // ids differ between the worlds: order by the labels
  const q = async (sql: string) => (await querySchema(w.schema, sql)).map((r) => normalise(w, new Map(), r)).sort();
  return {
    perEni: await q(
      'SELECT eni_id, family, COUNT(*)::int AS n, COUNT(*) FILTER (WHERE is_primary = 0)::int AS secondary FROM private_ips GROUP BY eni_id, family',
    ),
    named: await q(
      "SELECT eni_id, address FROM private_ips WHERE address IN ('10.1.0.20', '10.1.0.21', '10.1.0.30', '10.1.0.41') ORDER BY address",
    ),
    groups: await q('SELECT security_group_id, SUM(n)::int AS n FROM sg_ip_shards GROUP BY security_group_id ORDER BY security_group_id'),
    tokens: (await q('SELECT action, token, result FROM idempotency')).map((t) =>
      t.replace(/10\.1\.0\.\d+/g, (a) => (NAMED.test(a) ? a : 'picked')),
    ),
    nonces: await q('SELECT COUNT(*)::int AS n FROM nonces'),
  };
}

describe('one-call assign/unassign against the general path (PostgreSQL)', { skip }, () => {
  let fast: World;
  let single: World;
  let general: World;
  before(async () => {
    fast = await world('batched');
    single = await world('single');
    general = await world('general');
  });
  after(async () => {
    await fast?.dispose();
    await single?.dispose();
    await general?.dispose();
  });

  it('answers every request of the sequence the same, leaves the same rows, and each one-call success is one round trip', async () => {
    const a = await play(fast);
    const one = await play(single);
    const b = await play(general);
    assert.deepEqual(a.answers, b.answers);
    assert.deepEqual(one.answers, b.answers);
    // the sequence does reach the refusals it names
    const codes = new Set(b.answers.map((x) => x.split(': ')[1].split(' ')[0]));
    for (const c of [
      'ok',
      'AddressInUse',
      'AddressInvalidForVSwitch',
      'AddressRepeated',
      'AddressMalformed',
      'SecurityGroupIpCapacityExceeded',
      'IdempotentParameterMismatch',
      'InvalidParameter',
      'AddressNotAssigned',
      'MissingParameter',
      'EniNotFound',
      'VSwitchIpv6NotEnabled',
      'VSwitchIpNotEnough',
      'EniStateInvalid',
    ])
      assert.ok(codes.has(c), `the sequence reaches ${c}: ${[...codes].join(' ')}`);
    assert.ok(
      b.answers.some((x) => /^E1 at its cap: \w+/.test(x) && !x.includes(': ok')),
      'the ENI cap is refused',
    );
    assert.match(a.answers.at(-1)!, /RequestReplayed/);
    STEPS.forEach((s, i) => {
      if (s.oneTrip) assert.equal(a.trips[i], 1, `${s.what}: one round trip (${a.answers[i]})`);
      if (s.oneTrip) assert.equal(one.trips[i], 1, `${s.what}: one round trip alone (${one.answers[i]})`);
    });
    assert.deepEqual(await rows(fast), await rows(general));
    assert.deepEqual(await rows(single), await rows(general));
  });
});
