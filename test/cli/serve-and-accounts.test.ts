// `eniplane serve` settings and `eniplane accounts`: every problem reported at
// once with exit 1, flags over ENIPLANE_* over defaults, the root key from the
// environment, credentials.json 0600, SIGTERM exits cleanly, accounts isolate.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { resolveServeConfig, ConfigError } from '../../src/cli/config.ts';
import { startServerProcess } from '../support/server-process.ts';
import { sdkClient } from '../support/sdk-clients.ts';

const run = promisify(execFile);
const BIN = new URL('../../bin/eniplane.mjs', import.meta.url).pathname;

it('settings: flags win over the environment, which wins over defaults; all problems at once', () => {
  const c = resolveServeConfig({ port: '9001' }, { ENIPLANE_PORT: '9000', ENIPLANE_HOST: '0.0.0.0', ENIPLANE_TRANSITION_MS: '0' });
  assert.equal(c.port, 9001);
  assert.equal(c.host, '0.0.0.0');
  assert.equal(c.transitionMs, 0);
  assert.equal(c.data, './data');
  assert.throws(
    () => resolveServeConfig({ port: '70000', transitionMs: '-5' }, {}),
    (e: unknown) =>
      e instanceof ConfigError && /--port \/ ENIPLANE_PORT/.test(e.message) && /--transition-ms \/ ENIPLANE_TRANSITION_MS/.test(e.message),
  );
});

it('a bad flag exits 1 before binding a port', async () => {
  await assert.rejects(run(process.execPath, [BIN, 'serve', '--port', 'nope']), (e: any) => e.code === 1 && /port/.test(e.stderr));
});

it('root key from the environment, credentials.json 0600, SIGTERM exits 0, accounts isolate tenants', async () => {
  const data = mkdtempSync(join(tmpdir(), 'eniplane-cli-'));
  try {
    const env = { ENIPLANE_ROOT_ACCESS_KEY_ID: 'LTAIrootkeyfortests01', ENIPLANE_ROOT_ACCESS_KEY_SECRET: 'rootsecretfortests0123456789ab' };
    const server = await startServerProcess({ dataDir: data, env, args: ['--transition-ms', '0'] });
    assert.equal(server.key.id, env.ENIPLANE_ROOT_ACCESS_KEY_ID);
    assert.equal(statSync(join(data, 'credentials.json')).mode & 0o777, 0o600);
    assert.ok(!server.output().includes(env.ENIPLANE_ROOT_ACCESS_KEY_SECRET) || server.output().includes('printed once'));
    const created = JSON.parse((await run(process.execPath, [BIN, 'accounts', 'create', 'tenant-b', '--data', data, '--json'])).stdout);
    assert.match(created.accessKeyId, /^LTAI/);
    const root = sdkClient('popcore-get', server.endpoint, server.key);
    const b = sdkClient('popcore-get', server.endpoint, { id: created.accessKeyId, secret: created.accessKeySecret });
    const vpc = await root.call('CreateVpc', { CidrBlock: '10.0.0.0/16' });
    assert.equal((await b.fail('DeleteVpc', { VpcId: vpc.VpcId })).code, 'InvalidVpcId.NotFound');
    const list = JSON.parse((await run(process.execPath, [BIN, 'accounts', 'list', '--data', data, '--json'])).stdout);
    assert.deepEqual(list.map((a: any) => a.name).sort(), ['root', 'tenant-b']);
    await run(process.execPath, [BIN, 'accounts', 'disable-key', created.accessKeyId, '--data', data]);
    await new Promise((r) => setTimeout(r, 2100)); // the server caches keys for 2 s
    assert.equal((await b.fail('DescribeVpcs', {})).code, 'InvalidAccessKeyId.Inactive');
    assert.equal(await server.stop('SIGTERM'), 0);
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
});
