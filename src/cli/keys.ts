// `eniplane keys rotate`: a new key for the AccessKey secrets at rest
// (store/secret-box.ts), every row re-sealed under it in one transaction.
// With secret.key, a fresh key goes first in the file (older ones stay, so
// servers still running read what they find; they pick the new key up on the
// first row that names it). With ENIPLANE_SECRET_KEY, put the new key first
// in it, run this, then restart the servers with the same value.
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { lockDownDataDir, openStore } from '../store/open-store.ts';
import { addKeyToFile, secretBoxFor } from '../store/secret-box.ts';

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('the key that seals AccessKey secrets at rest');
  keys
    .command('rotate')
    .description('seal every AccessKey secret under a new key (one transaction)')
    .option('--data <dir>', 'data directory (where secret.key lives)', process.env.ENIPLANE_DATA ?? './data')
    .option('--database <url>', 'database URL (ENIPLANE_DATABASE_URL)')
    .option('--json', 'JSON output')
    .action(async (o: { data: string; database?: string; json?: boolean }) => {
      const dir = lockDownDataDir(resolve(o.data));
      if (!process.env.ENIPLANE_SECRET_KEY) addKeyToFile(dir);
      const keyId = secretBoxFor(dir).currentKeyId;
      // Opening the store re-seals every row not under the current key, in one transaction.
      const store = await openStore(o.database ?? process.env.ENIPLANE_DATABASE_URL, dir);
      try {
        const sealed = await store.transaction(
          async (tx) => {
            let n = 0;
            for (const a of await tx.accounts.list()) n += (await tx.accessKeys.listByAccount(a.id)).length;
            return n;
          },
          { readOnly: true },
        );
        const out = { keyId, accessKeys: sealed, source: process.env.ENIPLANE_SECRET_KEY ? 'ENIPLANE_SECRET_KEY' : `${dir}/secret.key` };
        console.log(o.json ? JSON.stringify(out) : `${sealed} AccessKey secrets sealed under key ${keyId} (${out.source})`);
      } finally {
        await store.close();
      }
    });
}
