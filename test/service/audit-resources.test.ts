// What the audit trail records as a call's resources: the parameter names it
// takes values from (checked against the rule as regular expressions state it)
// and the ids and addresses an answer holds.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { auditResources, namesResource } from '../../src/service/audit.ts';

/** The rule, as regular expressions: `…Id` or an address list, each with an optional `.N`. */
const byRegex = (k: string) => /Id(\.\d+)?$/.test(k) || /^(PrimaryIpAddress|PrivateIpAddress|Ipv6Address)(\.\d+)?$/.test(k);

describe('audit resources', () => {
  it('a parameter names a resource exactly when the regular expressions say so', () => {
    const names = [
      'NetworkInterfaceId',
      'InstanceId',
      'Id',
      'Id.1',
      'Id.',
      'Id.x',
      'XId.12a',
      'SecurityGroupIds.1',
      'SecurityGroupId.3',
      'NetworkInterface.2.VSwitchId',
      'PrivateIpAddress',
      'PrivateIpAddress.10',
      'PrivateIpAddress.',
      'PrivateIpAddress.1.2',
      'PrimaryIpAddress',
      'Ipv6Address.1',
      'Ipv6AddressCount',
      'SecondaryPrivateIpAddressCount',
      'RegionId.1',
      'id',
      'ID',
      '',
      '.',
      '.1',
      'Iid.007',
      'PrivateIpAddress.١',
    ];
    // and names made of the characters that matter, at random
    const alphabet = ['I', 'd', '.', '1', '0', 'x', 'PrivateIpAddress', 'Ipv6Address', 'PrimaryIpAddress', 'Id'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 3000; i++) names.push(Array.from({ length: 1 + (next() % 5) }, () => alphabet[next() % alphabet.length]).join(''));
    for (const k of names) assert.equal(namesResource(k), byRegex(k), k);
  });

  it('takes named ids and addresses, top-level answer ids and every address handed out; never RegionId or the key', () => {
    const params = new Map([
      ['AccessKeyId', 'LTAI1'],
      ['RegionId', 'cn-hangzhou'],
      ['ClientToken', 'tok-Id'],
      ['NetworkInterfaceId', 'eni-1'],
      ['PrivateIpAddress.1', '10.0.0.5'],
      ['PrivateIpAddress.2', '10.0.0.5'],
      ['SecurityGroupId', ''],
      ['Description', 'eni-2'],
    ]);
    const body = {
      RequestId: 'req-1',
      VpcId: 'vpc-1',
      InstanceIdSets: { InstanceIdSet: ['i-1', 'i-2'] },
      AssignedPrivateIpAddressesSet: { PrivateIpSet: { PrivateIpAddress: ['10.0.0.6', 7] }, Ipv4PrefixSet: { Ipv4Prefixes: [] } },
      Ipv6Sets: { Ipv6Address: ['2001:db8::1'] },
      Deep: { A: { B: { C: { PrivateIpAddress: ['10.9.9.9'] } } } },
    };
    assert.deepEqual(auditResources(params, body), ['eni-1', '10.0.0.5', 'vpc-1', 'i-1', 'i-2', '10.0.0.6', '2001:db8::1']);
    const many = new Map(
      Array.from({ length: 300 }, (_, i) => [`PrivateIpAddress.${i + 1}`, `10.0.${i >> 8}.${i & 255}`] as [string, string]),
    );
    assert.equal(auditResources(many).length, 200);
  });
});
