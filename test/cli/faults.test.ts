// `eniplane serve --faults file` and `eniplane faults add|list|clear|settle`
// against a real server process: the rules from the file act at once, the
// banner says faults are active, every injected fault is logged with its
// RequestId and rule, and the CLI manages the rules at run time.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { sdkClient } from '../support/sdk-clients.ts';

const run = promisify(execFile);
const BIN = new URL('../../bin/eniplane.mjs', import.meta.url).pathname;
let srv: ServerProcess;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'eniplane-faults-'));
  const file = join(dir, 'faults.json');
  writeFileSync(
    file,
    JSON.stringify({
      seed: 3,
      rules: [{ id: 'regions-down', actions: ['DescribeRegions'], effect: { kind: 'error', code: 'ServiceUnavailable', status: 503 } }],
    }),
  );
  srv = await startServerProcess({ args: ['--faults', file] });
});
after(async () => {
  await srv?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const cli = async (...args: string[]) =>
  (await run(process.execPath, [BIN, 'faults', ...args, '--endpoint', srv.endpoint, '--data', srv.dataDir])).stdout;

it('rules from --faults act from the start, with a banner and a log line per fault', async () => {
  assert.match(srv.output(), /FAULTS ACTIVE: 1 rule/);
  const c = sdkClient('ecs-acs3', srv.endpoint, srv.key);
  const err = await c.fail('DescribeRegions', {});
  assert.equal(err.code, 'ServiceUnavailable');
  assert.equal(err.statusCode, 503);
  const requestId = /request id: ([0-9A-F-]{36})/i.exec(err.message)?.[1];
  assert.ok(requestId, err.message);
  for (let i = 0; i < 50 && !srv.output().includes(requestId); i++) await new Promise((r) => setTimeout(r, 20));
  const line = srv
    .output()
    .split('\n')
    .find((l) => l.includes(requestId) && l.includes('fault injected'));
  assert.ok(line, srv.output());
  assert.equal(JSON.parse(line).rule, 'regions-down');
});

it('faults list, add, clear', async () => {
  assert.match(await cli('list'), /regions-down/);
  const added = await cli(
    'add',
    JSON.stringify({ actions: ['DescribeZones'], effect: { kind: 'error', code: 'InternalError', status: 500 } }),
  );
  const id = /added (\S+)/.exec(added)?.[1];
  assert.ok(id);
  const c = sdkClient('ecs-v2', srv.endpoint, srv.key);
  assert.equal((await c.fail('DescribeZones', { RegionId: 'cn-hangzhou' })).code, 'InternalError');
  assert.match(await cli('clear', id), /removed 1/);
  await c.call('DescribeZones', { RegionId: 'cn-hangzhou' });
  assert.match(await cli('clear'), /removed 1/);
  assert.match(await cli('list'), /no fault rules/);
  await c.call('DescribeRegions', {});
  assert.match(await cli('settle'), /settled \d+/);
});

it("a bad rule is the user's error (exit 1)", async () => {
  await assert.rejects(cli('add', '{"effect":{"kind":"boom"}}'), (e: any) => e.code === 1 && /400/.test(e.stderr));
});
