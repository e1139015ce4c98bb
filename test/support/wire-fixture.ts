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
