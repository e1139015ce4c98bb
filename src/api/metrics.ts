// Prometheus metrics (prom-client), one registry per app so tests and several
// apps in one process never share counters. Served at /metrics.
//
// Every RPC request is counted and timed: in plain per-action tallies (a Map
// look-up and a few additions), turned into prom-client's exposition only when
// /metrics is scraped. prom-client's own inc/observe hash and validate their
// label objects on every call (≈ 1 µs a request here).
import { Counter, Gauge, Registry, type Metric } from 'prom-client';
import type { ServiceDeps } from '../service/deps.ts';

export interface Metrics {
  registry: Registry;
  /** one answered RPC request: eniplane_requests_total{action,code} and eniplane_request_duration_seconds{action} */
  request(action: string, code: string, seconds: number): void;
  faults: Counter<'rule' | 'effect' | 'target'>;
  throttled: Counter<'action' | 'code'>;
}

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** One action's requests: answers by Code, and its latency histogram (per-bucket counts, not cumulative). */
interface ActionTally {
  codes: Map<string, number>;
  buckets: Float64Array;
  sum: number;
  count: number;
}

/** eniplane_request_duration_seconds as prom-client's Histogram exposes it, read from the tallies at scrape time. */
function latencyHistogram(tallies: Map<string, ActionTally>): Metric {
  const name = 'eniplane_request_duration_seconds';
  const metric = {
    name,
    help: 'RPC request time, from arrival to the answer, by action',
    type: 'histogram',
    aggregator: 'sum',
    get() {
      const values: { labels: Record<string, string | number>; value: number; metricName: string }[] = [];
      for (const [action, t] of tallies) {
        let acc = 0;
        for (let i = 0; i < LATENCY_BUCKETS.length; i++) {
          acc += t.buckets[i];
          values.push({ labels: { le: LATENCY_BUCKETS[i], action }, value: acc, metricName: `${name}_bucket` });
        }
        values.push({ labels: { le: '+Inf', action }, value: t.count, metricName: `${name}_bucket` });
        values.push({ labels: { action }, value: t.sum, metricName: `${name}_sum` });
        values.push({ labels: { action }, value: t.count, metricName: `${name}_count` });
      }
      return { name, help: metric.help, type: metric.type, aggregator: metric.aggregator, values };
    },
    reset() {
      tallies.clear();
    },
  };
  return metric as unknown as Metric;
}

export function createMetrics(deps: ServiceDeps): Metrics {
  const registry = new Registry();
  const tallies = new Map<string, ActionTally>();
  new Counter({
    name: 'eniplane_requests_total',
    help: 'RPC requests by action and answer Code ("Success" for a 2xx)',
    labelNames: ['action', 'code'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [action, t] of tallies) for (const [code, n] of t.codes) this.inc({ action, code }, n);
    },
  });
  registry.registerMetric(latencyHistogram(tallies));
  const request = (action: string, code: string, seconds: number): void => {
    let t = tallies.get(action);
    if (!t) tallies.set(action, (t = { codes: new Map(), buckets: new Float64Array(LATENCY_BUCKETS.length), sum: 0, count: 0 }));
    t.codes.set(code, (t.codes.get(code) ?? 0) + 1);
    let i = 0;
    while (i < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[i]) i++;
    if (i < LATENCY_BUCKETS.length) t.buckets[i]++;
    t.sum += seconds;
    t.count++;
  };
  const faults = new Counter({
    name: 'eniplane_faults_injected_total',
    help: 'injected faults by rule id, effect and target (api or metadata)',
    labelNames: ['rule', 'effect', 'target'] as const,
    registers: [registry],
  });
  const throttled = new Counter({
    name: 'eniplane_throttled_requests_total',
    help: 'requests refused by the request quotas (--throttle), by action and Code',
    labelNames: ['action', 'code'] as const,
    registers: [registry],
  });
  // Registered before the gauge below, so a scrape reads it before its own statements.
  if (deps.store.kind === 'postgres') {
    const store = deps.store;
    new Counter({
      name: 'eniplane_store_round_trips_total',
      help: 'statements this process sent to PostgreSQL (BEGIN and COMMIT included): round trips',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(store.roundTrips ?? 0);
      },
    });
    new Counter({
      name: 'eniplane_store_one_call_batches_total',
      help: 'one-call batches sent to PostgreSQL (batches), the calls they carried (calls; a call again in the next batch counts again), busy answers (busy: its ENI row was held), calls then sent alone (alone)',
      labelNames: ['what'] as const,
      registers: [registry],
      collect() {
        const b = store.oneCall?.batchStats;
        this.reset();
        if (!b) return;
        this.inc({ what: 'batches' }, b.batches);
        this.inc({ what: 'calls' }, b.calls);
        this.inc({ what: 'busy' }, b.busy);
        this.inc({ what: 'alone' }, b.alone);
      },
    });
  }
  new Gauge({
    name: 'eniplane_vswitch_addresses_in_use',
    help: 'private addresses held per vSwitch and family (read from the database at scrape time)',
    labelNames: ['vswitch', 'family'] as const,
    registers: [registry],
    async collect() {
      const counts = await deps.store.transaction(
        async (tx) => {
          const out: { id: string; v4: number; v6: number }[] = [];
          for (const v of await tx.metadata.allVSwitches())
            out.push({ id: v.id, v4: await tx.vSwitches.addressCount(v.id, 4), v6: await tx.vSwitches.addressCount(v.id, 6) });
          return out;
        },
        { readOnly: true },
      );
      this.reset();
      for (const c of counts) {
        this.set({ vswitch: c.id, family: '4' }, c.v4);
        this.set({ vswitch: c.id, family: '6' }, c.v6);
      }
    },
  });
  return { registry, request, faults, throttled };
}
