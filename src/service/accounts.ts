// Accounts and AccessKeys (the admin side: `eniplane accounts ...` and first start).
import { newAccessKeyPair, newAccountId, newResourceGroupId } from '../domain/ids.ts';
import { isoTime } from '../domain/ports.ts';
import { DomainError } from '../domain/errors.ts';
import type { Account, AccessKey, Tx } from '../store/store.ts';
import { readTx, writeTx, type ServiceDeps } from './deps.ts';

async function insertAccount(deps: ServiceDeps, tx: Tx, name: string): Promise<Account> {
  const now = isoTime(deps.clock.nowMs());
  const account: Account = { id: newAccountId(deps.rng), name, createdAt: now };
  await tx.accounts.insert(account);
  await tx.resourceGroups.insert({
    id: newResourceGroupId(deps.rng),
    accountId: account.id,
    name: 'default',
    displayName: 'Default Resource Group',
    isDefault: true,
    createdAt: now,
  });
  return account;
}

async function insertKey(deps: ServiceDeps, tx: Tx, accountId: string, pair?: { id: string; secret: string }): Promise<AccessKey> {
  const p = pair ?? newAccessKeyPair(deps.rng);
  const key: AccessKey = { id: p.id, secret: p.secret, accountId, status: 'Active', createdAt: isoTime(deps.clock.nowMs()) };
  await tx.accessKeys.insert(key);
  return key;
}

export interface RootCredentials {
  accountId: string;
  accessKeyId: string;
  accessKeySecret: string;
  created: boolean;
}

/**
 * Makes sure the root account exists. With a given key pair (from the
 * environment) that key is added to it when missing; otherwise the first
 * start generates one.
 */
export function ensureRootAccount(deps: ServiceDeps, given?: { id: string; secret: string }): Promise<RootCredentials> {
  return writeTx(deps, async (tx) => {
    const accounts = await tx.accounts.list();
    let root = accounts.find((a) => a.name === 'root');
    let created = false;
    if (!root) {
      root = await insertAccount(deps, tx, 'root');
      created = true;
    }
    if (given) {
      const existing = await tx.accessKeys.get(given.id);
      if (existing && existing.accountId !== root.id)
        throw new DomainError('InvalidParameter', { name: 'accessKeyId', reason: 'belongs to another account' });
      if (existing && existing.secret !== given.secret)
        throw new DomainError('InvalidParameter', { name: 'accessKeySecret', reason: 'differs from the stored one' });
      if (!existing) await insertKey(deps, tx, root.id, given);
      return { accountId: root.id, accessKeyId: given.id, accessKeySecret: given.secret, created };
    }
    const keys = await tx.accessKeys.listByAccount(root.id);
    const key = keys.find((k) => k.status === 'Active') ?? (await insertKey(deps, tx, root.id));
    return { accountId: root.id, accessKeyId: key.id, accessKeySecret: key.secret, created: created || keys.length === 0 };
  });
}

export function createAccount(
  deps: ServiceDeps,
  name: string,
  pair?: { id: string; secret: string },
): Promise<{ account: Account; key: AccessKey }> {
  if (!/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,63}$/.test(name)) throw new DomainError('InvalidParameter', { name: 'name' });
  return writeTx(deps, async (tx) => {
    if ((await tx.accounts.list()).some((a) => a.name === name))
      throw new DomainError('InvalidParameter', { name: 'name', reason: 'an account with this name exists' });
    const account = await insertAccount(deps, tx, name);
    return { account, key: await insertKey(deps, tx, account.id, pair) };
  });
}

export function createAccessKey(deps: ServiceDeps, accountId: string): Promise<AccessKey> {
  return writeTx(deps, async (tx) => {
    if (!(await tx.accounts.get(accountId))) throw new DomainError('InvalidParameter', { name: 'account', reason: 'no such account' });
    return insertKey(deps, tx, accountId);
  });
}

export function setAccessKeyStatus(deps: ServiceDeps, keyId: string, status: AccessKey['status']): Promise<boolean> {
  return writeTx(deps, (tx) => tx.accessKeys.setStatus(keyId, status));
}

export function listAccounts(deps: ServiceDeps): Promise<{ account: Account; keys: AccessKey[] }[]> {
  return readTx(deps, async (tx) =>
    Promise.all((await tx.accounts.list()).map(async (account) => ({ account, keys: await tx.accessKeys.listByAccount(account.id) }))),
  );
}

/** The signing secret of an active key, with its account. */
export function findAccessKey(deps: ServiceDeps, keyId: string): Promise<AccessKey | undefined> {
  return findAccessKeyAnyStatus(deps, keyId).then((k) => (k && k.status === 'Active' ? k : undefined));
}

/** A key whatever its status: the RPC endpoint tells a disabled key from an unknown one, as Alibaba does. */
export function findAccessKeyAnyStatus(deps: ServiceDeps, keyId: string): Promise<AccessKey | undefined> {
  return readTx(deps, (tx) => tx.accessKeys.get(keyId));
}
