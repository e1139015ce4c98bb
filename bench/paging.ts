// bench/paging: what a page of DescribeNetworkInterfaces costs with 10,000 ENIs,
// the way the console asks (session RPC, MaxResults=100 / NextToken, filters, tag filters),
// as ratios against the first page measured in the same run: deep pages, the
// last page and the server-side filters must cost about the same.
// In-process (app.inject), bounded in count; nothing leaves the process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createApp } from '../src/api/app.ts';
import { seedManyEnis } from '../test/support/many-enis.ts';

const ENIS = 10_000;
const REPEATS = 20;

export async function benchPaging(): Promise<void> {
  console.log('## bench/paging');
  const dir = mkdtempSync(join(tmpdir(), 'eniplane-bench-paging-'));
  // Every ENI carries terway's creator tag and one of 100 shard tags (1 % of the ENIs each).
  const { store, deps, root } = await seedManyEnis(join(dir, 'eniplane.db'), ENIS, {
    tags: (i) => [
      { key: 'creator', value: 'terway' },
      { key: 'shard', value: String(i % 100) },
    ],
  });
  const app = createApp(deps, { logger: pino({ level: 'silent' }), loose: false, checkNonce: true, console: { assetsDir: dir } });
  try {
    await app.server.ready();
    const s = await app.server.inject({
      method: 'POST',
      url: '/console/api/session',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ accessKeyId: root.accessKeyId, accessKeySecret: root.accessKeySecret }),
    });
    const cookie = String(s.headers['set-cookie']).split(';')[0];
    const csrf = JSON.parse(s.body).csrfToken as string;
    const page = async (params: Record<string, string>) => {
      const payload = new URLSearchParams({
        Action: 'DescribeNetworkInterfaces',
        Version: '2014-05-26',
        RegionId: 'cn-hangzhou',
        ...params,
      }).toString();
      const r = await app.server.inject({
        method: 'POST',
        url: '/',
        headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/x-www-form-urlencoded' },
        payload,
      });
      if (r.statusCode !== 200) throw new Error(r.body);
    };
    const token = (i: number) => Buffer.from(`eni-bp${String(i).padStart(18, '0')}`).toString('base64url');
    const cases: [string, Record<string, string>][] = [
      ['first page of 100', { MaxResults: '100' }],
      ['page 51 of 100 (after 5,000)', { MaxResults: '100', NextToken: token(4999) }],
      ['last page of 20', { MaxResults: '20', NextToken: token(ENIS - 21) }],
      ['Status=InUse, 20', { MaxResults: '20', Status: 'InUse' }],
      ['PrivateIpAddress.1, 20', { MaxResults: '20', 'PrivateIpAddress.1': '10.0.39.25' }],
      // Tag filters (terway's GC listing): one tag every ENI has, a 1 % tag, both, and a deep page of the 1 %.
      ['Tag creator (100 %), 100', { MaxResults: '100', 'Tag.1.Key': 'creator', 'Tag.1.Value': 'terway' }],
      ['Tag shard=7 (1 %), 100', { MaxResults: '100', 'Tag.1.Key': 'shard', 'Tag.1.Value': '7' }],
      [
        'Tag creator + shard=7, 100',
        { MaxResults: '100', 'Tag.1.Key': 'creator', 'Tag.1.Value': 'terway', 'Tag.2.Key': 'shard', 'Tag.2.Value': '7' },
      ],
    ];
    // Median of REPEATS, the cases interleaved so drift hits them alike.
    const times = new Map<string, number[]>(cases.map(([name]) => [name, []]));
    for (const [, params] of cases) await page(params); // warm-up
    for (let r = 0; r < REPEATS; r++) {
      for (const [name, params] of cases) {
        const t = performance.now();
        await page(params);
        times.get(name)!.push(performance.now() - t);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const first = median(times.get(cases[0][0])!);
    for (const [name] of cases) {
      const m = median(times.get(name)!);
      console.log(`${name.padEnd(30)} ${m.toFixed(2).padStart(7)} ms  ratio ${(m / first).toFixed(2)}x`);
    }
  } finally {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchPaging();
