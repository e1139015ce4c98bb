// Assembles the repositories over one driver into a transaction object. The
// repositories are built once per driver (they hold no per-transaction state);
// only the commit/rollback hooks are per transaction.
import type { Tx } from '../store.ts';
import type { SqlDriver } from './driver.ts';
import { accountRepos } from './account-repos.ts';
import { networkRepos } from './network-repos.ts';
import { instanceRepo } from './instance-repo.ts';
import { eniRepo } from './eni-repo.ts';
import { miscRepos } from './misc-repos.ts';
import { metadataRepo } from './metadata-repo.ts';
import { throttleRepo } from './throttle-repo.ts';
import { auditRepo } from './audit-repo.ts';
import { tagRepo } from './tag-repo.ts';
import { bulkRepo } from './bulk-repo.ts';

type Repos = Omit<Tx, 'onCommit' | 'onRollback'>;
const built = new WeakMap<SqlDriver, Repos>();

function build(d: SqlDriver): Repos {
  const r: Repos = {
    ...accountRepos(d),
    ...networkRepos(d),
    ...instanceRepo(d),
    ...eniRepo(d),
    ...miscRepos(d),
    ...metadataRepo(d),
    ...throttleRepo(d),
    ...auditRepo(d),
    ...tagRepo(d),
    ...bulkRepo(d),
  };
  built.set(d, r);
  return r;
}

function reposOf(d: SqlDriver): Repos {
  return built.get(d) ?? build(d);
}

export function createSqlTx(d: SqlDriver, commitHooks: (() => void)[], rollbackHooks: (() => void)[]): Tx {
  // The repositories are the prototype, not copied: a transaction is two
  // closures, not a fresh object of every repository (that copy showed up in
  // the assign profile).
  const tx = Object.create(reposOf(d)) as Tx;
  tx.onCommit = (fn) => {
    commitHooks.push(fn);
  };
  tx.onRollback = (fn) => {
    rollbackHooks.push(fn);
  };
  return tx;
}
