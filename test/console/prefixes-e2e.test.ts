// IP prefixes in the console, end to end: a real `eniplane serve`, Chromium,
// and an ENI made through the official SDK. The Manage ENI IP Addresses dialog
// flags a malformed prefix as the API would, assigns an IPv4 prefix by count
// and a named IPv6 prefix; the ENI list and the details page show them (and
// DescribeNetworkInterfaces agrees); then one is unassigned from the dialog.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ensureConsoleBuilt, ROOT } from './console-build.ts';
import { startServe, type ServeProcess } from './serve-process.ts';
import { launchChromium, openPage } from './browser.ts';
import { sdkClient, type SdkClient } from '../support/sdk-clients.ts';
import { bigIntToIpv6, ipv6ToBigInt } from '../../src/ipam/index.ts';

const SHOTS = join(ROOT, 'test-results', 'console');
const REGION = { RegionId: 'cn-hangzhou' };

describe('console: IP prefixes', { timeout: 300_000 }, () => {
  let server: ServeProcess;
  let browser: Browser;
  let page: Page;
  let api: SdkClient;
  let eniId = '';
  let v6Named = '';
  const pageErrors: string[] = [];
  const dialog = () => page.getByRole('dialog', { name: 'Manage ENI IP Addresses' });
  const describeEni = async () =>
    (await api.call('DescribeNetworkInterfaces', { ...REGION, NetworkInterfaceId: [eniId] })).NetworkInterfaceSets.NetworkInterfaceSet[0];

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ensureConsoleBuilt();
    server = await startServe();
    api = sdkClient('ecs-acs3', new URL(server.url).host, { id: server.root.accessKeyId, secret: server.root.accessKeySecret });
    const vpc = await api.call('CreateVpc', { ...REGION, CidrBlock: '192.168.0.0/16', EnableIpv6: true });
    const vsw = await api.call('CreateVSwitch', {
      ...REGION,
      VpcId: vpc.VpcId,
      ZoneId: 'cn-hangzhou-h',
      CidrBlock: '192.168.0.0/24',
      Ipv6CidrBlock: 1,
    });
    const sg = await api.call('CreateSecurityGroup', { ...REGION, VpcId: vpc.VpcId });
    eniId = (
      await api.call('CreateNetworkInterface', {
        ...REGION,
        VSwitchId: vsw.VSwitchId,
        SecurityGroupId: sg.SecurityGroupId,
        NetworkInterfaceName: 'prefix-eni',
      })
    ).NetworkInterfaceId;
    const v6cidr = (await api.call('DescribeVSwitches', { ...REGION, VSwitchId: vsw.VSwitchId })).VSwitches.VSwitch[0]
      .Ipv6CidrBlock as string;
    // the /80 block 0x00ab of the vSwitch /64
    v6Named = `${bigIntToIpv6(ipv6ToBigInt(v6cidr.split('/')[0])! | (0xabn << 48n))}/80`;
    browser = await launchChromium();
    ({ page } = await openPage(browser, pageErrors));
    await page.goto(server.url + '/');
    await page.getByLabel('AccessKey ID').fill(server.root.accessKeyId);
    await page.getByLabel('AccessKey Secret').fill(server.root.accessKeySecret);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Console sections' }).waitFor();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  test('assign an IPv4 prefix by count and a named IPv6 prefix; the list and the details page show them', async () => {
    await page
      .getByRole('navigation', { name: 'Console sections' })
      .getByRole('link', { name: 'Elastic Network Interfaces', exact: true })
      .click();
    const row = page.getByTestId('eni-table').locator(`tr[data-row-key="${eniId}"]`);
    await row.getByRole('button', { name: 'Manage ENI IP Addresses' }).click();
    const d = dialog();
    await d.getByTestId('held-prefixes-4').getByText('No IPv4 prefixes.').waitFor();
    // a malformed prefix is flagged as the API would answer it
    await d.getByLabel('IPv4 prefixes to assign').fill('192.168.0.33/28');
    await d.getByTestId('prefix-issue-4').filter({ hasText: 'InvalidParameter' }).waitFor();
    await d.getByLabel('IPv4 prefixes to assign').fill('');
    assert.equal(await d.getByTestId('prefix-issue-4').count(), 0);
    await d.getByLabel('New IPv4 prefix count').fill('1');
    await d.getByLabel('IPv6 prefixes to assign').fill(v6Named.toUpperCase());
    assert.equal(await d.getByTestId('prefix-issue-6').count(), 0, 'a valid named /80 has no issue');
    // each prefix holds one address slot of its family's cap (domain/eni-rules addressSlotsUsed): the primary + 1 prefix
    assert.equal(await d.getByTestId('quota-4').innerText(), '2 of 10 after Confirm · 8 more can be added');
    assert.equal(await d.getByTestId('quota-6').innerText(), '1 of 10 after Confirm · 9 more can be added');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(SHOTS, '20-manage-prefixes.png') });
    await d.getByTestId('confirm-ips').click();
    await d.waitFor({ state: 'hidden' });
    await row.getByTestId('prefix-count').filter({ hasText: 'Prefixes: IPv4 1 · IPv6 1' }).waitFor();

    const eni = await describeEni();
    const v4 = eni.Ipv4PrefixSets.Ipv4PrefixSet.map((p: { Ipv4Prefix: string }) => p.Ipv4Prefix) as string[];
    assert.equal(v4.length, 1);
    assert.match(v4[0]!, /^192\.168\.0\.\d+\/28$/);
    assert.deepEqual(
      eni.Ipv6PrefixSets.Ipv6PrefixSet.map((p: { Ipv6Prefix: string }) => p.Ipv6Prefix),
      [v6Named],
    );

    await row.getByRole('link', { name: eniId }).click();
    const list = page.getByTestId('eni-prefix-list');
    await list.getByText(v4[0]!).waitFor();
    await list.getByText(v6Named).waitFor();
    await page.screenshot({ path: join(SHOTS, '21-eni-prefixes.png'), fullPage: true });
  });

  test('unassign the IPv4 prefix from the dialog; the details page follows', async () => {
    const [v4] = (await describeEni()).Ipv4PrefixSets.Ipv4PrefixSet.map((p: { Ipv4Prefix: string }) => p.Ipv4Prefix) as string[];
    await page.getByRole('button', { name: 'Manage ENI IP Addresses' }).first().click();
    const d = dialog();
    // the prefix held counts against the cap; marked for Unassign, it no longer will after Confirm
    await d
      .getByTestId('quota-4')
      .filter({ hasText: /^2 of 10 after Confirm/ })
      .waitFor();
    await d.getByRole('button', { name: `Unassign prefix ${v4}` }).click();
    await d.getByRole('button', { name: `Keep prefix ${v4}` }).waitFor();
    assert.equal(await d.getByTestId('quota-4').innerText(), '1 of 10 after Confirm · 9 more can be added');
    await d.getByTestId('confirm-ips').click();
    await d.waitFor({ state: 'hidden' });
    const list = page.getByTestId('eni-prefix-list');
    await list.getByText(v4!).waitFor({ state: 'detached' });
    await list.getByText(v6Named).waitFor();
    assert.deepEqual((await describeEni()).Ipv4PrefixSets.Ipv4PrefixSet, []);
    assert.deepEqual(pageErrors, []);
  });
});
