// The agent's wait for an ENI's link, against a directory laid out like
// /sys/class/net: a link already there counts at once, one that appears
// later wakes the wait, an unreadable directory gives up at once.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { linkArrived, linkMacs } from '../../src/agent/link-watch.ts';

const dir = mkdtempSync(join(tmpdir(), 'eniplane-sysnet-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const addLink = (name: string, mac: string) => {
  mkdirSync(join(dir, name), { recursive: true });
  writeFileSync(join(dir, name, 'address'), `${mac}\n`);
};

test('links are read by MAC, lower case', async () => {
  addLink('lo', '00:00:00:00:00:00');
  addLink('eth0', '00:16:3E:00:00:01');
  assert.deepEqual([...(await linkMacs(dir))!].sort(), ['00:00:00:00:00:00', '00:16:3e:00:00:01']);
  assert.equal(await linkMacs(join(dir, 'missing')), undefined);
});

test('a link already there counts at once; one arriving later wakes the wait', async () => {
  assert.equal(await linkArrived(['00:16:3e:00:00:01'], 60_000, undefined, dir), true);
  const waiting = linkArrived(['00:16:3E:00:00:02'], 60_000, undefined, dir);
  setTimeout(() => addLink('eth1', '00:16:3e:00:00:02'), 50);
  assert.equal(await waiting, true);
});

test('no such link: false at the timeout or on abort; no directory: false at once', async () => {
  assert.equal(await linkArrived(['00:16:3e:00:00:09'], 60, undefined, dir), false);
  const ac = new AbortController();
  const waiting = linkArrived(['00:16:3e:00:00:09'], 60_000, ac.signal, dir);
  ac.abort();
  assert.equal(await waiting, false);
  assert.equal(await linkArrived(['00:16:3e:00:00:09'], 60_000, undefined, join(dir, 'missing')), false);
});
