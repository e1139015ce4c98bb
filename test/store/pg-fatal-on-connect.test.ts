// A connection PostgreSQL ends in the same breath as it becomes ready (its
// ReadyForQuery and a FATAL in one socket read: a backend terminated as it
// started, which a loaded machine turns into a single read during a restart)
// must cost a request a ServiceUnavailable, never the process. It once did:
// the pool drops its 'error' listener as it hands a new connection over, the
// FATAL was emitted before the store's own listener went on, and the
// unhandled 'error' event killed `eniplane serve` (issue 12, pg-restart under load).
// Deterministic: a proxy (test/support/pg-fatal-proxy.ts) sends exactly that to
// every new connection. The shared PostgreSQL is not disturbed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { sdkClient, type SdkClient } from '../support/sdk-clients.ts';
import { startPgFatalProxy, type PgFatalProxy } from '../support/pg-fatal-proxy.ts';
import { dropSchema, freshSchemaName, PG_BASE_URL, pgUnavailable, urlWithSchema } from './pg-support.ts';

const unavailable = await pgUnavailable();
const skip = unavailable !== undefined && !process.env.CI ? unavailable : false;

const KEY = { id: `LTAI${randomBytes(10).toString('hex')}`, secret: randomBytes(15).toString('hex') };
/** rounds of concurrent requests while poisoned; each round needs more connections than the pool keeps idle */
const ROUNDS = 5;
const CONCURRENT = 24;

const codeOf = (e: any): string => (e?.data?.Code ? String(e.data.Code) : `transport: ${String(e?.message ?? e)}`);

describe('PostgreSQL ends a connection as it becomes ready', { skip, timeout: 120_000 }, () => {
  const schema = freshSchemaName();
  let proxy: PgFatalProxy;
  let server: ServerProcess;
  let client: SdkClient;

  before(async () => {
    const base = new URL(PG_BASE_URL);
    proxy = await startPgFatalProxy({ host: base.hostname, port: Number(base.port || 5432) });
    base.host = `127.0.0.1:${proxy.port}`;
    server = await startServerProcess({
      args: ['--database', urlWithSchema(schema, base.toString())],
      env: { ENIPLANE_ROOT_ACCESS_KEY_ID: KEY.id, ENIPLANE_ROOT_ACCESS_KEY_SECRET: KEY.secret },
    });
    client = sdkClient('popcore-post', server.endpoint, KEY);
  });

  after(async () => {
    await server?.stop().catch(() => undefined);
    await proxy?.close();
    await dropSchema(schema);
  });

  it('answers ServiceUnavailable, stays up, and serves again on fresh connections', async (t) => {
    await client.call('CreateVpc', { RegionId: 'cn-hangzhou', CidrBlock: '10.0.0.0/8' });
    proxy.poison(true);
    const codes = new Map<string, number>();
    let ok = 0;
    for (let r = 0; r < ROUNDS && server.child.exitCode === null; r++) {
      await Promise.all(
        Array.from({ length: CONCURRENT }, () =>
          client.call('DescribeVpcs', { RegionId: 'cn-hangzhou' }).then(
            () => ok++,
            (e) => codes.set(codeOf(e), (codes.get(codeOf(e)) ?? 0) + 1),
          ),
        ),
      );
    }
    proxy.poison(false);
    t.diagnostic(
      `poisoned connections ${proxy.poisoned}; answered ${ok}; refusals: ${[...codes].map(([k, v]) => `${k}=${v}`).join(' ') || 'none'}`,
    );
    if (server.child.exitCode !== null) t.diagnostic(server.output().slice(-3000));
    assert.equal(server.child.exitCode, null, 'the server is still running');
    assert.ok(proxy.poisoned > 0, 'new connections were ended as they became ready');
    assert.deepEqual(
      [...codes.keys()].filter((k) => k !== 'ServiceUnavailable'),
      [],
      'every refusal is ServiceUnavailable',
    );
    assert.ok((codes.get('ServiceUnavailable') ?? 0) > 0, 'requests on the ended connections were refused');
    // Back by itself: connections opened from now on are healthy.
    const vpcs = await client.call('DescribeVpcs', { RegionId: 'cn-hangzhou' });
    assert.equal(vpcs.TotalCount, 1);
  });
});
