// `import { startEniplane } from 'eniplane'` from a plain `node` process (no
// --import tsx, no TypeScript anywhere in the importer): the package entry
// (src/index.mjs) registers tsx's loader itself. The importer lives in a temp
// dir whose node_modules/eniplane is a symlink to this checkout, as an
// installed package would be.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PROJECT = new URL('../..', import.meta.url).pathname;
let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'eniplane-plain-node-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(PROJECT, join(dir, 'node_modules', 'eniplane'), 'dir');
  writeFileSync(
    join(dir, 'suite.mjs'),
    `import { startEniplane } from 'eniplane';
const cloud = await startEniplane();
const health = await fetch('http://' + cloud.endpoint + '/healthz');
const [rule] = await cloud.faults.add({ actions: ['DescribeRegions'], effect: { kind: 'error', code: 'Throttling', status: 400 } });
const listed = cloud.faults.list().map((r) => r.id);
await cloud.close();
console.log(JSON.stringify({ health: health.status, rule: rule.id, listed, key: cloud.accessKeyId.slice(0, 4) }));
`,
  );
});
after(() => rmSync(dir, { recursive: true, force: true }));

it('a plain node process imports the package by name and runs a server', async () => {
  // No loader flags, and none inherited: NODE_OPTIONS cleared.
  const { stdout } = await run(process.execPath, ['suite.mjs'], { cwd: dir, env: { ...process.env, NODE_OPTIONS: '' }, timeout: 60_000 });
  const out = JSON.parse(stdout.trim().split('\n').pop()!);
  assert.deepEqual(out, { health: 200, rule: 'fault-1', listed: ['fault-1'], key: 'LTAI' });
});
