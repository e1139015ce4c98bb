// Purging what expired (service/purge.ts): in transactions of bounded size
// (ClientTokens by count, nonces by slices of the key space), to the end,
// never a live row; and the bounds per run hold.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { createDeps } from '../../src/service/create-deps.ts';
import { purgeExpired } from '../../src/service/purge.ts';
import { CLIENT_TOKEN_TTL_MS } from '../../src/domain/limits.ts';
import type { Store } from '../../src/store/store.ts';

const NOW = 10_000_000_000;
let dir: string;
let store: SqliteStore;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'eniplane-purge-'));
  store = new SqliteStore(join(dir, 'eniplane.db'));
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The store, counting write transactions. */
function counting(s: Store): { store: Store; writes: () => number } {
  let n = 0;
  const wrapped = Object.create(s) as Store;
  wrapped.transaction = (fn, opts) => {
    if (!opts?.readOnly) n++;
    return s.transaction(fn, opts);
  };
  return { store: wrapped, writes: () => n };
}

async function seed(tag: string, expired: number, live: number): Promise<void> {
  await store.transaction(async (tx) => {
    for (let i = 0; i < expired; i++) await tx.nonces.add('key', `${tag}-old-${i}`, NOW - 1 - i);
    for (let i = 0; i < live; i++) await tx.nonces.add('key', `${tag}-live-${i}`, NOW + 60_000);
    for (let i = 0; i < 250; i++)
      await tx.idempotency.put('acc', 'Act', `${tag}-old-${i}`, { paramsHash: 'h', result: '{}' }, NOW - CLIENT_TOKEN_TTL_MS - 1);
    await tx.idempotency.put('acc', 'Act', `${tag}-live`, { paramsHash: 'h', result: '{}' }, NOW);
  });
}

describe('purgeExpired', () => {
  test('drains every expired nonce (slice by slice) and ClientToken (batch by batch), and keeps the live ones', async () => {
    await seed('a', 1050, 20);
    const c = counting(store);
    const deps = createDeps(c.store, { clock: { nowMs: () => NOW } });
    const purged = await purgeExpired(deps, { batch: 100, nonceSlices: 8, slicesPerRun: 8 });
    assert.deepEqual(purged, { nonces: 1050, clientTokens: 250, kv: 0 });
    // 8 nonce slices, 3 ClientToken batches (2 full, 1 short), 1 kv pass: never one big transaction.
    assert.equal(c.writes(), 8 + 3 + 1);
    await store.transaction(async (tx) => {
      for (let i = 0; i < 20; i++) assert.equal(await tx.nonces.add('key', `a-live-${i}`, NOW + 60_000), false, 'a live nonce is kept');
      assert.equal(await tx.nonces.add('key', 'a-old-7', NOW + 60_000), true, 'an expired one is gone');
      assert.deepEqual(await tx.idempotency.get('acc', 'Act', 'a-live'), { paramsHash: 'h', result: '{}' });
      assert.equal(await tx.idempotency.get('acc', 'Act', 'a-old-3'), undefined);
    });
  });

  test('stops after its bounds per run; the next run goes on where it stopped', async () => {
    await seed('b', 500, 0);
    const deps = createDeps(store, { clock: { nowMs: () => NOW } });
    const opts = { batch: 100, maxBatches: 1, nonceSlices: 8, slicesPerRun: 3 };
    const runs = [await purgeExpired(deps, opts), await purgeExpired(deps, opts), await purgeExpired(deps, opts)];
    // 3 + 3 + 2 of the 8 slices were new (the third run's last slice is the first run's first again).
    assert.ok(runs[0].nonces > 0 && runs[0].nonces < 500, `a run sweeps only its 3 of 8 slices (${runs[0].nonces})`);
    assert.equal(
      runs.reduce((n, r) => n + r.nonces, 0),
      500,
      'three runs sweep every slice',
    );
    assert.deepEqual(
      runs.map((r) => r.clientTokens),
      [100, 100, 50],
      'one ClientToken batch a run',
    );
  });
});
