// The Manage ENI IP Addresses dialog's checks (pure): each row's predicted
// answer must be the API's own Code and Message.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  apiError,
  canonicalAddress,
  checkFamily,
  examplePlaceholder,
  familyBudget,
  splitRows,
  vSwitchProblem,
  type FamilyState,
  type IpRow,
} from '../../src/console/logic/ip-rows.ts';

const v4 = (over: Partial<FamilyState> = {}): FamilyState => ({
  family: 4,
  cidr: '192.168.1.0/24',
  assigned: ['192.168.1.201', '192.168.1.202'],
  primary: '192.168.1.201',
  removing: [],
  quota: { max: 10, errorCode: 'EniIpv4LimitExceeded' },
  ...over,
});
const v6 = (over: Partial<FamilyState> = {}): FamilyState => ({
  family: 6,
  cidr: '2408:4000:1:100::/64',
  assigned: [],
  removing: [],
  quota: { max: 10, errorCode: 'EniIpv6LimitExceeded' },
  ...over,
});
let n = 0;
const auto = (): IpRow => ({ key: `k${++n}`, mode: 'auto', address: '' });
const manual = (address: string): IpRow => ({ key: `k${++n}`, mode: 'manual', address });

describe('row checks, IPv4', () => {
  it('accepts auto rows and a valid manual address', () => {
    const rows = [auto(), manual('192.168.1.203')];
    const c = checkFamily(v4(), rows);
    assert.deepEqual(Object.values(c.issues), [undefined, undefined]);
    assert.equal(c.total, 4);
    assert.equal(c.left, 6);
    assert.equal(c.blocking, false);
    assert.equal(c.refusals, 0);
  });

  it('an empty manual row blocks Confirm (there is nothing to send), and only that', () => {
    const row = manual('  ');
    const c = checkFamily(v4(), [row]);
    assert.equal(c.issues[row.key]?.blocking, true);
    assert.equal(c.issues[row.key]?.code, 'Console.AddressRequired');
    assert.equal(c.blocking, true);
  });

  it('predicts the reserved gateway .253 of a /24 as InvalidVSwitchId.IpInvalid with the API message', () => {
    const row = manual('192.168.1.253');
    const found = checkFamily(v4(), [row]).issues[row.key]!;
    assert.equal(found.code, 'InvalidVSwitchId.IpInvalid');
    assert.equal(found.message, 'The specified IpAddress is not valid in VSwitch CIDR block.');
    assert.equal(found.blocking, false);
    assert.match(found.hint!, /gateway/);
  });

  it('treats the network address and the last three as reserved, and outside addresses as invalid', () => {
    for (const a of ['192.168.1.0', '192.168.1.254', '192.168.1.255', '192.168.2.1', '10.0.0.1']) {
      const row = manual(a);
      assert.equal(checkFamily(v4(), [row]).issues[row.key]?.code, 'InvalidVSwitchId.IpInvalid', a);
    }
    for (const a of ['192.168.1.1', '192.168.1.252']) {
      const row = manual(a);
      assert.equal(checkFamily(v4(), [row]).issues[row.key], undefined, a);
    }
  });

  it('flags malformed text as the API does (strict dotted quad: no octal, no short forms)', () => {
    for (const a of ['192.168.1', '192.168.001.5', '192.168.1.256', 'abc', '2408::1']) {
      const row = manual(a);
      const found = checkFamily(v4(), [row]).issues[row.key]!;
      assert.equal(found.code, 'InvalidIp.Address', a);
      assert.equal(found.message, `The specified IP address "${a}" is not valid.`);
    }
  });

  it('flags an address entered twice (the second row) and one the ENI already holds', () => {
    const a = manual('192.168.1.50');
    const b = manual('192.168.1.50');
    const held = manual('192.168.1.202');
    const c = checkFamily(v4(), [a, b, held]);
    assert.equal(c.issues[a.key], undefined);
    assert.equal(c.issues[b.key]?.code, 'InvalidIp.IpRepeated');
    assert.equal(c.issues[held.key]?.code, 'InvalidIp.IpAssigned');
    assert.equal(c.issues[held.key]?.message, 'The specified IP "192.168.1.202" is already assigned.');
  });

  it('an address marked for removal may be entered again (unassign runs first)', () => {
    const row = manual('192.168.1.202');
    assert.equal(checkFamily(v4({ removing: ['192.168.1.202'] }), [row]).issues[row.key], undefined);
  });

  it('marks the rows past the quota with MaxEniPrivateIpsCountExceeded and the API message, counting removals', () => {
    const rows = Array.from({ length: 9 }, auto);
    const c = checkFamily(v4(), rows);
    // 2 held + 9 = 11 > 10: only the 9th row is over.
    assert.deepEqual(
      rows.map((r) => c.issues[r.key]?.code),
      [...Array(8).fill(undefined), 'MaxEniPrivateIpsCountExceeded'],
    );
    assert.equal(
      c.issues[rows[8].key]!.message,
      'The maximum number of private IP addresses of the ENI is exceeded. An ENI in the Available state can have at most 10 private IPv4 addresses, including the primary one.',
    );
    assert.equal(c.left, -1);
    assert.equal(c.refusals, 1);
    const freed = checkFamily(v4({ removing: ['192.168.1.202'] }), rows);
    assert.equal(freed.refusals, 0);
    assert.equal(freed.left, 0);
  });

  it("uses the instance type's error once the ENI is bound", () => {
    const rows = [auto(), auto(), auto(), auto(), auto()];
    const c = checkFamily(v4({ quota: { max: 6, errorCode: 'InstanceTypeIpv4LimitExceeded' } }), rows);
    const found = c.issues[rows[4].key]!;
    assert.equal(found.code, 'InvalidOperation.Ipv4CountExceeded');
    assert.match(found.message, /at most 6 private IPv4 addresses per ENI/);
  });
});

describe('IP prefixes against the cap (each holds one address slot, as domain/eni-rules counts)', () => {
  it('the quota line counts held prefixes and the prefix changes Confirm sends', () => {
    const held = v4({ prefixes: ['192.168.1.16/28', '192.168.1.32/28'] });
    // 2 addresses + 2 prefixes held; 3 rows
    assert.deepEqual(familyBudget(held, 3), { kept: 4, total: 7, left: 3 });
    // one prefix unassigned, three assigned (a count of 2 and one named) after the addresses
    assert.deepEqual(familyBudget({ ...held, prefixChange: { removing: 1, adding: 3 } }, 3), { kept: 4, total: 9, left: 1 });
    // IPv6 prefixes do not count against IPv4
    assert.deepEqual(familyBudget(v6({ prefixes: ['2408:4000:1:100:ab::/80'] }), 0), { kept: 1, total: 1, left: 9 });
  });

  it('a row past the cap because of the prefixes is predicted refused', () => {
    // cap 6: 2 addresses + 3 prefixes leave one slot; the second row is over
    const rows = [auto(), auto()];
    const state = v4({ quota: { max: 6, errorCode: 'EniIpv4LimitExceeded' }, prefixes: ['a/28', 'b/28', 'c/28'] });
    const c = checkFamily(state, rows);
    assert.equal(c.issues[rows[0].key], undefined);
    assert.equal(c.issues[rows[1].key]?.code, 'MaxEniPrivateIpsCountExceeded');
    assert.match(c.issues[rows[1].key]!.hint!, /each IP prefix counts as one\); 5 will remain/);
    // a prefix marked for Unassign still holds its slot when the rows are assigned (prefix calls come after)
    const removingOne = checkFamily({ ...state, prefixChange: { removing: 1, adding: 0 } }, rows);
    assert.equal(removingOne.refusals, 1);
    assert.equal(removingOne.left, 0);
  });
});

describe('row checks, IPv6', () => {
  it('accepts any spelling in the /64 and compares canonical forms', () => {
    const a = manual('2408:4000:1:100::10');
    const b = manual('2408:4000:0001:0100:0000:0000:0000:0010');
    const c = checkFamily(v6(), [a, b]);
    assert.equal(c.issues[a.key], undefined);
    assert.equal(c.issues[b.key]?.code, 'InvalidIp.IpRepeated');
  });

  it('refuses the subnet-router anycast and the gateway ::1, and addresses outside the /64', () => {
    for (const a of ['2408:4000:1:100::', '2408:4000:1:100::1', '2408:4000:1:101::5']) {
      const row = manual(a);
      assert.equal(checkFamily(v6(), [row]).issues[row.key]?.code, 'InvalidVSwitchId.IpInvalid', a);
    }
  });

  it('without an IPv6 block on the vSwitch every row is predicted InvalidVSwitch.Ipv6NotTurnOn', () => {
    const rows = [auto(), manual('2408:4000:1:100::10')];
    const c = checkFamily(v6({ cidr: null }), rows);
    assert.deepEqual(
      rows.map((r) => c.issues[r.key]?.code),
      ['InvalidVSwitch.Ipv6NotTurnOn', 'InvalidVSwitch.Ipv6NotTurnOn'],
    );
  });

  it('quota uses MaxEniIpv6IpsCountExceeded', () => {
    const rows = Array.from({ length: 11 }, auto);
    assert.equal(checkFamily(v6(), rows).issues[rows[10].key]?.code, 'MaxEniIpv6IpsCountExceeded');
  });
});

describe('helpers', () => {
  it('canonicalAddress', () => {
    assert.equal(canonicalAddress(4, ' 10.0.0.1 '), '10.0.0.1');
    assert.equal(canonicalAddress(4, '10.0.0.01'), undefined);
    assert.equal(canonicalAddress(6, '2408:4000:0:0::A'), '2408:4000::a');
    assert.equal(canonicalAddress(6, 'fe80::1%eth0'), undefined);
  });

  it('vSwitchProblem names the reason', () => {
    assert.match(vSwitchProblem(4, '10.0.0.0/24', '10.0.0.0')!, /network address/);
    assert.match(vSwitchProblem(4, '10.0.0.0/24', '10.0.1.0')!, /outside/);
    assert.equal(vSwitchProblem(4, '10.0.0.0/24', '10.0.0.9'), undefined);
  });

  it('splitRows canonicalizes manual rows and counts auto ones', () => {
    assert.deepEqual(splitRows(6, [auto(), manual('2408:4000:1:100:0::A'), auto()]), { manual: ['2408:4000:1:100::a'], autoCount: 2 });
  });

  it('familyBudget and placeholders', () => {
    assert.deepEqual(familyBudget(v4({ removing: ['192.168.1.202'] }), 3), { kept: 1, total: 4, left: 6 });
    assert.equal(examplePlaceholder(4, '192.168.1.0/24'), 'e.g. 192.168.1.10');
    assert.equal(examplePlaceholder(6, '2408:4000:1:100::/64'), 'e.g. 2408:4000:1:100::10');
  });

  it("apiError reads the server's own table", () => {
    assert.deepEqual(apiError('AddressNotAssigned', { address: '10.0.0.5' }), {
      code: 'InvalidIp.IpUnassigned',
      message: 'The specified IP "10.0.0.5" is not assigned on this ENI.',
    });
  });
});
