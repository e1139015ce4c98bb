// Accounts, AccessKeys and resource groups.
import type { ResourceGroup } from '../../domain/model.ts';
import type { Tx } from '../store.ts';
import type { SqlDriver } from './driver.ts';
import { forUpdate } from './driver.ts';
import { toResourceGroup, type ResourceGroupRow } from './rows.ts';

interface AccountRow {
  id: string;
  name: string;
  created_at: string;
}
interface AccessKeyRow {
  id: string;
  secret: string;
  secret_key_id: string | null;
  account_id: string;
  status: string;
  created_at: string;
}

/** The secret as stored: sealed when the driver holds a SecretBox (every server does), plain otherwise. */
function sealSecret(d: SqlDriver, id: string, secret: string): [string, string | null] {
  if (!d.secrets) return [secret, null];
  const { sealed, keyId } = d.secrets.seal(id, secret);
  return [sealed, keyId];
}

function openSecret(d: SqlDriver, r: AccessKeyRow): string {
  if (r.secret_key_id === null) return r.secret;
  if (!d.secrets)
    throw new Error(
      `AccessKey ${r.id} is sealed (key ${r.secret_key_id}) and this store was opened without ENIPLANE_SECRET_KEY or secret.key`,
    );
  return d.secrets.open(r.id, r.secret, r.secret_key_id);
}

const toKey = (d: SqlDriver, r: AccessKeyRow) => ({
  id: r.id,
  secret: openSecret(d, r),
  accountId: r.account_id,
  status: r.status as 'Active' | 'Inactive',
  createdAt: r.created_at,
});

export function accountRepos(d: SqlDriver): Pick<Tx, 'accounts' | 'accessKeys' | 'resourceGroups'> {
  return {
    accounts: {
      async insert(a) {
        await d.run('INSERT INTO accounts (id, name, created_at) VALUES (?, ?, ?)', [a.id, a.name, a.createdAt]);
      },
      async get(id) {
        const r = await d.get<AccountRow>('SELECT * FROM accounts WHERE id = ?', [id]);
        return r && { id: r.id, name: r.name, createdAt: r.created_at };
      },
      async list() {
        return (await d.all<AccountRow>('SELECT * FROM accounts ORDER BY created_at, id')).map((r) => ({
          id: r.id,
          name: r.name,
          createdAt: r.created_at,
        }));
      },
      async lock(id) {
        return (await d.get(`SELECT id FROM accounts WHERE id = ?${forUpdate(d)}`, [id])) !== undefined;
      },
    },
    accessKeys: {
      async insert(k) {
        const [secret, keyId] = sealSecret(d, k.id, k.secret);
        await d.run('INSERT INTO access_keys (id, secret, secret_key_id, account_id, status, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
          k.id,
          secret,
          keyId,
          k.accountId,
          k.status,
          k.createdAt,
        ]);
      },
      async get(id) {
        const r = await d.get<AccessKeyRow>('SELECT * FROM access_keys WHERE id = ?', [id]);
        return r && toKey(d, r);
      },
      async listByAccount(accountId) {
        return (await d.all<AccessKeyRow>('SELECT * FROM access_keys WHERE account_id = ? ORDER BY created_at, id', [accountId])).map((r) =>
          toKey(d, r),
        );
      },
      async setStatus(id, status) {
        return (await d.run('UPDATE access_keys SET status = ? WHERE id = ?', [status, id])).changes > 0;
      },
      async reseal() {
        const box = d.secrets;
        if (!box) return 0;
        const rows = await d.all<AccessKeyRow>(
          `SELECT * FROM access_keys WHERE secret_key_id IS NULL OR secret_key_id <> ? ORDER BY id${forUpdate(d)}`,
          [box.currentKeyId],
        );
        for (const r of rows) {
          const [secret, keyId] = sealSecret(d, r.id, openSecret(d, r));
          await d.run('UPDATE access_keys SET secret = ?, secret_key_id = ? WHERE id = ?', [secret, keyId, r.id]);
        }
        return rows.length;
      },
    },
    resourceGroups: {
      async insert(g: ResourceGroup) {
        await d.run('INSERT INTO resource_groups (id, account_id, name, display_name, is_default, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
          g.id,
          g.accountId,
          g.name,
          g.displayName,
          g.isDefault ? 1 : 0,
          g.createdAt,
        ]);
      },
      async get(accountId, id) {
        const r = await d.get<ResourceGroupRow>('SELECT * FROM resource_groups WHERE account_id = ? AND id = ?', [accountId, id]);
        return r && toResourceGroup(r);
      },
      async getDefault(accountId) {
        const r = await d.get<ResourceGroupRow>('SELECT * FROM resource_groups WHERE account_id = ? AND is_default = 1', [accountId]);
        return r && toResourceGroup(r);
      },
      async list(accountId) {
        return (
          await d.all<ResourceGroupRow>('SELECT * FROM resource_groups WHERE account_id = ? ORDER BY is_default DESC, created_at, id', [
            accountId,
          ])
        ).map(toResourceGroup);
      },
    },
  };
}
