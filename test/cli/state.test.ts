// `eniplane state export|import` and `serve --seed` against real server
// processes, on SQLite and PostgreSQL: a world built through the official SDK
// exports to the same bytes twice, and export → import into an empty store →
// export is the identity on either database; a seed file starts a server with
// its world; a store that holds resources is refused; a bad seed names the
// path of its bad field; the harness's reset() returns to the seeded world.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startEniplane, type StateFile } from 'eniplane';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { sdkClient } from '../support/sdk-clients.ts';
import { dropSchema, freshSchemaName, pgUnavailable, urlWithSchema } from '../store/pg-support.ts';

const run = promisify(execFile);
const BIN = new URL('../../bin/eniplane.mjs', import.meta.url).pathname;
const cli = async (...args: string[]) => (await run(process.execPath, [BIN, ...args], { maxBuffer: 64 << 20 })).stdout;
const cliFails = async (...args: string[]) => {
  const e = await run(process.execPath, [BIN, ...args]).then(
    () => assert.fail('expected the command to fail'),
    (err: { code: number; stderr: string }) => err,
  );
  return e;
};
const R = { RegionId: 'cn-hangzhou' };
const unavailable = await pgUnavailable();
const pgSkip = unavailable !== undefined && !process.env.CI ? unavailable : false;

let dir: string;
let srv: ServerProcess;
let snapshot: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'eniplane-state-'));
  srv = await startServerProcess({ args: ['--transition-ms', '0'], keepData: true });
  // A second account with a VPC of its own.
  const other = JSON.parse(await cli('accounts', 'create', 'team-b', '--json', '--data', srv.dataDir));
  const c = sdkClient('ecs-acs3', srv.endpoint, srv.key);
  const vpc = await c.call('CreateVpc', {
    ...R,
    CidrBlock: '10.0.0.0/16',
    EnableIpv6: true,
    VpcName: 'main',
    Tag: [{ Key: 'env', Value: 'ci' }],
  });
  const vsw = await c.call('CreateVSwitch', {
    ...R,
    VpcId: vpc.VpcId,
    ZoneId: 'cn-hangzhou-h',
    CidrBlock: '10.0.1.0/24',
    Ipv6CidrBlock: 1,
  });
  const sg = await c.call('CreateSecurityGroup', { ...R, VpcId: vpc.VpcId, SecurityGroupName: 'web' });
  const [instanceId] = (
    await c.call('RunInstances', {
      ...R,
      InstanceType: 'ecs.g7.large',
      VSwitchId: vsw.VSwitchId,
      SecurityGroupId: sg.SecurityGroupId,
      Tag: [{ Key: 'role', Value: 'node' }],
    })
  ).InstanceIdSets.InstanceIdSet;
  const eni = await c.call('CreateNetworkInterface', {
    ...R,
    VSwitchId: vsw.VSwitchId,
    SecurityGroupId: sg.SecurityGroupId,
    PrimaryIpAddress: '10.0.1.50',
    Tag: [
      { Key: 'b', Value: '2' },
      { Key: 'a', Value: '1' },
    ],
  });
  await c.call('AssignPrivateIpAddresses', {
    ...R,
    NetworkInterfaceId: eni.NetworkInterfaceId,
    PrivateIpAddress: ['10.0.1.9', '10.0.1.7'],
  });
  await c.call('AssignIpv6Addresses', { ...R, NetworkInterfaceId: eni.NetworkInterfaceId, Ipv6AddressCount: 2 });
  await c.call('AttachNetworkInterface', { ...R, NetworkInterfaceId: eni.NetworkInterfaceId, InstanceId: instanceId });
  await c.call('CreateNetworkInterface', { ...R, VSwitchId: vsw.VSwitchId, SecurityGroupId: sg.SecurityGroupId, Ipv4PrefixCount: 2 });
  const b = sdkClient('ecs-acs3', srv.endpoint, { id: other.accessKeyId, secret: other.accessKeySecret });
  await b.call('CreateVpc', { RegionId: 'cn-beijing', CidrBlock: '172.16.0.0/12' });
  await srv.stop();
  snapshot = await cli('state', 'export', '--data', srv.dataDir);
});
after(async () => {
  await srv?.stop();
  if (srv) rmSync(srv.dataDir, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

describe('SQLite', () => {
  it('exports every account’s resources, the same bytes twice, with no secret', async () => {
    assert.equal(await cli('state', 'export', '--data', srv.dataDir), snapshot);
    const s = JSON.parse(snapshot);
    assert.equal(s.format, 'eniplane-state/1');
    assert.deepEqual(
      s.accounts.map((a: any) => [a.name, a.vpcs.length, a.networkInterfaces.length]),
      [
        ['root', 1, 3],
        ['team-b', 1, 0],
      ],
    );
    const eni = s.accounts[0].networkInterfaces.find((e: any) => e.primaryIpAddress === '10.0.1.50');
    assert.deepEqual(eni.privateIpAddresses, ['10.0.1.9', '10.0.1.7'], 'assignment order');
    assert.equal(eni.ipv6Addresses.length, 2);
    assert.equal(s.accounts[0].networkInterfaces.filter((e: any) => e.ipv4Prefixes.length === 2).length, 1, 'IPv4 prefixes too');
    assert.equal(eni.status, 'InUse');
    assert.deepEqual(
      eni.tags.map((t: any) => t.key),
      ['a', 'b'],
    );
    assert.ok(!snapshot.includes(srv.key.secret) && !/secret/i.test(snapshot), 'no AccessKey secret, plain or sealed');
  });

  it('export → import into an empty store → export is the identity, and the imported world serves', async () => {
    const file = join(dir, 'world.json');
    writeFileSync(file, snapshot);
    const target = join(dir, 'target');
    const out = await cli('state', 'import', file, '--data', target, '--json');
    const report = JSON.parse(out);
    assert.equal(report.accounts, 2);
    assert.deepEqual(
      report.createdKeys.map((k: any) => k.account),
      ['root', 'team-b'],
      'a fresh key for each account the import created (no server has run on this store yet: root too)',
    );
    assert.equal(await cli('state', 'export', '--data', target), snapshot);
    // A second import into the now non-empty store is refused, naming why.
    const e = await cliFails('state', 'import', file, '--data', target);
    assert.equal(e.code, 1);
    assert.match(e.stderr, /already holds resources/);
    // The imported world answers the SDK: a server on it, its addresses, security-group counts and all.
    const s2 = await startServerProcess({ dataDir: target });
    try {
      const c = sdkClient('ecs-acs3', s2.endpoint, s2.key);
      const enis = await c.call('DescribeNetworkInterfaces', { ...R, PrimaryIpAddress: '10.0.1.50' });
      const set = enis.NetworkInterfaceSets.NetworkInterfaceSet[0];
      assert.equal(set.Status, 'InUse');
      assert.deepEqual(
        set.PrivateIpSets.PrivateIpSet.map((p: any) => p.PrivateIpAddress),
        ['10.0.1.50', '10.0.1.9', '10.0.1.7'],
      );
      const taken = await c.fail('CreateNetworkInterface', {
        ...R,
        VSwitchId: set.VSwitchId,
        SecurityGroupId: set.SecurityGroupIds.SecurityGroupId[0],
        PrimaryIpAddress: '10.0.1.9',
      });
      assert.equal(taken.code, 'InvalidIp.IpAssigned');
    } finally {
      await s2.stop();
      rmSync(target, { recursive: true, force: true });
    }
  });
});

describe('PostgreSQL', { skip: pgSkip }, () => {
  const schema = freshSchemaName();
  after(() => dropSchema(schema));
  it('import of the SQLite snapshot, then export: the same bytes, twice', async () => {
    const file = join(dir, 'world-pg.json');
    writeFileSync(file, snapshot);
    const url = urlWithSchema(schema);
    const data = join(dir, 'pg-data');
    await cli('state', 'import', file, '--database', url, '--data', data);
    const first = await cli('state', 'export', '--database', url, '--data', data);
    assert.equal(first, snapshot);
    assert.equal(await cli('state', 'export', '--database', url, '--data', data), snapshot);
  });
});

const SEED = {
  vpcs: [{ id: 'vpc-seed1', regionId: 'cn-hangzhou', cidrBlock: '192.168.0.0/16', name: 'seeded' }],
  vSwitches: [{ id: 'vsw-seed1', vpcId: 'vpc-seed1', zoneId: 'cn-hangzhou-h', cidrBlock: '192.168.1.0/24' }],
  securityGroups: [{ id: 'sg-seed1', vpcId: 'vpc-seed1' }],
  instances: [{ id: 'i-seed1', vSwitchId: 'vsw-seed1', instanceType: 'ecs.g7.large' }],
  networkInterfaces: [
    {
      id: 'eni-seedp',
      vSwitchId: 'vsw-seed1',
      securityGroupIds: ['sg-seed1'],
      type: 'Primary',
      instanceId: 'i-seed1',
      primaryIpAddress: '192.168.1.10',
    },
    {
      id: 'eni-seed2',
      vSwitchId: 'vsw-seed1',
      securityGroupIds: ['sg-seed1'],
      primaryIpAddress: '192.168.1.20',
      privateIpAddresses: ['192.168.1.21'],
    },
  ],
} satisfies StateFile;

describe('serve --seed', () => {
  it('starts with the seed’s world, refuses a store with resources, names a bad field’s path', async () => {
    const file = join(dir, 'seed.json');
    writeFileSync(file, JSON.stringify(SEED));
    const data = mkdtempSync(join(tmpdir(), 'eniplane-seeded-'));
    const s = await startServerProcess({ dataDir: data, args: ['--seed', file] });
    try {
      const c = sdkClient('ecs-acs3', s.endpoint, s.key);
      const enis = await c.call('DescribeNetworkInterfaces', { ...R, VSwitchId: 'vsw-seed1' });
      assert.deepEqual(
        enis.NetworkInterfaceSets.NetworkInterfaceSet.map((e: any) => [e.NetworkInterfaceId, e.Status, e.Type, e.InstanceId ?? '']),
        [
          ['eni-seed2', 'Available', 'Secondary', ''],
          ['eni-seedp', 'InUse', 'Primary', 'i-seed1'],
        ],
      );
      const inst = await c.call('DescribeInstances', { ...R, InstanceIds: JSON.stringify(['i-seed1']) });
      assert.equal(inst.Instances.Instance[0].Status, 'Running');
    } finally {
      await s.stop();
    }
    // The same data directory again: it holds resources now.
    const again = await cliFails('serve', '--port', '0', '--data', data, '--seed', file);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already holds resources/);
    rmSync(data, { recursive: true, force: true });

    const bad = join(dir, 'bad.json');
    const broken = structuredClone(SEED) as any;
    broken.vSwitches[0].cidrBlock = '10.9.0.0/24';
    broken.networkInterfaces[1].privateIpAddresses = ['192.168.1.255'];
    broken.networkInterfaces[1].securityGroupIds = ['sg-nope'];
    writeFileSync(bad, JSON.stringify(broken));
    const e = await cliFails('serve', '--port', '0', '--data', join(dir, 'bad-data'), '--seed', bad);
    assert.equal(e.code, 1);
    assert.match(e.stderr, /vSwitches\.0\.cidrBlock: not inside the VPC's 192\.168\.0\.0\/16/);
    assert.match(e.stderr, /networkInterfaces\.1\.securityGroupIds\.0: no security group sg-nope/);
    const prefixed = structuredClone(SEED) as any;
    prefixed.networkInterfaces[1].ipv4Prefixes = ['192.168.1.16/28', '192.168.1.7/28'];
    writeFileSync(bad, JSON.stringify(prefixed));
    const p = await cliFails('state', 'import', bad, '--data', join(dir, 'bad-data'));
    assert.match(p.stderr, /networkInterfaces\.1\.primaryIpAddress: 192\.168\.1\.20 lies inside a prefix of networkInterfaces\.1/);
    assert.match(p.stderr, /networkInterfaces\.1\.ipv4Prefixes\.1: 192\.168\.1\.7\/28 is not an aligned \/28/);
    const typo = join(dir, 'typo.json');
    writeFileSync(
      typo,
      JSON.stringify({ accounts: [{ name: 'root', vpcs: [{ id: 'vpc-x', regionId: 'cn-hangzhou', cidr: '10.0.0.0/8' }] }] }),
    );
    const t = await cliFails('state', 'import', typo, '--data', join(dir, 'typo-data'));
    assert.match(t.stderr, /accounts\.0\.vpcs\.0\.cidrBlock/);
    assert.match(t.stderr, /accounts\.0\.vpcs\.0: Unrecognized key: "cidr"/);
  });
});

describe('the harness', () => {
  it('startEniplane({ seed }) starts in the seeded world and reset() returns to it', async () => {
    const cloud = await startEniplane({ seed: SEED });
    try {
      const c = () => sdkClient('ecs-acs3', cloud.endpoint, { id: cloud.accessKeyId, secret: cloud.accessKeySecret });
      const vpcIds = async () => (await c().call('DescribeVpcs', R)).Vpcs.Vpc.map((v: any) => v.VpcId).sort();
      assert.deepEqual(await vpcIds(), ['vpc-seed1']);
      await c().call('CreateVpc', { ...R, CidrBlock: '10.0.0.0/8' });
      await c().call('UnassignPrivateIpAddresses', { ...R, NetworkInterfaceId: 'eni-seed2', PrivateIpAddress: ['192.168.1.21'] });
      assert.equal((await vpcIds()).length, 2);
      await cloud.reset();
      assert.deepEqual(await vpcIds(), ['vpc-seed1']);
      const eni = await c().call('DescribeNetworkInterfaces', { ...R, NetworkInterfaceId: ['eni-seed2'] });
      assert.deepEqual(
        eni.NetworkInterfaceSets.NetworkInterfaceSet[0].PrivateIpSets.PrivateIpSet.map((p: any) => p.PrivateIpAddress),
        ['192.168.1.20', '192.168.1.21'],
      );
    } finally {
      await cloud.close();
    }
  });
});

it('docs/state.schema.json is what `eniplane state schema` prints (regenerate: eniplane state schema > docs/state.schema.json)', async () => {
  const doc = readFileSync(new URL('../../docs/state.schema.json', import.meta.url), 'utf8');
  assert.equal(await cli('state', 'schema'), doc);
  assert.match(doc, /"networkInterfaces"/);
});
