// `eniplane audit`: the audit trail (service/audit.ts), newest first, for the
// operator on the host where the data lives; filters by account, action, time.
import type { Command } from 'commander';
import { openStore } from '../store/open-store.ts';
import { createDeps } from '../service/create-deps.ts';
import { listAudit } from '../service/audit.ts';

export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description('show the audit trail: mutating calls and console sign-ins, newest first')
    .option('--data <dir>', 'data directory', process.env.ENIPLANE_DATA ?? './data')
    .option('--database <url>', 'database URL (ENIPLANE_DATABASE_URL)')
    .option('--account <id>', 'one account only')
    .option('--action <name>', 'one action only, e.g. AssignPrivateIpAddresses or ConsoleSignIn')
    .option('--since <time>', 'ISO time, e.g. 2026-01-01T00:00:00Z')
    .option('--until <time>', 'ISO time')
    .option('--limit <n>', 'at most n events (1-1000)', '100')
    .option('--json', 'JSON output, one array')
    .action(
      async (o: {
        data: string;
        database?: string;
        account?: string;
        action?: string;
        since?: string;
        until?: string;
        limit: string;
        json?: boolean;
      }) => {
        const time = (v: string | undefined, name: string) => {
          if (v === undefined) return undefined;
          const ms = Date.parse(v);
          if (Number.isNaN(ms)) throw new Error(`--${name}: not a time: ${v}`);
          return ms;
        };
        const filter = {
          accountId: o.account,
          action: o.action,
          sinceMs: time(o.since, 'since'),
          untilMs: time(o.until, 'until'),
          limit: Number(o.limit) || 100,
        };
        const store = await openStore(o.database ?? process.env.ENIPLANE_DATABASE_URL, o.data, { backgroundCheckpoints: false });
        try {
          const events = await listAudit(createDeps(store), undefined, filter);
          const view = events.map((e) => ({ ...e, at: new Date(e.atMs).toISOString() }));
          if (o.json) console.log(JSON.stringify(view, null, 2));
          else
            for (const e of view)
              console.log(
                `${e.at}  ${e.accountId}  ${e.accessKeyId}  ${e.sourceIp}  ${e.action}  ${e.result}  ${e.requestId}  ${e.resources.join(',')}`,
              );
        } finally {
          await store.close();
        }
      },
    );
}
