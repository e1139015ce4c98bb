// `eniplane accounts ...`: the admin side of tenants and AccessKeys, working
// directly on the store (run it where the server's data lives).
import type { Command } from 'commander';
import { createAccessKey, createAccount, listAccounts, setAccessKeyStatus } from '../service/accounts.ts';
import { storeCommand } from './store-command.ts';

const { storeSettings, withDeps } = storeCommand('accounts');

export function registerAccounts(program: Command): void {
  const accounts = program.command('accounts').description('manage accounts (tenants) and their AccessKeys');
  const common = (c: Command) => storeSettings.register(c);
  common(accounts.command('list').description('list accounts and their AccessKey ids'))
    .option('--json', 'JSON output')
    .action(async (o: { data?: string; database?: string; json?: boolean }) => {
      const all = await withDeps(o, listAccounts);
      if (o.json)
        console.log(
          JSON.stringify(
            all.map((a) => ({ ...a.account, accessKeys: a.keys.map((k) => ({ id: k.id, status: k.status })) })),
            null,
            2,
          ),
        );
      else
        for (const a of all)
          console.log(`${a.account.id}  ${a.account.name}  keys: ${a.keys.map((k) => `${k.id}(${k.status})`).join(', ')}`);
    });
  common(accounts.command('create <name>').description('create an account with one AccessKey (printed once)'))
    .option('--json', 'JSON output')
    .action(async (name: string, o: { data?: string; database?: string; json?: boolean }) => {
      const r = await withDeps(o, (d) => createAccount(d, name));
      const out = { accountId: r.account.id, name: r.account.name, accessKeyId: r.key.id, accessKeySecret: r.key.secret };
      console.log(
        o.json
          ? JSON.stringify(out)
          : Object.entries(out)
              .map(([k, v]) => `${k}: ${v}`)
              .join('\n'),
      );
    });
  common(accounts.command('create-key <accountId>').description('add an AccessKey to an account'))
    .option('--json', 'JSON output')
    .action(async (accountId: string, o: { data?: string; database?: string; json?: boolean }) => {
      const k = await withDeps(o, (d) => createAccessKey(d, accountId));
      const out = { accountId, accessKeyId: k.id, accessKeySecret: k.secret };
      console.log(
        o.json
          ? JSON.stringify(out)
          : Object.entries(out)
              .map(([k2, v]) => `${k2}: ${v}`)
              .join('\n'),
      );
    });
  for (const [cmd, status] of [
    ['disable-key', 'Inactive'],
    ['enable-key', 'Active'],
  ] as const) {
    common(accounts.command(`${cmd} <accessKeyId>`).description(`${status === 'Active' ? 'enable' : 'disable'} an AccessKey`)).action(
      async (id: string, o: { data?: string; database?: string }) => {
        const ok = await withDeps(o, (d) => setAccessKeyStatus(d, id, status));
        if (!ok) {
          console.error(`no AccessKey ${id}`);
          process.exit(1);
        }
      },
    );
  }
}
