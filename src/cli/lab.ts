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
import { ConfigError, STORE_SETTINGS, defineSettings, switchSchema, type SettingsTable } from './settings.ts';
import { openStore } from '../store/open-store.ts';
import { createDeps } from '../service/create-deps.ts';
import { Lab, teardown } from '../lab/lab.ts';
import { PREFIX_PATTERN } from '../lab/layout.ts';
import { formatLabReport, labReport } from '../lab/status.ts';
import { createMetadataServer } from '../metadata/server.ts';

const LAB_COMMON = {
  ...STORE_SETTINGS,
  prefix: {
    flag: '--prefix <p>',
    env: 'ENIPLANE_LAB_PREFIX',
    help: 'namespace name prefix, unique per lab',
    schema: z.string().regex(PREFIX_PATTERN, '1-12 characters of a-z 0-9, starting with a letter').default('enp'),
  },
  stateDir: { flag: '--state-dir <dir>', help: 'lab state and logs (default <data>/lab-<prefix>)', schema: z.string().min(1).optional() },
} satisfies SettingsTable;

const labUpSettings = defineSettings('lab up', {
  ...LAB_COMMON,
  agents: { flag: '--agents <all|none>', help: 'start an agent in every running instance', schema: z.enum(['all', 'none']).default('all') },
  agentArg: {
    flag: '--agent-arg <arg>',
    help: 'extra flag for every agent (repeatable)',
    schema: z.array(z.string()).default([]),
    repeatable: true,
  },
  intervalMs: {
    flag: '--interval-ms <ms>',
    help: 'how often the store is read, ms',
    schema: z.coerce.number().int().min(20).max(60_000).default(200),
  },
});
const labDownSettings = defineSettings('lab down', LAB_COMMON);
const labStatusSettings = defineSettings('lab status', {
  ...LAB_COMMON,
  json: { flag: '--json', help: 'JSON output', schema: switchSchema() },
});
const labMetadataSettings = defineSettings('lab metadata', {
  ...STORE_SETTINGS,
  listen: {
    flag: '--listen <host:port>',
    help: 'address to listen on',
    schema: z.string().regex(/^[^:\s]+:\d{1,5}$/, 'expected host:port'),
  },
});

/** Absolute paths, and the state directory defaulted from the data directory and prefix. */
function labPaths<C extends { data: string; prefix: string; stateDir?: string }>(c: C): C & { stateDir: string } {
  return { ...c, data: resolve(c.data), stateDir: resolve(c.stateDir ?? `${c.data}/lab-${c.prefix}`) };
}

function rootOnly(): void {
  if (process.getuid?.() !== 0) throw new ConfigError('the lab needs root (it creates network namespaces)');
}

export function registerLab(program: Command): void {
  const lab = program.command('lab').description("network namespaces that carry the instances' traffic (root; IPv4 only in 198.18.0.0/15)");

  labUpSettings
    .register(lab.command('up').description('build the lab from the store, start the metadata service and agents, and follow the store'))
    .action(async (flags: Record<string, unknown>) => {
      rootOnly();
      const c = labPaths(labUpSettings.resolve(flags, process.env));
      const store = await openStore(c.database, c.data);
      const abort = new AbortController();
      const stop = () => abort.abort();
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      const print = (l: string) => console.log(l);
      const l = new Lab({
        prefix: c.prefix,
        deps: createDeps(store),
        stateDir: c.stateDir,
        store: { data: c.data, database: c.database },
        agents: c.agents === 'all',
        agentArgs: c.agentArg,
        intervalMs: c.intervalMs,
        print,
      });
      try {
        print(`lab: building lab "${c.prefix}" from ${c.database ?? `${c.data}/eniplane.db`} (state in ${c.stateDir})`);
        await l.up();
        const s = l.summary();
        print(
          `lab: ready — ${s.vSwitches} vSwitch(es), ${s.instances} instance(s), ${s.enis} ENI(s); following the store (Ctrl-C removes the lab)`,
        );
        await l.follow(abort.signal);
      } finally {
        print('lab: removing the lab');
        await l.down().catch((e) => console.error(`lab: teardown: ${(e as Error).message}`));
        await store.close();
        print('lab: down');
      }
    });

  labDownSettings
    .register(lab.command('down').description('remove every namespace and process a lab with this prefix made'))
    .action(async (flags: Record<string, unknown>) => {
      rootOnly();
      const c = labPaths(labDownSettings.resolve(flags, process.env));
      await teardown(c.prefix, c.stateDir, (l) => console.log(`lab: ${l}`));
      console.log('lab: down');
    });

  labStatusSettings
    .register(lab.command('status').description("the lab's namespaces, interfaces and addresses next to the store"))
    .action(async (flags: Record<string, unknown>) => {
      rootOnly();
      const c = labPaths(labStatusSettings.resolve(flags, process.env));
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
  labMetadataSettings.register(lab.command('metadata', { hidden: true })).action(async (flags: Record<string, unknown>) => {
    const o = labMetadataSettings.resolve(flags, process.env);
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
