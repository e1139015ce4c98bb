// The metadata service as cloud-init reads it: Debian's installed cloud-init
// modules (test/lab/cloud-init-aliyun.py) run inside a lab instance, against
// the lab's metadata service on 100.100.100.200 (the instance found by its
// source address, as on the real cloud). Both ways the AliYun datasource
// reads: Debian's (directory crawl of 2016-01-01/meta-data/) and upstream's
// (token, then 2016-01-01/meta-data/all). Every metadata request answers 200;
// user-data is 404 as on the real service for an instance without user data.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { LabHarness, run } from './harness.ts';

const SCRIPT = new URL('./cloud-init-aliyun.py', import.meta.url).pathname;
/** Debian's python, which has the cloud-init package (not a pyenv one on PATH) */
const PYTHON = '/usr/bin/python3';
const h = new LabHarness();
let failed = false;

before(async () => {
  await h.start();
});

after(async () => {
  if (failed) console.log(`--- lab output\n${h.output.slice(-4000)}\n--- agent logs\n${h.agentLogs()}`);
  await h.stop();
});

interface Crawl {
  debian: {
    ok: boolean;
    cloudName: string;
    metadata: Record<string, any>;
    userdata: string;
    instanceId: string;
    hostname: string;
    publicKeys: string[];
    networkConfig: { version: number; ethernets: Record<string, Record<string, any>> };
  };
  upstream: { tokenLength: number; all: Record<string, any>; tree: Record<string, any> };
  requests: [method: string, url: string, status: number | null][];
}

test('cloud-init (Debian 22.4 and upstream request sequence) reads the whole tree and maps every ENI', async (t) => {
  try {
    const inst = await h.runInstance({ ipv6: 1 });
    const secondaries = (
      await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: inst.primaryEniId, SecondaryPrivateIpAddressCount: 2 })
    ).AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress as string[];
    const eniId = (
      await h.call('CreateNetworkInterface', {
        VSwitchId: h.vSwitchId,
        SecurityGroupId: h.securityGroupId,
        SecondaryPrivateIpAddressCount: 1,
      })
    ).NetworkInterfaceId as string;
    await h.call('AttachNetworkInterface', { NetworkInterfaceId: eniId, InstanceId: inst.id });
    await h.waitEni(eniId, 'InUse');
    await h.agentConverged(inst.id);
    const snap = await h.snapshot(inst.id);
    assert.equal(snap.interfaces.length, 2);

    const r = await run('ip', ['netns', 'exec', h.ns(inst.id), PYTHON, SCRIPT, 'http://100.100.100.200'], 120_000);
    assert.equal(r.code, 0, r.stderr);
    const c = JSON.parse(r.stdout) as Crawl;
    t.diagnostic(`${c.requests.length} requests; non-200: ${JSON.stringify(c.requests.filter(([, , s]) => s !== 200))}`);

    // every request answered 200, but user-data (and vendor-data): 404, as for an instance without user data
    for (const [method, url, status] of c.requests) {
      if (/\/(user|vendor)-data$/.test(url)) assert.equal(status, 404, url);
      else assert.equal(status, 200, `${method} ${url}`);
    }
    const paths = c.requests.map(([, url]) => new URL(url).pathname);
    assert.ok(paths.includes('/2016-01-01/meta-data/instance-id'), 'Debian: the service probe');
    assert.ok(paths.includes('/2016-01-01/meta-data/'), 'Debian: the crawl starts at 2016-01-01/meta-data/');
    assert.ok(paths.includes('/2016-01-01/user-data'));
    assert.ok(paths.includes('/2016-01-01/meta-data/all'), 'upstream: meta-data/all');
    assert.ok(
      paths.filter((p) => p.startsWith('/2016-01-01/meta-data/network/interfaces/macs/')).length >= 2 * 10,
      'every ENI item crawled',
    );

    // Debian's datasource: found, whole tree, the instance's facts
    const d = c.debian;
    assert.equal(d.ok, true);
    assert.equal(d.cloudName, 'aliyun');
    assert.equal(d.instanceId, inst.id);
    assert.equal(d.hostname, `iZ${inst.id.slice(2)}Z`);
    assert.deepEqual(d.publicKeys, []);
    assert.equal(d.userdata, '');
    const md = d.metadata;
    assert.equal(md['private-ipv4'], inst.primaryIp);
    assert.equal(md['mac'], inst.mac.toLowerCase());
    assert.deepEqual([md['sub-private-ipv4-list']].flat(), secondaries, "the primary ENI's secondary IPv4s, one per line");
    assert.deepEqual(md['dns-conf'], { nameservers: ['100.100.2.136', '100.100.2.138'] });
    assert.deepEqual(md['ntp-conf'], { 'ntp-servers': ['ntp1.aliyun.com', 'ntp1.cloud.aliyuncs.com'] });
    assert.equal(md['source-address'], 'http://mirrors.cloud.aliyuncs.com');
    assert.match(md['serial-number'], /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/);
    const macs = md['network']['interfaces']['macs'] as Record<string, Record<string, string>>;
    assert.deepEqual(Object.keys(macs).sort(), snap.interfaces.map((i) => i.mac).sort());
    for (const i of snap.interfaces) {
      const m = macs[i.mac]!;
      assert.equal(m['network-interface-id'], i.networkInterfaceId);
      assert.deepEqual(JSON.parse(m['private-ipv4s']!), i.privateIpv4s, `${i.mac}: every private IPv4`);
      assert.equal(m['gateway'], '198.18.1.253');
      assert.equal(m['netmask'], '255.255.255.0');
      if (i.ipv6s.length) assert.equal(m['ipv6s'], `[${i.ipv6s.join(',')}]`);
      else assert.equal(m['ipv6s'], undefined);
    }

    // upstream's meta-data/all, decoded like crawled leaves, is the same tree as the crawl
    assert.ok(c.upstream.tokenLength > 0);
    assert.deepEqual(c.upstream.all, c.upstream.tree);
    assert.deepEqual(c.upstream.tree, md);

    // Debian's network conversion: every ENI matched by its MAC and named as the lab named it, DHCP for
    // the primary address, DHCPv6 where the ENI has IPv6. (It renders secondary IPv4s from EC2's
    // `local-ipv4s`, which Alibaba's metadata does not have: those are the agent's job.)
    const eth = d.networkConfig.ethernets;
    assert.deepEqual(Object.keys(eth).sort(), ['eth0', 'eth1']);
    for (const i of snap.interfaces) {
      const name = `eth${i.deviceIndex}`;
      assert.equal(eth[name]!['match'].macaddress, i.mac);
      assert.equal(eth[name]!['set-name'], name);
      assert.equal(eth[name]!['dhcp4'], true);
      assert.equal(eth[name]!['dhcp6'], i.ipv6s.length > 0, `${name} dhcp6`);
    }
  } catch (e) {
    failed = true;
    throw e;
  }
});
