// Wire tests (in-process) for the instance reads Terraform's refresh makes
// (DescribeInstanceAttribute, DescribeDisks, DescribeUserData, DescribeInstanceRamRole,
// DescribeInstanceMaintenanceAttributes, DescribeInstanceAttachmentAttributes,
// DescribeInstances AdditionalAttributes.N), CreateInstance and
// ModifyInstanceAttribute, and the attributes RunInstances stores for them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, wireFixture } from '../support/wire-fixture.ts';

let plain: string;
let dressed: string;
const USER_DATA = Buffer.from('#!/bin/sh\necho hi\n').toString('base64');
const { h, net } = wireFixture({}, async () => {
  plain = await run({});
  dressed = await run({
    Description: 'dressed up',
    HostName: 'web-1',
    UserData: USER_DATA,
    KeyPairName: 'kp',
    RamRoleName: 'role-a',
    DeletionProtection: true,
    'SystemDisk.Category': 'cloud_essd',
    'SystemDisk.Size': 80,
    'SystemDisk.DiskName': 'root',
    'SystemDisk.PerformanceLevel': 'PL1',
    InstanceChargeType: 'PostPaid',
    InternetChargeType: 'PayByBandwidth',
    InternetMaxBandwidthOut: 5,
    SpotStrategy: 'NoSpot',
    AutoRenew: false,
    SpotPriceLimit: '0',
  });
});

async function run(extra: Record<string, string | number | boolean>) {
  const r = await h.call('RunInstances', {
    InstanceType: 'ecs.g7.large',
    VSwitchId: net.vSwitchId,
    SecurityGroupId: net.securityGroupId,
    ImageId: 'img-1',
    ...extra,
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.InstanceIdSets.InstanceIdSet[0] as string;
}

const describeOne = async (id: string, extra: Record<string, any> = {}) =>
  (await h.call('DescribeInstances', { InstanceIds: JSON.stringify([id]), ...extra })).body.Instances.Instance[0];

describe('RunInstances attributes, read back', () => {
  it('DescribeInstances returns what was set, and the real defaults otherwise', async () => {
    const d = await describeOne(dressed);
    assert.deepEqual(
      [
        d.Description,
        d.HostName,
        d.KeyPairName,
        d.DeletionProtection,
        d.InstanceChargeType,
        d.InternetChargeType,
        d.InternetMaxBandwidthOut,
        d.ImageId,
      ],
      ['dressed up', 'web-1', 'kp', true, 'PostPaid', 'PayByBandwidth', 5, 'img-1'],
    );
    const p = await describeOne(plain);
    assert.equal(p.HostName, `iZ${plain.slice(2)}Z`);
    assert.deepEqual(
      [p.Description, p.InstanceChargeType, p.InternetChargeType, p.SpotStrategy, p.Cpu, p.Memory],
      ['', 'PostPaid', 'PayByTraffic', 'NoSpot', 2, 8192],
    );
    assert.equal('MetadataOptions' in p, false, 'left out unless asked');
  });
  it('refuses values the real API refuses', async () => {
    const base = { InstanceType: 'ecs.g7.large', VSwitchId: net.vSwitchId, SecurityGroupId: net.securityGroupId };
    assertError(await h.call('RunInstances', { ...base, 'SystemDisk.Category': 'floppy' }), 400, 'InvalidParameter');
    assertError(await h.call('RunInstances', { ...base, 'SystemDisk.Size': 10 }), 400, 'InvalidParameter');
    assertError(await h.call('RunInstances', { ...base, InstanceChargeType: 'Free' }), 400, 'InvalidParameter');
    assertError(await h.call('RunInstances', { ...base, UserData: 'not base64!' }), 400, 'InvalidParameter');
    assertError(await h.call('RunInstances', { ...base, 'SystemDisk.1.Category': 'cloud_essd' }), 400, 'InvalidParameter');
  });
});

describe('DescribeInstances AdditionalAttributes.N', () => {
  it('adds the objects asked for', async () => {
    const d = await describeOne(plain, {
      AdditionalAttributes: [
        'META_OPTIONS',
        'LOGIN_AS_NON_ROOT',
        'DISK_HIGH_DENSITY_MODE',
        'CPU_OPTIONS_TOPOLOGY_TYPE',
        'NETWORK_PRIMARY_ENI_IP',
      ],
    });
    assert.deepEqual(d.MetadataOptions, { HttpEndpoint: 'enabled', HttpTokens: 'optional', HttpPutResponseHopLimit: 1 });
    assert.deepEqual(d.ImageOptions, { LoginAsNonRoot: false });
    assert.deepEqual(d.AdditionalInfo, { EnableHighDensityMode: false });
    assert.equal(d.CpuOptions.CoreCount, 2);
  });
  it('refuses an unknown attribute; answers NextToken in PageNumber mode too', async () => {
    assertError(await h.call('DescribeInstances', { AdditionalAttributes: ['NOPE'] }), 400, 'InvalidParameter');
    const page = await h.call('DescribeInstances', { PageNumber: 1, PageSize: 1 });
    assert.equal(page.body.Instances.Instance.length, 1);
    assert.notEqual(page.body.NextToken, '');
    const next = await h.call('DescribeInstances', { MaxResults: 10, NextToken: page.body.NextToken });
    assert.ok(
      !next.body.Instances.Instance.some((i: any) => i.InstanceId === page.body.Instances.Instance[0].InstanceId),
      'the token continues after page 1',
    );
  });
});

describe('DescribeInstanceAttribute', () => {
  it('answers one instance with the fields its model has', async () => {
    const r = await h.call('DescribeInstanceAttribute', { InstanceId: dressed });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(
      [r.body.InstanceId, r.body.HostName, r.body.Description, r.body.EnableJumboFrame, r.body.IoOptimized],
      [dressed, 'web-1', 'dressed up', false, 'optimized'],
    );
    assert.equal(r.body.VpcAttributes.VSwitchId, net.vSwitchId);
    assert.deepEqual(r.body.SecurityGroupIds.SecurityGroupId, [net.securityGroupId]);
    assertError(await h.call('DescribeInstanceAttribute', { InstanceId: 'i-bpnotthere0000000000' }), 404, 'InvalidInstanceId.NotFound');
  });
});

describe('DescribeDisks', () => {
  it("answers each instance's system disk, derived from what RunInstances was given", async () => {
    const r = await h.call('DescribeDisks', { InstanceId: dressed, DiskType: 'system' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const [d] = r.body.Disks.Disk;
    assert.deepEqual(
      [d.InstanceId, d.Type, d.Category, d.Size, d.DiskName, d.PerformanceLevel, d.Status],
      [dressed, 'system', 'cloud_essd', 80, 'root', 'PL1', 'In_use'],
    );
    assert.equal(d.DiskId, `d-${dressed.slice(2)}`);
    assert.deepEqual(
      d.Attachments.Attachment.map((a: any) => a.InstanceId),
      [dressed],
    );
    const byId = await h.call('DescribeDisks', { DiskIds: JSON.stringify([d.DiskId]) });
    assert.deepEqual(
      byId.body.Disks.Disk.map((x: any) => x.DiskId),
      [d.DiskId],
    );
    const p = (await h.call('DescribeDisks', { InstanceId: plain })).body.Disks.Disk[0];
    assert.deepEqual([p.Category, p.Size], ['cloud_efficiency', 40]);
  });
  it('finds no data disks, no disk of another category; refuses an unknown DiskType', async () => {
    assert.deepEqual((await h.call('DescribeDisks', { InstanceId: dressed, DiskType: 'data' })).body.Disks.Disk, []);
    assert.deepEqual((await h.call('DescribeDisks', { InstanceId: dressed, Category: 'cloud_ssd' })).body.Disks.Disk, []);
    assert.deepEqual((await h.call('DescribeDisks', { DiskIds: JSON.stringify(['d-bpnotthere0000000000']) })).body.Disks.Disk, []);
    assertError(await h.call('DescribeDisks', { DiskType: 'floppy' }), 400, 'InvalidParameter');
  });
});

describe('DescribeUserData, DescribeInstanceRamRole, DescribeInstanceMaintenanceAttributes, DescribeInstanceAttachmentAttributes', () => {
  it('answer what was stored, or the real defaults', async () => {
    assert.equal((await h.call('DescribeUserData', { InstanceId: dressed })).body.UserData, USER_DATA);
    assert.equal((await h.call('DescribeUserData', { InstanceId: plain })).body.UserData, '');
    assertError(await h.call('DescribeUserData', { InstanceId: 'i-bpnotthere0000000000' }), 404, 'InvalidInstanceId.NotFound');
    const roles = await h.call('DescribeInstanceRamRole', { InstanceIds: JSON.stringify([dressed, plain]) });
    assert.deepEqual(roles.body.InstanceRamRoleSets.InstanceRamRoleSet, [{ InstanceId: dressed, RamRoleName: 'role-a' }]);
    const m = await h.call('DescribeInstanceMaintenanceAttributes', { InstanceId: [plain] });
    assert.equal(m.status, 200, JSON.stringify(m.body));
    assert.deepEqual(
      m.body.MaintenanceAttributes.MaintenanceAttribute.map((x: any) => [x.InstanceId, x.ActionOnMaintenance.Value, x.NotifyOnMaintenance]),
      [[plain, 'AutoRecover', false]],
    );
    const a = await h.call('DescribeInstanceAttachmentAttributes', { InstanceIds: JSON.stringify([plain]) });
    assert.deepEqual(a.body.Instances.Instance, [{ InstanceId: plain, PrivatePoolOptionsId: '', PrivatePoolOptionsMatchCriteria: 'None' }]);
    assertError(await h.call('DescribeInstanceAttachmentAttributes', { InstanceIds: 'not json' }), 400, 'InvalidParameter');
  });
});

describe('DescribeInstanceAutoRenewAttribute', () => {
  it('answers the stored renewal of subscription instances and leaves pay-as-you-go ones out', async () => {
    const sub = await run({ InstanceChargeType: 'PrePaid', Period: 3, PeriodUnit: 'Month', AutoRenew: true, AutoRenewPeriod: 2 });
    const r = await h.call('DescribeInstanceAutoRenewAttribute', { InstanceId: `${sub},${plain}` });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.InstanceRenewAttributes.InstanceRenewAttribute, [
      {
        InstanceId: sub,
        AutoRenewEnabled: true,
        RenewalStatus: 'AutoRenewal',
        Duration: 2,
        PeriodUnit: 'Month',
        EnableExpectedRenewDay: false,
      },
    ]);
    assert.equal((await describeOne(sub)).InstanceChargeType, 'PrePaid');
    assert.deepEqual(
      (await h.call('DescribeInstanceAutoRenewAttribute', { InstanceId: sub, RenewalStatus: 'Normal' })).body.InstanceRenewAttributes
        .InstanceRenewAttribute,
      [],
    );
    assertError(
      await h.call('DescribeInstanceAutoRenewAttribute', { InstanceId: sub, RenewalStatus: 'Sometimes' }),
      400,
      'InvalidParameter',
    );
  });

  it('filter before paging, here and in DescribeInstanceRamRole: TotalCount and the pages are exact', async () => {
    // Interleaved with instances the filters leave out, so a page filtered after the query would come short.
    const subs: string[] = [];
    for (let k = 0; k < 3; k++) {
      subs.push(await run({ InstanceChargeType: 'PrePaid', AutoRenew: true, RamRoleName: 'role-paged' }));
      await run({ InstanceChargeType: 'PrePaid', AutoRenew: false });
    }
    const renew = async (n: number) =>
      (await h.call('DescribeInstanceAutoRenewAttribute', { RenewalStatus: 'AutoRenewal', PageSize: 2, PageNumber: n })).body;
    const [r1, r2] = [await renew(1), await renew(2)];
    assert.ok(r1.TotalCount >= 3 && r1.InstanceRenewAttributes.InstanceRenewAttribute.length === 2);
    assert.equal(r2.InstanceRenewAttributes.InstanceRenewAttribute.length, Math.min(2, r1.TotalCount - 2));
    assert.ok(r1.InstanceRenewAttributes.InstanceRenewAttribute.every((x: any) => x.RenewalStatus === 'AutoRenewal'));
    const roles = async (n: number) =>
      (await h.call('DescribeInstanceRamRole', { RamRoleName: 'role-paged', PageSize: 2, PageNumber: n })).body;
    const [q1, q2] = [await roles(1), await roles(2)];
    assert.deepEqual(
      [q1.TotalCount, q1.InstanceRamRoleSets.InstanceRamRoleSet.length, q2.InstanceRamRoleSets.InstanceRamRoleSet.length],
      [3, 2, 1],
    );
    assert.deepEqual(
      [...q1.InstanceRamRoleSets.InstanceRamRoleSet, ...q2.InstanceRamRoleSets.InstanceRamRoleSet].map((x: any) => x.InstanceId).sort(),
      [...subs].sort(),
    );
  });
});

describe('CreateInstance', () => {
  it('makes one Stopped instance with its primary ENI and stored attributes; StartInstance runs it', async () => {
    const r = await h.call('CreateInstance', {
      InstanceType: 'ecs.g7.large',
      VSwitchId: net.vSwitchId,
      SecurityGroupId: net.securityGroupId,
      ImageId: 'img-2',
      HostName: 'old-client',
      'SystemDisk.Category': 'cloud_ssd',
      'SystemDisk.Size': 60,
      ClientToken: 'ci-1',
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const id = r.body.InstanceId as string;
    assert.match(id, /^i-bp/);
    const again = await h.call('CreateInstance', {
      InstanceType: 'ecs.g7.large',
      VSwitchId: net.vSwitchId,
      SecurityGroupId: net.securityGroupId,
      ImageId: 'img-2',
      HostName: 'old-client',
      'SystemDisk.Category': 'cloud_ssd',
      'SystemDisk.Size': 60,
      ClientToken: 'ci-1',
    });
    assert.equal(again.body.InstanceId, id, 'ClientToken replays CreateInstance');
    const d = await describeOne(id);
    assert.deepEqual([d.Status, d.HostName, d.ImageId], ['Stopped', 'old-client', 'img-2']);
    assert.equal(d.NetworkInterfaces.NetworkInterface.length, 1);
    assert.deepEqual(
      ((await h.call('DescribeDisks', { InstanceId: id })).body.Disks.Disk as any[]).map((x) => [x.Category, x.Size]),
      [['cloud_ssd', 60]],
    );
    assert.equal((await h.call('StartInstance', { InstanceId: id })).status, 200);
    assert.equal((await describeOne(id)).Status, 'Running');
  });
  it('refuses what it cannot make', async () => {
    assertError(
      await h.call('CreateInstance', { InstanceType: 'ecs.g7.large', SecurityGroupId: net.securityGroupId }),
      400,
      'MissingParameter',
    );
    assertError(await h.call('CreateInstance', { InstanceType: 'ecs.g7.large', VSwitchId: net.vSwitchId }), 400, 'MissingParameter');
    assertError(
      await h.call('CreateInstance', { InstanceType: 'ecs.nope', VSwitchId: net.vSwitchId, SecurityGroupId: net.securityGroupId }),
      400,
      'InvalidInstanceType.ValueNotSupported',
    );
    assertError(
      await h.call('CreateInstance', {
        InstanceType: 'ecs.g7.large',
        VSwitchId: net.vSwitchId,
        SecurityGroupId: net.securityGroupId,
        'DataDisk.1.Size': 40,
      }),
      400,
      'UnsupportedParameter',
    );
  });
});

describe('ModifyInstanceAttribute', () => {
  it("changes the stored attributes and replaces the primary ENI's security groups", async () => {
    const id = await run({});
    const sg2 = (await h.call('CreateSecurityGroup', { VpcId: net.vpcId })).body.SecurityGroupId as string;
    const r = await h.call('ModifyInstanceAttribute', {
      InstanceId: id,
      InstanceName: 'renamed',
      Description: 'described',
      HostName: 'host-2',
      UserData: USER_DATA,
      DeletionProtection: true,
      SecurityGroupIds: [net.securityGroupId, sg2],
      Password: 'Secret-123',
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const d = await describeOne(id);
    assert.deepEqual([d.InstanceName, d.Description, d.HostName, d.DeletionProtection], ['renamed', 'described', 'host-2', true]);
    assert.deepEqual(d.SecurityGroupIds.SecurityGroupId, [net.securityGroupId, sg2]);
    assert.equal((await h.call('DescribeUserData', { InstanceId: id })).body.UserData, USER_DATA);
    assertError(await h.call('DeleteSecurityGroup', { SecurityGroupId: sg2 }), 403, 'DependencyViolation');
  });
  it('refuses unknown instances and groups, and bad values', async () => {
    assertError(
      await h.call('ModifyInstanceAttribute', { InstanceId: 'i-bpnotthere0000000000', InstanceName: 'x1' }),
      404,
      'InvalidInstanceId.NotFound',
    );
    assertError(
      await h.call('ModifyInstanceAttribute', { InstanceId: plain, SecurityGroupIds: ['sg-bpnotthere0000000000'] }),
      404,
      'InvalidSecurityGroupId.NotFound',
    );
    assertError(await h.call('ModifyInstanceAttribute', { InstanceId: plain, HostName: '-bad' }), 400, 'InvalidHostName.Malformed');
    assertError(await h.call('ModifyInstanceAttribute', { InstanceId: plain, CreditSpecification: 'Boundless' }), 400, 'InvalidParameter');
    // A refused change leaves nothing half-done.
    assert.deepEqual((await describeOne(plain)).SecurityGroupIds.SecurityGroupId, [net.securityGroupId]);
  });
});
