// `eniplane lab up|down|status`: the network-namespace data plane next to a
// server. It opens the server's store (same --data / --database), so it sees
// every change the API makes; run it as root on the server's host.
//   lab up      build, start the metadata service and the agents, follow the
//               store until Ctrl-C / SIGTERM, then remove everything
//   lab down    remove everything a lab with this prefix made (also after a crash)
//   lab status  namespaces, interfaces and addresses next to the store
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from './config.ts';
import { openStore } from '../store/open-store.ts';
import { createDeps } from '../service/create-deps.ts';
import { Lab, teardown } from '../lab/lab.ts';
import { PREFIX_PATTERN } from '../lab/layout.ts';
import { formatLabReport, labReport } from '../lab/status.ts';
import { createMetadataServer } from '../metadata/server.ts';

const labConfigSchema = z.object({
  data: z.string().min(1).default('./data'),
  database: z.string().optional(),
  prefix: z.string().regex(PREFIX_PATTERN, '1-12 characters of a-z 0-9, starting with a letter').default('enp'),
  stateDir: z.string().min(1).optional(),
  agents: z.enum(['all', 'none']).default('all'),
  agentArg: z.array(z.string()).default([]),
  intervalMs: z.coerce.number().int().min(20).max(60_000).default(200),
  json: z.preprocess((v) => v === true, z.boolean()),
}).strict();

type LabConfig = z.infer<typeof labConfigSchema> & { stateDir: string };

function resolveLabConfig(flags: Record<string, unknown>): LabConfig {
  const merged: Record<string, unknown> = {};
  if (process.env.ENIPLANE_DATA) merged.data = process.env.ENIPLANE_DATA;
  if (process.env.ENIPLANE_DATABASE_URL) merged.database = process.env.ENIPLANE_DATABASE_URL;
  if (process.env.ENIPLANE_LAB_PREFIX) merged.prefix = process.env.ENIPLANE_LAB_PREFIX;
  for (const [k, v] of Object.entries(flags)) if (v !== undefined) merged[k] = v;
  const r = labConfigSchema.safeParse(merged);
  if (!r.success) throw new ConfigError(`invalid lab settings:\n${r.error.issues.map((i) => `  --${i.path.join('.')}: ${i.message}`).join('\n')}`);
  return { ...r.data, data: resolve(r.data.data), stateDir: resolve(r.data.stateDir ?? `${r.data.data}/lab-${r.data.prefix}`) };
}

function rootOnly(): void {
  if (process.getuid?.() !== 0) throw new ConfigError('the lab needs root (it creates network namespaces)');
}

const common = (c: Command) => c
  .option('--data <dir>', 'the server\'s data directory (ENIPLANE_DATA)', undefined)
  .option('--database <url>', 'the server\'s database URL (ENIPLANE_DATABASE_URL)', undefined)
  .option('--prefix <p>', 'namespace name prefix, unique per lab (ENIPLANE_LAB_PREFIX, default enp)', undefined)
  .option('--state-dir <dir>', 'lab state and logs (default <data>/lab-<prefix>)', undefined);

export function registerLab(program: Command): void {
  const lab = program.command('lab').description('network namespaces that carry the instances\' traffic (root; IPv4 only in 198.18.0.0/15)');

  common(lab.command('up').description('build the lab from the store, start the metadata service and agents, and follow the store'))
    .option('--agents <all|none>', 'start an agent in every running instance (default all)', undefined)
    .option('--agent-arg <arg>', 'extra flag for every agent (repeatable)', (v: string, prev: string[] = []) => [...prev, v], undefined)
    .option('--interval-ms <ms>', 'how often the store is read (default 200)', undefined)
    .action(async (flags: Record<string, unknown>) => {
      rootOnly();
      const c = resolveLabConfig(flags);
      const store = await openStore(c.database, c.data);
      const abort = new AbortController();
      const stop = () => abort.abort();
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      const print = (l: string) => console.log(l);
      const l = new Lab({
        prefix: c.prefix, deps: createDeps(store), stateDir: c.stateDir, store: { data: c.data, database: c.database }, agents: c.agents === 'all',
        agentArgs: c.agentArg, intervalMs: c.intervalMs, print,
      });
      try {
        print(`lab: building lab "${c.prefix}" from ${c.database ?? `${c.data}/eniplane.db`} (state in ${c.stateDir})`);
        await l.up();
        const s = l.summary();
        print(`lab: ready — ${s.vSwitches} vSwitch(es), ${s.instances} instance(s), ${s.enis} ENI(s); following the store (Ctrl-C removes the lab)`);
        await l.follow(abort.signal);
      } finally {
        print('lab: removing the lab');
        await l.down().catch((e) => console.error(`lab: teardown: ${(e as Error).message}`));
        await store.close();
        print('lab: down');
      }
    });

  common(lab.command('down').description('remove every namespace and process a lab with this prefix made'))
    .action(async (flags: Record<string, unknown>) => {
      rootOnly();
      const c = resolveLabConfig(flags);
      await teardown(c.prefix, c.stateDir, (l) => console.log(`lab: ${l}`));
      console.log('lab: down');
    });

  common(lab.command('status').description('the lab\'s namespaces, interfaces and addresses next to the store'))
    .option('--json', 'JSON output')
    .action(async (flags: Record<string, unknown>) => {
      rootOnly();
      const c = resolveLabConfig(flags);
      const store = await openStore(c.database, c.data);
      try {
        const r = await labReport(createDeps(store), c.prefix, c.stateDir);
        console.log(c.json ? JSON.stringify(r, null, 2) : formatLabReport(r));
      } finally {
        await store.close();
      }
    });

  // Started by `lab up` inside the router namespace: the metadata service on
  // 100.100.100.200, where it sees each instance's real source address.
  lab.command('metadata', { hidden: true })
    .requiredOption('--listen <host:port>', 'address to listen on')
    .option('--data <dir>', 'data directory', './data')
    .option('--database <url>', 'database URL')
    .action(async (o: { listen: string; data: string; database?: string }) => {
      const store = await openStore(o.database, resolve(o.data));
      const m = createMetadataServer(createDeps(store));
      const at = o.listen.lastIndexOf(':');
      const b = await m.listen(o.listen.slice(0, at), Number(o.listen.slice(at + 1)));
      console.log(`metadata listening on ${b.host}:${b.port}`);
      const stop = async () => {
        await m.close();
        await store.close();
        process.exit(0);
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
}
