// The console's banner while faults are injected: a real `eniplane serve`
// process, Chromium, fault rules added and cleared through the admin API while
// the console is open. GET /console/api/chaos answers in the console's JSON
// shape, and only to a session.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { ensureConsoleBuilt } from './console-build.ts';
import { startServe, type ServeProcess } from './serve-process.ts';
import { launchChromium, openPage } from './browser.ts';

describe('console fault banner', { timeout: 300_000 }, () => {
  let server: ServeProcess;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  const admin = async (method: string, body?: unknown) => {
    const res = await fetch(`${server.url}/_eniplane/admin/faults`, {
      method,
      headers: { authorization: `Bearer ${server.root.accessKeyId}:${server.root.accessKeySecret}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    assert.equal(res.status, 200);
  };

  before(async () => {
    ensureConsoleBuilt();
    server = await startServe();
    browser = await launchChromium();
    ({ page } = await openPage(browser, pageErrors, { width: 1400, height: 900, timeoutMs: 15_000 }));
  });
  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  test('GET /console/api/chaos wants a session, and answers refusals in shape', async () => {
    const res = await fetch(`${server.url}/console/api/chaos`);
    assert.equal(res.status, 401);
    const body = await res.json();
    assert.equal(body.Code, 'ConsoleSession.Expired');
  });

  test('no banner without faults; it appears when a rule is added and goes when they are cleared', async () => {
    await page.goto(server.url + '/console/');
    await page.getByLabel('AccessKey ID').fill(server.root.accessKeyId);
    await page.getByLabel('AccessKey Secret').fill(server.root.accessKeySecret);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('getting-started').waitFor();
    const status = await page.evaluate(`fetch('/console/api/chaos').then((r) => r.json())`);
    assert.deepEqual(status, { faultsActive: false, faultRules: 0, throttleActive: false });
    assert.equal(await page.getByTestId('fault-banner').count(), 0);

    await admin('POST', {
      rules: [
        { actions: ['DescribeRegions'], effect: { kind: 'error', code: 'InternalError', status: 500 } },
        { effect: { kind: 'latency', ms: 1 } },
      ],
    });
    const banner = page.getByTestId('fault-banner');
    await banner.waitFor();
    assert.match(await banner.innerText(), /Fault injection is active \(2 rules\)/);
    assert.match(await banner.innerText(), /eniplane faults list/);

    await admin('DELETE');
    await banner.waitFor({ state: 'detached' });
    assert.deepEqual(pageErrors, []);
  });
});
