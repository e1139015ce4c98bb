// The settler on PostgreSQL (migration 018): while nothing is due it sends no
// statement (transitions announce themselves through LISTEN/NOTIFY), and a
// transition one process starts is settled by another process's settler
// without that one polling for it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { createDeps } from '../../src/service/create-deps.ts';
import { ensureRootAccount } from '../../src/service/accounts.ts';
import { createSecurityGroup, createVpc, createVSwitch } from '../../src/service/networks.ts';
import { createEni } from '../../src/service/create-eni.ts';
import { attachEni } from '../../src/service/eni-lifecycle.ts';
import { runInstances } from '../../src/service/instances.ts';
import { settleAllNow, startSettler } from '../../src/service/transitions.ts';
import type { ServiceDeps } from '../../src/service/deps.ts';
import { dropSchema, freshSchemaName, pgUnavailable, querySchema, urlWithSchema } from './pg-support.ts';

const unavailable = await pgUnavailable();
const skip = unavailable !== undefined && !process.env.CI ? unavailable : false;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the settler on PostgreSQL', { skip }, () => {
  const schema = freshSchemaName();
  let a: PostgresStore;
  let b: PostgresStore;
  let da: ServiceDeps;
  let db: ServiceDeps;
  before(async () => {
    a = await PostgresStore.open(urlWithSchema(schema));
    b = await PostgresStore.open(urlWithSchema(schema));
    da = createDeps(a, { limits: { transitionMs: 400 } });
    db = createDeps(b, { limits: { transitionMs: 400 } });
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await dropSchema(schema);
  });

  it('idles without statements and settles what another process started, told by NOTIFY', async () => {
    const caller = { accountId: (await ensureRootAccount(da)).accountId };
    const vpc = await createVpc(da, caller, { cidrBlock: '10.0.0.0/16' });
    const vsw = await createVSwitch(da, caller, { vpcId: vpc.id, zoneId: 'cn-hangzhou-h', cidrBlock: '10.0.1.0/24' });
    const sg = await createSecurityGroup(da, caller, { vpcId: vpc.id });
    const [instanceId] = await runInstances(da, caller, {
      instanceType: 'ecs.g6.large',
      vSwitchId: vsw.id,
      securityGroupIds: [sg.id],
      amount: 1,
    });
    await settleAllNow(da);
    const eni = await createEni(da, caller, { vSwitchId: vsw.id, securityGroupIds: [sg.id] });

    // Only b settles: a 20 ms tick, and no fallback look within this test (an hour).
    const errors: unknown[] = [];
    const stop = startSettler(db, 20, (e) => errors.push(e), 3_600_000);
    try {
      for (let i = 0; i < 50 && !(await sleep(20).then(() => b.roundTrips > 0)); i++);
      await sleep(300); // listening, and the first look done
      const idleFrom = b.roundTrips;
      await sleep(1000);
      assert.equal(b.roundTrips - idleFrom, 0, 'no statement in a second of 50 idle ticks');

      await attachEni(da, caller, { eniId: eni.id, instanceId }); // Attaching, due in 400 ms; a never settles
      let status = '';
      for (let i = 0; i < 100 && status !== 'InUse'; i++) {
        await sleep(50);
        status = (await querySchema<{ status: string }>(schema, 'SELECT status FROM enis WHERE id = $1', [eni.id]))[0].status;
      }
      assert.equal(status, 'InUse', "b's settler completed a's transition");
      // a look when due (one statement) and the settling transaction: a handful, not 20 a second
      assert.ok(b.roundTrips - idleFrom < 20, `${b.roundTrips - idleFrom} round trips`);
      assert.deepEqual(errors, []);
    } finally {
      stop();
    }
  });
});
