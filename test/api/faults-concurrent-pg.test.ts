// Two `eniplane serve` processes on one PostgreSQL schema, fault rules added
// through both admin APIs at the same moment: every rule lands, each with its
// own id (the rule set is one kv row; without the lock taken before it is
// read, two READ COMMITTED transactions both read version n and the later
// write drops the other's rules).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { dropSchema, freshSchemaName, pgUnavailable, urlWithSchema } from '../store/pg-support.ts';

const unavailable = await pgUnavailable();
const skip = unavailable !== undefined && !process.env.CI ? unavailable : false;

const KEY = { id: `LTAI${randomBytes(10).toString('hex')}`, secret: randomBytes(15).toString('hex') };
const SEAL_KEY = randomBytes(32).toString('base64');
const ROUNDS = 15;

describe('fault rules added concurrently through two servers on PostgreSQL', { skip, timeout: 120_000 }, () => {
  const schema = freshSchemaName();
  const servers: ServerProcess[] = [];

  before(async () => {
    const url = urlWithSchema(schema);
    // The first creates the schema and the root account; the second joins it.
    for (let i = 0; i < 2; i++)
      servers.push(
        await startServerProcess({
          args: ['--database', url],
          env: { ENIPLANE_ROOT_ACCESS_KEY_ID: KEY.id, ENIPLANE_ROOT_ACCESS_KEY_SECRET: KEY.secret, ENIPLANE_SECRET_KEY: SEAL_KEY },
        }),
      );
    // A server whose first connection to PostgreSQL was slow serves before its database is ready
    // (503 until then): wait for /readyz, bounded.
    for (const s of servers)
      for (let i = 0; ; i++) {
        if ((await fetch(`http://${s.endpoint}/readyz`)).status === 200) break;
        if (i === 300) throw new Error(`${s.endpoint} not ready after 30 s:\n${s.output()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
  });
  after(async () => {
    for (const s of servers) await s.stop();
    await dropSchema(schema);
  });

  const admin = async (s: ServerProcess, method: string, body?: unknown) => {
    const res = await fetch(`http://${s.endpoint}/_eniplane/admin/faults`, {
      method,
      headers: { authorization: `Bearer ${KEY.id}:${KEY.secret}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    assert.equal(res.status, 200, await res.clone().text());
    return res.json() as Promise<any>;
  };
  const rule = (tag: string) => ({ actions: [`Describe${tag}`], effect: { kind: 'error', code: 'InternalError', status: 500 } });

  it('both servers’ adds land, with distinct ids, round after round', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      // Both requests in flight together, several rules each, so the transactions overlap.
      const [a, b] = await Promise.all([
        admin(servers[0], 'POST', { rules: [rule(`A${round}x`), rule(`A${round}y`)] }),
        admin(servers[1], 'POST', { rules: [rule(`B${round}x`), rule(`B${round}y`)] }),
      ]);
      assert.equal(a.added.length + b.added.length, 4);
    }
    for (const s of servers) {
      const set = await admin(s, 'GET');
      const actions = set.rules.map((r: { actions: string[] }) => r.actions[0]).sort();
      const expected = Array.from({ length: ROUNDS }, (_, r) =>
        ['A', 'B'].flatMap((who) => [`Describe${who}${r}x`, `Describe${who}${r}y`]),
      ).flat();
      assert.deepEqual(actions, expected.sort());
      assert.equal(new Set(set.rules.map((r: { id: string }) => r.id)).size, ROUNDS * 4, 'every rule has its own id');
      assert.equal(set.version, ROUNDS * 2, 'one version per change, none lost');
    }
  });
});
