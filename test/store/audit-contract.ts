// The audit trail's table, run on each database: newest first, filters,
// one account's rows only, bounded purge by age.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { AuditEvent, Store } from '../../src/store/store.ts';

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
      assert.deepEqual(a[1], ev(3000, 'a', 'AssignPrivateIpAddresses', 'InvalidIp.IpAssigned'));
      assert.deepEqual(
        (await store.transaction((tx) => tx.audit.list({ accountId: 'a', action: 'CreateVpc', limit: 10 }), { readOnly: true })).map(
          (e) => e.atMs,
        ),
        [1000],
      );
      assert.deepEqual(
        (await store.transaction((tx) => tx.audit.list({ sinceMs: 2000, untilMs: 4000, limit: 10 }), { readOnly: true })).map(
          (e) => e.atMs,
        ),
        [3000, 2000],
      );
      assert.equal((await store.transaction((tx) => tx.audit.list({ limit: 2 }), { readOnly: true })).length, 2);
      assert.equal(await store.transaction((tx) => tx.audit.purge(3500, 1)), 1);
      assert.equal(await store.transaction((tx) => tx.audit.purge(3500, 10)), 2);
      assert.deepEqual(
        (await store.transaction((tx) => tx.audit.list({ limit: 10 }), { readOnly: true })).map((e) => e.atMs),
        [4000],
      );
    } finally {
      await store.close();
    }
  });
}
