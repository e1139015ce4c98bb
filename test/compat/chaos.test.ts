// Failure handling against throttling and injected faults, with the unmodified
// official ECS SDK: its own retry options (RetryOptions: Throttling* and
// InternalError, honouring x-acs-retry-after) and, around it, a terway-style
// back-off loop that replays the same ClientToken after a lost answer or a cut
// connection. The work must converge: every ENI created once, every address
// assigned once, no duplicate and nothing lost. Quotas are shared by servers
// on one database. Servers come from the harness (`startEniplane`): one per
// case, in-process, a tenth of a second each.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import EcsModule from '@alicloud/ecs20140526';
import VpcModule from '@alicloud/vpc20160428';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { RetryOptions } from '@darabonba/typescript';
import { startEniplane, type Eniplane } from '../../src/harness.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServerProcess } from '../support/server-process.ts';
import { sdkClient } from '../support/sdk-clients.ts';

const Ecs = EcsModule as any;
const Vpc = VpcModule as any;
const R = { regionId: 'cn-hangzhou' };
const running: { close(): Promise<void> }[] = [];
after(async () => {
  for (const s of running) await s.close();
});

function clients(e: Eniplane, retry: boolean) {
  const config = new $OpenApiUtil.Config({
    accessKeyId: e.accessKeyId,
    accessKeySecret: e.accessKeySecret,
    endpoint: e.endpoint,
    protocol: 'http',
    regionId: 'cn-hangzhou',
    readTimeout: 5000,
    connectTimeout: 3000,
    ...(retry
      ? {
          retryOptions: new RetryOptions({
            retryable: true,
            retryCondition: [
              {
                maxAttempts: 20,
                exception: ['ThrottlingError'],
                errorCode: ['Throttling', 'Throttling.User', 'Throttling.Api', 'InternalError', 'ServiceUnavailable'],
                backoff: { policy: 'Fixed', period: 20 },
                maxDelay: 1500,
              },
            ],
            noRetryCondition: [],
          }),
        }
      : {}),
  });
  return { ecs: new Ecs.default(config), vpc: new Vpc.default(config) };
}

/** Terway's shape: retry with growing back-off on Throttling, InternalError, Operation.Conflict and connection errors. */
async function backoff<T>(fn: () => Promise<T>): Promise<T> {
  let delay = 10;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e: any) {
      const code = String(e.code ?? '');
      const retryable =
        code.includes('Throttling') || code === 'InternalError' || code === 'Operation.Conflict' || e.statusCode === undefined;
      if (!retryable || attempt >= 20) throw e;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 400);
    }
  }
}

it('throttling answers the real codes with x-acs-retry-after', async () => {
  // An hour's window: nothing here can straddle two.
  const e = await startEniplane({ throttle: { windowMs: 3_600_000, perAccount: { DescribeRegions: 3 }, perApi: { DescribeZones: 2 } } });
  running.push(e);
  const plain = sdkClient('ecs-acs3', e.endpoint, { id: e.accessKeyId, secret: e.accessKeySecret });
  for (let i = 0; i < 3; i++) await plain.call('DescribeRegions', {});
  const throttled = await fetchSigned(e);
  assert.equal(throttled.status, 400);
  assert.equal(throttled.body.Code, 'Throttling');
  assert.equal(throttled.body.Message, 'Request was denied due to request throttling.');
  const retryAfter = Number(throttled.headers.get('x-acs-retry-after'));
  assert.ok(retryAfter > 0 && retryAfter <= 3_600_000, String(retryAfter));
  for (let i = 0; i < 2; i++) await plain.call('DescribeZones', { RegionId: 'cn-hangzhou' });
  const api = await plain.fail('DescribeZones', { RegionId: 'cn-hangzhou' });
  assert.equal(api.code, 'Throttling.Api');
  assert.equal(api.statusCode, 400);
  const metrics = await (await fetch(`http://${e.endpoint}/metrics`)).text();
  assert.match(metrics, /eniplane_throttled_requests_total\{action="DescribeRegions",code="Throttling"\} 1/);
});

it("the SDK's own retry (RetryOptions) waits a throttled window out", async () => {
  const e = await startEniplane({ throttle: { windowMs: 1000, perAccount: { DescribeRegions: 1 } } });
  running.push(e);
  const { ecs } = clients(e, true);
  // Three calls over at most two windows (each well under a second): one at least is throttled, then retried.
  for (let i = 0; i < 3; i++) assert.ok((await ecs.describeRegions(new Ecs.DescribeRegionsRequest({}))).body.regions.region.length > 0);
  const metrics = await (await fetch(`http://${e.endpoint}/metrics`)).text();
  assert.match(metrics, /eniplane_throttled_requests_total\{action="DescribeRegions",code="Throttling"\} [1-9]/);
});

it('two server processes on one database share one budget', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'eniplane-shared-'));
  const profile = join(dir, 'throttle.json');
  writeFileSync(profile, JSON.stringify({ windowMs: 3_600_000, perAccount: { DescribeRegions: 10 } }));
  // Two processes (as in production): SQLite's writer lock is per process, and one process holding two
  // writers on one file would wait on itself.
  const a = await startServerProcess({ dataDir: join(dir, 'data'), args: ['--throttle', profile] });
  running.push({
    close: async () => {
      await a.stop();
    },
  });
  const b = await startServerProcess({ dataDir: join(dir, 'data'), args: ['--throttle', profile] });
  running.push({
    close: async () => {
      await b.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  });
  let ok = 0;
  for (let i = 0; i < 14; i++) {
    for (const s of [a, b])
      ok += await sdkClient('ecs-v2', s.endpoint, a.key)
        .call('DescribeRegions', {})
        .then(
          () => 1,
          () => 0,
        );
  }
  assert.equal(ok, 10);
});

it(
  'SDK retries and a back-off loop converge through throttling, errors, cut connections and lost answers',
  { timeout: 120_000 },
  async () => {
    const e = await startEniplane({
      throttle: { windowMs: 1000, perAccount: { AssignPrivateIpAddresses: 8, CreateNetworkInterface: 6, '*': 40 } },
      faults: {
        seed: 11,
        rules: [
          { actions: ['AssignPrivateIpAddresses', 'CreateNetworkInterface'], probability: 0.25, effect: { kind: 'lose-answer' } },
          { actions: ['AssignPrivateIpAddresses'], probability: 0.2, effect: { kind: 'error', code: 'InternalError', status: 500 } },
          { actions: ['AssignPrivateIpAddresses'], probability: 0.1, effect: { kind: 'error', code: 'Operation.Conflict', status: 403 } },
          { actions: ['DescribeNetworkInterfaces'], probability: 0.3, effect: { kind: 'drop' } },
          { actions: ['CreateNetworkInterface'], probability: 0.2, effect: { kind: 'latency', ms: 30 } },
        ],
      },
    });
    running.push(e);
    const rules = e.faults.list();
    await e.faults.clear();
    const { ecs, vpc } = clients(e, true);
    const v = await vpc.createVpc(new Vpc.CreateVpcRequest({ ...R, cidrBlock: '10.0.0.0/16' }));
    const sw = await vpc.createVSwitch(
      new Vpc.CreateVSwitchRequest({ ...R, vpcId: v.body.vpcId, zoneId: 'cn-hangzhou-h', cidrBlock: '10.0.1.0/24' }),
    );
    const sg = await ecs.createSecurityGroup(new Ecs.CreateSecurityGroupRequest({ ...R, vpcId: v.body.vpcId }));
    await e.faults.add(rules, 11);

    const ENIS = 6;
    const ROUNDS = 3;
    const created = await Promise.all(
      Array.from({ length: ENIS }, async (_, i) => {
        const eniId: string = (
          await backoff<any>(() =>
            ecs.createNetworkInterface(
              new Ecs.CreateNetworkInterfaceRequest({
                ...R,
                vSwitchId: sw.body.vSwitchId,
                securityGroupId: sg.body.securityGroupId,
                clientToken: `eni-${i}`,
              }),
            ),
          )
        ).body.networkInterfaceId;
        const got: string[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          const r = await backoff<any>(() =>
            ecs.assignPrivateIpAddresses(
              new Ecs.AssignPrivateIpAddressesRequest({
                ...R,
                networkInterfaceId: eniId,
                secondaryPrivateIpAddressCount: 1,
                clientToken: `ip-${i}-${round}`,
              }),
            ),
          );
          got.push(...r.body.assignedPrivateIpAddressesSet.privateIpSet.privateIpAddress);
        }
        return { eniId, got };
      }),
    );
    // Read back through the faults too (DescribeNetworkInterfaces connections are cut at times).
    const all = (
      await backoff<any>(() =>
        ecs.describeNetworkInterfaces(new Ecs.DescribeNetworkInterfacesRequest({ ...R, vSwitchId: sw.body.vSwitchId, maxResults: 100 })),
      )
    ).body.networkInterfaceSets.networkInterfaceSet;
    await e.faults.clear();

    assert.equal(new Set(created.map((c) => c.eniId)).size, ENIS, 'one ENI per ClientToken');
    assert.deepEqual(all.map((x: any) => x.networkInterfaceId).sort(), created.map((c) => c.eniId).sort(), 'no ENI lost, none extra');
    const addresses: string[] = [];
    for (const x of all) {
      const mine = created.find((c) => c.eniId === x.networkInterfaceId)!;
      const secondary = x.privateIpSets.privateIpSet
        .filter((p: any) => !p.primary)
        .map((p: any) => p.privateIpAddress)
        .sort();
      assert.deepEqual(secondary, [...mine.got].sort(), `${x.networkInterfaceId}: exactly the addresses its answers gave`);
      addresses.push(...x.privateIpSets.privateIpSet.map((p: any) => p.privateIpAddress));
    }
    assert.equal(addresses.length, ENIS * (1 + ROUNDS));
    assert.equal(new Set(addresses).size, addresses.length, 'no duplicate address');
    const metrics = await (await fetch(`http://${e.endpoint}/metrics`)).text();
    assert.match(metrics, /eniplane_faults_injected_total\{rule="fault-\d+",effect="lose-answer",target="api"\} [1-9]/);
    assert.match(metrics, /eniplane_throttled_requests_total\{action="AssignPrivateIpAddresses",code="Throttling"\} [1-9]/);
  },
);

/** One signed RPC GET by hand, to see the raw status, headers and body. */
async function fetchSigned(e: Eniplane) {
  const { randomUUID } = await import('node:crypto');
  const { pct, rpcSignature, rpcStringToSign } = await import('../../src/api/signing/index.ts');
  const pairs: [string, string][] = [
    ['Action', 'DescribeRegions'],
    ['Version', '2014-05-26'],
    ['Format', 'JSON'],
    ['AccessKeyId', e.accessKeyId],
    ['SignatureMethod', 'HMAC-SHA1'],
    ['SignatureVersion', '1.0'],
    ['SignatureNonce', randomUUID()],
    ['Timestamp', new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')],
  ];
  const sig = rpcSignature(rpcStringToSign('GET', pairs), e.accessKeySecret);
  const res = await fetch(`http://${e.endpoint}/?${[...pairs, ['Signature', sig]].map(([k, v]) => `${pct(k)}=${pct(v)}`).join('&')}`);
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
}
