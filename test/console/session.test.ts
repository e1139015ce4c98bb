// The console's server side, in process (app.inject): the "/" redirect that
// leaves the RPC API alone, static serving, sign-in, the session cookie, CSRF,
// sign-out, expiry, the session's caller on the RPC endpoint (same actions,
// same refusals), account isolation, and the JSON endpoints.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { createApp, type App } from '../../src/api/app.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { createDeps } from '../../src/service/create-deps.ts';
import { createAccount, ensureRootAccount, setAccessKeyStatus } from '../../src/service/accounts.ts';
import type { ServiceDeps } from '../../src/service/deps.ts';
import { pct, rpcSignature, rpcStringToSign } from '../../src/api/signing/index.ts';
import { SESSION_TTL_MS } from '../../src/api/console/sessions.ts';

interface Res {
  status: number;
  headers: Record<string, unknown>;
  body: any;
  raw: string;
}

const dir = mkdtempSync(join(tmpdir(), 'eniplane-console-session-'));
const assets = join(dir, 'assets-root');
let store: SqliteStore;
let deps: ServiceDeps;
let app: App;
let root: { id: string; secret: string };
let second: { id: string; secret: string };
let nowOffsetMs = 0;

async function req(
  method: string,
  url: string,
  opts: { cookie?: string; csrf?: string; body?: string; type?: string; headers?: Record<string, string>; target?: App } = {},
): Promise<Res> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.csrf !== undefined) headers['x-csrf-token'] = opts.csrf;
  if (opts.type) headers['content-type'] = opts.type;
  const r = await (opts.target ?? app).server.inject({ method: method as 'GET', url, headers, payload: opts.body });
  let body: any;
  try {
    body = JSON.parse(r.body);
  } catch {
    body = undefined;
  }
  return { status: r.statusCode, headers: r.headers, body, raw: r.body };
}

async function signIn(key: { id: string; secret: string }, target?: App): Promise<{ cookie: string; csrf: string; setCookie: string }> {
  const r = await req('POST', '/console/api/session', {
    type: 'application/json',
    body: JSON.stringify({ accessKeyId: key.id, accessKeySecret: key.secret }),
    target,
  });
  assert.equal(r.status, 201, r.raw);
  const setCookie = String(r.headers['set-cookie']);
  return { cookie: setCookie.split(';')[0], csrf: r.body.csrfToken, setCookie };
}

/** An RPC call the way the console makes it: POST / with a form body, the cookie and the CSRF header. */
function rpc(
  s: { cookie: string; csrf?: string },
  action: string,
  params: Record<string, string> = {},
  extra: { headers?: Record<string, string> } = {},
) {
  const version = /Vpc|VSwitch/.test(action) ? '2016-04-28' : '2014-05-26';
  const body = new URLSearchParams({ Action: action, Version: version, RegionId: 'cn-hangzhou', ...params }).toString();
  return req('POST', '/', { cookie: s.cookie, csrf: s.csrf, body, type: 'application/x-www-form-urlencoded', headers: extra.headers });
}

function signedUrl(action: string, key: { id: string; secret: string }, params: Record<string, string> = {}): string {
  const pairs: [string, string][] = [
    ['Action', action],
    ['Version', '2014-05-26'],
    ['Format', 'JSON'],
    ['AccessKeyId', key.id],
    ['SignatureMethod', 'HMAC-SHA1'],
    ['SignatureVersion', '1.0'],
    ['SignatureNonce', randomUUID()],
    ['Timestamp', new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')],
    ['RegionId', 'cn-hangzhou'],
    ...Object.entries(params),
  ];
  const sig = rpcSignature(rpcStringToSign('GET', pairs), key.secret);
  return '/?' + [...pairs, ['Signature', sig]].map(([k, v]) => `${pct(k)}=${pct(v)}`).join('&');
}

before(async () => {
  mkdirSync(join(assets, 'assets'), { recursive: true });
  writeFileSync(
    join(assets, 'index.html'),
    '<!doctype html><div id="root"></div><script type="module" src="/console/assets/app.js"></script>',
  );
  writeFileSync(join(assets, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'not for you');
  store = new SqliteStore(join(dir, 'eniplane.db'));
  deps = createDeps(store, { limits: { transitionMs: 0 }, clock: { nowMs: () => Date.now() + nowOffsetMs } });
  const r = await ensureRootAccount(deps);
  root = { id: r.accessKeyId, secret: r.accessKeySecret };
  const s = await createAccount(deps, 'second');
  second = { id: s.key.id, secret: s.key.secret };
  app = createApp(deps, { logger: pino({ level: 'silent' }), loose: false, checkNonce: true, console: { assetsDir: assets } });
  await app.server.ready();
});

after(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('"/" and the static app', () => {
  it('a bare GET / redirects to the console; with a query or Authorization it is the RPC API', async () => {
    const bare = await req('GET', '/');
    assert.equal(bare.status, 302);
    assert.equal(bare.headers.location, '/console/');
    const api = await req('GET', '/?Action=DescribeRegions&Version=2014-05-26');
    assert.equal(api.status, 400);
    assert.equal(api.body.Code, 'MissingParameter');
    const authed = await req('GET', '/', { headers: { authorization: 'ACS3-HMAC-SHA256 Credential=x' } });
    assert.notEqual(authed.status, 302);
    const signed = await req('GET', signedUrl('DescribeRegions', root));
    assert.equal(signed.status, 200);
    assert.ok(signed.body.Regions.Region.length > 0);
    const post = await req('POST', '/', { body: '', type: 'application/x-www-form-urlencoded' });
    assert.equal(post.body.Code, 'MissingParameter');
  });

  it('serves the app with security headers, its client-side routes, and nothing outside the build', async () => {
    assert.equal((await req('GET', '/console')).headers.location, '/console/');
    const index = await req('GET', '/console/');
    assert.equal(index.status, 200);
    assert.match(index.raw, /<div id="root">/);
    assert.match(String(index.headers['content-security-policy']), /script-src 'self'/);
    assert.equal(index.headers['x-frame-options'], 'DENY');
    assert.equal((await req('GET', '/console/enis/eni-bp1x?tab=os')).raw, index.raw);
    const js = await req('GET', '/console/assets/app.js');
    assert.match(String(js.headers['content-type']), /javascript/);
    assert.match(String(js.headers['cache-control']), /immutable/);
    assert.equal((await req('GET', '/console/assets/gone.js')).status, 404);
    for (const evil of ['/console/..%2fsecret.txt', '/console/%2e%2e/secret.txt', '/console/assets/..%2f..%2fsecret.txt']) {
      const r = await req('GET', evil);
      assert.ok(!r.raw.includes('not for you'), evil);
    }
    const api = await req('GET', '/console/api/nothing-here');
    assert.equal(api.status, 404);
    assert.equal(api.body.Code, 'InvalidAction.NotFound');
  });
});

describe('security headers', () => {
  it('every HTML page of the console has the CSP and no framing; every JSON answer has nosniff', async () => {
    for (const url of ['/console/', '/console/index.html', '/console/enis/eni-x']) {
      const r = await req('GET', url);
      assert.equal(r.status, 200, url);
      assert.match(String(r.headers['content-security-policy']), /frame-ancestors 'none'/, url);
      assert.match(String(r.headers['content-security-policy']), /script-src 'self'/, url);
      assert.equal(r.headers['x-frame-options'], 'DENY', url);
      assert.equal(r.headers['x-content-type-options'], 'nosniff', url);
    }
    const s = await signIn(root);
    const json = [
      await req('GET', '/console/api/session', { cookie: s.cookie }),
      await req('GET', '/console/api/regions', { cookie: s.cookie }),
      await req('GET', '/console/api/session'),
      await req('POST', '/console/api/session', { type: 'application/json', body: '{}' }),
      await rpc(s, 'DescribeRegions'),
      await rpc({ cookie: s.cookie }, 'DescribeRegions'),
      await req('GET', signedUrl('DescribeRegions', root)),
    ];
    for (const r of json) {
      assert.match(String(r.headers['content-type']), /^application\/json/, r.raw);
      assert.equal(r.headers['x-content-type-options'], 'nosniff', r.raw);
    }
  });
});

describe('signing in and out', () => {
  it('refuses a wrong secret, an unknown key and a body that is not JSON', async () => {
    const wrong = await req('POST', '/console/api/session', {
      type: 'application/json',
      body: JSON.stringify({ accessKeyId: root.id, accessKeySecret: 'nope' }),
    });
    assert.equal(wrong.body.Code, 'SignatureDoesNotMatch');
    assert.equal(wrong.headers['set-cookie'], undefined);
    const unknown = await req('POST', '/console/api/session', {
      type: 'application/json',
      body: JSON.stringify({ accessKeyId: 'LTAInobody', accessKeySecret: 'x' }),
    });
    assert.equal(unknown.body.Code, 'InvalidAccessKeyId.NotFound');
    const form = await req('POST', '/console/api/session', {
      type: 'application/x-www-form-urlencoded',
      body: `accessKeyId=${root.id}&accessKeySecret=${root.secret}`,
    });
    assert.equal(form.status, 415, 'a cross-site form cannot sign anyone in');
    const missing = await req('POST', '/console/api/session', { type: 'application/json', body: JSON.stringify({ accessKeyId: root.id }) });
    assert.equal(missing.body.Code, 'MissingParameter');
    const cross = await req('POST', '/console/api/session', {
      type: 'application/json',
      body: JSON.stringify({ accessKeyId: root.id, accessKeySecret: root.secret }),
      headers: { origin: 'https://evil.example' },
    });
    assert.equal(cross.body.Code, 'ConsoleSession.CrossOrigin');
  });

  it("an unknown AccessKey gets the signed endpoint's answer: same HTTP status, Code and Message", async () => {
    const nobody = { id: 'LTAInobody', secret: 'x' };
    const signed = await req('GET', signedUrl('DescribeRegions', nobody));
    const console = await req('POST', '/console/api/session', {
      type: 'application/json',
      body: JSON.stringify({ accessKeyId: nobody.id, accessKeySecret: nobody.secret }),
    });
    assert.equal(signed.status, 400, signed.raw);
    assert.equal(signed.body.Code, 'InvalidAccessKeyId.NotFound');
    assert.deepEqual(
      { status: console.status, Code: console.body.Code, Message: console.body.Message },
      { status: signed.status, Code: signed.body.Code, Message: signed.body.Message },
    );
  });

  it('sets an HttpOnly, SameSite=Strict cookie holding 32 random bytes; the store keeps only its hash', async () => {
    const s = await signIn(root);
    assert.match(s.setCookie, /HttpOnly/);
    assert.match(s.setCookie, /SameSite=Strict/);
    assert.match(s.setCookie, /Path=\//);
    assert.match(s.setCookie, new RegExp(`Max-Age=${SESSION_TTL_MS / 1000}`));
    assert.doesNotMatch(s.setCookie, /Secure/, 'plain http: a Secure cookie would be dropped');
    const id = s.cookie.split('=')[1];
    assert.equal(Buffer.from(id, 'base64url').length, 32);
    assert.equal(await store.transaction((tx) => tx.kv.get(`console-session:${id}`, Date.now()), { readOnly: true }), undefined);
    const me = await req('GET', '/console/api/session', { cookie: s.cookie });
    assert.equal(me.body.accessKeyId, root.id);
    assert.equal(me.body.accountName, 'root');
    assert.equal(me.body.limits.availableEniMaxIpv4, 10);
    const https = await req('POST', '/console/api/session', {
      type: 'application/json',
      body: JSON.stringify({ accessKeyId: root.id, accessKeySecret: root.secret }),
      headers: { 'x-forwarded-proto': 'https' },
    });
    assert.match(String(https.headers['set-cookie']), /Secure/);
  });

  it('sign-out needs the CSRF token, ends the session and clears the cookie', async () => {
    const s = await signIn(root);
    assert.equal((await req('DELETE', '/console/api/session', { cookie: s.cookie })).body.Code, 'ConsoleSession.CsrfTokenInvalid');
    const out = await req('DELETE', '/console/api/session', { cookie: s.cookie, csrf: s.csrf });
    assert.equal(out.status, 200);
    assert.match(String(out.headers['set-cookie']), /Max-Age=0/);
    assert.equal((await req('GET', '/console/api/session', { cookie: s.cookie })).body.Code, 'ConsoleSession.Expired');
    const r = await rpc(s, 'DescribeRegions');
    assert.equal(r.status, 401);
    assert.equal(r.body.Code, 'ConsoleSession.Expired');
  });

  it('a session expires, and disabling the AccessKey ends its sessions at once', async () => {
    const s = await signIn(root);
    nowOffsetMs = SESSION_TTL_MS + 1000;
    try {
      assert.equal((await req('GET', '/console/api/session', { cookie: s.cookie })).status, 401);
    } finally {
      nowOffsetMs = 0;
    }
    const extra = await createAccount(deps, 'short-lived');
    const t = await signIn({ id: extra.key.id, secret: extra.key.secret });
    assert.equal((await rpc(t, 'DescribeRegions')).status, 200);
    await setAccessKeyStatus(deps, extra.key.id, 'Inactive');
    assert.equal((await rpc(t, 'DescribeRegions')).body.Code, 'ConsoleSession.Expired');
  });

  it('a session made by one server process works on another sharing the store', async () => {
    const other = createApp(deps, { logger: pino({ level: 'silent' }), loose: false, checkNonce: true, console: { assetsDir: assets } });
    await other.server.ready();
    try {
      const s = await signIn(root, other);
      assert.equal((await req('GET', '/console/api/session', { cookie: s.cookie })).body.accessKeyId, root.id);
    } finally {
      await other.close();
    }
  });
});

describe('the RPC endpoint with a session', () => {
  let s: { cookie: string; csrf: string };
  let eniId = '';
  before(async () => {
    s = await signIn(root);
  });

  it('needs the CSRF header on every call (GET too) and a same-origin Origin', async () => {
    assert.equal((await rpc({ cookie: s.cookie }, 'DescribeRegions')).body.Code, 'ConsoleSession.CsrfTokenInvalid');
    assert.equal((await rpc({ cookie: s.cookie, csrf: 'forged' }, 'DescribeRegions')).status, 403);
    const get = await req('GET', '/?Action=DescribeRegions&Version=2014-05-26', { cookie: s.cookie });
    assert.equal(get.body.Code, 'ConsoleSession.CsrfTokenInvalid');
    assert.equal((await req('GET', '/?Action=DescribeRegions&Version=2014-05-26', { cookie: s.cookie, csrf: s.csrf })).status, 200);
    assert.equal(
      (await rpc(s, 'DescribeRegions', {}, { headers: { origin: 'https://evil.example' } })).body.Code,
      'ConsoleSession.CrossOrigin',
    );
    assert.equal((await rpc(s, 'DescribeRegions', {}, { headers: { origin: 'http://localhost:80', host: 'localhost:80' } })).status, 200);
  });

  it('a signed request is judged by its signature, whatever cookie rides along', async () => {
    const r = await req('GET', signedUrl('DescribeRegions', root), { cookie: 'eniplane_session=stale' });
    assert.equal(r.status, 200);
  });

  it("runs the same actions with the same rules: the refusals are the API's, Code and Message", async () => {
    const vpc = await rpc(s, 'CreateVpc', { CidrBlock: '192.168.0.0/16', EnableIpv6: 'true' });
    assert.equal(vpc.status, 200, vpc.raw);
    const vsw = await rpc(s, 'CreateVSwitch', {
      VpcId: vpc.body.VpcId,
      ZoneId: 'cn-hangzhou-h',
      CidrBlock: '192.168.1.0/24',
      Ipv6CidrBlock: '0',
    });
    const sg = await rpc(s, 'CreateSecurityGroup', { VpcId: vpc.body.VpcId });
    const eni = await rpc(s, 'CreateNetworkInterface', { VSwitchId: vsw.body.VSwitchId, 'SecurityGroupIds.1': sg.body.SecurityGroupId });
    assert.equal(eni.status, 200, eni.raw);
    eniId = eni.body.NetworkInterfaceId;
    const reserved = await rpc(s, 'AssignPrivateIpAddresses', { NetworkInterfaceId: eniId, 'PrivateIpAddress.1': '192.168.1.253' });
    assert.equal(reserved.status, 403);
    assert.equal(reserved.body.Code, 'InvalidVSwitchId.IpInvalid');
    assert.equal(reserved.body.Message, 'The specified IpAddress is not valid in VSwitch CIDR block.');
    const tooMany = await rpc(s, 'AssignPrivateIpAddresses', { NetworkInterfaceId: eniId, SecondaryPrivateIpAddressCount: '10' });
    assert.equal(tooMany.body.Code, 'MaxEniPrivateIpsCountExceeded');
    // The same request signed gives the same answer.
    const signed = await req(
      'GET',
      signedUrl('AssignPrivateIpAddresses', root, { NetworkInterfaceId: eniId, SecondaryPrivateIpAddressCount: '10' }),
    );
    assert.equal(signed.body.Code, tooMany.body.Code);
    assert.equal(signed.body.Message, tooMany.body.Message);
    const both = await rpc(s, 'AssignPrivateIpAddresses', {
      NetworkInterfaceId: eniId,
      'PrivateIpAddress.1': '192.168.1.20',
      SecondaryPrivateIpAddressCount: '1',
    });
    assert.equal(both.body.Code, 'InvalidParameter.Conflict');
  });

  it("another account's session sees none of it", async () => {
    const t = await signIn(second);
    const enis = await rpc(t, 'DescribeNetworkInterfaces');
    assert.deepEqual(enis.body.NetworkInterfaceSets.NetworkInterfaceSet, []);
    assert.equal((await rpc(t, 'DescribeVpcs')).body.Vpcs.Vpc.length, 0);
    assert.equal((await rpc(t, 'DescribeNetworkInterfaceAttribute', { NetworkInterfaceId: eniId })).body.Code, 'InvalidEniId.NotFound');
    assert.equal((await rpc(t, 'DeleteNetworkInterface', { NetworkInterfaceId: eniId })).body.Code, 'InvalidEniId.NotFound');
    const os = await req('GET', `/console/api/eni/${eniId}/os-config?os=nmcli`, { cookie: t.cookie });
    assert.equal(os.body.Code, 'InvalidEniId.NotFound');
    const groups = await req('GET', '/console/api/resource-groups', { cookie: t.cookie });
    const mine = await req('GET', '/console/api/resource-groups', { cookie: s.cookie });
    assert.equal(groups.body.resourceGroups.length, 1);
    assert.notEqual(groups.body.resourceGroups[0].resourceGroupId, mine.body.resourceGroups[0].resourceGroupId);
  });

  it("the JSON endpoints: regions with zones, the OS list, and an ENI's OS configuration", async () => {
    assert.equal((await req('GET', '/console/api/regions')).body.Code, 'ConsoleSession.Expired');
    const regions = await req('GET', '/console/api/regions', { cookie: s.cookie });
    assert.equal(regions.body.defaultRegionId, 'cn-hangzhou');
    assert.ok(regions.body.regions.find((r: any) => r.regionId === 'cn-hangzhou').zones.length > 0);
    const os = await req('GET', '/console/api/os', { cookie: s.cookie });
    assert.ok(os.body.os.some((o: any) => o.id === 'ubuntu-22.04'));
    await rpc(s, 'AssignPrivateIpAddresses', { NetworkInterfaceId: eniId, 'PrivateIpAddress.1': '192.168.1.202' });
    const cfg = await req('GET', `/console/api/eni/${eniId}/os-config?os=ubuntu-22.04&regionId=cn-hangzhou`, { cookie: s.cookie });
    assert.equal(cfg.status, 200, cfg.raw);
    assert.equal(cfg.body.facts.ipv4.gateway, '192.168.1.253');
    assert.deepEqual(cfg.body.facts.ipv4.secondaries, ['192.168.1.202']);
    assert.equal(cfg.body.facts.interfaceName, 'eth1');
    assert.ok(cfg.body.assumptions.length > 0, 'an unbound ENI has no device index yet');
    assert.ok(cfg.body.rendering.files.some((f: any) => f.content.includes('192.168.1.202/24')));
    const bad = await req('GET', `/console/api/eni/${eniId}/os-config?os=plan9`, { cookie: s.cookie });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.Code, 'InvalidParameter');
    assert.equal((await req('GET', `/console/api/eni/${eniId}/os-config`, { cookie: s.cookie })).body.Code, 'MissingParameter');
  });
});
