// The documented bounds of string parameters (src/api/string-limits.ts), at the
// wire: for a sample of them, a value at the limit passes and one past it gets
// the action's exact code, before any handler runs. The table itself names only
// parameters the served actions' SDK models declare.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STRING_LIMITS, MAX_USER_DATA_BYTES } from '../../src/api/string-limits.ts';
import { ACTIONS } from '../../src/api/registry.ts';
import { modelOf } from '../../src/api/models/index.ts';
import { seedNetwork, startHarness, type Harness } from '../support/in-process.ts';

const long = (n: number, c = 'a') => c.repeat(n);

describe('string bounds at the wire', () => {
  let h: Harness;
  let net: Awaited<ReturnType<typeof seedNetwork>>;
  let run: Record<string, string>;
  let instanceId: string;
  before(async () => {
    h = await startHarness();
    net = await seedNetwork(h);
    run = { InstanceType: 'ecs.g7.large', VSwitchId: net.vSwitchId, SecurityGroupId: net.securityGroupId, ImageId: 'any' };
    instanceId = (await h.call('RunInstances', run)).body.InstanceIdSets.InstanceIdSet[0];
  });
  after(() => h.close());

  /** `ok` values answer 200, each `bad` value `code` (400). */
  async function bounds(action: string, base: Record<string, string>, param: string, ok: string[], bad: string[], code: string) {
    const version = /^Modify(Vpc|VSwitch)Attribute$/.test(action) ? '2016-04-28' : undefined;
    for (const v of ok) {
      const r = await h.call(action, { ...base, [param]: v }, { method: 'POST', version });
      assert.equal(r.status, 200, `${action} ${param} of ${v.length}: ${JSON.stringify(r.body)}`);
    }
    for (const v of bad) {
      const r = await h.call(action, { ...base, [param]: v }, { method: 'POST', version });
      assert.equal(r.status, 400, `${action} ${param} of ${v.length}`);
      assert.equal(r.body.Code, code, `${action} ${param} of ${v.length}: ${r.body.Message}`);
    }
  }

  it('RunInstances: Password 8-30, HostName 2-64, KeyPairName 2-128, Description 2-256, system disk name and description', async () => {
    await bounds(
      'RunInstances',
      run,
      'Password',
      ['Aa1!' + long(4), 'Aa1!' + long(26)],
      ['Aa1!' + long(3), 'Aa1!' + long(27)],
      'InvalidPassword.Malformed',
    );
    await bounds('RunInstances', run, 'HostName', [long(64)], [long(65)], 'InvalidHostName.Malformed');
    await bounds('RunInstances', run, 'KeyPairName', [long(2), long(128)], ['k', long(129)], 'InvalidKeyPairName.Malformed');
    await bounds('RunInstances', run, 'Description', [long(256)], [long(257), long(200_000)], 'InvalidDescription.Malformed');
    await bounds('RunInstances', run, 'SystemDisk.DiskName', [long(128)], [long(129)], 'InvalidDiskName.Malformed');
    await bounds('RunInstances', run, 'SystemDisk.Description', [long(256)], [long(257)], 'InvalidDiskDescription.Malformed');
    await bounds(
      'RunInstances',
      { ...run, 'NetworkInterface.1.VSwitchId': net.vSwitchId, 'NetworkInterface.1.SecurityGroupId': net.securityGroupId },
      'NetworkInterface.1.NetworkInterfaceName',
      [long(128)],
      [long(129)],
      'InvalidParameter',
    );
  });

  it('UserData: 32 KB of raw data in Base64 passes, one byte more is InvalidUserData.SizeExceeded', async () => {
    const max = Buffer.alloc(MAX_USER_DATA_BYTES, 7).toString('base64');
    assert.equal(max.length, 43_692);
    // one byte more: the same number of Base64 characters, less padding
    const over = Buffer.alloc(MAX_USER_DATA_BYTES + 1, 7).toString('base64');
    assert.equal(over.length, 43_692);
    await bounds('RunInstances', run, 'UserData', [max], [over], 'InvalidUserData.SizeExceeded');
    await bounds('CreateInstance', run, 'UserData', [max], [over], 'InvalidUserData.SizeExceeded');
  });

  it('ClientToken: at most 64 ASCII characters, on every action that has it', async () => {
    const eni = { VSwitchId: net.vSwitchId, SecurityGroupId: net.securityGroupId };
    await bounds('CreateNetworkInterface', eni, 'ClientToken', [long(64, 'c')], [long(65, 'c'), long(10, 'é')], 'InvalidParameter');
    await bounds('CreateVpc', { CidrBlock: '10.8.0.0/16' }, 'ClientToken', [long(64, 'v')], [long(65, 'v')], 'InvalidParameter');
  });

  it('the Modify actions have the bounds of their Create twins, with the same codes', async () => {
    await bounds('ModifyVpcAttribute', { VpcId: net.vpcId }, 'VpcName', [long(1), long(128)], [long(129)], 'InvalidVpcName.Malformed');
    await bounds('ModifyVpcAttribute', { VpcId: net.vpcId }, 'Description', [long(256)], [long(257)], 'InvalidVpcDiscription.Malformed');
    await bounds(
      'ModifyVSwitchAttribute',
      { VSwitchId: net.vSwitchId },
      'VSwitchName',
      [long(128)],
      [long(129)],
      'InvalidVSwitchName.Malformed',
    );
    await bounds(
      'ModifySecurityGroupAttribute',
      { SecurityGroupId: net.securityGroupId },
      'Description',
      [long(256)],
      [long(1), long(257)],
      'InvalidSecurityGroupDiscription.Malformed',
    );
    await bounds(
      'ModifyInstanceAttribute',
      { InstanceId: instanceId },
      'InstanceName',
      [long(128)],
      [long(129)],
      'InvalidInstanceName.Malformed',
    );
    await bounds(
      'ModifyInstanceAttribute',
      { InstanceId: instanceId },
      'Password',
      ['Aa1!' + long(26)],
      ['Aa1!' + long(27)],
      'InvalidPassword.Malformed',
    );
  });

  it('a parameter with no documented bound keeps the generic cap of 16,384 characters', async () => {
    await bounds('DescribeInstances', {}, 'InstanceName', [long(16_384)], [long(16_385)], 'InvalidParameter');
  });
});

describe('the bounds table', () => {
  it('names only parameters that a served action with that name declares', () => {
    const declared = new Map<string, Set<string>>();
    for (const a of ACTIONS) {
      const model = modelOf(a.version, a.action);
      if (!model) continue;
      const names = declared.get(a.action) ?? new Set<string>();
      for (const entry of model.split(' ')) names.add(entry.slice(0, entry.lastIndexOf(':')));
      declared.set(a.action, names);
    }
    const anywhere = new Set([...declared.values()].flatMap((s) => [...s]));
    for (const [action, params] of Object.entries(STRING_LIMITS)) {
      for (const param of Object.keys(params)) {
        const names = action === '*' ? anywhere : declared.get(action);
        assert.ok(names, `${action} is not a served action`);
        assert.ok(names.has(param), `${action}: ${param} is no parameter of its model`);
      }
    }
  });
});
