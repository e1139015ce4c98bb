// What terraform-provider-alicloud sends, request for request, for create,
// refresh, update and destroy of alicloud_vpc, alicloud_vswitch,
// alicloud_security_group, alicloud_instance, alicloud_ecs_network_interface
// and alicloud_ecs_network_interface_attachment, read from the provider's Go
// source (github.com/aliyun/terraform-provider-alicloud, alicloud/*.go). Each
// step names the provider function it replays. The provider's RpcPost is a
// signed RPC POST with the parameters in the form body (arrays flattened to
// Name.N), which pop-core's RPCClient sends the same way; its waits
// (BuildStateConf + a *StateRefreshFunc) are replayed as bounded polls. Each
// resource's Read is replayed twice: the second refresh must read exactly what
// the first did, or Terraform would show a diff on every plan.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import PopCore from '@alicloud/pop-core';
import type { ServerProcess } from '../support/server-process.ts';

type Params = Record<string, unknown>;
type Body = Record<string, any>;
interface ApiError {
  code: string;
  status: number;
}

const REGION = 'cn-hangzhou';
let tokenSeq = 0;
/** buildClientToken(action): a fresh token per call, as the provider makes them. */
export const clientToken = (action: string) => `tf-${action}-${Date.now()}-${++tokenSeq}`;

export function provider(server: ServerProcess) {
  const make = (apiVersion: string) =>
    new (PopCore as any).RPCClient({
      accessKeyId: server.key.id,
      accessKeySecret: server.key.secret,
      endpoint: `http://${server.endpoint}`,
      apiVersion,
    });
  const clients: Record<'Ecs' | 'Vpc', any> = { Ecs: make('2014-05-26'), Vpc: make('2016-04-28') };
  const sent: string[] = [];
  /** client.RpcPost(product, version, action, query, request, autoRetry) */
  async function rpcPost(product: 'Ecs' | 'Vpc', action: string, request: Params): Promise<Body> {
    sent.push(action);
    return clients[product].request(action, request, { method: 'POST', timeout: 10_000 });
  }
  /** The error an RpcPost raised, as the provider's IsExpectedErrors and NotFoundError see it. */
  async function rpcError(product: 'Ecs' | 'Vpc', action: string, request: Params): Promise<ApiError> {
    try {
      await rpcPost(product, action, request);
    } catch (e: any) {
      return { code: e.code, status: e.entry?.response?.statusCode };
    }
    throw new Error(`${action} succeeded, expected an error`);
  }
  return { rpcPost, rpcError, sent };
}

/** NotFoundError(err): a 404 or a code naming NotFound. */
const isNotFound = (e: any) => e?.entry?.response?.statusCode === 404 || /NotFound/.test(String(e?.code ?? ''));

/**
 * BuildStateConf(pending, target, ...).WaitForState(): polls refresh until its state is one of target;
 * target [] (or ['']) means "until the resource is gone" (refresh answers no object).
 */
export async function waitForState(
  what: string,
  refresh: () => Promise<{ object: Body | null; state: string }>,
  target: string[],
): Promise<Body | null> {
  const end = Date.now() + 15_000;
  for (let n = 0; ; n++) {
    const { object, state } = await refresh();
    const gone = object === null;
    if (target.length === 0 || target.includes('') ? gone : !gone && target.includes(state)) return object;
    if (Date.now() > end || n > 500) assert.fail(`${what}: still ${gone ? 'absent' : state}, waiting for ${JSON.stringify(target)}`);
    await new Promise((r) => setTimeout(r, 30));
  }
}

/** Runs a refresh (not found: null), as the *StateRefreshFunc functions do. */
export async function orNull(get: () => Promise<Body>): Promise<Body | null> {
  try {
    return await get();
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
}

export function terraformSuite(label: string, server: () => ServerProcess): void {
  describe(`terraform-provider-alicloud over ${label}`, () => {
    it('alicloud_vpc, alicloud_vswitch, alicloud_security_group, alicloud_instance, alicloud_ecs_network_interface(+_attachment): create, refresh twice, update, destroy', async () => {
      const tf = provider(server());
      const { rpcPost } = tf;

      // ---- alicloud_vpc ------------------------------------------------------------------
      // VpcServiceV2.DescribeVpcVpc: DescribeVpcAttribute; an empty VpcId is NotFound too.
      const describeVpcVpc = async (id: string) => {
        const r = await rpcPost('Vpc', 'DescribeVpcAttribute', { VpcId: id, RegionId: REGION });
        if (String(r.VpcId ?? '') === '') throw Object.assign(new Error('NotFound'), { code: 'NotFound' });
        return r;
      };
      // VpcServiceV2.DescribeVpcDescribeRouteTableList: the VPC's System table from RouterTableList.RouterTableListType.
      const describeVpcRouteTable = async (id: string) => {
        const r = await rpcPost('Vpc', 'DescribeRouteTableList', { VpcId: id, RegionId: REGION });
        return (r.RouterTableList.RouterTableListType as Body[]).find((t) => t.RouteTableType === 'System' && t.VpcId === id) ?? null;
      };
      // resourceAliCloudVpcVpcRead: the state it sets.
      const readVpc = async (id: string) => {
        const o = await describeVpcVpc(id);
        const rt = await describeVpcRouteTable(id);
        assert.ok(rt, 'the VPC has its system route table');
        return {
          cidr_block: o.CidrBlock,
          classic_link_enabled: o.ClassicLinkEnabled,
          create_time: o.CreationTime,
          description: o.Description,
          dns_hostname_status: o.DnsHostnameStatus,
          enable_ipv6: o.EnabledIpv6,
          ipv6_cidr_block: o.Ipv6CidrBlock,
          region_id: o.RegionId,
          is_default: o.IsDefault,
          resource_group_id: rt.ResourceGroupId,
          router_id: rt.RouterId,
          status: o.Status,
          vpc_name: o.VpcName,
          ipv6_cidr_blocks: (o.Ipv6CidrBlocks.Ipv6CidrBlock as Body[]).map((b) => ({
            ipv6_cidr_block: b.Ipv6CidrBlock,
            ipv6_isp: b.Ipv6Isp,
          })),
          secondary_cidr_blocks: o.SecondaryCidrBlocks.SecondaryCidrBlock,
          tags: o.Tags.Tag,
          user_cidrs: o.UserCidrs.UserCidr,
          route_table_id: rt.RouteTableId,
          system_route_table_description: rt.Description,
          system_route_table_name: rt.RouteTableName,
          system_route_table_route_propagation_enable: rt.RoutePropagationEnable,
        };
      };
      // resourceAliCloudVpcVpcCreate
      const vpc = await rpcPost('Vpc', 'CreateVpc', {
        RegionId: REGION,
        ClientToken: clientToken('CreateVpc'),
        CidrBlock: '172.16.0.0/12',
        VpcName: 'tf-vpc',
        Description: 'made by terraform',
        EnableIpv6: true,
      });
      const vpcId = vpc.VpcId as string;
      await waitForState(
        'vpc Available',
        async () => {
          const o = await orNull(() => describeVpcVpc(vpcId));
          return { object: o, state: String(o?.Status ?? '') };
        },
        ['Available'],
      );
      // resourceAliCloudVpcVpcUpdate on a new resource changes nothing; then the Read, and a refresh.
      const vpcState = await readVpc(vpcId);
      assert.equal(vpcState.vpc_name, 'tf-vpc');
      assert.equal(vpcState.description, 'made by terraform');
      assert.equal(vpcState.cidr_block, '172.16.0.0/12');
      assert.equal(vpcState.enable_ipv6, true);
      assert.match(String(vpcState.ipv6_cidr_block), /\/56$/);
      assert.equal(vpcState.route_table_id, vpc.RouteTableId, 'the route table CreateVpc named is the one the Read finds');
      assert.equal(vpcState.router_id, vpc.VRouterId);
      assert.deepEqual(await readVpc(vpcId), vpcState, 'a second refresh of alicloud_vpc reads the same');

      // ---- alicloud_vswitch --------------------------------------------------------------
      // VpcServiceV2.DescribeVpcVswitch: DescribeVSwitchAttributes (VSwitchId in the query); an empty VSwitchId is NotFound.
      const describeVpcVswitch = async (id: string) => {
        const r = await rpcPost('Vpc', 'DescribeVSwitchAttributes', { VSwitchId: id, RegionId: REGION });
        if (String(r.VSwitchId ?? '') === '') throw Object.assign(new Error('NotFound'), { code: 'NotFound' });
        return r;
      };
      // resourceAliCloudVpcVswitchRead
      const readVSwitch = async (id: string) => {
        const o = await describeVpcVswitch(id);
        return {
          cidr_block: o.CidrBlock,
          create_time: o.CreationTime,
          description: o.Description,
          ipv6_cidr_block: o.Ipv6CidrBlock,
          is_default: o.IsDefault,
          status: o.Status,
          vswitch_name: o.VSwitchName,
          vpc_id: o.VpcId,
          zone_id: o.ZoneId,
          tags: o.Tags.Tag,
          enable_ipv6: String(o.Ipv6CidrBlock) !== '',
        };
      };
      // resourceAliCloudVpcVswitchCreate
      const vsw = await rpcPost('Vpc', 'CreateVSwitch', {
        RegionId: REGION,
        ClientToken: clientToken('CreateVSwitch'),
        CidrBlock: '172.16.1.0/24',
        VpcId: vpcId,
        VSwitchName: 'tf-vsw',
        ZoneId: 'cn-hangzhou-h',
        Ipv6CidrBlock: 3,
      });
      const vswId = vsw.VSwitchId as string;
      await waitForState(
        'vswitch Available',
        async () => {
          const o = await orNull(() => describeVpcVswitch(vswId));
          return { object: o, state: String(o?.Status ?? '') };
        },
        ['Available'],
      );
      const vswState = await readVSwitch(vswId);
      assert.deepEqual(
        [vswState.vswitch_name, vswState.vpc_id, vswState.cidr_block, vswState.zone_id, vswState.enable_ipv6],
        ['tf-vsw', vpcId, '172.16.1.0/24', 'cn-hangzhou-h', true],
      );
      assert.deepEqual(await readVSwitch(vswId), vswState, 'a second refresh of alicloud_vswitch reads the same');

      // ---- alicloud_security_group ---------------------------------------------------------
      // resourceAliCloudEcsSecurityGroupRead: EcsServiceV2.DescribeEcsSecurityGroup (DescribeSecurityGroups, SecurityGroupId)
      // and DescribeSecurityGroupDescribeSecurityGroupAttribute (DescribeSecurityGroupAttribute).
      const readSecurityGroup = async (id: string) => {
        const list = await rpcPost('Ecs', 'DescribeSecurityGroups', { SecurityGroupId: id, RegionId: REGION });
        const o = (list.SecurityGroups.SecurityGroup as Body[])[0];
        assert.ok(o, `security group ${id} is listed`);
        const attr = await rpcPost('Ecs', 'DescribeSecurityGroupAttribute', { SecurityGroupId: id, RegionId: REGION });
        return {
          create_time: o.CreationTime,
          description: o.Description,
          resource_group_id: o.ResourceGroupId,
          security_group_name: o.SecurityGroupName,
          security_group_type: o.SecurityGroupType,
          vpc_id: o.VpcId,
          tags: o.Tags.Tag,
          inner_access_policy: attr.InnerAccessPolicy,
          inner_access: attr.InnerAccessPolicy === 'Accept',
        };
      };
      // resourceAliCloudEcsSecurityGroupCreate
      const sg = await rpcPost('Ecs', 'CreateSecurityGroup', {
        RegionId: REGION,
        ClientToken: clientToken('CreateSecurityGroup'),
        SecurityGroupType: 'normal',
        Description: 'tf group',
        VpcId: vpcId,
        SecurityGroupName: 'tf-sg',
      });
      const sgId = sg.SecurityGroupId as string;
      const sgState = await readSecurityGroup(sgId);
      assert.deepEqual(
        [sgState.security_group_name, sgState.description, sgState.vpc_id, sgState.inner_access_policy],
        ['tf-sg', 'tf group', vpcId, 'Accept'],
      );
      assert.deepEqual(await readSecurityGroup(sgId), sgState, 'a second refresh of alicloud_security_group reads the same');

      // ---- alicloud_instance ----------------------------------------------------------------
      // EcsService.DescribeInstance: DescribeInstances with InstanceIds and AdditionalAttributes.N; none listed is NotFound.
      const describeInstance = async (id: string) => {
        const r = await rpcPost('Ecs', 'DescribeInstances', {
          RegionId: REGION,
          InstanceIds: JSON.stringify([id]),
          AdditionalAttributes: ['META_OPTIONS', 'NETWORK_PRIMARY_ENI_IP', 'LOGIN_AS_NON_ROOT', 'DISK_HIGH_DENSITY_MODE'],
        });
        const o = (r.Instances.Instance as Body[])[0];
        if (!o) throw Object.assign(new Error('NotFound'), { code: 'NotFound' });
        return o;
      };
      // EcsService.DescribeEcsNetworkInterface: DescribeNetworkInterfaces with NetworkInterfaceId.1; an empty set is NotFound.
      const describeEcsNetworkInterface = async (id: string) => {
        const r = await rpcPost('Ecs', 'DescribeNetworkInterfaces', { RegionId: REGION, NetworkInterfaceId: [id] });
        const o = (r.NetworkInterfaceSets.NetworkInterfaceSet as Body[])[0];
        if (!o || o.NetworkInterfaceId !== id) throw Object.assign(new Error('NotFound'), { code: 'NotFound' });
        return o;
      };
      // resourceAliCloudInstanceRead: every call it makes for a PostPaid instance in a vSwitch, and what it sets.
      const readInstance = async (id: string): Promise<Body> => {
        const i = await describeInstance(id);
        // EcsService.DescribeEcsSystemDisk: DescribeDisks InstanceId + DiskType=system; the first disk must be the instance's.
        const disks = await rpcPost('Ecs', 'DescribeDisks', { RegionId: REGION, InstanceId: id, DiskType: 'system' });
        const disk = (disks.Disks.Disk as Body[])[0];
        assert.equal(disk?.InstanceId, id, 'the system disk is found');
        const userData = await rpcPost('Ecs', 'DescribeUserData', { RegionId: REGION, InstanceId: id });
        const ramRoles = await rpcPost('Ecs', 'DescribeInstanceRamRole', { RegionId: REGION, InstanceIds: JSON.stringify([id]) });
        const nics = [];
        let primary: Body = {};
        for (const n of i.NetworkInterfaces.NetworkInterface as Body[]) {
          const o = await describeEcsNetworkInterface(n.NetworkInterfaceId);
          const fields = {
            network_interface_traffic_mode: o.NetworkInterfaceTrafficMode,
            queue_pair_number: o.QueuePairNumber,
            source_dest_check: o.SourceDestCheck,
            network_card_index: o.Attachment?.NetworkCardIndex,
          };
          if (n.Type === 'Primary')
            primary = { ...fields, primary_ip_address: n.PrimaryIpAddress, network_interface_id: n.NetworkInterfaceId, eni: o };
          else
            nics.push({
              ...fields,
              network_interface_id: n.NetworkInterfaceId,
              vswitch_id: o.VSwitchId,
              security_group_ids: o.SecurityGroupIds.SecurityGroupId,
            });
        }
        const primaryEni = await describeEcsNetworkInterface(primary.network_interface_id);
        // EcsService.DescribeInstanceMaintenanceAttribute: InstanceId.1; the first item must be the instance.
        const maintenance = await rpcPost('Ecs', 'DescribeInstanceMaintenanceAttributes', { RegionId: REGION, InstanceId: [id] });
        const m = (maintenance.MaintenanceAttributes.MaintenanceAttribute as Body[])[0];
        assert.equal(m?.InstanceId, id, 'maintenance attributes found');
        // EcsService.DescribeInstanceAttribute: the response's InstanceId must be the instance's.
        const attribute = await rpcPost('Ecs', 'DescribeInstanceAttribute', { RegionId: REGION, InstanceId: id });
        assert.equal(attribute.InstanceId, id);
        // EcsService.DescribeInstanceAttachmentAttribute: InstanceIds as a JSON array; at least one item.
        const attachment = await rpcPost('Ecs', 'DescribeInstanceAttachmentAttributes', { RegionId: REGION, InstanceIds: `["${id}"]` });
        const att = (attachment.Instances.Instance as Body[])[0];
        assert.ok(att, 'attachment attributes found');
        // EcsService.DescribeEcsInstance: DescribeInstances again, with CPU_OPTIONS_TOPOLOGY_TYPE.
        const ecs = await rpcPost('Ecs', 'DescribeInstances', {
          RegionId: REGION,
          InstanceIds: JSON.stringify([id]),
          AdditionalAttributes: [
            'META_OPTIONS',
            'NETWORK_PRIMARY_ENI_IP',
            'LOGIN_AS_NON_ROOT',
            'LOGIN_AS_NON_ROOT',
            'CPU_OPTIONS_TOPOLOGY_TYPE',
          ],
        });
        const e = (ecs.Instances.Instance as Body[])[0];
        assert.ok(e, 'DescribeEcsInstance finds it');
        const { eni: _eni, ...primaryFields } = primary;
        return {
          system_disk_category: disk.Category,
          system_disk_name: disk.DiskName,
          system_disk_description: disk.Description,
          system_disk_size: disk.Size,
          system_disk_id: disk.DiskId,
          system_disk_performance_level: disk.PerformanceLevel,
          system_disk_encrypted: disk.Encrypted,
          instance_name: i.InstanceName,
          resource_group_id: i.ResourceGroupId,
          description: i.Description,
          status: i.Status,
          availability_zone: i.ZoneId,
          host_name: i.HostName,
          image_id: i.ImageId,
          instance_type: i.InstanceType,
          internet_max_bandwidth_out: i.InternetMaxBandwidthOut,
          internet_max_bandwidth_in: i.InternetMaxBandwidthIn,
          instance_charge_type: i.InstanceChargeType,
          key_name: i.KeyPairName,
          spot_strategy: i.SpotStrategy,
          spot_price_limit: i.SpotPriceLimit,
          internet_charge_type: i.InternetChargeType,
          deletion_protection: i.DeletionProtection,
          credit_specification: i.CreditSpecification,
          auto_release_time: i.AutoReleaseTime,
          tags: i.Tags.Tag,
          stopped_mode: i.StoppedMode,
          public_ip: i.PublicIpAddress.IpAddress[0] ?? '',
          vswitch_id: i.VpcAttributes.VSwitchId,
          vpc_id: i.VpcAttributes.VpcId,
          http_tokens: i.MetadataOptions?.HttpTokens,
          http_endpoint: i.MetadataOptions?.HttpEndpoint,
          cpu: i.Cpu,
          memory: i.Memory,
          os_type: i.OSType,
          create_time: i.CreationTime,
          expired_time: i.ExpiredTime,
          enable_high_density_mode: i.AdditionalInfo?.EnableHighDensityMode,
          login_as_non_root: i.ImageOptions?.LoginAsNonRoot,
          private_ip: i.VpcAttributes.PrivateIpAddress.IpAddress[0],
          security_groups: i.SecurityGroupIds.SecurityGroupId,
          user_data: userData.UserData,
          role_name: ramRoles.InstanceRamRoleSets.InstanceRamRoleSet[0]?.RamRoleName,
          ...primaryFields,
          network_interfaces: nics,
          secondary_private_ips: (primaryEni.PrivateIpSets.PrivateIpSet as Body[]).filter((s) => !s.Primary).map((s) => s.PrivateIpAddress),
          ipv6_addresses: (primaryEni.Ipv6Sets.Ipv6Set as Body[]).map((s) => s.Ipv6Address),
          maintenance_action: m.ActionOnMaintenance.Value,
          maintenance_notify: m.NotifyOnMaintenance,
          enable_jumbo_frame: attribute.EnableJumboFrame,
          private_pool_options_match_criteria: att.PrivatePoolOptionsMatchCriteria,
          private_pool_options_id: att.PrivatePoolOptionsId,
          spot_interruption_behavior: e.SpotInterruptionBehavior,
          cpu_options: e.CpuOptions,
        };
      };
      // EcsService.InstanceStateRefreshFunc
      const instanceState = async (id: string) => {
        const o = await orNull(() => describeInstance(id));
        return { object: o, state: String(o?.Status ?? '') };
      };
      // resourceAliCloudInstanceCreate: RunInstances with what a plain configuration sends.
      const userData = Buffer.from('#cloud-config\n').toString('base64');
      const run = await rpcPost('Ecs', 'RunInstances', {
        RegionId: REGION,
        ClientToken: clientToken('RunInstances'),
        InstanceType: 'ecs.g7.large',
        ImageId: 'ubuntu_22_04_x64_20G_alibase_20240101.vhd',
        'SystemDisk.Category': 'cloud_essd',
        'SystemDisk.Size': 50,
        'SystemDisk.PerformanceLevel': 'PL0',
        InstanceName: 'tf-instance',
        Description: 'tf vm',
        InternetChargeType: 'PayByTraffic',
        HostName: 'tf-host',
        InstanceChargeType: 'PostPaid',
        SpotStrategy: 'NoSpot',
        UserData: userData,
        DryRun: false,
        VSwitchId: vswId,
        SecurityGroupIds: [sgId],
        Ipv6AddressCount: 1,
      });
      const instanceId = (run.InstanceIdSets.InstanceIdSet as string[])[0];
      await waitForState('instance Running', () => instanceState(instanceId), ['Running']);
      const inst = await readInstance(instanceId);
      assert.deepEqual(
        [
          inst.system_disk_category,
          inst.system_disk_size,
          inst.system_disk_performance_level,
          inst.host_name,
          inst.description,
          inst.image_id,
          inst.user_data,
        ],
        ['cloud_essd', 50, 'PL0', 'tf-host', 'tf vm', 'ubuntu_22_04_x64_20G_alibase_20240101.vhd', userData],
      );
      assert.deepEqual(
        [inst.instance_charge_type, inst.internet_charge_type, inst.spot_strategy, inst.vswitch_id, inst.vpc_id],
        ['PostPaid', 'PayByTraffic', 'NoSpot', vswId, vpcId],
      );
      assert.deepEqual(inst.security_groups, [sgId]);
      assert.equal(inst.ipv6_addresses.length, 1);
      assert.equal(inst.network_card_index, 0);
      assert.equal(inst.http_tokens, 'optional', 'META_OPTIONS brings MetadataOptions');
      assert.deepEqual(await readInstance(instanceId), inst, 'a second refresh of alicloud_instance reads the same');

      // ---- alicloud_ecs_network_interface ---------------------------------------------------
      // resourceAliCloudEcsNetworkInterfaceRead (its ListTagResources call belongs to the tags work, not replayed here).
      const readEni = async (id: string) => {
        const o = await describeEcsNetworkInterface(id);
        const secondaries = (o.PrivateIpSets.PrivateIpSet as Body[]).filter((s) => !s.Primary).map((s) => s.PrivateIpAddress);
        return {
          description: o.Description,
          mac: o.MacAddress,
          network_interface_name: o.NetworkInterfaceName,
          primary_ip_address: o.PrivateIpAddress,
          private_ip_addresses: secondaries,
          secondary_private_ip_address_count: secondaries.length,
          ipv6_addresses: (o.Ipv6Sets.Ipv6Set as Body[]).map((s) => s.Ipv6Address),
          ipv4_prefixes: (o.Ipv4PrefixSets.Ipv4PrefixSet as Body[]).map((s) => s.Ipv4Prefix),
          queue_number: o.QueueNumber,
          resource_group_id: o.ResourceGroupId,
          security_group_ids: o.SecurityGroupIds.SecurityGroupId,
          status: o.Status,
          vswitch_id: o.VSwitchId,
          instance_type: o.Type,
          network_interface_traffic_mode: o.NetworkInterfaceTrafficMode,
          source_dest_check: o.SourceDestCheck,
          delete_on_release: o.DeleteOnRelease,
        };
      };
      // EcsService.EcsNetworkInterfaceStateRefreshFunc
      const eniState = async (id: string) => {
        const o = await orNull(() => describeEcsNetworkInterface(id));
        return { object: o, state: String(o?.Status ?? '') };
      };
      // A configuration's fixed addresses, chosen clear of what the server picked at random so far (the instance's
      // primary and the like), so the replay never meets IpAssigned by chance.
      const freeAddress = async (from: number): Promise<string> => {
        const page = await rpcPost('Ecs', 'DescribeNetworkInterfaces', { RegionId: REGION, VSwitchId: vswId, PageSize: 100 });
        const used = new Set(
          (page.NetworkInterfaceSets.NetworkInterfaceSet as Body[]).flatMap((e) =>
            (e.PrivateIpSets.PrivateIpSet as Body[]).map((s) => s.PrivateIpAddress as string),
          ),
        );
        for (let n = from; n < 250; n++) if (!used.has(`172.16.1.${n}`)) return `172.16.1.${n}`;
        throw new Error('no free address in 172.16.1.0/24');
      };
      const primaryIp = await freeAddress(10);
      // resourceAliCloudEcsNetworkInterfaceCreate (no ClientToken: the provider sends none here)
      const created = await rpcPost('Ecs', 'CreateNetworkInterface', {
        Description: 'tf eni',
        NetworkInterfaceName: 'tf-eni',
        PrimaryIpAddress: primaryIp,
        QueueNumber: 2,
        RegionId: REGION,
        SecondaryPrivateIpAddressCount: 2,
        SecurityGroupIds: [sgId],
        VSwitchId: vswId,
        Ipv6AddressCount: 1,
        NetworkInterfaceTrafficMode: 'Standard',
        SourceDestCheck: true,
        DeleteOnRelease: false,
      });
      const eniId = created.NetworkInterfaceId as string;
      await waitForState('eni Available', () => eniState(eniId), ['Available']);
      const eniRead = await readEni(eniId);
      assert.deepEqual(
        [
          eniRead.network_interface_name,
          eniRead.description,
          eniRead.primary_ip_address,
          eniRead.secondary_private_ip_address_count,
          eniRead.ipv6_addresses.length,
        ],
        ['tf-eni', 'tf eni', primaryIp, 2, 1],
      );
      assert.deepEqual(
        [eniRead.queue_number, eniRead.source_dest_check, eniRead.delete_on_release, eniRead.instance_type],
        [2, true, false, 'Secondary'],
      );
      assert.deepEqual(await readEni(eniId), eniRead, 'a second refresh of alicloud_ecs_network_interface reads the same');

      // ---- alicloud_ecs_network_interface_attachment ----------------------------------------
      // EcsService.DescribeEcsNetworkInterfaceAttachment: DescribeNetworkInterfaces NetworkInterfaceId.1 + MaxResults, NextToken paging.
      const describeAttachment = async (eni: string, instance: string) => {
        const request: Params = { RegionId: REGION, NetworkInterfaceId: [eni], MaxResults: 50 };
        for (let pages = 0; pages < 10; pages++) {
          const r = await rpcPost('Ecs', 'DescribeNetworkInterfaces', request);
          for (const v of r.NetworkInterfaceSets.NetworkInterfaceSet as Body[]) {
            if (v.NetworkInterfaceId === eni && v.InstanceId === instance) return v;
          }
          if (typeof r.NextToken === 'string' && r.NextToken !== '') request.NextToken = r.NextToken;
          else break;
        }
        throw Object.assign(new Error('NotFound'), { code: 'NotFound' });
      };
      // resourceAliCloudEcsNetworkInterfaceAttachmentRead
      const readAttachment = async (eni: string, instance: string) => {
        const o = await describeAttachment(eni, instance);
        return {
          network_interface_id: o.NetworkInterfaceId,
          instance_id: o.InstanceId,
          trunk_network_instance_id: o.Attachment.TrunkNetworkInterfaceId,
          network_card_index: o.Attachment.NetworkCardIndex,
        };
      };
      // resourceAliCloudEcsNetworkInterfaceAttachmentCreate
      await rpcPost('Ecs', 'AttachNetworkInterface', {
        RegionId: REGION,
        NetworkInterfaceId: eniId,
        InstanceId: instanceId,
        NetworkCardIndex: 0,
      });
      await waitForState('eni InUse', () => eniState(eniId), ['InUse']);
      const attached = await readAttachment(eniId, instanceId);
      assert.deepEqual(attached, {
        network_interface_id: eniId,
        instance_id: instanceId,
        trunk_network_instance_id: '',
        network_card_index: 0,
      });
      assert.deepEqual(await readAttachment(eniId, instanceId), attached, 'a second refresh of the attachment reads the same');
      // The instance's refresh now lists the ENI among network_interfaces.
      const withEni = await readInstance(instanceId);
      assert.deepEqual(
        withEni.network_interfaces.map((n: Body) => [n.network_interface_id, n.vswitch_id, n.network_card_index, n.source_dest_check]),
        [[eniId, vswId, 0, true]],
      );

      // ---- updates ----------------------------------------------------------------------------
      // resourceAliCloudVpcVpcUpdate: ModifyVpcAttribute for description and vpc_name.
      await rpcPost('Vpc', 'ModifyVpcAttribute', { VpcId: vpcId, RegionId: REGION, Description: 'changed', VpcName: 'tf-vpc-2' });
      const vpcAfter = await readVpc(vpcId);
      assert.deepEqual([vpcAfter.vpc_name, vpcAfter.description], ['tf-vpc-2', 'changed']);
      // resourceAliCloudVpcVswitchUpdate: ModifyVSwitchAttribute.
      await rpcPost('Vpc', 'ModifyVSwitchAttribute', {
        VSwitchId: vswId,
        RegionId: REGION,
        VSwitchName: 'tf-vsw-2',
        Description: 'changed',
      });
      const vswAfter = await readVSwitch(vswId);
      assert.deepEqual([vswAfter.vswitch_name, vswAfter.description], ['tf-vsw-2', 'changed']);
      // resourceAliCloudEcsSecurityGroupUpdate: ModifySecurityGroupAttribute.
      await rpcPost('Ecs', 'ModifySecurityGroupAttribute', {
        SecurityGroupId: sgId,
        RegionId: REGION,
        SecurityGroupName: 'tf-sg-2',
        Description: 'changed',
      });
      const sgAfter = await readSecurityGroup(sgId);
      assert.deepEqual([sgAfter.security_group_name, sgAfter.description], ['tf-sg-2', 'changed']);
      // resourceAliCloudInstanceUpdate -> modifyInstanceAttribute: ModifyInstanceAttribute for name, description, host name.
      await rpcPost('Ecs', 'ModifyInstanceAttribute', {
        RegionId: REGION,
        InstanceId: instanceId,
        InstanceName: 'tf-instance-2',
        Description: 'changed',
        HostName: 'tf-host-2',
      });
      const instAfter = await readInstance(instanceId);
      assert.deepEqual([instAfter.instance_name, instAfter.description, instAfter.host_name], ['tf-instance-2', 'changed', 'tf-host-2']);
      // resourceAliCloudEcsNetworkInterfaceUpdate: ModifyNetworkInterfaceAttribute, then the secondary addresses
      // (UnassignPrivateIpAddresses / AssignPrivateIpAddresses, then WaitForPrivateIpsListChanged).
      await rpcPost('Ecs', 'ModifyNetworkInterfaceAttribute', {
        NetworkInterfaceId: eniId,
        RegionId: REGION,
        Description: 'changed',
        NetworkInterfaceName: 'tf-eni-2',
        QueueNumber: 4,
        SourceDestCheck: false,
        DeleteOnRelease: true,
      });
      const [keep, drop] = eniRead.private_ip_addresses as string[];
      await rpcPost('Ecs', 'UnassignPrivateIpAddresses', {
        NetworkInterfaceId: eniId,
        PrivateIpAddress: [drop],
        RegionId: REGION,
        ClientToken: clientToken('UnassignPrivateIpAddresses'),
      });
      const extraIp = await freeAddress(20);
      await rpcPost('Ecs', 'AssignPrivateIpAddresses', {
        NetworkInterfaceId: eniId,
        PrivateIpAddress: [extraIp],
        RegionId: REGION,
        ClientToken: clientToken('AssignPrivateIpAddresses'),
      });
      // EcsService.WaitForPrivateIpsListChanged -> QueryPrivateIps: DescribeNetworkInterfaces until the list is the new one.
      await waitForState(
        'private IPs changed',
        async () => {
          const o = await describeEcsNetworkInterface(eniId);
          const ips = (o.PrivateIpSets.PrivateIpSet as Body[])
            .filter((s) => !s.Primary)
            .map((s) => s.PrivateIpAddress)
            .sort();
          return { object: o, state: JSON.stringify(ips) };
        },
        [JSON.stringify([keep, extraIp].sort())],
      );
      // ipv6_address_count 1 -> 0: UnassignIpv6Addresses, with a ClientToken, as the provider sends it.
      const v6 = eniRead.ipv6_addresses as string[];
      const unassign6 = { NetworkInterfaceId: eniId, Ipv6Address: v6, RegionId: REGION, ClientToken: clientToken('UnassignIpv6Addresses') };
      await rpcPost('Ecs', 'UnassignIpv6Addresses', unassign6);
      // The provider retries on NeedRetry errors with the same request: a retry after success answers as the first call did.
      await rpcPost('Ecs', 'UnassignIpv6Addresses', unassign6);
      const eniAfter = await readEni(eniId);
      assert.deepEqual(
        [
          eniAfter.network_interface_name,
          eniAfter.description,
          eniAfter.queue_number,
          eniAfter.source_dest_check,
          eniAfter.delete_on_release,
          eniAfter.ipv6_addresses,
        ],
        ['tf-eni-2', 'changed', 4, false, true, []],
      );
      assert.deepEqual(await readEni(eniId), eniAfter, 'a refresh after the update reads the same');

      // ---- destroy (reverse order) -------------------------------------------------------------
      // resourceAliCloudEcsNetworkInterfaceAttachmentDelete: DetachNetworkInterface, wait Available.
      await rpcPost('Ecs', 'DetachNetworkInterface', { RegionId: REGION, NetworkInterfaceId: eniId, InstanceId: instanceId });
      await waitForState('eni Available again', () => eniState(eniId), ['Available']);
      await assert.rejects(
        () => describeAttachment(eniId, instanceId),
        (e: any) => isNotFound(e),
        'the attachment is gone',
      );
      // resourceAliCloudEcsNetworkInterfaceDelete: DeleteNetworkInterface, wait until not found.
      await rpcPost('Ecs', 'DeleteNetworkInterface', { NetworkInterfaceId: eniId, RegionId: REGION });
      await waitForState('eni gone', () => eniState(eniId), []);
      // resourceAliCloudInstanceDelete: DeleteInstance Force=true, wait until not found.
      await rpcPost('Ecs', 'DeleteInstance', { RegionId: REGION, InstanceId: instanceId, Force: true });
      await waitForState('instance gone', () => instanceState(instanceId), []);
      // resourceAliCloudEcsSecurityGroupDelete
      await rpcPost('Ecs', 'DeleteSecurityGroup', { SecurityGroupId: sgId, RegionId: REGION });
      await assert.rejects(() => readSecurityGroup(sgId));
      // resourceAliCloudVpcVswitchDelete: DeleteVSwitch, wait for state "" (not found).
      await rpcPost('Vpc', 'DeleteVSwitch', { VSwitchId: vswId, RegionId: REGION });
      await waitForState(
        'vswitch gone',
        async () => {
          const o = await orNull(() => describeVpcVswitch(vswId));
          return { object: o, state: String(o?.Status ?? '') };
        },
        [''],
      );
      // resourceAliCloudVpcVpcDelete: DeleteVpc with a ClientToken (a fresh one on every retry), wait until not found.
      await rpcPost('Vpc', 'DeleteVpc', { VpcId: vpcId, RegionId: REGION, ClientToken: clientToken('DeleteVpc') });
      await waitForState(
        'vpc gone',
        async () => {
          const o = await orNull(() => describeVpcVpc(vpcId));
          return { object: o, state: String(o?.Status ?? '') };
        },
        [],
      );
      const gone = await tf.rpcError('Vpc', 'DescribeVpcAttribute', { VpcId: vpcId, RegionId: REGION });
      assert.equal(gone.status, 404, 'NotFoundError sees the deleted VPC as gone');
      assert.ok(tf.sent.length > 60, `the replay made ${tf.sent.length} calls`);
    });
  });
}
