// The audit trail in the console: GET /console/api/audit reads only the signed-in
// account's records (filters, keyset paging, strict query), and the Audit Trail
// page in Chromium lists them with their filters and paging. A real `eniplane
// serve` process; calls made with the official SDK's signing (pop-core).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ensureConsoleBuilt, ROOT } from './console-build.ts';
import { startServe, type ServeProcess } from './serve-process.ts';
import { launchChromium, openPage, pick } from './browser.ts';
import { sdkClient, type SdkClient } from '../support/sdk-clients.ts';

const SHOTS = join(ROOT, 'test-results', 'console');
const REGION = 'cn-hangzhou';

interface EventView {
  time: string;
  accessKeyId: string;
  sourceIp: string;
  action: string;
  resources: string[];
  requestId: string;
  result: string;
}
interface AuditAnswer {
  events: EventView[];
  nextToken: string;
  actions: string[];
}

describe('console audit trail', { timeout: 300_000 }, () => {
  let server: ServeProcess;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  let root: SdkClient;
  let other: SdkClient;
  let otherKey: { accountId: string; accessKeyId: string; accessKeySecret: string };
  const made = { rootVpcs: [] as string[], otherVpc: '' };

  /** A console session by fetch: its cookie and CSRF token. */
  async function signIn(id: string, secret: string): Promise<{ cookie: string; get(path: string): Promise<Response> }> {
    const res = await fetch(`${server.url}/console/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ accessKeyId: id, accessKeySecret: secret }),
    });
    assert.equal(res.status, 201);
    const cookie = res.headers.get('set-cookie')!.split(';')[0];
    return { cookie, get: (path) => fetch(`${server.url}/console/api/${path}`, { headers: { cookie } }) };
  }

  /** The audit writer flushes every 200 ms: wait (bounded) until `n` records of an account are readable. */
  async function waitForRecords(s: { get(path: string): Promise<Response> }, n: number): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const a = (await (await s.get('audit?pageSize=100')).json()) as AuditAnswer;
      if (a.events.length >= n) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`fewer than ${n} audit records after 10 s`);
  }

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ensureConsoleBuilt();
    server = await startServe();
    const host = new URL(server.url).host;
    root = sdkClient('popcore-post', host, { id: server.root.accessKeyId, secret: server.root.accessKeySecret });
    otherKey = server.createAccount('other');
    other = sdkClient('popcore-post', host, { id: otherKey.accessKeyId, secret: otherKey.accessKeySecret });
    // Root: 24 VPCs made, one refused; the other account: one VPC.
    for (let i = 0; i < 24; i++) made.rootVpcs.push((await root.call('CreateVpc', { RegionId: REGION, CidrBlock: '10.0.0.0/8' })).VpcId);
    assert.equal((await root.fail('CreateVpc', { RegionId: REGION, CidrBlock: '10.0.0.0/33' })).code, 'InvalidCidrBlock.Malformed');
    await root.call('DescribeVpcs', { RegionId: REGION }); // a read: not recorded
    made.otherVpc = (await other.call('CreateVpc', { RegionId: REGION, CidrBlock: '172.16.0.0/12' })).VpcId;
    browser = await launchChromium();
    ({ page } = await openPage(browser, pageErrors));
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  test('the route: only the signed-in account, with filters, keyset paging and a strict query', async () => {
    const r = await signIn(server.root.accessKeyId, server.root.accessKeySecret);
    const o = await signIn(otherKey.accessKeyId, otherKey.accessKeySecret);
    // root: 24 + 1 refused + its sign-in; other: 1 + its sign-in
    await waitForRecords(r, 26);
    await waitForRecords(o, 2);
    const mine = async (s: typeof r, q: string) => {
      const res = await s.get(`audit?${q}`);
      assert.equal(res.status, 200, q);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      return (await res.json()) as AuditAnswer;
    };

    const all = await mine(r, 'pageSize=100');
    assert.equal(all.events.length, 26);
    assert.equal(all.nextToken, '');
    assert.ok(all.actions.includes('CreateVpc') && all.actions.includes('ConsoleSignIn') && !all.actions.includes('DescribeVpcs'));
    for (const e of all.events) {
      assert.equal(e.accessKeyId, server.root.accessKeyId);
      assert.equal(e.sourceIp, '127.0.0.1');
      assert.match(e.requestId, /^[0-9A-F-]{36}$/);
      assert.ok(!e.resources.includes(made.otherVpc), 'another account’s resource');
    }
    assert.deepEqual(
      all.events.map((e) => Date.parse(e.time)),
      all.events.map((e) => Date.parse(e.time)).sort((a, b) => b - a),
      'newest first',
    );
    const created = all.events.filter((e) => e.action === 'CreateVpc' && e.result === 'Success');
    // what each made: the VPC, with its router and route table
    assert.deepEqual(created.flatMap((e) => e.resources.filter((x) => x.startsWith('vpc-'))).sort(), [...made.rootVpcs].sort());
    assert.ok(created.every((e) => e.resources.some((x) => x.startsWith('vrt-'))));

    // The other account sees its own two, and nothing of root's, whatever it filters on.
    const theirs = await mine(o, 'pageSize=100');
    assert.deepEqual(theirs.events.map((e) => e.action).sort(), ['ConsoleSignIn', 'CreateVpc']);
    assert.equal(theirs.events.find((e) => e.action === 'CreateVpc')!.resources[0], made.otherVpc);
    assert.deepEqual((await mine(o, `resourceId=${made.rootVpcs[0]}`)).events, []);
    assert.deepEqual((await mine(r, `resourceId=${made.otherVpc}`)).events, []);

    // Filters: result, action, resource, time range.
    const failed = await mine(r, 'result=Failed');
    assert.deepEqual(
      failed.events.map((e) => [e.action, e.result]),
      [['CreateVpc', 'InvalidCidrBlock.Malformed']],
    );
    assert.equal((await mine(r, 'result=Success&pageSize=100')).events.length, 25);
    assert.deepEqual(
      (await mine(r, 'action=ConsoleSignIn')).events.map((e) => e.action),
      ['ConsoleSignIn'],
    );
    const one = await mine(r, `resourceId=${made.rootVpcs[3]}`);
    assert.deepEqual(
      one.events.map((e) => e.resources[0]),
      [made.rootVpcs[3]],
    );
    const at = Date.parse(one.events[0].time);
    assert.ok((await mine(r, `since=${new Date(at).toISOString()}&until=${new Date(at + 1).toISOString()}`)).events.length >= 1);
    assert.deepEqual((await mine(r, `since=${new Date(Date.now() + 3600_000).toISOString()}`)).events, []);

    // Keyset paging: 26 records in pages of 10, each once, in order.
    const seen: string[] = [];
    let token = '';
    for (let i = 0; i < 5; i++) {
      const p = await mine(r, `pageSize=10${token ? `&nextToken=${token}` : ''}`);
      seen.push(...p.events.map((e) => e.requestId));
      token = p.nextToken;
      if (!token) break;
    }
    assert.deepEqual(
      seen,
      all.events.map((e) => e.requestId),
    );

    // Strict: no account parameter, no bad values; each refusal in the console's shape.
    for (const [q, name] of [
      [`accountId=${otherKey.accountId}`, 'accountId'],
      ['pageSize=7', 'pageSize'],
      ['since=yesterday', 'since'],
      ['action=DescribeVpcs', 'action'],
      ['nextToken=bm90LWEtdG9rZW4', 'nextToken'],
    ]) {
      const res = await r.get(`audit?${q}`);
      const body = (await res.json()) as Record<string, string>;
      assert.equal(res.status, 400, q);
      assert.equal(body.Code, 'InvalidParameter', q);
      assert.ok(body.Message.includes(name) && body.RequestId, q);
    }
    // No session: nothing.
    const anon = await fetch(`${server.url}/console/api/audit`);
    assert.equal(anon.status, 401);
    assert.equal(((await anon.json()) as { Code: string }).Code, 'ConsoleSession.Expired');
  });

  test('the page: records, filters and paging in Chromium', async () => {
    await page.goto(`${server.url}/console/`);
    await page.getByLabel('AccessKey ID').fill(server.root.accessKeyId);
    await page.getByLabel('AccessKey Secret').fill(server.root.accessKeySecret);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('getting-started').waitFor();
    await page.getByRole('navigation', { name: 'Console sections' }).getByRole('link', { name: 'Audit Trail', exact: true }).click();
    const table = page.getByTestId('audit-table');
    const rows = table.locator('tbody tr.ant-table-row');
    await table.getByText('ConsoleSignIn').first().waitFor();
    // 20 a page by default; the columns as the issue lists them.
    assert.equal(await rows.count(), 20);
    for (const h of ['Time', 'AccessKey', 'Source address', 'Action', 'Resources and addresses', 'RequestId', 'Result'])
      await table.getByRole('columnheader', { name: h }).waitFor();
    assert.ok(!(await table.textContent())!.includes(made.otherVpc));
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(SHOTS, '20-audit-trail.png'), fullPage: true });

    // Paging: next shows the rest (two sign-ins by now: 27 records), previous goes back.
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByTestId('audit-pager').getByText('page 2').waitFor();
    await table.locator('tbody tr.ant-table-row').nth(6).waitFor();
    assert.equal(await rows.count(), 7);
    assert.equal(await page.getByRole('button', { name: 'Next page' }).isDisabled(), true);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.getByTestId('audit-pager').getByText('page 1').waitFor();

    // Result: Failed → the one refused call, its code shown.
    await pick(page, page.getByLabel('Result'), 'Failed');
    await page.getByRole('button', { name: 'Search' }).click();
    await table.locator('[data-result="InvalidCidrBlock.Malformed"]').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="audit-table"] tbody tr.ant-table-row').length === 1);

    // Action and resource: the one call that made this VPC; clicking a resource tag filters by it too.
    await page.getByRole('button', { name: 'Reset' }).click();
    await pick(page, page.getByLabel('Action'), /^CreateVpc$/);
    await page.getByLabel('Resource ID').fill(made.rootVpcs[5]);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="audit-table"] tbody tr.ant-table-row').length === 1);
    await table.getByText(made.rootVpcs[5]).waitFor();

    // A time range in the future: nothing.
    await page.getByRole('button', { name: 'Reset' }).click();
    await page.getByLabel('From').fill('2099-01-01T00:00');
    await page.getByRole('button', { name: 'Search' }).click();
    await table.getByText('No audit records match.').waitFor();
    await page.getByRole('button', { name: 'Reset' }).click();
    await table.getByText('ConsoleSignIn').first().waitFor();
    assert.deepEqual(pageErrors, []);
  });
});
