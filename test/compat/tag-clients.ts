// What Terraform (terraform-provider-alicloud) and terway send about tags,
// replayed request for request against a real server process, with the flat
// parameter maps those Go clients build (pop-core sends them as given). Each
// step names the provider or terway function it replays. Exported so each
// storage backend runs it (sqlite.test.ts, postgres.test.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import PopCore from '@alicloud/pop-core';
import type { ServerProcess } from '../support/server-process.ts';

type Flat = Record<string, unknown>;
interface Rpc {
  request(action: string, params: Flat, opts: Flat): Promise<Record<string, any>>;
}

function clients(server: ServerProcess) {
  const make = (apiVersion: string): Rpc =>
    new (PopCore as any).RPCClient({
      accessKeyId: server.key.id,
      accessKeySecret: server.key.secret,
      endpoint: `http://${server.endpoint}`,
      apiVersion,
    });
  const ecs = make('2014-05-26');
  const vpc = make('2016-04-28');
  // Terraform's client.RpcPost: POST, form body; terway's Go SDK: its default GET.
  const post = { method: 'POST', timeout: 10_000 };
  const get = { timeout: 10_000 };
  return {
    ecsPost: (action: string, p: Flat) => ecs.request(action, p, post),
    vpcPost: (action: string, p: Flat) => vpc.request(action, p, post),
    ecsGet: (action: string, p: Flat) => ecs.request(action, p, get),
  };
}

const REGION = 'cn-hangzhou';
/** pop-core parses objects without a prototype; compared as plain data. */
const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** The provider's tagsToMap over ListTagResources' TagResources.TagResource (it drops aliyun/acs:/http keys). */
function tagsToMap(rows: any[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of rows) if (!/^(aliyun|acs:|https?:\/\/)/.test(r.TagKey)) out[r.TagKey] = r.TagValue;
  return out;
}

/** The provider's parsingTags: keys to remove (gone or changed) and pairs to add (new or changed). */
function parsingTags(oldTags: Record<string, string>, newTags: Record<string, string>) {
  const removed = Object.keys(oldTags).filter((k) => !(k in newTags) || newTags[k] !== oldTags[k]);
  const added = Object.fromEntries(Object.entries(newTags).filter(([k, v]) => oldTags[k] !== v));
  return { removed, added };
}

export function tagClientsSuite(label: string, server: () => ServerProcess): void {
  describe(`Terraform and terway tag calls over ${label}`, () => {
    async function network(c: ReturnType<typeof clients>, cidr: string) {
      const vpc = await c.vpcPost('CreateVpc', { RegionId: REGION, CidrBlock: cidr });
      const vsw = await c.vpcPost('CreateVSwitch', {
        RegionId: REGION,
        VpcId: vpc.VpcId,
        ZoneId: 'cn-hangzhou-h',
        CidrBlock: cidr.replace(/\/\d+$/, '/22'),
      });
      const sg = await c.ecsPost('CreateSecurityGroup', { RegionId: REGION, VpcId: vpc.VpcId });
      return { vpcId: vpc.VpcId as string, vSwitchId: vsw.VSwitchId as string, securityGroupId: sg.SecurityGroupId as string };
    }

    it('alicloud_ecs_network_interface with tags: create, refresh twice without diff, update, destroy', async () => {
      const c = clients(server());
      const net = await network(c, '10.40.0.0/16');

      // EcsService.ListTagResources: ResourceId.1, and a NextToken loop that ends when the answer has none.
      async function listTagResources(id: string): Promise<any[]> {
        const request: Flat = { RegionId: REGION, ResourceType: 'eni', 'ResourceId.1': id };
        const tags: any[] = [];
        for (let pages = 0; pages < 20; pages++) {
          const response = await c.ecsPost('ListTagResources', request);
          tags.push(...response.TagResources.TagResource);
          if (response.NextToken === undefined || response.NextToken === null) return tags;
          request.NextToken = response.NextToken;
        }
        assert.fail('ListTagResources never ended');
      }
      // resourceAliCloudEcsNetworkInterfaceRead: DescribeEcsNetworkInterface, then the tags.
      async function read(id: string) {
        const d = await c.ecsPost('DescribeNetworkInterfaces', { RegionId: REGION, 'NetworkInterfaceId.1': id });
        const set = d.NetworkInterfaceSets.NetworkInterfaceSet as any[];
        if (set.length < 1 || set[0].NetworkInterfaceId !== id) return undefined;
        return { status: set[0].Status as string, tags: tagsToMap(await listTagResources(id)) };
      }

      // resourceAliCloudEcsNetworkInterfaceCreate: Tag.N.Key/Value in the create request.
      const config: Record<string, string> = { Name: 'tf-eni', Env: 'test', 'ack.aliyun.com': 'c1' };
      const create: Flat = {
        RegionId: REGION,
        VSwitchId: net.vSwitchId,
        'SecurityGroupIds.1': net.securityGroupId,
        NetworkInterfaceName: 'tf-eni',
      };
      Object.entries(config).forEach(([k, v], i) => {
        create[`Tag.${i + 1}.Key`] = k;
        create[`Tag.${i + 1}.Value`] = v;
      });
      const id = (await c.ecsPost('CreateNetworkInterface', create)).NetworkInterfaceId as string;
      // EcsNetworkInterfaceStateRefreshFunc waits for Available, then Read.
      let state = await read(id);
      assert.equal(state?.status, 'Available');
      assert.deepEqual(state?.tags, config);
      // Two refreshes: the same tags each time, so plan shows no diff.
      for (let i = 0; i < 2; i++) assert.deepEqual((await read(id))?.tags, config, `refresh ${i + 1}`);

      // resourceAliCloudEcsNetworkInterfaceUpdate → EcsService.SetResourceTags: UntagResources (TagKey.N) then TagResources (Tag.N).
      const next: Record<string, string> = { Name: 'tf-eni', Env: 'prod', Owner: 'aliyun-team' };
      const { removed, added } = parsingTags(config, next);
      const untag: Flat = { RegionId: REGION, ResourceType: 'eni', 'ResourceId.1': id };
      removed.forEach((k, i) => {
        untag[`TagKey.${i + 1}`] = k;
      });
      await c.ecsPost('UntagResources', untag);
      const tag: Flat = { RegionId: REGION, ResourceType: 'eni', 'ResourceId.1': id };
      Object.entries(added).forEach(([k, v], i) => {
        tag[`Tag.${i + 1}.Key`] = k;
        tag[`Tag.${i + 1}.Value`] = v;
      });
      await c.ecsPost('TagResources', tag);
      state = await read(id);
      assert.deepEqual(state?.tags, next);
      assert.deepEqual((await read(id))?.tags, next, 'a second refresh after the update shows no diff');

      // resourceAliCloudEcsNetworkInterfaceDelete, then Read finds nothing (the resource leaves the state).
      await c.ecsPost('DeleteNetworkInterface', { RegionId: REGION, NetworkInterfaceId: id });
      for (let i = 0; i < 100 && (await read(id)) !== undefined; i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal(await read(id), undefined);
      assert.deepEqual(await listTagResources(id), [], 'the deleted ENI took its tags with it');
    });

    it('alicloud_vpc, alicloud_vswitch, alicloud_security_group: Tag.N on create, SetResourceTags on update', async () => {
      const c = clients(server());
      // resourceAliCloudVpcVpcCreate: expandTagsToMap puts Tag.N.Key/Value into CreateVpc.
      const vpc = (
        await c.vpcPost('CreateVpc', { RegionId: REGION, CidrBlock: '10.50.0.0/16', 'Tag.1.Key': 'Created', 'Tag.1.Value': 'TF' })
      ).VpcId as string;
      const vsw = (
        await c.vpcPost('CreateVSwitch', {
          RegionId: REGION,
          VpcId: vpc,
          ZoneId: 'cn-hangzhou-h',
          CidrBlock: '10.50.1.0/24',
          'Tag.1.Key': 'Created',
          'Tag.1.Value': 'TF',
        })
      ).VSwitchId as string;
      const sg = (await c.ecsPost('CreateSecurityGroup', { RegionId: REGION, VpcId: vpc, 'Tag.1.Key': 'Created', 'Tag.1.Value': 'TF' }))
        .SecurityGroupId as string;
      // Read: $.Tags.Tag of the describe answers (Key/Value on the VPC product, TagKey/TagValue on ECS).
      const vpcTags = async () => plain((await c.vpcPost('DescribeVpcs', { RegionId: REGION, VpcId: vpc })).Vpcs.Vpc[0].Tags.Tag);
      const vswTags = async () =>
        plain((await c.vpcPost('DescribeVSwitches', { RegionId: REGION, VSwitchId: vsw })).VSwitches.VSwitch[0].Tags.Tag);
      assert.deepEqual(await vpcTags(), [{ Key: 'Created', Value: 'TF' }]);
      assert.deepEqual(await vswTags(), [{ Key: 'Created', Value: 'TF' }]);

      // VpcServiceV2.SetResourceTags(d, "VPC" / "VSWITCH"): UnTagResources then TagResources on Vpc 2016-04-28.
      for (const [id, type] of [
        [vpc, 'VPC'],
        [vsw, 'VSWITCH'],
      ]) {
        await c.vpcPost('UnTagResources', { RegionId: REGION, ResourceType: type, 'ResourceId.1': id, 'TagKey.1': 'Created' });
        await c.vpcPost('TagResources', {
          RegionId: REGION,
          ResourceType: type,
          'ResourceId.1': id,
          'Tag.1.Key': 'For',
          'Tag.1.Value': 'update',
        });
      }
      assert.deepEqual(await vpcTags(), [{ Key: 'For', Value: 'update' }]);
      assert.deepEqual(await vswTags(), [{ Key: 'For', Value: 'update' }]);
      const listed = await c.vpcPost('ListTagResources', { RegionId: REGION, ResourceType: 'VSWITCH', 'ResourceId.1': vsw });
      assert.deepEqual(plain(listed.TagResources.TagResource), [
        { ResourceId: vsw, ResourceType: 'VSWITCH', TagKey: 'For', TagValue: 'update' },
      ]);

      // EcsServiceV2.SetResourceTags(d, "securitygroup") on ECS.
      await c.ecsPost('UntagResources', { RegionId: REGION, ResourceType: 'securitygroup', 'ResourceId.1': sg, 'TagKey.1': 'Created' });
      await c.ecsPost('TagResources', {
        RegionId: REGION,
        ResourceType: 'securitygroup',
        'ResourceId.1': sg,
        'Tag.1.Key': 'For',
        'Tag.1.Value': 'update',
      });
      const sgs = await c.ecsPost('DescribeSecurityGroups', { RegionId: REGION, SecurityGroupId: sg });
      assert.deepEqual(plain(sgs.SecurityGroups.SecurityGroup[0].Tags.Tag), [{ TagKey: 'For', TagValue: 'update' }]);
    });

    it('terway: ENIs created with its tags, found again by tag filter across MaxResults=500 pages', async () => {
      const c = clients(server());
      const net = await network(c, '10.60.0.0/16');
      const cluster = `c-${label.toLowerCase()}`;
      // ECSService.CreateNetworkInterface with CreateNetworkInterfaceOptions: the creator and cluster tags.
      const OURS = 505;
      const THEIRS = 5;
      const created: string[] = [];
      let next = 0;
      const deadline = Date.now() + 120_000;
      async function worker() {
        while (next < OURS + THEIRS && Date.now() < deadline) {
          const n = next++;
          const mine = n < OURS;
          const r = await c.ecsGet('CreateNetworkInterface', {
            RegionId: REGION,
            VSwitchId: net.vSwitchId,
            'SecurityGroupIds.1': net.securityGroupId,
            Description: 'interface create by terway',
            'Tag.1.Key': 'creator',
            'Tag.1.Value': 'terway-controller',
            'Tag.2.Key': 'ack.aliyun.com',
            'Tag.2.Value': mine ? cluster : 'another-cluster',
            ClientToken: `terway-${label}-${n}`,
          });
          if (mine) created.push(r.NetworkInterfaceId as string);
        }
      }
      await Promise.all(Array.from({ length: 8 }, worker));
      assert.equal(created.length, OURS);

      // ECSService.DescribeNetworkInterface2 (pod-eni gcENIs' tag filter): MaxResults=500, NextToken,
      // stop when a page holds fewer than 500 or NextToken is empty.
      const found: string[] = [];
      let nextToken = '';
      let pages = 0;
      for (;;) {
        const resp = await c.ecsGet('DescribeNetworkInterfaces', {
          RegionId: REGION,
          VpcId: net.vpcId,
          Status: 'Available',
          'Tag.1.Key': 'ack.aliyun.com',
          'Tag.1.Value': cluster,
          'Tag.2.Key': 'creator',
          'Tag.2.Value': 'terway-controller',
          NextToken: nextToken,
          MaxResults: 500,
        });
        pages++;
        const set = resp.NetworkInterfaceSets.NetworkInterfaceSet as any[];
        for (const e of set) {
          assert.deepEqual(Object.fromEntries(e.Tags.Tag.map((t: any) => [t.TagKey, t.TagValue])), {
            creator: 'terway-controller',
            'ack.aliyun.com': cluster,
          });
          found.push(e.NetworkInterfaceId);
        }
        if (set.length < 500 || !resp.NextToken || pages > 10) break;
        nextToken = resp.NextToken;
      }
      assert.equal(pages, 2);
      assert.equal(found.length, OURS);
      assert.deepEqual([...found].sort(), [...created].sort());
    });
  });
}
