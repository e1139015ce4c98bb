// An eniplane app in this process on a fresh SQLite file, with a signing
// client for app.inject(): wire tests without a socket.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { createApp, type App } from '../../src/api/app.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { createDeps } from '../../src/service/create-deps.ts';
import { createAccount, ensureRootAccount } from '../../src/service/accounts.ts';
import type { ServiceDeps } from '../../src/service/deps.ts';
import type { Limits } from '../../src/domain/limits.ts';
import type { Clock } from '../../src/domain/ports.ts';
import { pct, rpcSignature, rpcStringToSign } from '../../src/api/signing/index.ts';

export interface Harness {
  app: App;
  deps: ServiceDeps;
  key: { id: string; secret: string };
  /** signed RPC call; returns status and parsed JSON body */
  call(
    action: string,
    params?: Record<string, string | number | boolean | string[]>,
    opts?: { key?: { id: string; secret: string }; version?: string; method?: 'GET' | 'POST' },
  ): Promise<{ status: number; body: Record<string, any> }>;
  newAccount(name: string): Promise<{ id: string; secret: string }>;
  close(): Promise<void>;
}

const VPC_ACTIONS = new Set(['CreateVpc', 'DescribeVpcs', 'DeleteVpc', 'CreateVSwitch', 'DescribeVSwitches', 'DeleteVSwitch']);

export function flatten(params: Record<string, string | number | boolean | string[]>): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(params)) {
    if (Array.isArray(v)) v.forEach((x, i) => out.push([`${k}.${i + 1}`, x]));
    else out.push([k, String(v)]);
  }
  return out;
}

export async function startHarness(opts: { limits?: Partial<Limits>; clock?: Clock; loose?: boolean } = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'eniplane-test-'));
  const store = new SqliteStore(join(dir, 'eniplane.db'));
  const deps = createDeps(store, { limits: { transitionMs: 0, ...opts.limits }, clock: opts.clock });
  const root = await ensureRootAccount(deps);
  const app = createApp(deps, { logger: pino({ level: 'silent' }), loose: opts.loose ?? false, checkNonce: true });
  await app.server.ready();
  const key = { id: root.accessKeyId, secret: root.accessKeySecret };
  return {
    app,
    deps,
    key,
    async call(action, params = {}, o = {}) {
      const k = o.key ?? key;
      const method = o.method ?? 'POST';
      const all: [string, string][] = [
        ['Action', action],
        ['Version', o.version ?? (VPC_ACTIONS.has(action) ? '2016-04-28' : '2014-05-26')],
        ['Format', 'JSON'],
        ['AccessKeyId', k.id],
        ['SignatureMethod', 'HMAC-SHA1'],
        ['SignatureVersion', '1.0'],
        ['SignatureNonce', randomUUID()],
        ['Timestamp', new Date(deps.clock.nowMs()).toISOString().replace(/\.\d{3}Z$/, 'Z')],
        ['RegionId', 'cn-hangzhou'],
        ...flatten(params),
      ];
      // A later entry overrides RegionId etc. given by the test.
      const map = new Map(all);
      const pairs = [...map.entries()].filter(([, v]) => v !== '__omit__');
      const signature = rpcSignature(rpcStringToSign(method, pairs), k.secret);
      const qs = [...pairs, ['Signature', signature]].map(([a, b]) => `${pct(a)}=${pct(b)}`).join('&');
      const res = await app.server.inject({ method, url: `/?${qs}` });
      return { status: res.statusCode, body: JSON.parse(res.body) };
    },
    async newAccount(name) {
      const r = await createAccount(deps, name);
      return { id: r.key.id, secret: r.key.secret };
    },
    async close() {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A VPC (with IPv6), a /24 vSwitch (with IPv6) and a security group: the seed's setting. */
export async function seedNetwork(
  h: Harness,
  opts: { cidr?: string; vswCidr?: string; key?: { id: string; secret: string }; sgType?: string } = {},
) {
  const k = opts.key ? { key: opts.key } : {};
  const vpc = await h.call('CreateVpc', { CidrBlock: opts.cidr ?? '192.168.0.0/16', EnableIpv6: true }, k);
  const vsw = await h.call(
    'CreateVSwitch',
    { VpcId: vpc.body.VpcId, ZoneId: 'cn-hangzhou-h', CidrBlock: opts.vswCidr ?? '192.168.1.0/24', Ipv6CidrBlock: 1 },
    k,
  );
  const sg = await h.call('CreateSecurityGroup', { VpcId: vpc.body.VpcId, ...(opts.sgType ? { SecurityGroupType: opts.sgType } : {}) }, k);
  return { vpcId: vpc.body.VpcId as string, vSwitchId: vsw.body.VSwitchId as string, securityGroupId: sg.body.SecurityGroupId as string };
}
