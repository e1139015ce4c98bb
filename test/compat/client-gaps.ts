// Issue 10's remaining client gaps, through the unmodified official SDKs against a real server
// process (ecs20140526 with ACS3 signing; pop-core for the VPC product's tag calls, which the
// sdk-clients router sends to ECS): RunInstances NetworkInterface.N, filters applied before paging,
// ListTagResources TagFilter.N, one trunk ENI per instance, the VPC product's tag limits and codes.
// Exported so each storage backend runs it (client-gaps.test.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import PopCore from '@alicloud/pop-core';
import { sdkClient, type SdkClient } from '../support/sdk-clients.ts';
import type { ServerProcess } from '../support/server-process.ts';

const R = { RegionId: 'cn-hangzhou' };

async function failWith(c: SdkClient, action: string, params: Record<string, unknown>, code: string, status: number) {
  const e = await c.fail(action, params);
  assert.equal(e.code, code, e.message);
  assert.equal(e.statusCode, status);
}

async function network(c: SdkClient, n: number) {
  const vpc = await c.call('CreateVpc', { ...R, CidrBlock: `10.${n}.0.0/16`, EnableIpv6: true });
  const vsw = await c.call('CreateVSwitch', {
    ...R,
    VpcId: vpc.VpcId,
    ZoneId: 'cn-hangzhou-h',
    CidrBlock: `10.${n}.1.0/24`,
    Ipv6CidrBlock: 1,
  });
  const vsw2 = await c.call('CreateVSwitch', { ...R, VpcId: vpc.VpcId, ZoneId: 'cn-hangzhou-h', CidrBlock: `10.${n}.2.0/24` });
  const sg = await c.call('CreateSecurityGroup', { ...R, VpcId: vpc.VpcId });
  const sg2 = await c.call('CreateSecurityGroup', { ...R, VpcId: vpc.VpcId });
  return {
    vpcId: vpc.VpcId as string,
    vSwitchId: vsw.VSwitchId as string,
    vSwitch2: vsw2.VSwitchId as string,
    sg: sg.SecurityGroupId as string,
    sg2: sg2.SecurityGroupId as string,
  };
}

export function clientGapsSuite(label: string, server: () => ServerProcess): void {
  describe(`issue 10 client gaps over ${label}`, () => {
    const ecs = () => sdkClient('ecs-acs3', server().endpoint, server().key);
    const vpcProduct = () =>
      new (PopCore as any).RPCClient({
        accessKeyId: server().key.id,
        accessKeySecret: server().key.secret,
        endpoint: `http://${server().endpoint}`,
        apiVersion: '2016-04-28',
      });

    it('RunInstances NetworkInterface.N: the primary ENI set up by it, a secondary made with the instance', async () => {
      const c = ecs();
      const net = await network(c, 11);
      const run = await c.call('RunInstances', {
        ...R,
        InstanceType: 'ecs.g7.xlarge',
        ImageId: 'img-ni',
        NetworkInterface: [
          {
            InstanceType: 'Primary',
            VSwitchId: net.vSwitchId,
            SecurityGroupIds: [net.sg, net.sg2],
            PrimaryIpAddress: '10.11.1.10',
            NetworkInterfaceName: 'primary-name',
            Description: 'primary description',
            NetworkInterfaceTrafficMode: 'Standard',
            QueueNumber: 8,
            Ipv6AddressCount: 1,
          },
          { InstanceType: 'Secondary', VSwitchId: net.vSwitch2, Description: 'made with it', SecondaryPrivateIpAddressCount: 2 },
        ],
      });
      const id = run.InstanceIdSets.InstanceIdSet[0] as string;
      const enis = (await c.call('DescribeNetworkInterfaces', { ...R, InstanceId: id })).NetworkInterfaceSets.NetworkInterfaceSet as any[];
      const p = enis.find((e) => e.Type === 'Primary');
      const s = enis.find((e) => e.Type === 'Secondary');
      assert.deepEqual(
        [p.PrivateIpAddress, p.NetworkInterfaceName, p.Description, p.QueueNumber, p.Ipv6Sets.Ipv6Set.length],
        ['10.11.1.10', 'primary-name', 'primary description', 8, 1],
      );
      assert.deepEqual(p.SecurityGroupIds.SecurityGroupId, [net.sg, net.sg2]);
      assert.deepEqual(
        [s.VSwitchId, s.Description, s.Status, s.Attachment.DeviceIndex, s.PrivateIpSets.PrivateIpSet.length, s.DeleteOnRelease],
        [net.vSwitch2, 'made with it', 'InUse', 1, 3, true],
      );
      const inst = (await c.call('DescribeInstances', { ...R, InstanceIds: JSON.stringify([id]) })).Instances.Instance[0];
      assert.equal(inst.VpcAttributes.PrivateIpAddress.IpAddress[0], '10.11.1.10');
      assert.equal(inst.NetworkInterfaces.NetworkInterface.length, 2);
      // Both the top-level VSwitchId and the primary's, differing: the conflict, and nothing made.
      await failWith(
        c,
        'RunInstances',
        {
          ...R,
          InstanceType: 'ecs.g7.large',
          VSwitchId: net.vSwitch2,
          NetworkInterface: [
            { InstanceType: 'Primary', VSwitchId: net.vSwitchId, SecurityGroupId: net.sg, PrimaryIpAddress: '10.11.1.11' },
          ],
        },
        'InvalidParameter.Conflict',
        400,
      );
      const none = await c.call('DescribeNetworkInterfaces', { ...R, PrivateIpAddress: ['10.11.1.11'] });
      assert.equal(none.TotalCount, 0);
    });

    it('DescribeInstances and DescribeDisks filter before paging: TotalCount and every page exact', async () => {
      const c = ecs();
      const net = await network(c, 12);
      const make = async (amount: number, image: string, disk: string) =>
        c.call('RunInstances', {
          ...R,
          InstanceType: 'ecs.g7.large',
          VSwitchId: net.vSwitchId,
          SecurityGroupId: net.sg,
          ImageId: image,
          Amount: amount,
          SystemDisk: { Category: disk === 'root-a' ? 'cloud_essd' : 'cloud_efficiency', DiskName: disk },
        });
      // Interleaved, so a filter applied to an unfiltered page would come short.
      for (let k = 0; k < 4; k++) {
        await make(2, 'img-page-a', 'root-a');
        await make(1, 'img-page-b', 'root-b');
      }
      const pages = async (action: string, filter: Record<string, unknown>, key: (b: any) => any[]) => {
        const sizes: number[] = [];
        const ids = new Set<string>();
        for (let n = 1; n <= 4; n++) {
          const b = await c.call(action, { ...R, ...filter, PageSize: 3, PageNumber: n });
          assert.equal(b.TotalCount, 8, `${action} TotalCount`);
          const items = key(b);
          sizes.push(items.length);
          for (const i of items) ids.add(i.InstanceId ?? i.DiskId);
        }
        assert.deepEqual(sizes, [3, 3, 2, 0], `${action} page sizes`);
        assert.equal(ids.size, 8);
      };
      await pages('DescribeInstances', { VpcId: net.vpcId, ImageId: 'img-page-a' }, (b) => b.Instances.Instance);
      const disks = (b: any) => b.Disks.Disk;
      await pages('DescribeDisks', { DiskName: 'root-a' }, disks);
      await pages('DescribeDisks', { Category: 'cloud_essd', DiskName: 'root-a' }, disks);
      // What no instance here can have: nothing, TotalCount 0.
      const locked = await c.call('DescribeInstances', { ...R, VpcId: net.vpcId, LockReason: 'financial' });
      assert.deepEqual([locked.TotalCount, locked.Instances.Instance.length], [0, 0]);
      // NextToken paging over a filter walks the same 8.
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const b = await c.call('DescribeInstances', {
          ...R,
          ImageId: 'img-page-b',
          MaxResults: 10,
          ...(token ? { NextToken: token } : {}),
        });
        seen.push(...b.Instances.Instance.map((i: any) => i.InstanceId));
        token = b.NextToken || undefined;
      } while (token);
      assert.equal(seen.length, 4);
    });

    it('ListTagResources TagFilter.N: fuzzy keys, fuzzy values, sent by the SDK as TagFilter.N.TagValues.N', async () => {
      const c = ecs();
      const net = await network(c, 13);
      const eni = async (tags: Record<string, string>) =>
        (
          await c.call('CreateNetworkInterface', {
            ...R,
            VSwitchId: net.vSwitchId,
            SecurityGroupId: net.sg,
            Tag: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
          })
        ).NetworkInterfaceId as string;
      const a = await eni({ 'gap-env': 'production', 'gap-team': 'net' });
      const b = await eni({ 'gap-env': 'staging' });
      const rows = async (filters: Record<string, unknown>[]) =>
        ((await c.call('ListTagResources', { ...R, ResourceType: 'eni', TagFilter: filters })).TagResources.TagResource as any[])
          .map((t) => `${t.ResourceId} ${t.TagKey}=${t.TagValue}`)
          .sort();
      assert.deepEqual(await rows([{ TagKey: 'gap-e*' }]), [`${a} gap-env=production`, `${b} gap-env=staging`].sort());
      assert.deepEqual(await rows([{ TagKey: 'gap-env', TagValues: ['*duct*', 'nothing'] }]), [`${a} gap-env=production`]);
      assert.deepEqual(await rows([{ TagKey: 'gap-env', TagValues: ['stag*'] }, { TagKey: '*-team*' }]), []);
      await failWith(
        c,
        'ListTagResources',
        { ...R, ResourceType: 'eni', TagFilter: [{ TagKey: 'gap*', TagValues: ['x'] }] },
        'InvalidParameter',
        400,
      );
      await failWith(
        c,
        'ListTagResources',
        { ...R, ResourceType: 'eni', Tag: [{ Key: 'gap-env', Value: 'staging' }], TagFilter: [{ TagKey: 'gap-env' }] },
        'InvalidParameter.Conflict',
        400,
      );
    });

    it('one trunk ENI an instance: a second is refused while the first is attaching or attached', async () => {
      const c = ecs();
      const net = await network(c, 14);
      const trunk = async () =>
        (await c.call('CreateNetworkInterface', { ...R, VSwitchId: net.vSwitchId, SecurityGroupId: net.sg, InstanceType: 'Trunk' }))
          .NetworkInterfaceId as string;
      const [t1, t2] = [await trunk(), await trunk()];
      const id = (await c.call('RunInstances', { ...R, InstanceType: 'ecs.g7.2xlarge', VSwitchId: net.vSwitchId, SecurityGroupId: net.sg }))
        .InstanceIdSets.InstanceIdSet[0] as string;
      for (let n = 0; n < 100; n++) {
        const i = (await c.call('DescribeInstances', { ...R, InstanceIds: JSON.stringify([id]) })).Instances.Instance[0];
        if (i.Status === 'Running') break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await c.call('AttachNetworkInterface', { ...R, InstanceId: id, NetworkInterfaceId: t1 });
      await failWith(c, 'AttachNetworkInterface', { ...R, InstanceId: id, NetworkInterfaceId: t2 }, 'EniPerInstanceLimitExceeded', 403);
      const t2now = (await c.call('DescribeNetworkInterfaces', { ...R, NetworkInterfaceId: [t2] })).NetworkInterfaceSets
        .NetworkInterfaceSet[0];
      assert.equal(t2now.Status, 'Available');
    });

    it("the VPC product's tag limits and codes: 20 ids on TagResources/UnTagResources, BothEmpty at 403", async () => {
      const c = ecs();
      const net = await network(c, 15);
      const vpc = vpcProduct();
      const opts = { method: 'POST', timeout: 10_000 };
      const code = async (action: string, p: Record<string, unknown>) => {
        try {
          await vpc.request(action, { ...R, ...p }, opts);
        } catch (e: any) {
          return e.code as string;
        }
        return 'ok';
      };
      const ids = Array.from({ length: 21 }, (_, i) => `vpc-bpgap${i}`);
      assert.equal(
        await code('TagResources', { ResourceType: 'VPC', ResourceId: ids, Tag: [{ Key: 'k', Value: 'v' }] }),
        'SizeLimitExceeded.ResourceId',
      );
      assert.equal(await code('UnTagResources', { ResourceType: 'VPC', ResourceId: ids, TagKey: ['k'] }), 'SizeLimitExceeded.ResourceId');
      assert.equal(await code('TagResources', { ResourceType: 'VPC', ResourceId: [net.vpcId], Tag: [{ Key: 'k', Value: 'v' }] }), 'ok');
      assert.equal(await code('ListTagResources', { ResourceType: 'VPC' }), 'BothEmpty.TagsAndResources');
    });
  });
}
