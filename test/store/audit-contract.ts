// The audit trail's table, run on each database: newest first, filters,
// one account's rows only, bounded purge by age.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { AuditEvent, AuditFilter, Store } from '../../src/store/store.ts';

const ev = (atMs: number, accountId: string, action: string, result = 'Success'): AuditEvent => ({
  atMs,
  accountId,
  accessKeyId: `LTAI-${accountId}`,
  sourceIp: '127.0.0.1',
  action,
  resources: ['eni-1', '10.0.0.5'],
  requestId: `req-${atMs}`,
  result,
});

export function auditContract(open: () => Promise<Store>): void {
  it('audit events: newest first, filtered by account, action and time; purge is bounded and by age', async () => {
    const store = await open();
    try {
      await store.transaction((tx) =>
        tx.audit.insert([
          ev(1000, 'a', 'CreateVpc'),
          ev(2000, 'b', 'CreateVpc'),
          ev(3000, 'a', 'AssignPrivateIpAddresses', 'InvalidIp.IpAssigned'),
          ev(4000, 'a', 'ConsoleSignIn'),
        ]),
      );
      const a = await store.transaction((tx) => tx.audit.list({ accountId: 'a', limit: 10 }), { readOnly: true });
      assert.deepEqual(
        a.map((e) => e.atMs),
        [4000, 3000, 1000],
      );
      const { id, ...rest } = a[1];
      assert.equal(typeof id, 'number');
      assert.deepEqual(rest, ev(3000, 'a', 'AssignPrivateIpAddresses', 'InvalidIp.IpAssigned'));
      const list = (f: Omit<AuditFilter, 'limit'>) =>
        store.transaction((tx) => tx.audit.list({ limit: 10, ...f }), { readOnly: true }).then((r) => r.map((e) => e.atMs));
      // by resource: an exact element of the list (not a prefix, not another case)
      await store.transaction((tx) => tx.audit.insert([{ ...ev(5000, 'a', 'CreateVpc'), resources: ['vpc-X1', 'eni-12'] }]));
      assert.deepEqual(await list({ accountId: 'a', resourceId: 'eni-1' }), [4000, 3000, 1000]);
      assert.deepEqual(await list({ accountId: 'a', resourceId: 'eni-12' }), [5000]);
      assert.deepEqual(await list({ accountId: 'a', resourceId: 'vpc-x1' }), []);
      assert.deepEqual(await list({ accountId: 'a', resourceId: 'eni' }), []);
      // by result: success, any failure, one code
      assert.deepEqual(await list({ accountId: 'a', result: 'Success' }), [5000, 4000, 1000]);
      assert.deepEqual(await list({ accountId: 'a', result: 'Failed' }), [3000]);
      assert.deepEqual(await list({ accountId: 'a', result: 'InvalidIp.IpAssigned' }), [3000]);
      // keyset paging: the next page after an event, also among events of the same millisecond
      await store.transaction((tx) => tx.audit.insert([ev(3000, 'a', 'DeleteVpc'), ev(3000, 'a', 'CreateVSwitch')]));
      const all = await store.transaction((tx) => tx.audit.list({ accountId: 'a', limit: 10 }), { readOnly: true });
      assert.deepEqual(
        all.map((e) => e.atMs),
        [5000, 4000, 3000, 3000, 3000, 1000],
      );
      const seen: string[] = [];
      let before: { atMs: number; id: number } | undefined;
      for (let i = 0; i < 10; i++) {
        const page = await store.transaction((tx) => tx.audit.list({ accountId: 'a', limit: 2, before }), { readOnly: true });
        if (page.length === 0) break;
        seen.push(...page.map((e) => e.requestId + e.action));
        before = { atMs: page[page.length - 1].atMs, id: page[page.length - 1].id! };
      }
      assert.deepEqual(
        seen,
        all.map((e) => e.requestId + e.action),
      );
      assert.deepEqual(
        (await store.transaction((tx) => tx.audit.list({ accountId: 'a', action: 'CreateVpc', limit: 10 }), { readOnly: true })).map(
          (e) => e.atMs,
        ),
        [5000, 1000],
      );
      assert.deepEqual(
        (await store.transaction((tx) => tx.audit.list({ sinceMs: 2000, untilMs: 4000, limit: 10 }), { readOnly: true })).map(
          (e) => e.atMs,
        ),
        [3000, 3000, 3000, 2000],
      );
      assert.equal((await store.transaction((tx) => tx.audit.list({ limit: 2 }), { readOnly: true })).length, 2);
      assert.equal(await store.transaction((tx) => tx.audit.purge(3500, 1)), 1);
      assert.equal(await store.transaction((tx) => tx.audit.purge(3500, 10)), 4);
      assert.deepEqual(
        (await store.transaction((tx) => tx.audit.list({ limit: 10 }), { readOnly: true })).map((e) => e.atMs),
        [5000, 4000],
      );
    } finally {
      await store.close();
    }
  });

  it('audit events: a batch of any size is written whole and in order, resources as given (quotes, backslashes, unicode)', async () => {
    const store = await open();
    try {
      // 64 + 64 + 64 + 8 + 2 + 1 on SQLite (rows a statement in power-of-two chunks); one statement on PostgreSQL
      const odd = ['a"b', 'c\\d', 'é/ü', 'x\ny', ''];
      const batch = Array.from({ length: 203 }, (_, i) => ({
        ...ev(10_000 + i, 'c', i % 2 ? 'AssignPrivateIpAddresses' : 'UnassignPrivateIpAddresses'),
        requestId: `req-${i}`,
        resources: i % 50 === 7 ? [`eni-${i}`, odd[Math.floor(i / 50)]] : i % 3 === 0 ? [] : [`eni-${i}`, `10.0.${i % 256}.1`],
      }));
      await store.transaction((tx) => tx.audit.insert(batch));
      const back = await store.transaction((tx) => tx.audit.list({ accountId: 'c', limit: 1000 }), { readOnly: true });
      assert.deepEqual(
        back.map(({ id: _id, ...e }) => e),
        [...batch].reverse(),
      );
      // ids follow the batch's order
      const ids = back.map((e) => e.id!).reverse();
      assert.deepEqual(
        ids,
        [...ids].sort((x, y) => x - y),
      );
      assert.deepEqual(
        (await store.transaction((tx) => tx.audit.list({ accountId: 'c', resourceId: 'a"b', limit: 10 }), { readOnly: true })).map(
          (e) => e.requestId,
        ),
        batch
          .filter((e) => e.resources.includes('a"b'))
          .map((e) => e.requestId)
          .reverse(),
      );
    } finally {
      await store.close();
    }
  });
}
