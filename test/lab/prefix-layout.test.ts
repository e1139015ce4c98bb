// The lab's prefix routes (pure, no root): each assigned prefix of an ENI bound
// to an instance is routed via the ENI itself, so when the ENI moves to
// another instance the route stays right; a parked ENI's prefixes are not routed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Instance, VSwitch } from '../../src/domain/model.ts';
import { labLayout, linkLocalOf } from '../../src/lab/layout.ts';
import type { LabInventory } from '../../src/service/lab-inventory.ts';
import type { EniPlacement } from '../../src/store/store.ts';

const vsw = { id: 'vsw-1', cidrBlock: '198.18.1.0/24', ipv6CidrBlock: '2001:db8:1:1::/64' } as VSwitch;
const instance = (id: string) => ({ id, status: 'Running' }) as Instance;
function eni(id: string, over: Partial<EniPlacement>): EniPlacement {
  return {
    id,
    accountId: 'a' as EniPlacement['accountId'],
    vSwitchId: 'vsw-1',
    type: 'Secondary',
    status: 'InUse',
    macAddress: '00:16:3E:12:34:56',
    instanceId: null,
    pendingInstanceId: null,
    deviceIndex: 1,
    addresses: [],
    ipv4Prefixes: [],
    ipv6Prefixes: [],
    ...over,
  };
}
const primaries = ['i-a', 'i-b'].map((i, n) =>
  eni(`eni-p${n}`, {
    type: 'Primary',
    instanceId: i,
    deviceIndex: 0,
    macAddress: `00:16:3e:00:00:0${n}`,
    addresses: [{ family: 4, address: `198.18.1.${10 + n}`, primary: true }],
  }),
);
const withPrefixes = (instanceId: string | null) =>
  eni('eni-x', {
    instanceId,
    status: instanceId ? 'InUse' : 'Available',
    addresses: [{ family: 4, address: '198.18.1.50', primary: true }],
    ipv4Prefixes: ['198.18.1.64/28', '198.18.9.0/28'],
    ipv6Prefixes: ['2001:db8:1:1:abcd::/80'],
  });
const layoutWith = (x: EniPlacement) =>
  labLayout({ vSwitches: [vsw], instances: [instance('i-a'), instance('i-b')], enis: [...primaries, x] } as LabInventory, 'tst');

test('EUI-64 link-local of a MAC, as the kernel forms it', () => {
  assert.equal(linkLocalOf('00:16:3e:12:34:56'), 'fe80::216:3eff:fe12:3456');
});

test('an ENI prefix is routed via the ENI, the same on whichever instance holds it', () => {
  const onA = layoutWith(withPrefixes('i-a')).prefixRoutes;
  const onB = layoutWith(withPrefixes('i-b')).prefixRoutes;
  assert.deepEqual(
    onA.map((r) => [r.family, r.prefix, r.via]),
    [
      [4, '198.18.1.64/28', '198.18.1.50'],
      [6, '2001:db8:1:1:abcd::/80', 'fe80::216:3eff:fe12:3456'],
    ],
    'a prefix outside the vSwitch is not routed',
  );
  assert.deepEqual(onB, onA);
});

test('a parked ENI has no prefix routes', () => {
  assert.deepEqual(layoutWith(withPrefixes(null)).prefixRoutes, []);
});
