// What real clients send beyond the seed's story, through each unmodified official SDK against a
// real server over HTTP (the harness's, in this process: the shapes need no process of their own): RunInstances as some Go clients call it (AutoRenew=false, SpotPriceLimit=0,
// SystemDisk as an object, DataDisk.N), which the hand-written parameter lists used to refuse.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FLAVOURS, sdkClient } from '../support/sdk-clients.ts';
import { startEniplane, type Eniplane } from 'eniplane';

let server: Eniplane;
before(async () => {
  server = await startEniplane({ transitionMs: 100 });
});
after(async () => {
  await server?.close();
});

describe('SDK model parameters in their real shapes', () => {
  FLAVOURS.forEach((flavour, n) => {
    it(`RunInstances with AutoRenew, SpotPriceLimit, SystemDisk.Category, DataDisk.N.Size via ${flavour}`, async () => {
      const c = sdkClient(flavour, server.endpoint, { id: server.accessKeyId, secret: server.accessKeySecret });
      const R = { RegionId: 'cn-hangzhou' };
      const vpc = await c.call('CreateVpc', { ...R, CidrBlock: '10.0.0.0/16', VpcName: `params-${n}` });
      const vsw = await c.call('CreateVSwitch', { ...R, VpcId: vpc.VpcId, ZoneId: 'cn-hangzhou-h', CidrBlock: '10.0.1.0/24' });
      const sg = await c.call('CreateSecurityGroup', { ...R, VpcId: vpc.VpcId });
      // The tea SDKs take nested models and flatten them; pop-core takes the wire names as they are.
      const disks = flavour.startsWith('ecs')
        ? { SystemDisk: { Category: 'cloud_essd', Size: '40' }, DataDisk: [{ Size: 40, Category: 'cloud_essd', DeleteWithInstance: true }] }
        : {
            'SystemDisk.Category': 'cloud_essd',
            'SystemDisk.Size': '40',
            DataDisk: [{ Size: 40, Category: 'cloud_essd', DeleteWithInstance: true }],
          };
      const run = await c.call('RunInstances', {
        ...R,
        InstanceType: 'ecs.g7.large',
        VSwitchId: vsw.VSwitchId,
        SecurityGroupId: sg.SecurityGroupId,
        ImageId: 'aliyun_3_x64',
        AutoRenew: false,
        SpotPriceLimit: 0,
        SpotStrategy: 'NoSpot',
        InstanceChargeType: 'PostPaid',
        InternetMaxBandwidthOut: 0,
        ...disks,
      });
      assert.equal(run.InstanceIdSets.InstanceIdSet.length, 1);
      // The tea SDKs type DataDisk.N.Size as a number and cannot send "forty"; pop-core can, and it is refused by name.
      if (!flavour.startsWith('ecs')) {
        const e = await c.fail('RunInstances', {
          ...R,
          InstanceType: 'ecs.g7.large',
          VSwitchId: vsw.VSwitchId,
          SecurityGroupId: sg.SecurityGroupId,
          DataDisk: [{ Size: 'forty' }],
        });
        assert.equal(e.code, 'InvalidParameter');
        assert.match(e.message, /"DataDisk\.1\.Size" is not valid/);
      }
    });
  });
});
