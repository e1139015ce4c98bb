// The console's other pure pieces: search parsing, CIDR suggestions, the
// limits that apply, pending transitions, the OS script, region names.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseSearch, describeSearch } from '../../src/console/logic/search-query.ts';
import { suggestIpv6Index, suggestVSwitchCidr, vSwitchCidrProblem } from '../../src/console/logic/cidr-suggest.ts';
import { addressesChangeable, limitRows, quotaFor } from '../../src/console/logic/eni-quota.ts';
import { withPending, type PendingTransition } from '../../src/console/logic/optimistic.ts';
import { shellScript } from '../../src/console/logic/os-script.ts';
import { regionName, zoneName } from '../../src/console/logic/region-names.ts';
import type { EniWire, InstanceTypeWire } from '../../src/console/api/wire.ts';
import { eniShape } from '../../src/api/shapes.ts';
import type { Eni } from '../../src/domain/model.ts';
import { DEFAULT_ENI_TRAFFIC } from '../../src/domain/model.ts';

const server = { availableEniMaxIpv4: 10, availableEniMaxIpv6: 10, maxAddressesPerRequest: 50, securityGroupsPerEni: 5 };
// Only the fields the console's logic reads; the full type is the server's shape.
const g7large = {
  InstanceTypeId: 'ecs.g7.large',
  CpuCoreCount: 2,
  MemorySize: 8,
  EniQuantity: 3,
  EniPrivateIpAddressQuantity: 6,
  EniIpv6AddressQuantity: 6,
} as InstanceTypeWire;

describe('search box', () => {
  it('recognizes ids, addresses and names', () => {
    assert.deepEqual(parseSearch('  '), { kind: 'none' });
    assert.deepEqual(parseSearch('eni-bp1abc eni-bp1def'), { kind: 'id', ids: ['eni-bp1abc', 'eni-bp1def'] });
    assert.deepEqual(parseSearch('192.168.1.202'), { kind: 'ipv4', address: '192.168.1.202' });
    assert.deepEqual(parseSearch('2408:4000:0::A'), { kind: 'ipv6', address: '2408:4000::a' });
    assert.deepEqual(parseSearch('web eni'), { kind: 'name', name: 'web eni' });
    assert.deepEqual(parseSearch('tag:creator=terway'), { kind: 'tag', key: 'creator', value: 'terway' });
    assert.deepEqual(parseSearch('TAG: ack.aliyun.com '), { kind: 'tag', key: 'ack.aliyun.com' });
    assert.deepEqual(parseSearch('tag:k='), { kind: 'tag', key: 'k', value: '' });
    assert.equal(describeSearch(parseSearch('tag:creator=terway')), 'tag creator=terway');
    assert.equal(describeSearch(parseSearch('192.168.1.202')), 'private IPv4 192.168.1.202');
  });
});

describe('vSwitch CIDR suggestions', () => {
  it('the first free /24 of the VPC', () => {
    assert.equal(suggestVSwitchCidr('192.168.0.0/16', []), '192.168.0.0/24');
    assert.equal(suggestVSwitchCidr('192.168.0.0/16', ['192.168.0.0/24', '192.168.1.0/25']), '192.168.2.0/24');
    assert.equal(suggestVSwitchCidr('10.0.0.0/28', []), '10.0.0.0/28');
    assert.equal(suggestVSwitchCidr('10.0.0.0/24', ['10.0.0.0/24']), undefined);
  });

  it('checks a typed block like the API: mask, inside the VPC, no overlap', () => {
    assert.match(vSwitchCidrProblem('192.168.1.0/30', '192.168.0.0/16', [])!, /16\.\.29|mask 16 to 29/);
    assert.match(vSwitchCidrProblem('192.168.1.1/24', '192.168.0.0/16', [])!, /network address/);
    assert.match(vSwitchCidrProblem('10.0.0.0/24', '192.168.0.0/16', [])!, /inside the VPC/);
    assert.match(vSwitchCidrProblem('192.168.0.0/23', '192.168.0.0/16', [{ id: 'vsw-1', cidr: '192.168.1.0/24' }])!, /Overlaps vsw-1/);
    assert.equal(vSwitchCidrProblem('192.168.2.0/24', '192.168.0.0/16', [{ id: 'vsw-1', cidr: '192.168.1.0/24' }]), undefined);
  });

  it('the lowest unused IPv6 /64 number', () => {
    assert.equal(suggestIpv6Index('2408:4000:1:100::/56', []), 0);
    assert.equal(suggestIpv6Index('2408:4000:1:100::/56', ['2408:4000:1:100::/64', '2408:4000:1:101::/64', '']), 2);
  });
});

describe('limits that apply now', () => {
  it("Available: the server's caps; bound: the instance type's (the server's own addressCap)", () => {
    assert.deepEqual(quotaFor('Available', 4, server, undefined), { max: 10, errorCode: 'EniIpv4LimitExceeded' });
    assert.deepEqual(quotaFor('Available', 6, { ...server, availableEniMaxIpv6: 3 }, g7large), {
      max: 3,
      errorCode: 'EniIpv6LimitExceeded',
    });
    assert.deepEqual(quotaFor('InUse', 4, server, g7large), { max: 6, errorCode: 'InstanceTypeIpv4LimitExceeded' });
    assert.deepEqual(quotaFor('InUse', 6, server, g7large), { max: 6, errorCode: 'InstanceTypeIpv6LimitExceeded' });
  });

  it('the limits table marks the row that applies', () => {
    const avail = limitRows('Available', server, undefined);
    assert.deepEqual(
      avail.map((r) => [r.state, r.appliesNow]),
      [
        ['Available', true],
        ['InUse', false],
      ],
    );
    const bound = limitRows('InUse', server, g7large);
    assert.deepEqual(
      bound.map((r) => [r.state, r.ipv4, r.ipv6, r.appliesNow]),
      [
        ['Available', 10, 10, false],
        ['InUse', 6, 6, true],
      ],
    );
  });

  it('addresses change only when Available or InUse', () => {
    assert.deepEqual((['Available', 'Attaching', 'InUse', 'Detaching', 'Deleting'] as const).map(addressesChangeable), [
      true,
      false,
      true,
      false,
      false,
    ]);
  });
});

describe('pending transitions', () => {
  // The server's own shape function makes the fixture, so it has every field the console's type has.
  const eni = (id: string, status: EniWire['Status'], instanceId = ''): EniWire =>
    eniShape({
      id,
      accountId: '1',
      regionId: 'r',
      zoneId: 'z',
      vpcId: 'vpc-1',
      vSwitchId: 'vsw-1',
      resourceGroupId: 'rg',
      name: '',
      description: '',
      type: 'Secondary',
      status,
      macAddress: '00:16:3e:00:00:01',
      instanceId: instanceId || null,
      pendingInstanceId: null,
      transitionDueMs: null,
      deviceIndex: null,
      trunkEniId: null,
      deleteOnRelease: false,
      traffic: DEFAULT_ENI_TRAFFIC,
      sourceDestCheck: false,
      networkCardIndex: null,
      securityGroupIds: [],
      addresses: [{ family: 4, address: '10.0.0.5', primary: true }],
      ipv4Prefixes: [],
      ipv6Prefixes: [],
      tags: [],
      createdAt: '',
    } as Eni);
  const pending = (p: Partial<PendingTransition> & { eni: EniWire }) =>
    new Map([[p.eni.NetworkInterfaceId, { status: 'Detaching', instanceId: 'i-a', at: 100, ...p } as PendingTransition]]);

  it('shows an accepted transition until a fetch that started after it', () => {
    const rows = [eni('eni-1', 'InUse', 'i-a')];
    const p = pending({ eni: rows[0] });
    assert.equal(withPending(rows, 50, p)[0].Status, 'Detaching');
    assert.equal(withPending(rows, 150, p)[0].Status, 'InUse');
  });

  it("adds an ENI being attached to the instance's list, not to others", () => {
    const p = pending({ eni: eni('eni-2', 'Available'), status: 'Attaching', instanceId: 'i-b' });
    assert.deepEqual(
      withPending([], 50, p, 'i-b').map((e) => [e.NetworkInterfaceId, e.Status, e.InstanceId]),
      [['eni-2', 'Attaching', 'i-b']],
    );
    assert.deepEqual(withPending([], 50, p, 'i-a'), []);
    assert.deepEqual(withPending([], 150, p, 'i-b'), []);
  });
});

describe('OS script', () => {
  it('puts prepare commands, files as here-documents and apply commands in order', () => {
    const s = shellScript(
      {
        osId: 'ubuntu-22.04',
        shell: 'sh',
        files: [
          { path: "/etc/netplan/it's.yaml", content: 'network:\n  version: 2\nENIPLANE_EOF\n', mode: 0o600, description: 'the plan' },
        ],
        commands: [
          { run: 'netplan apply', why: 'apply', stage: 'apply' },
          { run: 'cp a b', why: 'backup', stage: 'prepare' },
        ],
      },
      'title',
    )!;
    const lines = s.split('\n');
    assert.equal(lines[0], '#!/bin/sh');
    assert.ok(s.indexOf('cp a b') < s.indexOf('cat >') && s.indexOf('cat >') < s.indexOf('netplan apply'));
    assert.ok(s.includes(`cat > '/etc/netplan/it'\\''s.yaml' <<'ENIPLANE_EOF_'`), s);
    assert.ok(s.includes(`chmod 600 '/etc/netplan/it'\\''s.yaml'`));
    assert.equal(shellScript({ osId: 'windows-2022', shell: 'powershell', files: [], commands: [] }, 't'), undefined);
  });
});

describe('region names', () => {
  it("English names for known ids, the server's otherwise", () => {
    assert.equal(regionName('cn-hangzhou', '华东1（杭州）'), 'China (Hangzhou)');
    assert.equal(regionName('xx-lab-1', 'Lab'), 'Lab');
    assert.equal(zoneName('cn-hangzhou', 'cn-hangzhou-h', '杭州 可用区H'), 'Hangzhou Zone H');
    assert.equal(zoneName('xx-lab-1', 'xx-lab-1a', 'Lab A'), 'Lab A');
  });
});
