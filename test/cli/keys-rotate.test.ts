// `eniplane keys rotate` on a data dir: a fresh key goes first in secret.key,
// every AccessKey secret is re-sealed under it, and a server started after
// still accepts the keys' signatures.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { BIN_NODE_FLAGS, startServerProcess } from '../support/server-process.ts';
import { sdkClient } from '../support/sdk-clients.ts';

const BIN = new URL('../../bin/eniplane.mjs', import.meta.url).pathname;
const run = (...args: string[]) =>
  execFileSync(process.execPath, [...BIN_NODE_FLAGS, BIN, ...args], { encoding: 'utf8', env: { ...process.env, ENIPLANE_SECRET_KEY: '' } });

it('keys rotate re-seals every secret under a new key; the keys still sign; eniplane audit shows the trail', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'eniplane-rotate-'));
  try {
    const acct = JSON.parse(run('accounts', 'create', 'tenant-a', '--data', dir, '--json'));
    const keyFile = join(dir, 'secret.key');
    assert.equal(readFileSync(keyFile, 'utf8').trim().split('\n').length, 1);
    const rotated = JSON.parse(run('keys', 'rotate', '--data', dir, '--json'));
    assert.equal(readFileSync(keyFile, 'utf8').trim().split('\n').length, 2, 'the new key first, the old one kept');
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    assert.equal(rotated.accessKeys, 1);
    const db = new Database(join(dir, 'eniplane.db'), { readonly: true });
    const rows = db.prepare('SELECT secret, secret_key_id FROM access_keys').all() as { secret: string; secret_key_id: string }[];
    db.close();
    assert.ok(rows.length === 1 && rows.every((r) => r.secret_key_id === rotated.keyId && r.secret !== acct.accessKeySecret));
    let vpcId = '';
    const server = await startServerProcess({ dataDir: dir, env: { ENIPLANE_SECRET_KEY: '' } });
    try {
      const client = sdkClient('popcore-post', server.endpoint, { id: acct.accessKeyId, secret: acct.accessKeySecret });
      const r = await client.call('DescribeRegions', {});
      assert.ok(JSON.stringify(r).includes('cn-hangzhou'));
      vpcId = (await client.call('CreateVpc', { CidrBlock: '10.3.0.0/16' })).VpcId as string;
    } finally {
      await server.stop();
    }
    // The trail was flushed on SIGTERM: eniplane audit shows the create, not the read.
    const trail = JSON.parse(run('audit', '--data', dir, '--json', '--account', acct.accountId));
    assert.deepEqual(
      trail.map((e: { action: string }) => e.action),
      ['CreateVpc'],
    );
    assert.equal(trail[0].result, 'Success');
    assert.ok(trail[0].resources.includes(vpcId));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
