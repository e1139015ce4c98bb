// The checks every "applied for real" test makes once a tool has configured
// the lab (netns-lab.ts) from our rendering of LAB_PRIMARY (eth0) and
// LAB_SECONDARY (eth1).

import assert from 'node:assert/strict';
import type { EniFacts } from '../../../src/osconfig/facts.ts';
import { LAB_PRIMARY, LAB_SECONDARY } from './facts-arb.ts';
import { CLIENT_V4, CLIENT_V6, pingFromRouter, routeGet, vmDefaultRoutes, waitForAddresses, type Lab } from './netns-lab.ts';
import { waitFor } from './proc.ts';

const all = (f: EniFacts) => [f.ipv4.primary, ...f.ipv4.secondaries, ...(f.ipv6?.addresses ?? [])];
const withPrefix = (f: EniFacts) => [
  ...[f.ipv4.primary, ...f.ipv4.secondaries].map((a) => `${a}/${f.ipv4.prefixLength}`),
  ...(f.ipv6?.addresses ?? []).map((a) => `${a}/${f.ipv6!.prefixLength}`),
];

export async function assertLabConfigured(lab: Lab, timeoutMs = 15_000): Promise<void> {
  for (const f of [LAB_PRIMARY, LAB_SECONDARY]) await waitForAddresses(lab, f.interfaceName, withPrefix(f), timeoutMs);

  // the secondary ENI's rules and table routes can land a moment after its addresses
  const table = 1000 + LAB_SECONDARY.deviceIndex;
  await waitFor(
    'policy routing of eth1',
    () =>
      all(LAB_SECONDARY).every((a) => {
        const out = routeGet(lab, a.includes(':') ? CLIENT_V6 : CLIENT_V4, a);
        return out.includes(' dev eth1 ') && out.includes(`table ${table}`);
      }),
    timeoutMs,
  );

  // every address answers ping from the router
  for (const a of [...all(LAB_PRIMARY), ...all(LAB_SECONDARY)]) {
    assert.ok(await pingFromRouter(lab, a), `${a} answers ping from the router`);
  }
  // and from a client in another network: replies need a default route; for eth1's
  // addresses it must be eth1's own (the router drops them on rt0: strict rp_filter)
  for (const a of [...all(LAB_PRIMARY), ...all(LAB_SECONDARY)]) {
    assert.ok(await pingFromRouter(lab, a, a.includes(':') ? CLIENT_V6 : CLIENT_V4), `${a} answers a client in another network`);
  }
  // the primary ENI's default routes are the only ones in the main table
  const v4 = vmDefaultRoutes(lab, '-4');
  assert.match(v4, new RegExp(`^default via ${LAB_PRIMARY.ipv4.gateway.replace(/\./g, '\\.')} dev eth0`, 'm'));
  assert.doesNotMatch(v4, /dev eth1/, 'no IPv4 default route via the secondary ENI in the main table');
  const v6 = vmDefaultRoutes(lab, '-6');
  assert.match(v6, new RegExp(`^default via ${LAB_PRIMARY.ipv6!.gateway} dev eth0`, 'm'));
  assert.doesNotMatch(v6, /dev eth1/, 'no IPv6 default route via the secondary ENI in the main table');
}
