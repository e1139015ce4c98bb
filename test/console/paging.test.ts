// The ENI list's paging with 10,000 ENIs, the way the console asks for it
// (session RPC, MaxResults/NextToken, filters): every page right, deep pages
// and filters answered by the server. What a page costs is bench/paging's.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createApp, type App } from '../../src/api/app.ts';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { ServiceDeps } from '../../src/service/deps.ts';
import { seedManyEnis } from '../support/many-enis.ts';

const ENIS = 10_000;

const dir = mkdtempSync(join(tmpdir(), 'eniplane-console-paging-'));
let store: SqliteStore;
let deps: ServiceDeps;
let root: { accessKeyId: string; accessKeySecret: string };
let app: App;
let cookie = '';
let csrf = '';

async function describeEnis(params: Record<string, string>): Promise<{ body: any }> {
  const body = new URLSearchParams({
    Action: 'DescribeNetworkInterfaces',
    Version: '2014-05-26',
    RegionId: 'cn-hangzhou',
    ...params,
  }).toString();
  const r = await app.server.inject({
    method: 'POST',
    url: '/',
    headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/x-www-form-urlencoded' },
    payload: body,
  });
  assert.equal(r.statusCode, 200, r.body);
  return { body: JSON.parse(r.body) };
}

before(
  async () => {
    ({ store, deps, root } = await seedManyEnis(join(dir, 'eniplane.db'), ENIS));
    app = createApp(deps, { logger: pino({ level: 'silent' }), loose: false, checkNonce: true, console: { assetsDir: dir } });
    await app.server.ready();
    const r = await app.server.inject({
      method: 'POST',
      url: '/console/api/session',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ accessKeyId: root.accessKeyId, accessKeySecret: root.accessKeySecret }),
    });
    cookie = String(r.headers['set-cookie']).split(';')[0];
    csrf = JSON.parse(r.body).csrfToken;
  },
  { timeout: 300_000 },
);

after(async () => {
  await app?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe(`ENI list paging with ${ENIS.toLocaleString('en-US')} ENIs`, () => {
  it('walks 60 pages of 100 by NextToken with no duplicates and the right total', async () => {
    const seen = new Set<string>();
    let token = '';
    for (let page = 1; page <= 60; page++) {
      const { body } = await describeEnis({ MaxResults: '100', ...(token ? { NextToken: token } : {}) });
      assert.equal(body.TotalCount, ENIS);
      for (const e of body.NetworkInterfaceSets.NetworkInterfaceSet) {
        assert.ok(!seen.has(e.NetworkInterfaceId));
        seen.add(e.NetworkInterfaceId);
      }
      token = body.NextToken;
      assert.ok(token, `page ${page} has a next page`);
    }
    assert.equal(seen.size, 6000);
  });

  it('filters (status, an exact address) and the last page are answered by the server', async () => {
    const inUse = await describeEnis({ MaxResults: '20', Status: 'InUse' });
    assert.equal(inUse.body.TotalCount, ENIS / 10);
    const byIp = await describeEnis({ MaxResults: '20', 'PrivateIpAddress.1': '10.0.39.25' });
    assert.equal(byIp.body.TotalCount, 1);
    const last = await describeEnis({
      MaxResults: '20',
      NextToken: Buffer.from(`eni-bp${String(ENIS - 21).padStart(18, '0')}`).toString('base64url'),
    });
    assert.equal(last.body.NetworkInterfaceSets.NetworkInterfaceSet.length, 20);
    assert.equal(last.body.NextToken, '');
  });
});
