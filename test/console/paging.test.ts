// The ENI list's paging with 10,000 ENIs, the way the console asks for it
// (session RPC, MaxResults/NextToken, filters): every page costs about the
// same, deep pages included.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createApp, type App } from '../../src/api/app.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { createDeps } from '../../src/service/create-deps.ts';
import { ensureRootAccount } from '../../src/service/accounts.ts';
import { createSecurityGroup, createVpc, createVSwitch } from '../../src/service/networks.ts';
import { formatIpv4, parseIpv4 } from '../../src/ipam/index.ts';
import type { Eni } from '../../src/domain/model.ts';

const ENIS = 10_000;
/** generous for a loaded CI machine; a page is a few milliseconds on an idle one */
const PAGE_BUDGET_MS = 400;

const dir = mkdtempSync(join(tmpdir(), 'eniplane-console-paging-'));
let store: SqliteStore;
let app: App;
let cookie = '';
let csrf = '';

async function describeEnis(params: Record<string, string>): Promise<{ ms: number; body: any }> {
  const body = new URLSearchParams({ Action: 'DescribeNetworkInterfaces', Version: '2014-05-26', RegionId: 'cn-hangzhou', ...params }).toString();
  const t0 = performance.now();
  const r = await app.server.inject({ method: 'POST', url: '/', headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/x-www-form-urlencoded' }, payload: body });
  const ms = performance.now() - t0;
  assert.equal(r.statusCode, 200, r.body);
  return { ms, body: JSON.parse(r.body) };
}

before(async () => {
  store = new SqliteStore(join(dir, 'eniplane.db'));
  const deps = createDeps(store, { limits: { transitionMs: 0, enisPerRegion: ENIS + 10 } });
  const root = await ensureRootAccount(deps);
  const caller = { accountId: root.accountId };
  const vpc = await createVpc(deps, caller, { cidrBlock: '10.0.0.0/8' });
  const vsw = await createVSwitch(deps, caller, { vpcId: vpc.id, zoneId: 'cn-hangzhou-h', cidrBlock: '10.0.0.0/16' });
  const sg = await createSecurityGroup(deps, caller, { vpcId: vpc.id, type: 'enterprise' });
  const base = parseIpv4('10.0.0.0');
  // Straight into the store in one transaction: the use cases are tested elsewhere; this is about reading.
  await store.transaction(async (tx) => {
    for (let i = 0; i < ENIS; i++) {
      const address = formatIpv4(base + 10 + i);
      const eni: Eni = {
        id: `eni-bp${String(i).padStart(18, '0')}`, accountId: root.accountId, regionId: 'cn-hangzhou', zoneId: vsw.zoneId, vpcId: vpc.id, vSwitchId: vsw.id,
        resourceGroupId: vpc.resourceGroupId, name: `eni-${i}`, description: '', type: 'Secondary', status: i % 10 === 0 ? 'InUse' : 'Available',
        macAddress: `00:16:3e:${((i >> 16) & 0xff).toString(16).padStart(2, '0')}:${((i >> 8) & 0xff).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`,
        instanceId: null, pendingInstanceId: null, transitionDueMs: null, deviceIndex: null, deleteOnRelease: false, securityGroupIds: [sg.id],
        addresses: [{ family: 4, address, primary: true }], tags: [], createdAt: '2026-01-01T00:00:00Z',
      };
      await tx.enis.insert(eni);
      await tx.addresses.insert([{ vSwitchId: vsw.id, eniId: eni.id, family: 4, address, primary: true, ipv4Num: base + 10 + i }]);
    }
  });
  app = createApp(deps, { logger: pino({ level: 'silent' }), loose: false, checkNonce: true, console: { assetsDir: dir } });
  await app.server.ready();
  const r = await app.server.inject({ method: 'POST', url: '/console/api/session', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ accessKeyId: root.accessKeyId, accessKeySecret: root.accessKeySecret }) });
  cookie = String(r.headers['set-cookie']).split(';')[0];
  csrf = JSON.parse(r.body).csrfToken;
}, { timeout: 120_000 });

after(async () => {
  await app?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe(`ENI list paging with ${ENIS.toLocaleString('en-US')} ENIs`, () => {
  it('walks 60 pages of 100 by NextToken, each within budget, with no duplicates and the right total', async () => {
    const seen = new Set<string>();
    let token = '';
    let slowest = 0;
    for (let page = 1; page <= 60; page++) {
      const { ms, body } = await describeEnis({ MaxResults: '100', ...(token ? { NextToken: token } : {}) });
      slowest = Math.max(slowest, ms);
      assert.equal(body.TotalCount, ENIS);
      for (const e of body.NetworkInterfaceSets.NetworkInterfaceSet) {
        assert.ok(!seen.has(e.NetworkInterfaceId));
        seen.add(e.NetworkInterfaceId);
      }
      token = body.NextToken;
      assert.ok(token, `page ${page} has a next page`);
    }
    assert.equal(seen.size, 6000);
    assert.ok(slowest < PAGE_BUDGET_MS, `slowest page took ${slowest.toFixed(0)} ms`);
  });

  it('filters (status, an exact address) and the last page are server-side and just as quick', async () => {
    const inUse = await describeEnis({ MaxResults: '20', Status: 'InUse' });
    assert.equal(inUse.body.TotalCount, ENIS / 10);
    assert.ok(inUse.ms < PAGE_BUDGET_MS, `${inUse.ms} ms`);
    const byIp = await describeEnis({ MaxResults: '20', 'PrivateIpAddress.1': '10.0.39.25' });
    assert.equal(byIp.body.TotalCount, 1);
    assert.ok(byIp.ms < PAGE_BUDGET_MS, `${byIp.ms} ms`);
    const last = await describeEnis({ MaxResults: '20', NextToken: Buffer.from(`eni-bp${String(ENIS - 21).padStart(18, '0')}`).toString('base64url') });
    assert.equal(last.body.NetworkInterfaceSets.NetworkInterfaceSet.length, 20);
    assert.equal(last.body.NextToken, '');
    assert.ok(last.ms < PAGE_BUDGET_MS, `${last.ms} ms`);
  });
});
