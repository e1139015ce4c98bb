// SIGTERM under load, on a real `eniplane serve` process: it stops accepting,
// answers what it had, and exits 0. No request sent before the signal is reset
// or refused with a 5xx, and every write it acknowledged is in the database.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { startServerProcess } from '../support/server-process.ts';
import { pct, rpcSignature, rpcStringToSign } from '../../src/api/signing/index.ts';

const WORKERS = 8;
/** Bounds: per worker, and for the whole run. */
const MAX_REQUESTS_PER_WORKER = 400;
const MAX_RUN_MS = 20_000;

function signedPath(key: { id: string; secret: string }, params: [string, string][]): string {
  const all: [string, string][] = [
    ['Format', 'JSON'],
    ['AccessKeyId', key.id],
    ['SignatureMethod', 'HMAC-SHA1'],
    ['SignatureVersion', '1.0'],
    ['SignatureNonce', randomUUID()],
    ['Timestamp', new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')],
    ['RegionId', 'cn-hangzhou'],
    ...params,
  ];
  const sig = rpcSignature(rpcStringToSign('GET', all), key.secret);
  return '/?' + [...all, ['Signature', sig]].map(([k, v]) => `${pct(k)}=${pct(v)}`).join('&');
}

interface Outcome {
  sentBeforeSignal: boolean;
  status?: number;
  body?: string;
  error?: string;
  write: boolean;
}

function send(agent: http.Agent, port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

it('SIGTERM under load: in-flight and already-sent requests are answered, acknowledged writes kept, exit 0', async () => {
  const server = await startServerProcess({ keepData: true });
  const dataDir = server.dataDir;
  try {
    const agent = new http.Agent({ keepAlive: true, maxSockets: WORKERS });
    const vpc = await send(
      agent,
      server.port,
      signedPath(server.key, [
        ['Action', 'CreateVpc'],
        ['Version', '2016-04-28'],
        ['CidrBlock', '10.0.0.0/16'],
      ]),
    );
    assert.equal(vpc.status, 200, vpc.body);
    const vpcId = JSON.parse(vpc.body).VpcId as string;

    let signalAt = Infinity;
    const outcomes: Outcome[] = [];
    const t0 = Date.now();
    const worker = async (n: number) => {
      for (let i = 0; i < MAX_REQUESTS_PER_WORKER && Date.now() - t0 < MAX_RUN_MS; i++) {
        const write = (i + n) % 2 === 0;
        const params: [string, string][] = write
          ? [
              ['Action', 'CreateSecurityGroup'],
              ['Version', '2014-05-26'],
              ['VpcId', vpcId],
            ]
          : [
              ['Action', 'DescribeSecurityGroups'],
              ['Version', '2014-05-26'],
              ['PageSize', '10'],
            ];
        const sentBeforeSignal = Date.now() < signalAt;
        try {
          const r = await send(agent, server.port, signedPath(server.key, params));
          outcomes.push({ sentBeforeSignal, status: r.status, body: r.body, write });
        } catch (e) {
          outcomes.push({ sentBeforeSignal, error: (e as NodeJS.ErrnoException).code ?? String(e), write });
          return; // the server is gone for this worker
        }
      }
    };
    const running = Promise.all(Array.from({ length: WORKERS }, (_, n) => worker(n)));
    // Let the load build up, then signal while requests are in flight.
    while (outcomes.length < 200 && Date.now() - t0 < MAX_RUN_MS) await new Promise((r) => setTimeout(r, 5));
    signalAt = Date.now();
    const exited = server.stop('SIGTERM');
    await running;
    assert.equal(await exited, 0, server.output());
    agent.destroy();

    const before = outcomes.filter((o) => o.sentBeforeSignal);
    assert.ok(before.length >= 200, `load before the signal: ${before.length}`);
    const bad = before.filter((o) => o.status !== 200);
    assert.deepEqual(bad, [], 'every request sent before the signal was answered 200');
    // After the signal: answered (200) or refused at connect time; never reset mid-request, never a 5xx.
    for (const o of outcomes.filter((x) => !x.sentBeforeSignal)) {
      assert.ok(o.status === 200 || o.error === 'ECONNREFUSED', JSON.stringify(o));
    }
    const acknowledged = outcomes.filter((o) => o.write && o.status === 200).length;
    const db = new Database(join(dataDir, 'eniplane.db'), { readonly: true });
    try {
      const { n } = db.prepare('SELECT COUNT(*) AS n FROM security_groups').get() as { n: number };
      assert.equal(n, acknowledged, 'every acknowledged CreateSecurityGroup is in the database, and nothing else');
    } finally {
      db.close();
    }
  } finally {
    await server.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});
