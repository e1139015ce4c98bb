// `eniplane faults add|list|clear`: the running server's injected-fault rules,
// through its admin API (/_eniplane/admin/faults) with the root AccessKey
// (ENIPLANE_ACCESS_KEY_ID/SECRET, or <data>/credentials.json).
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { cliCredentials, UserError } from './rpc-client.ts';

interface Common {
  endpoint: string;
  data: string;
}

async function admin(o: Common, method: string, path: string, body?: unknown): Promise<any> {
  const key = cliCredentials(o.data);
  let res: Response;
  try {
    res = await fetch(`http://${o.endpoint}/_eniplane/admin${path}`, {
      method,
      headers: { authorization: `Bearer ${key.id}:${key.secret}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (e) {
    throw new UserError(`cannot reach eniplane at ${o.endpoint}: ${(e as Error).message}`);
  }
  const text = await res.text();
  if (res.status >= 400) throw new UserError(`${res.status}: ${text}`);
  return JSON.parse(text);
}

export function registerFaults(program: Command): void {
  const faults = program.command('faults').description("inject failures into a running server's API and metadata service");
  const common = (c: Command) =>
    c
      .option('--endpoint <host:port>', 'the server (ENIPLANE_ENDPOINT)', process.env.ENIPLANE_ENDPOINT ?? '127.0.0.1:8080')
      .option('--data <dir>', "the server's data directory, for credentials.json", process.env.ENIPLANE_DATA ?? './data');
  common(faults.command('add [rule]').description('add a rule (JSON), or the rules of a file { seed, rules }'))
    .option('--file <file>', 'JSON file: one rule, or { seed, rules: [...] }')
    .action(async (rule: string | undefined, o: Common & { file?: string }) => {
      const text = o.file ? readFileSync(o.file, 'utf8') : rule;
      if (!text)
        throw new UserError(
          'give a rule as JSON, e.g. \'{"actions":["AssignPrivateIpAddresses"],"probability":0.2,"effect":{"kind":"error","code":"Throttling","status":400}}\', or --file',
        );
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (e) {
        throw new UserError(`not JSON: ${(e as Error).message}`);
      }
      const r = await admin(o, 'POST', '/faults', body);
      for (const x of r.added) console.log(`added ${x.id}`);
    });
  common(faults.command('list').description('list the rules'))
    .option('--json', 'JSON output')
    .action(async (o: Common & { json?: boolean }) => {
      const r = await admin(o, 'GET', '/faults');
      if (o.json) return console.log(JSON.stringify(r, null, 2));
      if (r.rules.length === 0) return console.log('no fault rules');
      console.log(`seed ${r.seed}`);
      for (const x of r.rules) {
        const { id, effect, ...match } = x;
        console.log(`${id}  ${JSON.stringify(effect)}  when ${JSON.stringify(match)}`);
      }
    });
  common(faults.command('clear [id]').description('remove one rule, or all of them')).action(async (id: string | undefined, o: Common) => {
    const r = await admin(o, 'DELETE', id ? `/faults/${encodeURIComponent(id)}` : '/faults');
    console.log(`removed ${r.removed}`);
  });
  common(faults.command('settle').description('complete every pending async transition now')).action(async (o: Common) => {
    const r = await admin(o, 'POST', '/settle');
    console.log(`settled ${r.settled}`);
  });
}
