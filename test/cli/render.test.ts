// `eniplane render` (a real process) against a real server over HTTP (the
// harness's, in this process: the server needs no process of its own here): the rendered files carry the ENI's
// own addresses, prefix, gateway and MAC; --facts, --format json, --out, and
// user errors exit 1.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startEniplane, type Eniplane } from 'eniplane';
import { sdkClient } from '../support/sdk-clients.ts';

const run = promisify(execFile);
const BIN = new URL('../../bin/eniplane.mjs', import.meta.url).pathname;
let server: Eniplane & { key: { id: string; secret: string } };
let out: string;
before(async () => {
  const e = await startEniplane({ transitionMs: 0 });
  server = Object.assign(e, { key: { id: e.accessKeyId, secret: e.accessKeySecret } });
  out = mkdtempSync(join(tmpdir(), 'eniplane-render-'));
});
after(async () => {
  await server?.close();
  rmSync(out, { recursive: true, force: true });
});

async function eniplane(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [BIN, ...args], {
      env: { ...process.env, ENIPLANE_ACCESS_KEY_ID: server.key.id, ENIPLANE_ACCESS_KEY_SECRET: server.key.secret },
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e: any) {
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

it('renders netplan for the ENI as the server knows it, and writes it under --out', async () => {
  const c = sdkClient('ecs-acs3', server.endpoint, server.key);
  const vpc = await c.call('CreateVpc', { RegionId: 'cn-hangzhou', CidrBlock: '192.168.0.0/16' });
  const vsw = await c.call('CreateVSwitch', {
    RegionId: 'cn-hangzhou',
    VpcId: vpc.VpcId,
    ZoneId: 'cn-hangzhou-h',
    CidrBlock: '192.168.1.0/24',
  });
  const sg = await c.call('CreateSecurityGroup', { RegionId: 'cn-hangzhou', VpcId: vpc.VpcId });
  const run1 = await c.call('RunInstances', {
    RegionId: 'cn-hangzhou',
    InstanceType: 'ecs.g7.large',
    VSwitchId: vsw.VSwitchId,
    SecurityGroupId: sg.SecurityGroupId,
    PrivateIpAddress: '192.168.1.201',
  });
  const eni = (await c.call('DescribeNetworkInterfaces', { RegionId: 'cn-hangzhou', InstanceId: run1.InstanceIdSets.InstanceIdSet[0] }))
    .NetworkInterfaceSets.NetworkInterfaceSet[0];
  await c.call('AssignPrivateIpAddresses', {
    RegionId: 'cn-hangzhou',
    NetworkInterfaceId: eni.NetworkInterfaceId,
    PrivateIpAddress: ['192.168.1.202', '192.168.1.203'],
  });
  // an IP prefix is rendered as a local route
  const prefix = (
    await c.call('AssignPrivateIpAddresses', { RegionId: 'cn-hangzhou', NetworkInterfaceId: eni.NetworkInterfaceId, Ipv4PrefixCount: 1 })
  ).AssignedPrivateIpAddressesSet.Ipv4PrefixSet.Ipv4Prefixes[0] as string;

  const text = await eniplane(['render', '--os', 'ubuntu-22.04', '--eni', eni.NetworkInterfaceId, '--endpoint', server.endpoint]);
  assert.equal(text.code, 0, text.stderr);
  for (const s of [
    '192.168.1.201/24',
    '192.168.1.202/24',
    '192.168.1.203/24',
    '192.168.1.253',
    eni.MacAddress,
    'network: {config: disabled}',
  ])
    assert.ok(text.stdout.includes(s), `missing ${s}`);
  assert.match(text.stdout, new RegExp(`- to: ${prefix}\\n +type: local\\n`), 'the IP prefix as a local route');

  const json = await eniplane([
    'render',
    '--os',
    'alinux-3',
    '--eni',
    eni.NetworkInterfaceId,
    '--endpoint',
    server.endpoint,
    '--format',
    'json',
  ]);
  const r = JSON.parse(json.stdout);
  assert.equal(r.target, 'rhel-ifcfg');
  assert.ok(r.files.some((f: any) => f.path.endsWith('ifcfg-eth0:1') && f.content.includes('IPADDR=192.168.1.203')));

  const written = await eniplane([
    'render',
    '--os',
    'debian-10',
    '--eni',
    eni.NetworkInterfaceId,
    '--endpoint',
    server.endpoint,
    '--out',
    out,
  ]);
  assert.equal(written.code, 0, written.stderr);
  const interfaces = readFileSync(join(out, 'etc/network/interfaces'), 'utf8');
  assert.match(interfaces, /iface eth0:0 inet static\s+address 192\.168\.1\.202/);
  assert.ok(existsSync(join(out, 'commands.sh')));
});

it('renders from a facts file, and refuses unknown OS ids and bad facts with exit 1', async () => {
  const facts = join(out, 'facts.json');
  writeFileSync(
    facts,
    JSON.stringify({
      interfaceName: 'eth1',
      macAddress: '00:16:3e:00:00:01',
      isPrimaryEni: false,
      deviceIndex: 1,
      ipv4: { primary: '198.18.1.10', secondaries: ['198.18.1.11'], prefixLength: 24, gateway: '198.18.1.253', cidrBlock: '198.18.1.0/24' },
      dnsServers: ['100.100.2.136'],
    }),
  );
  const ok = await eniplane(['render', '--os', 'windows-2022', '--facts', facts]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /New-NetIPAddress/);
  assert.equal((await eniplane(['render', '--os', 'plan9', '--facts', facts])).code, 1);
  writeFileSync(facts, JSON.stringify({ interfaceName: 'eth1' }));
  assert.equal((await eniplane(['render', '--os', 'ubuntu-22.04', '--facts', facts])).code, 1);
  const list = await eniplane(['render', '--list-os']);
  assert.match(list.stdout, /ubuntu-22\.04/);
});

it('--out writes one script in order: backups, installing the files, then applying', async () => {
  const facts = join(out, 'facts2.json');
  writeFileSync(
    facts,
    JSON.stringify({
      interfaceName: 'eth0',
      macAddress: '00:16:3e:00:00:02',
      isPrimaryEni: true,
      deviceIndex: 0,
      ipv4: { primary: '198.18.1.10', secondaries: ['198.18.1.11'], prefixLength: 24, gateway: '198.18.1.253', cidrBlock: '198.18.1.0/24' },
      dnsServers: ['100.100.2.136'],
    }),
  );
  const dir = join(out, 'u22');
  const r = await eniplane(['render', '--os', 'ubuntu-22.04', '--facts', facts, '--out', dir]);
  assert.equal(r.code, 0, r.stderr);
  const script = readFileSync(join(dir, 'commands.sh'), 'utf8');
  const install = script.indexOf('install -D -m 600 "$HERE/etc/netplan/');
  const apply = script.indexOf('netplan apply');
  assert.ok(install > 0 && apply > install, script);
  const backup = script.search(/cp |backup/);
  assert.ok(backup >= 0 && backup < install, 'backups come before the files are installed');
  await run('sh', ['-n', join(dir, 'commands.sh')]);
});
