// CommitWatch wakes on a commit made through another connection to the same
// SQLite file (what another process does), not on a timer; a store without
// a commit counter (PostgreSQL) only ever waits out its timeout.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CommitWatch } from '../../src/service/commit-watch.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'eniplane-commit-watch-'));
const writer = new SqliteStore(join(dir, 'x.db'));
const follower = new SqliteStore(join(dir, 'x.db'));
after(async () => {
  await writer.close();
  await follower.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a commit through another connection wakes a waiter; nothing else does', async () => {
  const watch = new CommitWatch(follower);
  assert.equal(watch.supported, true);
  const seen = watch.counter();
  assert.equal(await watch.changed(seen, 50), false, 'no commit: the wait runs out');
  const woken = watch.changed(seen, 60_000);
  await writer.transaction(async (tx) => tx.kv.put('k', 'v', Date.now() + 60_000));
  assert.equal(await woken, true);
  assert.notEqual(watch.counter(), seen);
  // a counter read after the commit does not see it again
  assert.equal(await watch.changed(watch.counter(), 50), false);
});

test('a commit that happened before the wait began resolves it at once', async () => {
  const watch = new CommitWatch(follower);
  const seen = watch.counter();
  await writer.transaction(async (tx) => tx.kv.put('k2', 'v', Date.now() + 60_000));
  assert.equal(await watch.changed(seen, 60_000), true);
});

test('an aborted wait resolves false; a store without a counter waits out its timeout', async () => {
  const watch = new CommitWatch(follower);
  const ac = new AbortController();
  const waiting = watch.changed(watch.counter(), 60_000, ac.signal);
  ac.abort();
  assert.equal(await waiting, false);
  const none = new CommitWatch({});
  assert.equal(none.supported, false);
  assert.equal(none.counter(), undefined);
  assert.equal(await none.changed(undefined, 20), false);
});
