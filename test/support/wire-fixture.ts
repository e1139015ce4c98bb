// The wire tests' fixture (test/api/wire-*.test.ts): one in-process server per
// test file with the seed's network, and the one way they check an error.
//
//   const { h, net } = wireFixture();              // or wireFixture({ limits: { ... } })
//   assertError(await h.call('X', {}), 400, 'MissingParameter');
//
// `h` and `net` are filled in by a before() hook and the server is closed by an
// after() hook, so read them inside tests only, not at the top level. A file's
// own setup that needs them goes in `setup`, run by that same hook once they are
// ready: node:test starts a file's top-level before() hooks without waiting for
// one another.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { seedNetwork, startHarness, type Harness } from './in-process.ts';

export type SeededNetwork = Awaited<ReturnType<typeof seedNetwork>>;

/** Starts a harness (startHarness's options) and seeds a VPC, vSwitch and security group before the file's tests, then runs setup. */
export function wireFixture(
  opts: Parameters<typeof startHarness>[0] = {},
  setup: () => Promise<void> = async () => {},
): { h: Harness; net: SeededNetwork } {
  const h = {} as Harness;
  const net = {} as SeededNetwork;
  before(async () => {
    Object.assign(h, await startHarness(opts));
    Object.assign(net, await seedNetwork(h));
    await setup();
  });
  after(() => h.close());
  return { h, net };
}

/** An error answer: its Code (the body shown when it differs) and its HTTP status. */
export function assertError(r: { status: number; body: Record<string, any> }, status: number, code: string) {
  assert.equal(r.body.Code, code, JSON.stringify(r.body));
  assert.equal(r.status, status);
}

/**
 * An address of the seeded vSwitch (192.168.1.0/24) that no ENI holds now, from 192.168.1.`from` upwards: a test
 * that names an address must not meet the random picks of the tests before it (IpAssigned by chance).
 */
export async function freeAddress(h: Harness, vSwitchId: string, from = 10): Promise<string> {
  const used = new Set<string>();
  let token = '';
  do {
    const page = (
      await h.call('DescribeNetworkInterfaces', { VSwitchId: vSwitchId, MaxResults: 100, ...(token ? { NextToken: token } : {}) })
    ).body;
    for (const e of page.NetworkInterfaceSets.NetworkInterfaceSet)
      for (const s of e.PrivateIpSets.PrivateIpSet) used.add(s.PrivateIpAddress);
    token = page.NextToken;
  } while (token);
  for (let n = from; n < 254; n++) if (!used.has(`192.168.1.${n}`)) return `192.168.1.${n}`;
  throw new Error('no free address in 192.168.1.0/24');
}
