// The Manage dialog's IP prefix logic (pure): what the API would refuse, and
// the calls that apply a change in the order that frees slots first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkPrefixChange,
  emptyPrefixChange,
  heldPrefixes,
  namedPrefixes,
  prefixChangeCount,
  prefixSteps,
} from '../../src/console/logic/ip-prefixes.ts';

test('held prefixes from the Describe shape', () => {
  assert.deepEqual(
    heldPrefixes({ Ipv4PrefixSets: { Ipv4PrefixSet: [{ Ipv4Prefix: '192.168.0.16/28' }] }, Ipv6PrefixSets: { Ipv6PrefixSet: [] } }),
    { 4: ['192.168.0.16/28'], 6: [] },
  );
  assert.deepEqual(heldPrefixes({}), { 4: [], 6: [] });
});

test('named IPv4 prefixes: aligned /28s inside the vSwitch, clear of its reserved addresses, not held, not twice', () => {
  const c = {
    ...emptyPrefixChange(4),
    named:
      '192.168.0.32/28, 192.168.0.33/28 192.168.1.0/28 192.168.0.0/28 192.168.0.240/28 192.168.0.16/28 192.168.0.32/28 192.168.0.48/27',
  };
  const r = checkPrefixChange(c, '192.168.0.0/24', ['192.168.0.16/28']);
  assert.deepEqual(r.prefixes, ['192.168.0.32/28']);
  assert.deepEqual(r.problems, [
    '192.168.0.33/28 must be an aligned /28 such as 192.168.0.16/28 (InvalidParameter)',
    '192.168.1.0/28 is outside the vSwitch 192.168.0.0/24 (InvalidVSwitchId.IpInvalid)',
    '192.168.0.0/28 holds an address the vSwitch reserves (InvalidVSwitchId.IpInvalid)',
    '192.168.0.240/28 holds an address the vSwitch reserves (InvalidVSwitchId.IpInvalid)',
    '192.168.0.16/28 is already assigned to this ENI (InvalidIp.IpAssigned)',
    '192.168.0.32/28 is named twice',
    '192.168.0.48/27 must be an aligned /28 such as 192.168.0.16/28 (InvalidParameter)',
  ]);
});

test('named IPv6 prefixes: aligned /80s of the vSwitch /64, canonical', () => {
  const c = { ...emptyPrefixChange(6), named: '2001:DB8:0:1:0AB::/80 2001:db8:0:2:ab::/80 2001:db8:0:1:ab::1/80' };
  const r = checkPrefixChange(c, '2001:db8:0:1::/64', []);
  assert.deepEqual(r.prefixes, ['2001:db8:0:1:ab::/80']);
  assert.equal(r.problems.length, 2);
  assert.match(r.problems[0]!, /outside the vSwitch/);
  assert.match(r.problems[1]!, /aligned \/80/);
});

test('counts 0-10, and a family without a vSwitch block', () => {
  assert.deepEqual(checkPrefixChange({ ...emptyPrefixChange(4), count: 11 }, '192.168.0.0/24', []).problems, [
    'The count must be 0 to 10.',
  ]);
  assert.deepEqual(checkPrefixChange({ ...emptyPrefixChange(6), count: 1 }, null, []).problems, ['The vSwitch has no IPv6 CIDR block.']);
  assert.deepEqual(checkPrefixChange(emptyPrefixChange(6), null, []).problems, []);
  assert.deepEqual(namedPrefixes(' a, b  c,'), ['a', 'b', 'c']);
  assert.equal(prefixChangeCount({ family: 4, count: 2, named: 'a b', removing: ['x'] }), 4);
});

test('the calls: unassign first, then named, then counted, one call each', () => {
  const v4 = {
    change: { family: 4 as const, count: 2, named: '192.168.0.32/28', removing: ['192.168.0.16/28'] },
    prefixes: ['192.168.0.32/28'],
  };
  const v6 = { change: { family: 6 as const, count: 1, named: '', removing: ['2001:db8::/80'] }, prefixes: [] };
  assert.deepEqual(
    prefixSteps('eni-1', [v4, v6]).map((s) => [s.action, s.params]),
    [
      ['UnassignPrivateIpAddresses', { NetworkInterfaceId: 'eni-1', 'Ipv4Prefix.1': '192.168.0.16/28' }],
      ['UnassignIpv6Addresses', { NetworkInterfaceId: 'eni-1', 'Ipv6Prefix.1': '2001:db8::/80' }],
      ['AssignPrivateIpAddresses', { NetworkInterfaceId: 'eni-1', 'Ipv4Prefix.1': '192.168.0.32/28' }],
      ['AssignPrivateIpAddresses', { NetworkInterfaceId: 'eni-1', Ipv4PrefixCount: '2' }],
      ['AssignIpv6Addresses', { NetworkInterfaceId: 'eni-1', Ipv6PrefixCount: '1' }],
    ],
  );
});
