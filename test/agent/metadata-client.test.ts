// The agent's metadata client against the real metadata service in-process:
// the snapshot (with a token, and again after the token is lost), the plain
// IMDS paths when the service has no snapshot endpoint (the real cloud), and
// failures turning into `unavailable` — never an empty `complete`.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { seedNetwork, startHarness, type Harness } from '../support/in-process.ts';
import { createMetadataServer, type MetadataServer } from '../../src/metadata/server.ts';
import { MetadataClient } from '../../src/agent/metadata-client.ts';

let h: Harness;
let md: MetadataServer;
let mdPort: number;
let plain: FastifyInstance;
let plainPort: number;
let instanceId: string;

before(async () => {
  h = await startHarness();
  const net = await seedNetwork(h, { cidr: '198.18.0.0/16', vswCidr: '198.18.1.0/24' });
  instanceId = (
    await h.call('RunInstances', {
      InstanceType: 'ecs.g7.large',
      VSwitchId: net.vSwitchId,
      SecurityGroupId: net.securityGroupId,
      Ipv6AddressCount: 1,
    })
  ).body.InstanceIdSets.InstanceIdSet[0];
  const eni = (
    await h.call('CreateNetworkInterface', {
      VSwitchId: net.vSwitchId,
      SecurityGroupId: net.securityGroupId,
      SecondaryPrivateIpAddressCount: 2,
    })
  ).body.NetworkInterfaceId;
  await h.call('AttachNetworkInterface', { NetworkInterfaceId: eni, InstanceId: instanceId });
  md = createMetadataServer(h.deps, { trustInstanceHeader: true, tokens: 'required' });
  mdPort = (await md.listen('127.0.0.1', 0)).port;
  // a "real cloud" IMDS: the same tree, no eniplane extensions
  plain = Fastify();
  plain.all('/*', async (req, reply) => {
    if (req.url.startsWith('/eniplane/')) return reply.code(404).send('Not Found');
    const r = await md.server.inject({ method: req.method as 'GET', url: req.url, headers: req.headers as Record<string, string> });
    return reply
      .code(r.statusCode)
      .headers({ 'content-type': String(r.headers['content-type'] ?? 'text/plain') })
      .send(r.body);
  });
  await plain.listen({ host: '127.0.0.1', port: 0 });
  plainPort = (plain.server.address() as { port: number }).port;
});

after(async () => {
  await plain?.close();
  await md?.close();
  await h?.close();
});

test('the snapshot, in hardened mode (a token is fetched, and fetched again when it stops working)', async () => {
  const c = new MetadataClient({ url: `http://127.0.0.1:${mdPort}`, instanceId });
  const d = await c.desired();
  assert.equal(d.kind, 'complete');
  assert.equal(d.kind === 'complete' && d.interfaces.length, 2);
  // the token vanishes from the store (expiry, another database): 401 → a new token → fine
  await h.deps.store.transaction((tx) => tx.kv.purge(Date.now() + 10 * 365 * 24 * 3600 * 1000));
  assert.equal((await c.desired()).kind, 'complete');
});

test('a plain IMDS (no snapshot endpoint): the same desired state from the per-MAC paths', async () => {
  const viaSnapshot = await new MetadataClient({ url: `http://127.0.0.1:${mdPort}`, instanceId }).desired();
  const c = new MetadataClient({ url: `http://127.0.0.1:${plainPort}`, instanceId });
  const viaPaths = await c.desired();
  assert.equal(c.snapshotSupported, false);
  assert.equal(viaPaths.kind, 'complete');
  assert.ok(viaSnapshot.kind === 'complete' && viaPaths.kind === 'complete');
  assert.deepEqual(viaPaths.interfaces, viaSnapshot.interfaces);
});

test('long-poll: a wait returns as soon as the version changes', async () => {
  const c = new MetadataClient({ url: `http://127.0.0.1:${mdPort}`, instanceId });
  const first = await c.desired();
  assert.equal(first.kind, 'complete');
  const waiting = c.desired({ wait: first.kind === 'complete' ? first.version : '', waitMs: 10_000 });
  await new Promise((r) => setTimeout(r, 200));
  const eni = (await h.call('DescribeNetworkInterfaces', { InstanceId: instanceId })).body.NetworkInterfaceSets.NetworkInterfaceSet[0]
    .NetworkInterfaceId;
  await h.call('AssignPrivateIpAddresses', { NetworkInterfaceId: eni, SecondaryPrivateIpAddressCount: 1 });
  const t0 = Date.now();
  const next = await waiting;
  assert.ok(Date.now() - t0 < 1000);
  assert.equal(next.kind, 'complete');
  assert.notEqual(next.kind === 'complete' && next.version, first.kind === 'complete' && first.version);
});

test('no service, a refusal, an unknown instance: unavailable, never an empty complete', async () => {
  assert.equal((await new MetadataClient({ url: 'http://127.0.0.1:9', instanceId }).desired()).kind, 'unavailable');
  assert.equal((await new MetadataClient({ url: `http://127.0.0.1:${mdPort}`, instanceId: 'i-nope' }).desired()).kind, 'unavailable');
  assert.equal(
    (await new MetadataClient({ url: `http://127.0.0.1:${mdPort}`, instanceId, tokens: 'off' }).desired()).kind,
    'unavailable',
    'hardened-only refuses token-less',
  );
  assert.equal((await new MetadataClient({ socketPath: '/nonexistent/metadata.sock', instanceId }).desired()).kind, 'unavailable');
});
