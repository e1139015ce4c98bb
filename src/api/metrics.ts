// Prometheus metrics (prom-client), one registry per app so tests and several
// apps in one process never share counters. Served at /metrics.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ServiceDeps } from '../service/deps.ts';

export interface Metrics {
  registry: Registry;
  requests: Counter<'action' | 'code'>;
  latency: Histogram<'action'>;
  faults: Counter<'rule' | 'effect' | 'target'>;
  throttled: Counter<'action' | 'code'>;
}

export function createMetrics(deps: ServiceDeps): Metrics {
  const registry = new Registry();
  const requests = new Counter({
    name: 'eniplane_requests_total',
    help: 'RPC requests by action and answer Code ("Success" for a 2xx)',
    labelNames: ['action', 'code'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'eniplane_request_duration_seconds',
    help: 'RPC request time, from arrival to the answer, by action',
    labelNames: ['action'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
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
  return { registry, requests, latency, faults, throttled };
}
