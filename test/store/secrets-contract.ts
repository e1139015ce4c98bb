// AccessKey secrets at rest, run on each database: sealed with AES-256-GCM under
// a key kept outside the database, plain rows sealed on open, rotation
// re-seals every row, and a row's ciphertext opens only on that row.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Store } from '../../src/store/store.ts';
import { SecretBox, keyIdOf } from '../../src/store/secret-box.ts';

export interface SecretsTarget {
  /** opens the same database again (a new store) with these secrets, or none */
  open(secrets?: SecretBox): Promise<Store>;
  /** the access_keys rows as stored */
  rows(): Promise<{ id: string; secret: string; secret_key_id: string | null }[]>;
  /** runs SQL straight on the database (to tamper with a row) */
  exec(sql: string, params: unknown[]): Promise<void>;
}

const key = (id: string, secret: string, accountId = 'acct-1') => ({
  id,
  secret,
  accountId,
  status: 'Active' as const,
  createdAt: '2026-01-01T00:00:00Z',
});

export function secretsContract(target: () => SecretsTarget): void {
  it('a secret is stored sealed under the current key and read back plain', async () => {
    const t = target();
    const k1 = randomBytes(32);
    const store = await t.open(new SecretBox([k1]));
    try {
      await store.transaction(async (tx) => {
        await tx.accounts.insert({ id: 'acct-1', name: 'one', createdAt: '2026-01-01T00:00:00Z' });
        await tx.accessKeys.insert(key('LTAIsealed000001', 'the-plain-secret-1'));
      });
      const [row] = await t.rows();
      assert.equal(row.secret_key_id, keyIdOf(k1));
      assert.ok(!row.secret.includes('the-plain-secret-1'));
      assert.equal(
        (await store.transaction((tx) => tx.accessKeys.get('LTAIsealed000001'), { readOnly: true }))?.secret,
        'the-plain-secret-1',
      );
    } finally {
      await store.close();
    }
    // Without the key the row does not open (the database alone gives nothing away).
    const keyless = await t.open(new SecretBox([randomBytes(32)]));
    try {
      await assert.rejects(
        keyless.transaction((tx) => tx.accessKeys.get('LTAIsealed000001'), { readOnly: true }),
        /does not hold/,
      );
    } finally {
      await keyless.close();
    }
  });

  it('plain rows (written before sealing) are sealed by reseal; rotation re-seals every row under the new key', async () => {
    const t = target();
    const plain = await t.open();
    try {
      await plain.transaction(async (tx) => {
        await tx.accounts.insert({ id: 'acct-1', name: 'one', createdAt: '2026-01-01T00:00:00Z' });
        for (let i = 0; i < 3; i++) await tx.accessKeys.insert(key(`LTAIplain00000${i}`, `plain-secret-${i}`));
      });
    } finally {
      await plain.close();
    }
    assert.deepEqual(
      (await t.rows()).map((r) => r.secret_key_id),
      [null, null, null],
    );
    const k1 = randomBytes(32);
    const s1 = await t.open(new SecretBox([k1]));
    try {
      assert.equal(await s1.transaction((tx) => tx.accessKeys.reseal()), 3);
      assert.equal(await s1.transaction((tx) => tx.accessKeys.reseal()), 0, 'nothing left to seal');
    } finally {
      await s1.close();
    }
    let rows = await t.rows();
    assert.ok(rows.every((r) => r.secret_key_id === keyIdOf(k1) && !r.secret.startsWith('plain-secret')));
    const k2 = randomBytes(32);
    const s2 = await t.open(new SecretBox([k2, k1]));
    try {
      assert.equal(await s2.transaction((tx) => tx.accessKeys.reseal()), 3);
      rows = await t.rows();
      assert.ok(rows.every((r) => r.secret_key_id === keyIdOf(k2)));
      const keys = await s2.transaction((tx) => tx.accessKeys.listByAccount('acct-1'), { readOnly: true });
      assert.deepEqual(
        keys.map((k) => k.secret),
        ['plain-secret-0', 'plain-secret-1', 'plain-secret-2'],
      );
    } finally {
      await s2.close();
    }
    // After the rotation the retired key alone opens nothing.
    const old = await t.open(new SecretBox([k1]));
    try {
      await assert.rejects(old.transaction((tx) => tx.accessKeys.get('LTAIplain000000'), { readOnly: true }));
    } finally {
      await old.close();
    }
  });

  it("a sealed secret copied onto another row does not open (the row id is GCM's additional data)", async () => {
    const t = target();
    const box = new SecretBox([randomBytes(32)]);
    const store = await t.open(box);
    try {
      await store.transaction(async (tx) => {
        await tx.accounts.insert({ id: 'acct-1', name: 'one', createdAt: '2026-01-01T00:00:00Z' });
        await tx.accessKeys.insert(key('LTAIvictim000001', 'victim-secret'));
        await tx.accessKeys.insert(key('LTAIattacker0001', 'attacker-secret'));
      });
      const victim = (await t.rows()).find((r) => r.id === 'LTAIvictim000001')!;
      await t.exec('UPDATE access_keys SET secret = ? WHERE id = ?', [victim.secret, 'LTAIattacker0001']);
      await assert.rejects(store.transaction((tx) => tx.accessKeys.get('LTAIattacker0001'), { readOnly: true }));
    } finally {
      await store.close();
    }
  });
}
