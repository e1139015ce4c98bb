// The console end to end: a real `eniplane serve` process, Chromium, and the
// seed's flows from an empty account to an ENI with secondary IPs, the
// refusals as the API words them, and the failover between two instances.
// Screenshots of each main screen go to test-results/console/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureConsoleBuilt, ROOT } from './console-build.ts';
import { startServe, type ServeProcess } from './serve-process.ts';
import { launchChromium, openPage, pick, recordStatuses, statusesSeen } from './browser.ts';
import { sdkClient } from '../support/sdk-clients.ts';

const SHOTS = join(ROOT, 'test-results', 'console');

describe('console end to end', { timeout: 300_000 }, () => {
  let server: ServeProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  const ids = { eni: '', a: '', b: '' };
  let manualAddr = '';

  // Full pages, except with a dialog open (the mask covers the viewport only).
  const shot = async (name: string, fullPage = true) => {
    await page.mouse.move(0, 0); // no hover tooltips in the picture
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
  };
  const go = async (label: string) => {
    await page.getByRole('navigation', { name: 'Console sections' }).getByRole('link', { name: label, exact: true }).click();
  };
  const dialog = (name: string | RegExp) => page.getByRole('dialog', { name });

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ensureConsoleBuilt();
    server = await startServe();
    browser = await launchChromium();
    ({ context, page } = await openPage(browser, pageErrors));
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  test('a bare visit to / lands on the sign-in page; signing in shows the getting-started guide', async () => {
    await page.goto(server.url + '/');
    assert.match(page.url(), /\/console\/$/);
    await page.getByLabel('AccessKey ID').waitFor();
    await shot('01-sign-in');
    await page.getByLabel('AccessKey ID').fill(server.root.accessKeyId);
    await page.getByLabel('AccessKey Secret').fill('wrong-secret');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('api-error').filter({ hasText: 'SignatureDoesNotMatch' }).waitFor();
    await page.getByLabel('AccessKey Secret').fill(server.root.accessKeySecret);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('getting-started').waitFor();
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'eniplane_session');
    assert.ok(session, 'session cookie set');
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Strict');
    await shot('02-enis-getting-started');
  });

  test('create a VPC and a vSwitch with IPv6, and a security group', async () => {
    await go('VPCs');
    await page.getByRole('button', { name: 'Create VPC' }).first().click();
    const vpcDialog = dialog('Create VPC');
    await vpcDialog.getByLabel('Name').fill('prod-vpc');
    await vpcDialog.getByRole('button', { name: 'Create' }).click();
    await vpcDialog.waitFor({ state: 'hidden' });
    await page.getByTestId('vpc-table').getByText('prod-vpc').waitFor();
    await shot('03-vpcs');

    await go('vSwitches');
    await page.getByRole('button', { name: 'Create vSwitch' }).first().click();
    const vswDialog = dialog('Create vSwitch');
    await pick(page, vswDialog.getByLabel('VPC'), 'prod-vpc');
    await assert.doesNotReject(vswDialog.getByLabel('IPv4 CIDR block').and(page.locator('[value="192.168.0.0/24"]')).waitFor());
    assert.equal(await vswDialog.getByLabel('Enable IPv6').isChecked(), true);
    await vswDialog.getByLabel('Name').fill('app-vsw');
    await vswDialog.getByRole('button', { name: 'Create' }).click();
    await vswDialog.waitFor({ state: 'hidden' });
    const row = page.getByTestId('vswitch-table').locator('tr', { hasText: 'app-vsw' });
    await row.waitFor();
    assert.equal(await row.getByTestId('free-count').textContent(), '252');
    await shot('04-vswitches');

    await go('Security Groups');
    await page.getByRole('button', { name: 'Create Security Group' }).first().click();
    const sgDialog = dialog('Create Security Group');
    await pick(page, sgDialog.getByLabel('VPC'), 'prod-vpc');
    await sgDialog.getByLabel('Name').fill('app-sg');
    await sgDialog.getByRole('button', { name: 'Create' }).click();
    await sgDialog.waitFor({ state: 'hidden' });
    await page.getByTestId('sg-table').getByText('app-sg').waitFor();
    await shot('05-security-groups');
  });

  test('create two instances (the active one and a standby)', async () => {
    await go('Instances');
    for (const name of ['active-a', 'standby-b']) {
      await page.getByRole('button', { name: 'Create Instance' }).first().click();
      const d = dialog('Create instance');
      await pick(page, d.getByLabel('vSwitch'), 'app-vsw');
      await pick(page, d.getByLabel('Security groups'), 'app-sg');
      await page.keyboard.press('Escape');
      await d.getByLabel('Name').fill(name);
      await d.getByRole('button', { name: 'Create' }).click();
      await d.waitFor({ state: 'hidden' });
    }
    const table = page.getByTestId('instance-table');
    for (const name of ['active-a', 'standby-b']) await table.locator('tr', { hasText: name }).locator('[data-status="Running"]').waitFor();
    ids.a = (await table.locator('tr', { hasText: 'active-a' }).getAttribute('data-row-key'))!;
    ids.b = (await table.locator('tr', { hasText: 'standby-b' }).getAttribute('data-row-key'))!;
    assert.match(ids.a, /^i-/);
    await shot('06-instances');
  });

  test('create a secondary ENI', async () => {
    await go('Elastic Network Interfaces');
    await page.getByRole('button', { name: 'Create ENI' }).first().click();
    const d = dialog('Create ENI');
    await pick(page, d.getByLabel('vSwitch'), 'app-vsw');
    await pick(page, d.getByLabel('Security groups'), 'app-sg');
    await page.keyboard.press('Escape');
    await d.getByLabel('Name').fill('failover-eni');
    await d.getByRole('button', { name: 'Create' }).click();
    await d.waitFor({ state: 'hidden' });
    const row = page.getByTestId('eni-table').locator('tr', { hasText: 'failover-eni' });
    await row.locator('[data-status="Available"]').waitFor();
    ids.eni = (await row.getAttribute('data-row-key'))!;
    assert.match(ids.eni, /^eni-/);
  });

  test('Manage ENI IP Addresses: one auto and one manual IPv4 and one IPv6, then the details page shows them', async () => {
    const row = page.getByTestId('eni-table').locator(`tr[data-row-key="${ids.eni}"]`);
    await row.getByRole('button', { name: 'Manage ENI IP Addresses' }).click();
    const d = dialog('Manage ENI IP Addresses');
    await d.getByTestId('increase-4').click();
    await d.getByTestId('increase-4').click();
    await d.getByTestId('new-4-1').getByText('Enter manually').click();
    // A manual address no primary picked at random above holds (the console applies manual rows before auto ones).
    const key = { id: server.root.accessKeyId, secret: server.root.accessKeySecret };
    const api = sdkClient('popcore-get', new URL(server.url).host, key);
    const enis = await api.call('DescribeNetworkInterfaces', { RegionId: 'cn-hangzhou', MaxResults: 100 });
    const held = new Set((enis.NetworkInterfaceSets.NetworkInterfaceSet as { PrivateIpAddress: string }[]).map((e) => e.PrivateIpAddress));
    manualAddr = ['192.168.0.50', '192.168.0.51', '192.168.0.52', '192.168.0.53'].find((x) => !held.has(x))!;
    await d.getByLabel('New IPv4 address 2', { exact: true }).fill(manualAddr);
    await d.getByTestId('increase-6').click();
    assert.equal(await d.getByTestId('issue-4-1').count(), 0, 'a valid manual address has no issue');
    await shot('07-manage-ips', false);
    await d.getByTestId('confirm-ips').click();
    await d.waitFor({ state: 'hidden' });
    await row.getByTestId('secondary-count').filter({ hasText: 'IPv4 2 · IPv6 1' }).waitFor();

    await row.getByRole('link', { name: ids.eni }).click();
    await page.getByTestId('eni-overview').waitFor();
    const v4 = page.getByTestId('eni-ipv4-list');
    await v4.getByText(manualAddr).waitFor();
    assert.equal(await v4.locator('.ant-list-item').count(), 3);
    assert.equal(await page.getByTestId('eni-ipv6-list').locator('.ant-list-item').count(), 1);
    const limits = page.getByTestId('eni-limits');
    await limits.getByText('applies now').waitFor();
    await shot('08-eni-details');
  });

  test("a reserved address and an 11th address are refused with the API's Code and Message", async () => {
    await page.getByRole('button', { name: 'Manage ENI IP Addresses' }).first().click();
    const d = dialog('Manage ENI IP Addresses');
    await d.getByTestId('increase-4').click();
    await d.getByTestId('new-4-0').getByText('Enter manually').click();
    await d.getByLabel('New IPv4 address 1', { exact: true }).fill('192.168.0.253');
    await d.getByTestId('issue-4-0').filter({ hasText: 'InvalidVSwitchId.IpInvalid' }).waitFor();
    await d.getByTestId('confirm-ips').click();
    const err = d.getByTestId('manage-ips-error');
    await err.getByText('InvalidVSwitchId.IpInvalid').waitFor();
    assert.equal(await err.getByTestId('api-error-message').textContent(), 'The specified IpAddress is not valid in VSwitch CIDR block.');
    await shot('09-refused-reserved', false);

    // 3 IPv4 now (primary + 2); 8 more rows make 11 on an Available ENI whose cap is 10.
    await d.getByRole('button', { name: 'Remove new IPv4 row 1' }).click();
    for (let i = 0; i < 8; i++) await d.getByTestId('increase-4').click();
    await d.getByTestId('issue-4-7').filter({ hasText: 'MaxEniPrivateIpsCountExceeded' }).waitFor();
    await d.getByTestId('confirm-ips').click();
    await err.getByText('MaxEniPrivateIpsCountExceeded').waitFor();
    assert.equal(
      await err.getByTestId('api-error-message').textContent(),
      'The maximum number of private IP addresses of the ENI is exceeded. An ENI in the Available state can have at most 10 private IPv4 addresses, including the primary one.',
    );
    assert.equal(await d.isVisible(), true, 'the dialog stays open');
    await shot('10-refused-quota', false);

    // Unassign the manual address with its delete icon.
    for (let i = 8; i >= 1; i--) await d.getByRole('button', { name: `Remove new IPv4 row ${i}` }).click();
    await d.getByRole('button', { name: `Unassign ${manualAddr}` }).click();
    await d.getByTestId('confirm-ips').click();
    await d.waitFor({ state: 'hidden' });
    const v4 = page.getByTestId('eni-ipv4-list');
    await v4.getByText(manualAddr).waitFor({ state: 'detached' });
    assert.equal(await v4.locator('.ant-list-item').count(), 2);
  });

  test('Configure the OS renders the guest configuration for the ENI', async () => {
    await page.getByRole('tab', { name: 'Configure the OS' }).click();
    const os = page.getByTestId('os-config');
    await os.locator('pre').first().waitFor();
    assert.match(await os.innerText(), /nmcli/);
    await shot('11-configure-os');
    await page.getByRole('tab', { name: 'Details' }).click();
  });

  test('tags: add, change and remove on the details page; the ENIs page filters by tag', async () => {
    const tags = page.getByTestId('eni-tags');
    const add = async (k: string, v: string, button: string) => {
      await tags.getByLabel('Tag key').fill(k);
      await tags.getByLabel('Tag value').fill(v);
      await tags.getByRole('button', { name: button }).click();
      await tags
        .getByTestId('eni-tag')
        .filter({ hasText: `${k}: ${v}` })
        .waitFor();
    };
    await add('team', 'net', 'Add tag');
    await add('env', 'prod', 'Add tag');
    await add('team', 'ops', 'Change value');
    await tags.getByLabel('Remove tag env').click();
    await tags.getByTestId('eni-tag').filter({ hasText: 'env: prod' }).waitFor({ state: 'detached' });
    // A reserved key is caught before sending.
    await tags.getByLabel('Tag key').fill('acs:x');
    assert.equal(await tags.getByRole('button', { name: 'Add tag' }).isDisabled(), true);
    await tags.getByLabel('Tag key').fill('');
    const key = { id: server.root.accessKeyId, secret: server.root.accessKeySecret };
    const api = sdkClient('popcore-get', new URL(server.url).host, key);
    const listed = await api.call('ListTagResources', { RegionId: 'cn-hangzhou', ResourceType: 'eni', ResourceId: [ids.eni] });
    assert.deepEqual(
      (listed.TagResources.TagResource as { TagKey: string; TagValue: string }[]).map((t) => `${t.TagKey}=${t.TagValue}`),
      ['team=ops'],
    );
    await shot('11b-eni-tags');

    await go('Elastic Network Interfaces');
    const search = page.getByLabel('Search ENIs');
    const rows = page.getByTestId('eni-table').locator('tbody tr[data-row-key]');
    await search.fill('tag:team=ops');
    await search.press('Enter');
    await page
      .getByTestId('eni-table')
      .locator(`tr[data-row-key="${ids.eni}"]`)
      .getByTestId('eni-row-tags')
      .filter({ hasText: 'team: ops' })
      .waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="eni-table"] tbody tr[data-row-key]').length === 1);
    assert.equal(await rows.count(), 1);
    await search.fill('tag:team=nobody');
    await search.press('Enter');
    await page.getByText('No ENI matches tag team=nobody').waitFor();
    await search.fill('');
    await search.press('Enter');
    await page.getByTestId('eni-table').locator(`tr[data-row-key="${ids.eni}"]`).waitFor();
  });

  test('failover: bind to A, unbind, bind to B — Detaching and Attaching show live until InUse', async () => {
    await go('Elastic Network Interfaces');
    const row = page.getByTestId('eni-table').locator(`tr[data-row-key="${ids.eni}"]`);
    await recordStatuses(page, ids.eni);
    await row.getByRole('button', { name: 'Bind to Instance' }).click();
    const bind = dialog(/^Bind eni-/);
    await pick(page, bind.getByLabel('Instance'), ids.a);
    await bind.getByRole('button', { name: 'Bind' }).click();
    await row.locator('[data-status="InUse"]').waitFor();
    assert.equal(await row.locator('td').filter({ hasText: ids.a }).count(), 1);
    assert.deepEqual(await statusesSeen(page, ids.eni), ['Available', 'Attaching', 'InUse']);
    await shot('12-enis-bound');

    // From the Instances page: unbind from A (the failed one), bind to B (the standby).
    await go('Instances');
    const table = page.getByTestId('instance-table');
    await table
      .locator(`tr[data-row-key="${ids.a}"]`)
      .getByRole('button', { name: /expand/i })
      .click();
    const enisOfA = page.getByTestId(`instance-enis-${ids.a}`);
    // This page may still show the bind it was told about until its own next poll; start from what it fetched.
    await enisOfA.locator(`tr[data-row-key="${ids.eni}"] [data-status="InUse"]`).waitFor();
    await recordStatuses(page, ids.eni);
    await enisOfA.locator(`tr[data-row-key="${ids.eni}"]`).getByRole('button', { name: 'Unbind' }).click();
    await page.getByRole('tooltip').getByRole('button', { name: 'Unbind' }).click();
    await enisOfA.locator(`tr[data-row-key="${ids.eni}"]`).waitFor({ state: 'detached' });
    assert.deepEqual((await statusesSeen(page, ids.eni)).slice(0, 2), ['InUse', 'Detaching']);

    await table.locator(`tr[data-row-key="${ids.b}"]`).getByRole('button', { name: 'Bind ENI' }).click();
    const attach = dialog(/^Bind an ENI to /);
    await pick(page, attach.getByLabel('Secondary ENI'), ids.eni);
    await recordStatuses(page, ids.eni);
    await attach.getByRole('button', { name: 'Bind' }).click();
    const enisOfB = page.getByTestId(`instance-enis-${ids.b}`);
    await enisOfB.locator(`tr[data-row-key="${ids.eni}"] [data-status="InUse"]`).waitFor();
    const seen = await statusesSeen(page, ids.eni);
    assert.equal(seen[seen.length - 1], 'InUse');
    assert.ok(seen.includes('Attaching'), `statuses seen: ${seen.join(' → ')}`);
    await shot('13-instances-failover');
  });

  test('lists follow the region selector; dialogs close with Escape', async () => {
    await go('Elastic Network Interfaces');
    await page.getByTestId('eni-table').locator(`tr[data-row-key="${ids.eni}"]`).waitFor();
    await pick(page, page.getByLabel('Region'), 'cn-shanghai');
    await page.getByTestId('getting-started').getByText('No ENIs in China (Shanghai) (cn-shanghai) yet').waitFor();
    await pick(page, page.getByLabel('Region'), 'cn-hangzhou');
    const row = page.getByTestId('eni-table').locator(`tr[data-row-key="${ids.eni}"]`);
    await row.getByRole('button', { name: 'Manage ENI IP Addresses' }).click();
    const d = dialog('Manage ENI IP Addresses');
    await d.getByTestId('increase-4').waitFor();
    await page.keyboard.press('Escape');
    await d.waitFor({ state: 'hidden' });
  });

  test('a second account sees none of it', async () => {
    const second = server.createAccount('second');
    await page.getByTestId('account-menu').click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.getByLabel('AccessKey ID').waitFor();
    await page.getByLabel('AccessKey ID').fill(second.accessKeyId);
    await page.getByLabel('AccessKey Secret').fill(second.accessKeySecret);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('account-menu').filter({ hasText: 'second' }).waitFor();
    await go('Elastic Network Interfaces');
    await page.getByTestId('getting-started').waitFor();
    await go('VPCs');
    await page.getByText('No VPCs in cn-hangzhou').waitFor();
    await go('Instances');
    await page.getByText('No instances in this region').waitFor();
    await page.goto(`${server.url}/console/enis/${ids.eni}`);
    await page.getByText(`${ids.eni} does not exist in cn-hangzhou`).waitFor();
    await shot('14-second-account');
  });

  test('no errors in the browser console', () => {
    assert.deepEqual(pageErrors, []);
  });
});
