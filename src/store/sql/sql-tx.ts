// Assembles the repositories over one driver into a transaction object.
import type { Tx } from '../store.ts';
import type { SqlDriver } from './driver.ts';
import { accountRepos } from './account-repos.ts';
import { networkRepos } from './network-repos.ts';
import { instanceRepo } from './instance-repo.ts';
import { eniRepo } from './eni-repo.ts';
import { miscRepos } from './misc-repos.ts';

export function createSqlTx(d: SqlDriver, commitHooks: (() => void)[], rollbackHooks: (() => void)[]): Tx {
  return {
    ...accountRepos(d),
    ...networkRepos(d),
    ...instanceRepo(d),
    ...eniRepo(d),
    ...miscRepos(d),
    onCommit(fn) { commitHooks.push(fn); },
    onRollback(fn) { rollbackHooks.push(fn); },
  };
}
