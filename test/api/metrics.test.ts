// The request counter and latency histogram at /metrics: kept in plain tallies
// per action, they must read exactly as prom-client's own Counter and Histogram
// fed the same requests.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { Counter, Histogram, Registry } from 'prom-client';
import { createMetrics } from '../../src/api/metrics.ts';
import type { ServiceDeps } from '../../src/service/deps.ts';

it('eniplane_requests_total and eniplane_request_duration_seconds read as prom-client would write them', async () => {
  // the gauge of addresses in use reads the store at scrape time: an empty one here
  const deps = { store: { kind: 'sqlite', transaction: async () => [] } } as unknown as ServiceDeps;
  const m = createMetrics(deps);
  const ref = new Registry();
  const requests = new Counter({
    name: 'eniplane_requests_total',
    help: 'RPC requests by action and answer Code ("Success" for a 2xx)',
    labelNames: ['action', 'code'],
    registers: [ref],
  });
  const latency = new Histogram({
    name: 'eniplane_request_duration_seconds',
    help: 'RPC request time, from arrival to the answer, by action',
    labelNames: ['action'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [ref],
  });
  const seen: [string, string, number][] = [
    ['AssignPrivateIpAddresses', 'Success', 0.0004],
    ['AssignPrivateIpAddresses', 'Success', 0.0005],
    ['AssignPrivateIpAddresses', 'InvalidIp.IpAssigned', 0.003],
    ['-', 'InvalidAction.NotFound', 0.00001],
    ['DescribeRegions', 'Success', 7],
    ['AssignPrivateIpAddresses', 'Success', 0.25],
  ];
  const scrape = async (r: Registry) =>
    (await r.metrics())
      .split('\n')
      .filter((l) => l.includes('eniplane_requests_total') || l.includes('eniplane_request_duration_seconds'))
      .join('\n');
  for (let round = 0; round < 2; round++) {
    for (const [action, code, s] of seen) {
      m.request(action, code, s);
      requests.inc({ action, code });
      latency.observe({ action }, s);
    }
    assert.equal(await scrape(m.registry), await scrape(ref));
  }
  assert.match(await scrape(m.registry), /eniplane_requests_total\{action="AssignPrivateIpAddresses",code="Success"\} 6/);
  assert.match(await scrape(m.registry), /eniplane_request_duration_seconds_bucket\{le="0.0005",action="AssignPrivateIpAddresses"\} 4/);
});
