// PostgreSQL unreachable when `eniplane serve` starts: the server starts
// anyway, answers every call with the retryable ServiceUnavailable (503, in
// Alibaba's shape; the console's shape under /console/api), /readyz says not
// ready, and it keeps retrying. The database "appears" when the test starts a
// TCP proxy to the shared PostgreSQL on the port the server was pointed at (the
// shared server is never stopped): the server connects, migrates and serves,
// and what it acknowledges is in the database.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { sdkClient } from '../support/sdk-clients.ts';
import { dropSchema, freshSchemaName, pgUnavailable, PG_BASE_URL, querySchema, urlWithSchema } from './pg-support.ts';

const unavailable = await pgUnavailable();
const skip = unavailable !== undefined && !process.env.CI ? unavailable : false;

const KEY = { id: `LTAI${randomBytes(10).toString('hex')}`, secret: randomBytes(15).toString('hex') };
const SEAL_KEY = randomBytes(32).toString('base64');
/** bounds: the server's connection after the proxy starts (its back-off is capped at 5 s) */
const CONNECTED_WITHIN_MS = 30_000;

/** A port on 127.0.0.1 where nothing listens (taken, then given back). */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

/** Forwards 127.0.0.1:port to the shared PostgreSQL. */
async function startProxy(port: number): Promise<{ close(): Promise<void> }> {
  const target = new URL(PG_BASE_URL);
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

async function until(cond: () => Promise<boolean>, withinMs: number, what: string): Promise<void> {
  const end = Date.now() + withinMs;
  while (!(await cond().catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('PostgreSQL unreachable at start', { skip, timeout: 90_000 }, () => {
  const schema = freshSchemaName();
  let port: number;
  let server: ServerProcess;
  let proxy: { close(): Promise<void> } | undefined;

  before(async () => {
    port = await freePort();
    const base = new URL(PG_BASE_URL);
    base.host = `127.0.0.1:${port}`;
    server = await startServerProcess({
      args: ['--database', urlWithSchema(schema, base.toString()), '--metadata-listen', '127.0.0.1:0'],
      env: { ENIPLANE_ROOT_ACCESS_KEY_ID: KEY.id, ENIPLANE_ROOT_ACCESS_KEY_SECRET: KEY.secret, ENIPLANE_SECRET_KEY: SEAL_KEY },
    });
  });

  after(async () => {
    await server?.stop();
    await proxy?.close();
    await dropSchema(schema);
  });

  it('starts, answers ServiceUnavailable until the database appears, then connects, migrates and serves', async () => {
    const base = `http://${server.endpoint}`;
    assert.match(server.output(), /database:\s+unreachable; retrying/);
    const client = sdkClient('ecs-acs3', server.endpoint, KEY);

    // Meanwhile: every call the retryable 503 in Alibaba's shape, reads and writes alike; not ready.
    for (const [action, params] of [
      ['DescribeVpcs', { RegionId: 'cn-hangzhou' }],
      ['CreateVpc', { RegionId: 'cn-hangzhou', CidrBlock: '10.0.0.0/8' }],
    ] as const) {
      const e = await client.fail(action, params);
      assert.equal(e.code, 'ServiceUnavailable', action);
      assert.equal(e.statusCode, 503, action);
    }
    const signIn = await fetch(`${base}/console/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ accessKeyId: KEY.id, accessKeySecret: KEY.secret }),
    });
    const answer = (await signIn.json()) as Record<string, string>;
    assert.equal(signIn.status, 503);
    assert.equal(answer.Code, 'ServiceUnavailable');
    assert.equal(answer.Message, 'The request has failed due to a temporary failure of the server.');
    assert.ok(answer.RequestId);
    assert.equal((await fetch(`${base}/readyz`)).status, 503);
    // The metadata service too: a plain 503 its agents retry, not a 500.
    const metadata = /metadata:\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(server.output())![1];
    const md = await fetch(`${metadata}/latest/meta-data/instance-id`);
    assert.equal(md.status, 503);
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    // It keeps trying, and says so.
    await until(async () => (server.output().match(/PostgreSQL unreachable/g) ?? []).length >= 2, 10_000, 'a second retry logged');
    assert.equal(server.child.exitCode, null, 'still running');
    assert.deepEqual(await querySchema(schema, 'SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema()'), []);

    // The database appears on that port: the server connects by itself.
    proxy = await startProxy(port);
    await until(async () => (await fetch(`${base}/readyz`)).status === 200, CONNECTED_WITHIN_MS, 'the server to be ready');
    assert.match(server.output(), /database connected/);

    const vpc = await client.call('CreateVpc', { RegionId: 'cn-hangzhou', CidrBlock: '10.0.0.0/8' });
    const listed = await client.call('DescribeVpcs', { RegionId: 'cn-hangzhou' });
    assert.deepEqual(
      listed.Vpcs.Vpc.map((v: { VpcId: string }) => v.VpcId),
      [vpc.VpcId],
    );
    // Migrated, and the acknowledged write is in the database.
    const rows = await querySchema<{ id: string }>(schema, 'SELECT id FROM vpcs');
    assert.deepEqual(
      rows.map((r) => r.id),
      [vpc.VpcId],
    );
    const signedIn = await fetch(`${base}/console/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ accessKeyId: KEY.id, accessKeySecret: KEY.secret }),
    });
    assert.equal(signedIn.status, 201);
  });
});
