// The console on a big account (issue 13): a world bulk-loaded as bench/scale
// does (bench/lib/scale-world.ts: 200 vSwitches, 4,000 instances, 20,000 ENIs;
// the signed-in account holds half), served by a real `eniplane serve`, driven
// by Chromium. Every RPC request the page sends is recorded (a request hook on
// the browser), and each screen must cost a bounded number of them, however
// many pages the account's lists have: the ENIs page names only the vSwitches
// it shows (one batch), the instance filter suggests from a search as you type
// (first page only), the pickers read one page, the details page names the
// ENI's own security groups. The names and suggestions must still appear.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ensureConsoleBuilt } from './console-build.ts';
import { launchChromium, openPage, pick } from './browser.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { openStore } from '../../src/store/open-store.ts';
import { createDeps } from '../../src/service/create-deps.ts';
import { buildWorld, type ScaleWorld } from '../../bench/lib/scale-world.ts';

/** 200 vSwitches, half of them (2 pages of DescribeVSwitches) and 2,000 instances (20 pages) the signed-in account's */
const ADDRESSES = 200_000;
const BIG = { vSwitches: 100, instances: 2_000 };

interface Call {
  action: string;
  params: URLSearchParams;
}

describe('console on a big account: requests per screen', { timeout: 600_000 }, () => {
  let dataDir: string;
  let world: ScaleWorld;
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const calls: Call[] = [];
  const all: Call[] = [];

  /** the RPC calls recorded since the last take(), then forgotten */
  const take = () => calls.splice(0, calls.length);
  const count = (list: Call[], action: string) => list.filter((c) => c.action === action).length;
  let inflight = 0;
  let lastActivity = 0;
  /** waits until no request is in flight and none started for a while (the page's polls are 10-15 s apart) */
  const settle = async () => {
    while (inflight > 0 || performance.now() - lastActivity < 1000) await new Promise((r) => setTimeout(r, 100));
  };
  /** waits until a call matching `pred` has been sent (since the last take()), then until the page is quiet */
  const callSeen = async (pred: (c: Call) => boolean) => {
    while (!calls.some(pred)) await new Promise((r) => setTimeout(r, 50));
    await settle();
  };
  const dialog = (name: string | RegExp) => page.getByRole('dialog', { name });

  before(async () => {
    ensureConsoleBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'eniplane-console-scale-'));
    const store = await openStore(undefined, dataDir);
    try {
      world = await buildWorld(store, createDeps(store, { limits: { transitionMs: 0 } }), ADDRESSES);
    } finally {
      await store.close();
    }
    // a hang guard, not a speed check: at load average 20 a start took over 20 s
    server = await startServerProcess({ dataDir, args: ['--transition-ms', '300'], startTimeoutMs: 120_000 });
    browser = await launchChromium();
    ({ page } = await openPage(browser, pageErrors, { timeoutMs: 30_000 }));
    const done = () => {
      inflight--;
      lastActivity = performance.now();
    };
    page.on('requestfinished', done);
    page.on('requestfailed', done);
    page.on('request', (r) => {
      inflight++;
      lastActivity = performance.now();
      if (r.method() !== 'POST' || new URL(r.url()).pathname !== '/') return;
      const params = new URLSearchParams(r.postData() ?? '');
      const call = { action: params.get('Action') ?? '', params };
      calls.push(call);
      all.push(call);
    });
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('the world is as big as the bounds below need', async () => {
    assert.equal(world.vSwitches, 2 * BIG.vSwitches);
    assert.ok(world.enis >= 20_000);
  });

  test('the ENIs page: one ENI page and one vSwitch batch, no instance list; every row names its vSwitch', async () => {
    await page.goto(`http://${server.endpoint}/console/`);
    await page.getByLabel('AccessKey ID').fill(world.key.id);
    await page.getByLabel('AccessKey Secret').fill(world.key.secret);
    take();
    await page.getByRole('button', { name: 'Sign in' }).click();
    const rows = page.getByTestId('eni-table').locator('tbody tr[data-row-key]');
    await rows.first().waitFor();
    await settle();
    const got = take();
    assert.equal(count(got, 'DescribeNetworkInterfaces'), 1, JSON.stringify(got.map((c) => c.action)));
    // the page's vSwitches (up to 20 of the account's 100) in one request, by id
    const vsw = got.filter((c) => c.action === 'DescribeVSwitches');
    assert.equal(vsw.length, 1);
    const named = vsw[0].params.get('VSwitchId')!.split(',');
    assert.ok(named.length >= 2 && named.length <= 20, `${named.length} vSwitch ids`);
    assert.equal(count(got, 'DescribeInstances'), 0, 'no instance is read before the filter is used');
    assert.ok(got.length <= 3, `${got.length} requests: ${got.map((c) => c.action).join(', ')}`);
    // every row shows its vSwitch's CIDR block (a /20 of the world)
    const n = await rows.count();
    assert.equal(n, 20);
    for (let i = 0; i < n; i++) assert.match((await rows.nth(i).innerText()).replace(/\s+/g, ' '), /vsw-\S+ 10\.\d+\.\d+\.0\/20/);
  });

  test('the next page names its vSwitches with at most one more request', async () => {
    await page.getByRole('button', { name: /Next/ }).click();
    await page.getByTestId('eni-table').locator('tbody tr[data-row-key]').first().waitFor();
    await settle();
    const got = take();
    assert.equal(count(got, 'DescribeNetworkInterfaces'), 1);
    assert.ok(count(got, 'DescribeVSwitches') <= 1);
    assert.equal(count(got, 'DescribeInstances'), 0);
  });

  test('the instance filter suggests from a search as you type: first page only', async () => {
    const filter = page.getByLabel('Instance', { exact: true });
    await filter.click();
    await filter.pressSequentially('node-7');
    const options = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option');
    await callSeen((c) => c.params.get('InstanceName') === '*node-7*');
    await options.first().waitFor();
    const texts = await options.allInnerTexts();
    assert.ok(texts.length > 0 && texts.length <= 20, `${texts.length} suggestions`);
    for (const t of texts) assert.match(t, /^i-\S+ \(node-7\)$/);
    const got = take().filter((c) => c.action === 'DescribeInstances');
    // at most one search a keystroke (debounced: usually one), each the first page of a name search
    assert.ok(got.length >= 1 && got.length <= 'node-7'.length, `${got.length} searches`);
    for (const c of got) {
      assert.equal(c.params.get('InstanceName'), `*${c.params.get('InstanceName')!.slice(1, -1)}*`);
      assert.equal(c.params.get('PageNumber'), '1');
      assert.ok(Number(c.params.get('PageSize')) <= 20);
    }
    assert.equal(got[got.length - 1].params.get('InstanceName'), '*node-7*');
  });

  test('an exact instance id: found by InstanceIds, and Enter filters the table by it', async () => {
    const filter = page.getByLabel('Instance', { exact: true });
    await filter.fill(world.sample.instanceId);
    const option = page
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
      .filter({ hasText: world.sample.instanceId });
    await callSeen((c) => c.params.get('InstanceIds') === JSON.stringify([world.sample.instanceId]));
    await option.first().waitFor();
    const searches = take().filter((c) => c.action === 'DescribeInstances');
    assert.ok(
      searches.some((c) => c.params.get('InstanceIds') === JSON.stringify([world.sample.instanceId])),
      'an id is looked up exactly',
    );
    assert.ok(searches.length <= 2);
    await filter.press('Enter');
    const rows = page.getByTestId('eni-table').locator('tbody tr[data-row-key]');
    await page.getByTestId('eni-table').locator('tbody tr', { hasText: world.sample.instanceId }).first().waitFor();
    await settle();
    assert.equal(await rows.count(), 4, 'the instance holds 4 ENIs');
    const got = take();
    assert.ok(got.some((c) => c.action === 'DescribeNetworkInterfaces' && c.params.get('InstanceId') === world.sample.instanceId));
    assert.ok(count(got, 'DescribeVSwitches') <= 1);
    // back to every ENI
    await filter.fill('');
    await page.keyboard.press('Escape');
    await page.getByTestId('eni-table').locator('tbody tr[data-row-key]').nth(4).waitFor();
    await settle();
    take();
  });

  test('the vSwitch filter reads one page when opened, not every vSwitch', async () => {
    await page.getByLabel('vSwitch', { exact: true }).click();
    const options = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option');
    await options.first().waitFor();
    await settle();
    const got = take().filter((c) => c.action === 'DescribeVSwitches');
    assert.equal(got.length, 1);
    assert.equal(got[0].params.get('PageNumber'), '1');
    assert.equal((await options.count()) > 0, true);
    await page.getByText(`50 of ${BIG.vSwitches} shown`).waitFor();
    await page.keyboard.press('Escape');
  });

  test('Manage ENI IP Addresses: the ENI, its vSwitch, instance and type; the quota counts the 10 addresses', async () => {
    const row = page
      .getByTestId('eni-table')
      .locator('tbody tr[data-row-key]', { has: page.locator('[data-status="InUse"]') })
      .first();
    await row.getByRole('button', { name: 'Manage ENI IP Addresses' }).click();
    const d = dialog('Manage ENI IP Addresses');
    await d.getByTestId('quota-4').waitFor();
    await settle();
    // ecs.g8i.xlarge: 15 addresses an ENI; the world gives each ENI 10
    assert.match(await d.getByTestId('quota-4').innerText(), /^10 of 15 after Confirm · 5 more can be added$/);
    const got = take();
    assert.equal(count(got, 'DescribeNetworkInterfaceAttribute'), 1);
    assert.ok(count(got, 'DescribeVSwitches') <= 1);
    assert.equal(count(got, 'DescribeInstances'), 1);
    assert.ok(got.length <= 4, got.map((c) => c.action).join(', '));
    await d.getByRole('button', { name: 'Cancel' }).click();
    await d.waitFor({ state: 'hidden' });
  });

  test('Bind to Instance: the picker reads the first page of the VPC and zone, and searches by name', async () => {
    await pick(page, page.getByLabel('Status', { exact: true }), 'Available');
    const row = page.getByTestId('eni-table').locator('tbody tr[data-row-key]').first();
    await row.locator('[data-status="Available"]').waitFor();
    await settle();
    take();
    await row.getByRole('button', { name: 'Bind to Instance' }).click();
    const d = dialog(/^Bind eni-/);
    await d.getByLabel('Instance').click();
    const options = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option');
    await options.first().waitFor();
    await settle();
    let got = take();
    const reads = got.filter((c) => c.action === 'DescribeInstances');
    assert.equal(reads.length, 1);
    assert.equal(reads[0].params.get('PageNumber'), '1');
    assert.ok(reads[0].params.get('VpcId') && reads[0].params.get('ZoneId'));
    assert.ok(count(got, 'DescribeInstanceTypes') <= 1, 'the page has one instance type (maybe cached already)');
    // the list is virtual (only what fits is in the DOM); the footer says how many the page holds
    assert.ok((await options.count()) >= 1);
    await page.getByText(/^20 of \d+ shown/).waitFor();
    await d.getByLabel('Instance').pressSequentially('node-3');
    await callSeen((c) => c.params.get('InstanceName') === '*node-3*');
    await options.filter({ hasText: '(node-3)' }).first().waitFor();
    for (const t of await options.allInnerTexts()) assert.match(t, /\(node-3\)/);
    got = take().filter((c) => c.action === 'DescribeInstances');
    assert.ok(got.length >= 1 && got.length <= 'node-3'.length);
    assert.equal(got[got.length - 1].params.get('InstanceName'), '*node-3*');
    await page.keyboard.press('Escape');
    await d.getByRole('button', { name: 'Cancel' }).click();
    await d.waitFor({ state: 'hidden' });
  });

  test('Create ENI: one page of vSwitches, then the chosen VPC groups; an exact vSwitch id is searched', async () => {
    await settle();
    take();
    await page.getByRole('button', { name: 'Create ENI' }).first().click();
    const d = dialog('Create ENI');
    await d.getByLabel('vSwitch').click();
    const options = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option');
    await options.first().waitFor();
    await settle();
    let got = take();
    assert.equal(count(got, 'DescribeVSwitches'), 1);
    assert.equal(count(got, 'DescribeSecurityGroups'), 0);
    await d.getByLabel('vSwitch').pressSequentially(world.sample.vSwitchId);
    await callSeen((c) => c.params.get('VSwitchId') === world.sample.vSwitchId);
    await options
      .filter({ hasText: /10\.\d+\.\d+\.0\/20/ })
      .first()
      .waitFor();
    got = take().filter((c) => c.action === 'DescribeVSwitches');
    assert.equal(got[got.length - 1].params.get('VSwitchId'), world.sample.vSwitchId);
    assert.equal(await options.count(), 1);
    await options.first().click();
    await d.getByLabel('Security groups').click();
    await options.first().waitFor();
    await settle();
    got = take();
    const groups = got.filter((c) => c.action === 'DescribeSecurityGroups');
    assert.equal(groups.length, 1);
    assert.ok(groups[0].params.get('VpcId'));
    await page.keyboard.press('Escape');
    await d.getByRole('button', { name: 'Cancel' }).click();
    await d.waitFor({ state: 'hidden' });
  });

  test("ENI details: the ENI's own security groups by id, no list of the VPC's", async () => {
    const id = (await page.getByTestId('eni-table').locator('tbody tr[data-row-key]').first().getAttribute('data-row-key'))!;
    await settle();
    take();
    await page.goto(`http://${server.endpoint}/console/enis/${id}`);
    await page.getByTestId('eni-overview').waitFor();
    await settle();
    const got = take();
    const groups = got.filter((c) => c.action === 'DescribeSecurityGroups');
    assert.equal(groups.length, 1);
    assert.ok(groups[0].params.get('SecurityGroupIds'));
    assert.ok(got.length <= 8, got.map((c) => c.action).join(', '));
  });

  test('no screen read a page past the first of any list, nor an unfiltered instance list', () => {
    const pastFirst = all.filter((c) => Number(c.params.get('PageNumber') ?? '1') > 1);
    assert.deepEqual(pastFirst, []);
    const unfiltered = all.filter(
      (c) => c.action === 'DescribeInstances' && !['InstanceName', 'InstanceIds', 'VpcId'].some((k) => c.params.get(k)),
    );
    assert.deepEqual(unfiltered, []);
    assert.deepEqual(pageErrors, []);
  });
});
