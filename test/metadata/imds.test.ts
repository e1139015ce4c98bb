// The instance metadata service in-process: every IMDS path's format for an
// instance with two ENIs (the primary one with IPv6), the caller found by its
// source address, hardened-mode tokens, the snapshot and its long-poll, the
// agent status report. The API is driven through the signed RPC pipeline.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { seedNetwork, startHarness, type Harness } from '../support/in-process.ts';
import { createMetadataServer, type MetadataServer } from '../../src/metadata/server.ts';
import { httpRequest } from '../../src/agent/http.ts';

let h: Harness;
let md: MetadataServer;
let instanceId: string;
let primary: { id: string; mac: string; ip: string; ipv6: string };
let secondary: { id: string; mac: string; ip: string };
let net: Awaited<ReturnType<typeof seedNetwork>>;

async function get(
  path: string,
  o: { from?: string; headers?: Record<string, string>; method?: 'GET' | 'PUT'; server?: MetadataServer; body?: unknown } = {},
) {
  const res = await (o.server ?? md).server.inject({
    method: o.method ?? 'GET',
    url: path,
    remoteAddress: o.from ?? primary.ip,
    headers: o.headers,
    ...(o.body !== undefined ? { payload: o.body as object } : {}),
  });
  return { status: res.statusCode, body: res.body, type: String(res.headers['content-type'] ?? '') };
}

async function eni(id: string) {
  const r = await h.call('DescribeNetworkInterfaces', { NetworkInterfaceId: [id] });
  return r.body.NetworkInterfaceSets.NetworkInterfaceSet[0];
}

before(async () => {
  h = await startHarness();
  md = createMetadataServer(h.deps, { logger: pino({ level: 'error' }) });
  await md.server.ready();
  net = await seedNetwork(h, { cidr: '198.18.0.0/16', vswCidr: '198.18.1.0/24' });
  const run = await h.call('RunInstances', {
    InstanceType: 'ecs.g7.large',
    VSwitchId: net.vSwitchId,
    SecurityGroupId: net.securityGroupId,
    Ipv6AddressCount: 1,
  });
  assert.equal(run.status, 200, JSON.stringify(run.body));
  instanceId = run.body.InstanceIdSets.InstanceIdSet[0];
  const list = await h.call('DescribeNetworkInterfaces', { InstanceId: instanceId });
  const p = list.body.NetworkInterfaceSets.NetworkInterfaceSet[0];
  primary = { id: p.NetworkInterfaceId, mac: p.MacAddress, ip: p.PrivateIpAddress, ipv6: p.Ipv6Sets.Ipv6Set[0].Ipv6Address };
  const created = await h.call('CreateNetworkInterface', {
    VSwitchId: net.vSwitchId,
    SecurityGroupId: net.securityGroupId,
    SecondaryPrivateIpAddressCount: 1,
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const attach = await h.call('AttachNetworkInterface', { NetworkInterfaceId: created.body.NetworkInterfaceId, InstanceId: instanceId });
  assert.equal(attach.status, 200, JSON.stringify(attach.body));
  const s = await eni(created.body.NetworkInterfaceId);
  secondary = { id: s.NetworkInterfaceId, mac: s.MacAddress, ip: s.PrivateIpAddress };
  const assign = await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: primary.id, SecondaryPrivateIpAddressCount: 2 });
  assert.equal(assign.status, 200, JSON.stringify(assign.body));
});

after(async () => {
  await md?.close();
  await h?.close();
});

describe('IMDS paths', () => {
  test('/latest/meta-data/ lists one entry per line, sub-directories ending in /', async () => {
    const r = await get('/latest/meta-data/');
    assert.equal(r.status, 200);
    assert.match(r.type, /^text\/plain/);
    const lines = r.body.split('\n');
    for (const e of [
      'instance-id',
      'mac',
      'private-ipv4',
      'region-id',
      'zone-id',
      'instance/',
      'network/',
      'vpc-id',
      'vswitch-id',
      'hostname',
    ]) {
      assert.ok(lines.includes(e), `${e} in ${JSON.stringify(lines)}`);
    }
    assert.ok(!r.body.endsWith('\n'));
    assert.equal((await get('/latest/meta-data')).body, r.body, 'with or without the trailing slash');
    assert.equal((await get('/latest/meta-data/network/')).body, 'interfaces/');
    assert.equal((await get('/latest/meta-data/network/interfaces/')).body, 'macs/');
    assert.equal((await get('/latest/meta-data/instance/')).body, 'instance-name\ninstance-type');
  });

  test('network/interfaces/macs/ lists both ENIs', async () => {
    const r = await get('/latest/meta-data/network/interfaces/macs/');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.split('\n').sort(), [`${primary.mac}/`, `${secondary.mac}/`].sort());
  });

  test('per-MAC items of the primary ENI (with IPv6)', async () => {
    const base = `/latest/meta-data/network/interfaces/macs/${primary.mac}/`;
    const item = async (name: string) => {
      const r = await get(base + name);
      assert.equal(r.status, 200, `${name}: ${r.body}`);
      return r.body;
    };
    const listing = (await get(base)).body.split('\n');
    assert.ok(listing.includes('private-ipv4s') && listing.includes('ipv6s') && listing.includes('gateway'), listing.join(','));
    assert.equal(await item('network-interface-id'), primary.id);
    assert.equal(await item('primary-ip-address'), primary.ip);
    const v4 = JSON.parse(await item('private-ipv4s')) as string[];
    assert.equal(v4.length, 3);
    assert.equal(v4[0], primary.ip, 'primary first');
    assert.match(await item('private-ipv4s'), /^\["198\.18\.1\.\d+"(,"198\.18\.1\.\d+"){2}\]$/);
    assert.equal(await item('netmask'), '255.255.255.0');
    assert.equal(await item('gateway'), '198.18.1.253');
    assert.equal(await item('vswitch-id'), net.vSwitchId);
    assert.equal(await item('vswitch-cidr-block'), '198.18.1.0/24');
    assert.equal(await item('vpc-id'), net.vpcId);
    assert.equal(await item('vpc-cidr-block'), '198.18.0.0/16');
    assert.equal(await item('ipv6s'), `[${primary.ipv6}]`);
    const v6cidr = await item('vswitch-ipv6-cidr-block');
    assert.match(v6cidr, /^2001:db8:[0-9a-f:]*\/64$/);
    assert.equal(await item('ipv6-gateway'), `${v6cidr.slice(0, -'/64'.length).replace(/::$/, '')}::1`);
    assert.match(await item('vpc-ipv6-cidr-blocks'), /^\[2001:db8:[0-9a-f:]*\/56\]$/);
  });

  test('per-MAC items of the secondary ENI; ipv6s is 404 without IPv6', async () => {
    const base = `/latest/meta-data/network/interfaces/macs/${secondary.mac}/`;
    assert.equal((await get(base + 'network-interface-id')).body, secondary.id);
    assert.equal((await get(base + 'primary-ip-address')).body, secondary.ip);
    assert.equal(JSON.parse((await get(base + 'private-ipv4s')).body).length, 2);
    assert.equal((await get(base + 'ipv6s')).status, 404);
    assert.ok(!(await get(base)).body.split('\n').includes('ipv6s'));
    assert.equal((await get(base + 'gateway')).body, '198.18.1.253');
  });

  test('instance-level items', async () => {
    assert.equal((await get('/latest/meta-data/instance-id')).body, instanceId);
    assert.equal((await get('/latest/meta-data/mac')).body, primary.mac);
    assert.equal((await get('/latest/meta-data/private-ipv4')).body, primary.ip);
    assert.equal((await get('/latest/meta-data/region-id')).body, 'cn-hangzhou');
    assert.equal((await get('/latest/meta-data/zone-id')).body, 'cn-hangzhou-h');
    assert.equal((await get('/latest/meta-data/instance/instance-type')).body, 'ecs.g7.large');
    assert.equal((await get('/latest/meta-data/network-type')).body, 'vpc');
    const doc = await get('/latest/dynamic/instance-identity/document');
    assert.match(doc.type, /json/);
    assert.equal(JSON.parse(doc.body)['instance-id'], instanceId);
  });

  test("unknown paths are 404 with the IMDS page (not fastify's JSON); a leaf with a trailing slash too", async () => {
    for (const p of [
      '/latest/meta-data/nope',
      '/latest/meta-data/instance-id/',
      '/latest/meta-data/network/interfaces/macs/00:16:3e:00:00:00/gateway',
      '/2016-01-01/meta-data/nope',
      '/2009-04-04/meta-data/',
      '/nope',
      '/latest/user-data',
      '/latest/meta-data/all/',
      '/latest/meta-data/instance/all',
    ]) {
      const r = await get(p);
      assert.equal(r.status, 404, p);
      assert.match(r.type, /^text\/html/, p);
      assert.match(r.body, /<title>404 - Not Found<\/title>/, p);
    }
    const post = await get('/latest/meta-data/instance-id', { method: 'PUT' });
    assert.equal(post.status, 404);
    assert.match(post.body, /404 - Not Found/);
  });

  test('/ lists the versions, /<version>/ its sections; 2016-01-01 serves what latest does', async () => {
    assert.equal((await get('/')).body, '2016-01-01\nlatest');
    assert.equal((await get('/latest/')).body, 'dynamic\nmeta-data');
    assert.equal((await get('/2016-01-01')).body, 'dynamic\nmeta-data');
    for (const p of [
      'meta-data/',
      'meta-data/network/interfaces/macs/',
      `meta-data/network/interfaces/macs/${primary.mac}/private-ipv4s`,
      'meta-data/instance-id',
      'dynamic/instance-identity/document',
    ]) {
      const latest = await get(`/latest/${p}`);
      assert.equal(latest.status, 200, p);
      assert.deepEqual(await get(`/2016-01-01/${p}`), latest, p);
    }
  });

  test('the items of the reference the listing used to lack', async () => {
    const listing = (await get('/2016-01-01/meta-data/')).body.split('\n');
    for (const e of [
      'sub-private-ipv4-list',
      'source-address',
      'ntp-conf/',
      'serial-number',
      'public-keys/',
      'vpc-cidr-block',
      'owner-account-id',
    ]) {
      assert.ok(listing.includes(e), `${e} in ${JSON.stringify(listing)}`);
    }
    assert.ok(!listing.includes('all'), 'meta-data/all is not listed');
    const v4 = JSON.parse((await get(`/latest/meta-data/network/interfaces/macs/${primary.mac}/private-ipv4s`)).body) as string[];
    assert.equal(
      (await get('/latest/meta-data/sub-private-ipv4-list')).body,
      v4.slice(1).join('\n'),
      "the primary ENI's secondaries, one per line",
    );
    assert.equal((await get('/latest/meta-data/source-address')).body, 'http://mirrors.cloud.aliyuncs.com');
    assert.equal((await get('/latest/meta-data/ntp-conf/')).body, 'ntp-servers');
    assert.equal((await get('/latest/meta-data/ntp-conf/ntp-servers')).body, 'ntp1.aliyun.com\nntp1.cloud.aliyuncs.com');
    const serial = (await get('/latest/meta-data/serial-number')).body;
    assert.match(serial, /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/);
    assert.equal(JSON.parse((await get('/latest/dynamic/instance-identity/document')).body)['serial-number'], serial);
    const keys = await get('/latest/meta-data/public-keys/');
    assert.equal(keys.status, 200);
    assert.equal(keys.body, '', 'no key pairs: an empty directory');
  });

  test('meta-data/all: the whole meta-data tree as one JSON object, each leaf as its path answers it', async () => {
    const r = await get('/2016-01-01/meta-data/all');
    assert.equal(r.status, 200);
    assert.match(r.type, /json/);
    const all = JSON.parse(r.body) as Record<string, any>;
    assert.deepEqual(JSON.parse((await get('/latest/meta-data/all')).body), all);
    // walk the tree by its listings and compare every leaf
    const walk = async (path: string, node: Record<string, any>): Promise<number> => {
      const names = (await get(path)).body.split('\n').filter((n) => n);
      assert.deepEqual(names.map((n) => n.replace(/\/$/, '')).sort(), Object.keys(node).sort(), path);
      let leaves = 0;
      for (const n of names) {
        if (n.endsWith('/')) leaves += await walk(path + n, node[n.slice(0, -1)]);
        else {
          assert.equal((await get(path + n)).body, node[n], path + n);
          leaves++;
        }
      }
      return leaves;
    };
    assert.ok((await walk('/2016-01-01/meta-data/', all)) > 30);
  });

  test('the caller is the instance owning the source address; others are refused', async () => {
    assert.equal((await get('/latest/meta-data/instance-id', { from: secondary.ip })).body, instanceId);
    const stranger = await get('/latest/meta-data/instance-id', { from: '198.18.2.200' });
    assert.equal(stranger.status, 403);
    assert.equal((await get('/latest/meta-data/instance-id', { from: '127.0.0.1' })).status, 403);
  });

  test('the instance-id header is honoured only when the server opts in', async () => {
    const headers = { 'x-eniplane-instance-id': instanceId };
    assert.equal((await get('/latest/meta-data/instance-id', { from: '127.0.0.1', headers })).status, 403);
    const dev = createMetadataServer(h.deps, { trustInstanceHeader: true });
    try {
      assert.equal((await get('/latest/meta-data/instance-id', { from: '127.0.0.1', headers, server: dev })).body, instanceId);
      assert.equal(
        (await get('/latest/meta-data/instance-id', { from: '127.0.0.1', headers: { 'x-eniplane-instance-id': 'i-nope' }, server: dev }))
          .status,
        403,
      );
    } finally {
      await dev.close();
    }
  });
});

describe('hardened mode (tokens)', () => {
  const put = (headers: Record<string, string>, from?: string) =>
    get('/latest/api/token', { method: 'PUT', headers, ...(from ? { from } : {}) });
  const TTL = 'x-aliyun-ecs-metadata-token-ttl-seconds';
  const TOKEN = 'x-aliyun-ecs-metadata-token';

  test('TTL missing, 0, 21601 or not a number → 400', async () => {
    for (const headers of [{}, { [TTL]: '0' }, { [TTL]: '21601' }, { [TTL]: 'abc' }, { [TTL]: '-5' }, { [TTL]: '1.5' }] as Record<
      string,
      string
    >[]) {
      const r = await put(headers);
      assert.equal(r.status, 400, JSON.stringify(headers));
      assert.equal(r.body, 'Missing or Invalid Parameters');
    }
  });

  test('X-Forwarded-For → 403', async () => {
    assert.equal((await put({ [TTL]: '60', 'x-forwarded-for': '198.18.1.9' })).status, 403);
  });

  test('a token works for its instance, 1..21600 accepted; invalid or foreign tokens → 401', async () => {
    assert.equal((await put({ [TTL]: '1' })).status, 200);
    const r = await put({ [TTL]: '21600' });
    assert.equal(r.status, 200);
    assert.ok(r.body.length >= 32);
    assert.equal((await get('/latest/meta-data/instance-id', { headers: { [TOKEN]: r.body } })).body, instanceId);
    assert.equal((await get('/latest/meta-data/instance-id', { headers: { [TOKEN]: 'bogus' } })).status, 401);
    // a second instance's token is no good here
    const other = await h.call('RunInstances', {
      InstanceType: 'ecs.g7.large',
      VSwitchId: net.vSwitchId,
      SecurityGroupId: net.securityGroupId,
    });
    const otherIp = (await h.call('DescribeNetworkInterfaces', { InstanceId: other.body.InstanceIdSets.InstanceIdSet[0] })).body
      .NetworkInterfaceSets.NetworkInterfaceSet[0].PrivateIpAddress;
    const foreign = await put({ [TTL]: '60' }, otherIp);
    assert.equal(foreign.status, 200);
    assert.equal((await get('/latest/meta-data/instance-id', { headers: { [TOKEN]: foreign.body } })).status, 401);
  });

  test('an expired token → 401', async () => {
    const r = await put({ [TTL]: '1' });
    await new Promise((res) => setTimeout(res, 1100));
    assert.equal((await get('/latest/meta-data/instance-id', { headers: { [TOKEN]: r.body } })).status, 401);
  });

  test('hardened-only: token-less GET → 403, with a token → 200', async () => {
    const strict = createMetadataServer(h.deps, { tokens: 'required' });
    try {
      assert.equal((await get('/latest/meta-data/instance-id', { server: strict })).status, 403);
      const t = await get('/latest/api/token', { method: 'PUT', headers: { [TTL]: '60' }, server: strict });
      assert.equal((await get('/latest/meta-data/instance-id', { server: strict, headers: { [TOKEN]: t.body } })).body, instanceId);
      assert.equal((await get('/eniplane/v1/interfaces', { server: strict })).status, 403);
    } finally {
      await strict.close();
    }
  });

  test('tokens are kept in the database: another server on the same store honours them', async () => {
    const t = await put({ [TTL]: '60' });
    const second = createMetadataServer(h.deps);
    try {
      assert.equal((await get('/latest/meta-data/instance-id', { server: second, headers: { [TOKEN]: t.body } })).body, instanceId);
    } finally {
      await second.close();
    }
  });
});

describe('eniplane extensions', () => {
  test('the snapshot document', async () => {
    const r = await get('/eniplane/v1/interfaces');
    assert.equal(r.status, 200);
    const doc = JSON.parse(r.body);
    assert.equal(doc.instanceId, instanceId);
    assert.match(doc.version, /^[0-9a-f]{16}$/);
    assert.equal(doc.interfaces.length, 2);
    const [p, s] = doc.interfaces;
    assert.deepEqual(Object.keys(p).sort(), [
      'deviceIndex',
      'gateway',
      'ipv4Prefixes',
      'ipv6Gateway',
      'ipv6Prefixes',
      'ipv6s',
      'mac',
      'netmask',
      'networkInterfaceId',
      'prefixLength',
      'primary',
      'primaryIpAddress',
      'privateIpv4s',
      'vpcCidrBlock',
      'vpcId',
      'vpcIpv6CidrBlock',
      'vswitchCidrBlock',
      'vswitchId',
      'vswitchIpv6CidrBlock',
    ]);
    assert.equal(p.primary, true);
    assert.equal(p.deviceIndex, 0);
    assert.equal(p.mac, primary.mac);
    assert.equal(p.prefixLength, 24);
    assert.deepEqual(p.ipv6s, [primary.ipv6]);
    assert.equal(s.primary, false);
    assert.equal(s.deviceIndex, 1);
    assert.deepEqual(s.ipv6s, []);
  });

  test('long-poll: answers at the timeout when nothing changed, at once when something did', async () => {
    const v = JSON.parse((await get('/eniplane/v1/interfaces')).body).version;
    let t0 = Date.now();
    const same = JSON.parse((await get(`/eniplane/v1/interfaces?wait=${v}&timeoutMs=300`)).body);
    assert.equal(same.version, v);
    assert.ok(Date.now() - t0 >= 280, `waited ${Date.now() - t0} ms`);
    t0 = Date.now();
    const waiting = get(`/eniplane/v1/interfaces?wait=${v}&timeoutMs=10000`);
    await new Promise((res) => setTimeout(res, 200));
    const assigned = await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: secondary.id, SecondaryPrivateIpAddressCount: 1 });
    assert.equal(assigned.status, 200);
    const changed = JSON.parse((await waiting).body);
    const took = Date.now() - t0;
    assert.notEqual(changed.version, v);
    assert.ok(took < 1500, `long-poll answered after ${took} ms`);
    const s = changed.interfaces.find((i: { mac: string }) => i.mac === secondary.mac);
    assert.ok(s.privateIpv4s.includes(assigned.body.AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress[0]));
    // a stale version answers at once
    t0 = Date.now();
    assert.equal(JSON.parse((await get(`/eniplane/v1/interfaces?wait=${v}&timeoutMs=10000`)).body).version, changed.version);
    assert.ok(Date.now() - t0 < 500);
  });

  test('closing the server ends pending long-polls', async () => {
    const m = createMetadataServer(h.deps);
    const addr = await m.listen('127.0.0.1', 0);
    void addr;
    const dev = createMetadataServer(h.deps, { trustInstanceHeader: true });
    const d = await dev.listen('127.0.0.1', 0);
    const v = JSON.parse((await get('/eniplane/v1/interfaces')).body).version;
    const t0 = Date.now();
    const pending = httpRequest({ url: `http://127.0.0.1:${d.port}` }, 'GET', `/eniplane/v1/interfaces?wait=${v}&timeoutMs=20000`, {
      headers: { 'x-eniplane-instance-id': instanceId },
      timeoutMs: 30000,
    });
    await new Promise((res) => setTimeout(res, 200));
    await dev.close();
    const r = await pending;
    assert.equal(r.status, 200);
    assert.ok(Date.now() - t0 < 3000);
    await m.close();
  });

  test('status report: stored per instance, validated', async () => {
    const report = {
      version: 'abc',
      mode: 'runtime',
      ok: true,
      reportedAtMs: Date.now(),
      errors: [],
      interfaces: [
        {
          mac: primary.mac,
          networkInterfaceId: primary.id,
          ifname: 'eth0',
          addresses: [{ address: primary.ip, family: 4, configured: true }],
        },
      ],
    };
    assert.equal((await get('/eniplane/v1/status', { method: 'PUT', body: report })).status, 204);
    const back = JSON.parse((await get('/eniplane/v1/status')).body);
    assert.equal(back.instanceId, instanceId);
    assert.equal(back.interfaces[0].ifname, 'eth0');
    assert.equal(typeof back.receivedAtMs, 'number');
    assert.equal((await get('/eniplane/v1/status', { method: 'PUT', body: { version: 1 } })).status, 400);
    assert.equal((await get('/eniplane/v1/status', { method: 'PUT', body: report, from: '198.18.2.222' })).status, 403);
  });
});
